/**
 * Composer metadata: `composer.lock` (`packages` and `packages-dev`) and the installed
 * `vendor/composer/installed.json` (Composer 1: an array; Composer 2: `{packages, dev-package-names}`).
 * Packagist names are case-insensitive; they are listed lowercased, as Packagist and OSV write them.
 */
import { PackageURL } from 'packageurl-js';
import {
  finishPackages,
  isRecord,
  stripBom,
  type LangPackage,
  type LangParseResult,
  cappedProblems,
} from '../lang-types.js';

// vendor/name; looser than Composer's own pattern, whose nested quantifiers backtrack badly
const NAME = /^[a-z0-9][a-z0-9_.-]*\/[a-z0-9][a-z0-9_.-]*$/;

export function composerPurl(name: string, version: string): string {
  const [vendor, local] = name.split('/') as [string, string];
  return new PackageURL('composer', vendor, local, version, undefined, undefined).toString();
}

/** Platform requirements (`php`, `ext-json`, `lib-icu`, `composer-plugin-api`) name no package. */
const isPlatform = (name: string): boolean => !name.includes('/');

function licensesOf(v: unknown): string[] {
  if (typeof v === 'string' && v) return [v];
  return Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string' && x !== '') : [];
}

function readJson(text: string, problems: string[]): unknown {
  try {
    return JSON.parse(stripBom(text));
  } catch (e) {
    problems.push(`invalid JSON: ${(e as Error).message}`);
    return undefined;
  }
}

function fromEntries(entries: { raw: unknown; dev: boolean }[], problems: string[]): LangPackage[] {
  const found: { p: LangPackage; requires: string[] }[] = [];
  for (const { raw, dev } of entries) {
    if (!isRecord(raw)) continue;
    const name = typeof raw.name === 'string' ? raw.name.toLowerCase() : '';
    const version = typeof raw.version === 'string' ? raw.version : '';
    if (name.length > 214 || !NAME.test(name) || !version || version.length > 256) {
      problems.push(`package ${JSON.stringify(name.slice(0, 100))} has no usable name or version`);
      continue;
    }
    const licenses = licensesOf(raw.license);
    found.push({
      p: {
        name,
        version,
        purl: composerPurl(name, version),
        ...(dev ? { dev: true } : {}),
        ...(licenses.length ? { licenses } : {}),
      },
      requires: isRecord(raw.require) ? Object.keys(raw.require).map((r) => r.toLowerCase()) : [],
    });
  }
  const byName = new Map(found.map(({ p }) => [p.name, p.purl]));
  for (const { p, requires } of found) {
    const deps = requires.filter((r) => !isPlatform(r)).flatMap((r) => byName.get(r) ?? []);
    if (deps.length) p.dependsOn = [...new Set(deps)].sort();
  }
  return finishPackages(found.map((f) => f.p));
}

export function parseComposerLock(input: string): LangParseResult {
  const problems: string[] = cappedProblems();
  const doc = readJson(input, problems);
  if (doc === undefined) return { packages: [], problems };
  if (!isRecord(doc) || (!Array.isArray(doc.packages) && !Array.isArray(doc['packages-dev'])))
    return { packages: [], problems: ['no `packages` array: not a composer.lock'] };
  const entries = [
    ...(Array.isArray(doc.packages) ? doc.packages : []).map((raw: unknown) => ({ raw, dev: false })),
    ...(Array.isArray(doc['packages-dev']) ? doc['packages-dev'] : []).map((raw: unknown) => ({
      raw,
      dev: true,
    })),
  ];
  return { packages: fromEntries(entries, problems), problems };
}

export function parseInstalledJson(input: string): LangParseResult {
  const problems: string[] = cappedProblems();
  const doc = readJson(input, problems);
  if (doc === undefined) return { packages: [], problems };
  let list: unknown[];
  let devNames = new Set<string>();
  if (Array.isArray(doc)) list = doc;
  else if (isRecord(doc) && Array.isArray(doc.packages)) {
    list = doc.packages;
    if (Array.isArray(doc['dev-package-names']))
      devNames = new Set(doc['dev-package-names'].map((n) => String(n).toLowerCase()));
  } else return { packages: [], problems: ['neither an array nor `{packages: []}`: not installed.json'] };
  const entries = list.map((raw) => ({
    raw,
    dev: isRecord(raw) && typeof raw.name === 'string' && devNames.has(raw.name.toLowerCase()),
  }));
  return { packages: fromEntries(entries, problems), problems };
}
