/**
 * `yarn.lock`: classic (v1, yarn's own indentation format) and berry (v2+, YAML with `__metadata`).
 * Only packages resolved from the npm registry are listed: workspace, patch, portal, link and file
 * protocols name local code, not published packages.
 */
import {
  finishPackages,
  isRecord,
  stripBom,
  type LangPackage,
  type LangParseResult,
  cappedProblems,
  MAX_ENTRIES,
} from '../lang-types.js';
import { readYaml } from '../lang-yaml.js';
import { isValidNpmName, npmPurl } from './parse.js';

const LOCAL_RANGE = /^(?:file|link|portal|workspace|patch|exec):/;

/** Splits `name@range` (the name may be scoped: `@babel/core@^7`). */
export function splitSpec(spec: string): { name: string; range: string } | undefined {
  const at = spec.indexOf('@', 1);
  if (at <= 0) return undefined;
  return { name: spec.slice(0, at), range: spec.slice(at + 1) };
}

const unquote = (s: string): string => {
  const t = s.trim();
  return t.length >= 2 && t.startsWith('"') && t.endsWith('"') ? t.slice(1, -1) : t;
};

interface ClassicEntry {
  specs: string[];
  version?: string;
  deps: [string, string][];
}

function readClassic(text: string): { entries: ClassicEntry[]; problems: string[] } {
  const entries: ClassicEntry[] = [];
  const problems: string[] = cappedProblems();
  let cur: ClassicEntry | undefined;
  let inDeps = false;
  const lines = text.split('\n');
  for (let n = 0; n < lines.length; n++) {
    const line = lines[n]!.replace(/\r$/, '');
    if (line.trim() === '' || line.trimStart().startsWith('#')) continue;
    const indent = line.length - line.trimStart().length;
    if (indent === 0) {
      if (!line.endsWith(':')) {
        problems.push(`line ${n + 1}: expected a package key`);
        cur = undefined;
        continue;
      }
      if (entries.length >= MAX_ENTRIES) {
        problems.push(`more than ${MAX_ENTRIES} entries: the rest is not read`);
        break;
      }
      cur = { specs: line.slice(0, -1).split(',').map(unquote).filter(Boolean), deps: [] };
      entries.push(cur);
      inDeps = false;
      continue;
    }
    if (!cur) continue;
    const body = line.trim();
    if (indent === 2) {
      inDeps = body === 'dependencies:' || body === 'optionalDependencies:';
      const m = /^"?version"?\s+(.+)$/.exec(body);
      if (m) cur.version = unquote(m[1]!);
    } else if (indent >= 4 && inDeps) {
      // `name "range"`, the name quoted when scoped
      const m = /^("[^"]+"|\S+)\s+(.+)$/.exec(body);
      if (m) cur.deps.push([unquote(m[1]!), unquote(m[2]!)]);
    }
  }
  return { entries, problems };
}

function parseClassic(text: string): LangParseResult {
  const { entries, problems } = readClassic(text);
  const bySpec = new Map<string, string>();
  const resolved: { entry: ClassicEntry; name: string; version: string }[] = [];
  for (const entry of entries) {
    const first = entry.specs[0] && splitSpec(entry.specs[0]);
    if (!first) {
      problems.push(`entry ${JSON.stringify(entry.specs.join(', ').slice(0, 200))} has no name`);
      continue;
    }
    if (LOCAL_RANGE.test(first.range)) continue;
    // `alias@npm:real@^1`: the package installed is `real`
    const alias = first.range.startsWith('npm:') ? splitSpec(first.range.slice(4)) : undefined;
    const name = alias?.name ?? first.name;
    if (!entry.version || !isValidNpmName(name)) {
      problems.push(`entry ${JSON.stringify(entry.specs[0]!.slice(0, 200))} has no usable name or version`);
      continue;
    }
    const purl = npmPurl(name, entry.version);
    for (const s of entry.specs) bySpec.set(s, purl);
    resolved.push({ entry, name, version: entry.version });
  }
  const packages: LangPackage[] = resolved.map(({ entry, name, version }) => {
    const deps = entry.deps.map(([n, r]) => bySpec.get(`${n}@${r}`)).filter((x): x is string => !!x);
    return {
      name,
      version,
      purl: npmPurl(name, version),
      ...(deps.length ? { dependsOn: [...new Set(deps)].sort() } : {}),
    };
  });
  return { packages: finishPackages(packages), problems };
}

function parseBerry(doc: Record<string, unknown>): LangParseResult {
  const problems: string[] = cappedProblems();
  const bySpec = new Map<string, string>();
  const found: { name: string; version: string; purl: string; deps: Record<string, unknown> }[] = [];
  for (const [key, raw] of Object.entries(doc)) {
    if (key === '__metadata') continue;
    if (!isRecord(raw)) {
      problems.push(`entry ${JSON.stringify(key.slice(0, 200))} is not a mapping`);
      continue;
    }
    const resolution = typeof raw.resolution === 'string' ? splitSpec(raw.resolution) : undefined;
    if (!resolution) {
      problems.push(`entry ${JSON.stringify(key.slice(0, 200))} has no resolution`);
      continue;
    }
    if (!resolution.range.startsWith('npm:')) continue; // workspace:, patch:, git, file, link ...
    const version = typeof raw.version === 'string' ? raw.version : String(raw.version ?? '');
    if (!version || !isValidNpmName(resolution.name)) {
      problems.push(`entry ${JSON.stringify(key.slice(0, 200))} has no usable name or version`);
      continue;
    }
    const purl = npmPurl(resolution.name, version);
    for (const s of key.split(',')) bySpec.set(s.trim(), purl);
    const deps = {
      ...(isRecord(raw.dependencies) ? raw.dependencies : {}),
      ...(isRecord(raw.optionalDependencies) ? raw.optionalDependencies : {}),
    };
    found.push({ name: resolution.name, version, purl, deps });
  }
  const packages: LangPackage[] = found.map(({ name, version, purl, deps }) => {
    const out = new Set<string>();
    for (const [n, r] of Object.entries(deps)) {
      const range = String(r);
      const hit = bySpec.get(`${n}@${range}`) ?? bySpec.get(`${n}@npm:${range}`);
      if (hit) out.add(hit);
    }
    return { name, version, purl, ...(out.size ? { dependsOn: [...out].sort() } : {}) };
  });
  return { packages: finishPackages(packages), problems };
}

/** True when the text is a berry (YAML) lockfile rather than a classic one. */
export function isBerryLock(text: string): boolean {
  return /^__metadata:/m.test(text);
}

export function parseYarnLock(input: string): LangParseResult {
  const text = stripBom(input);
  if (!isBerryLock(text)) return parseClassic(text);
  const problems: string[] = cappedProblems();
  const doc = readYaml(text, problems);
  if (problems.length) return { packages: [], problems };
  if (!isRecord(doc)) return { packages: [], problems: ['not a yarn lockfile'] };
  return parseBerry(doc);
}
