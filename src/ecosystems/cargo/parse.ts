/**
 * `Cargo.lock`, format versions 1 to 4: `[[package]]` tables. Packages without `source` are the
 * workspace's own crates (the root package, members and path dependencies): `cargo metadata` lists
 * them beside the published ones, so they are listed too, marked `metadata.source: 'path'` so that
 * nobody mistakes them for the crates.io crate of the same name.
 */
import { PackageURL } from 'packageurl-js';
import {
  finishPackages,
  stripBom,
  type LangPackage,
  type LangParseResult,
  cappedProblems,
} from '../lang-types.js';
import { packageTables, readToml, str } from '../lang-toml.js';

const NAME = /^[A-Za-z0-9_-]{1,64}$/;
const VERSION = /^[0-9]+\.[0-9]+\.[0-9]+[0-9A-Za-z.+-]*$/;

export function cargoPurl(name: string, version: string): string {
  return new PackageURL('cargo', undefined, name, version, undefined, undefined).toString();
}

export function parseCargoLock(input: string): LangParseResult {
  const problems: string[] = cappedProblems();
  const doc = readToml(stripBom(input), problems);
  if (!doc) return { packages: [], problems };
  const found: { p: LangPackage; deps: string[] }[] = [];
  const all: { name: string; version: string; purl?: string }[] = [];
  for (const t of packageTables(doc, problems)) {
    const name = str(t.name);
    const version = str(t.version);
    if (!name || !version || !NAME.test(name) || !VERSION.test(version)) {
      problems.push(
        `package ${JSON.stringify(String(name ?? '').slice(0, 100))} has no usable name or version`,
      );
      continue;
    }
    const source = str(t.source);
    const p: LangPackage = {
      name,
      version,
      purl: cargoPurl(name, version),
      ...(!source
        ? { metadata: { source: 'path' } }
        : source.startsWith('git+')
          ? { metadata: { source: 'git' } }
          : {}),
    };
    all.push({ name, version, purl: p.purl });
    found.push({ p, deps: Array.isArray(t.dependencies) ? t.dependencies.map(String) : [] });
  }
  // a dependency is `name`, `name version` or `name version (source)`: the version only when ambiguous
  const byName = new Map<string, typeof all>();
  for (const x of all) {
    const list = byName.get(x.name);
    if (list) list.push(x);
    else byName.set(x.name, [x]);
  }
  for (const { p, deps } of found) {
    const purls = deps.flatMap((d) => {
      const [name, version] = d.split(' ');
      const hits = (byName.get(name ?? '') ?? []).filter((x) => !version || x.version === version);
      return hits.flatMap((h) => (h.purl ? [h.purl] : []));
    });
    if (purls.length) p.dependsOn = [...new Set(purls)].sort();
  }
  return { packages: finishPackages(found.map((f) => f.p)), problems };
}
