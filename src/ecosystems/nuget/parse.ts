/**
 * .NET dependency metadata: `*.deps.json` beside a built application (its packages, projects and
 * bundled runtime packs, as the host loads them) and NuGet's
 * `packages.lock.json` (per target framework; `Project` entries are local projects).
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

const NAME = /^[A-Za-z0-9_][A-Za-z0-9_.-]*$/;
const VERSION = /^[0-9][0-9A-Za-z.+-]*$/;

export function nugetPurl(name: string, version: string): string {
  return new PackageURL('nuget', undefined, name, version, undefined, undefined).toString();
}

function readJsonObject(text: string, problems: string[]): Record<string, unknown> | undefined {
  try {
    const v: unknown = JSON.parse(stripBom(text));
    if (isRecord(v)) return v;
    problems.push('not a JSON object');
  } catch (e) {
    problems.push(`invalid JSON: ${(e as Error).message}`);
  }
  return undefined;
}

/** `Name/1.2.3` -> name and version. */
function splitId(id: string): { name: string; version: string } | undefined {
  const slash = id.lastIndexOf('/');
  if (slash <= 0) return undefined;
  const name = id.slice(0, slash);
  const version = id.slice(slash + 1);
  return NAME.test(name) && VERSION.test(version) ? { name, version } : undefined;
}

/** Asset groups through which the .NET host loads files of a library (runtime, native, satellite). */
const ASSET_KEYS = ['runtime', 'native', 'runtimeTargets', 'resources'] as const;

/**
 * A built application's `*.deps.json`, read as the .NET host reads it: the target named by
 * `runtimeTarget` says which files each library contributes. Listed: `package` libraries,
 * `project` libraries (the application's own assemblies, marked `metadata.source: 'project'`) and
 * `runtimepack` libraries (the runtime a self-contained app bundles, by the pack's NuGet id
 * without the `runtimepack.` prefix, marked `'runtimepack'`). Left out: a library whose entry in the
 * runtime target lists no runtime, native, runtimeTargets or resources assets (reference and meta
 * packages such as `NETStandard.Library`): it puts no file in the application. When the runtime
 * target is missing, every library is listed.
 */
export function parseDepsJson(input: string): LangParseResult {
  const problems: string[] = cappedProblems();
  const doc = readJsonObject(input, problems);
  if (!doc) return { packages: [], problems };
  if (!isRecord(doc.libraries)) return { packages: [], problems: ['no `libraries`: not a deps.json'] };
  const targets = isRecord(doc.targets) ? doc.targets : {};
  const runtimeName = isRecord(doc.runtimeTarget) ? doc.runtimeTarget.name : undefined;
  const runtime =
    typeof runtimeName === 'string' && isRecord(targets[runtimeName]) ? targets[runtimeName] : undefined;
  const packages = new Map<string, LangPackage>(); // by the library id lowercased (`name/version`)
  for (const [id, raw] of Object.entries(doc.libraries)) {
    if (!isRecord(raw)) continue;
    const type = raw.type;
    if (type !== 'package' && type !== 'project' && type !== 'runtimepack') continue;
    const nv = splitId(type === 'runtimepack' ? id.replace(/^runtimepack\./, '') : id);
    if (!nv) {
      problems.push(`library ${JSON.stringify(id.slice(0, 100))} has no usable name/version`);
      continue;
    }
    if (runtime) {
      const entry = runtime[id];
      if (isRecord(entry) && !ASSET_KEYS.some((k) => isRecord(entry[k]) && Object.keys(entry[k]).length > 0))
        continue;
    }
    packages.set(id.toLowerCase(), {
      ...nv,
      purl: nugetPurl(nv.name, nv.version),
      ...(type === 'package' ? {} : { metadata: { source: type } }),
    });
  }
  // the graph: every target framework lists `Name/version: {dependencies: {Dep: version}}`
  for (const target of Object.values(targets)) {
    if (!isRecord(target)) continue;
    for (const [id, raw] of Object.entries(target)) {
      const p = packages.get(id.toLowerCase());
      if (!p || !isRecord(raw) || !isRecord(raw.dependencies)) continue;
      const deps = Object.entries(raw.dependencies).flatMap(([n, v]) => {
        const hit = packages.get(`${n}/${String(v)}`.toLowerCase());
        return hit ? [hit.purl] : [];
      });
      if (deps.length) p.dependsOn = [...new Set([...(p.dependsOn ?? []), ...deps])].sort();
    }
  }
  return { packages: finishPackages([...packages.values()]), problems };
}

export function parsePackagesLockJson(input: string): LangParseResult {
  const problems: string[] = cappedProblems();
  const doc = readJsonObject(input, problems);
  if (!doc) return { packages: [], problems };
  if (!isRecord(doc.dependencies))
    return { packages: [], problems: ['no `dependencies`: not a packages.lock.json'] };
  const out: LangPackage[] = [];
  for (const [framework, deps] of Object.entries(doc.dependencies)) {
    if (!isRecord(deps)) {
      problems.push(`framework ${JSON.stringify(framework.slice(0, 100))} is not an object`);
      continue;
    }
    // NuGet ids are case-insensitive: a dependency may spell its target differently
    const published = new Map<string, string>();
    for (const [name, raw] of Object.entries(deps))
      if (isRecord(raw) && raw.type !== 'Project' && typeof raw.resolved === 'string' && NAME.test(name))
        published.set(name.toLowerCase(), nugetPurl(name, raw.resolved));
    for (const [name, raw] of Object.entries(deps)) {
      if (!isRecord(raw) || raw.type === 'Project') continue;
      const version = typeof raw.resolved === 'string' ? raw.resolved : '';
      if (!NAME.test(name) || !VERSION.test(version)) {
        problems.push(`dependency ${JSON.stringify(name.slice(0, 100))} has no usable resolved version`);
        continue;
      }
      const dependsOn = isRecord(raw.dependencies)
        ? Object.keys(raw.dependencies).flatMap((d) => published.get(d.toLowerCase()) ?? [])
        : [];
      out.push({
        name,
        version,
        purl: nugetPurl(name, version),
        ...(raw.type === 'Direct' ? { metadata: { direct: true } } : {}),
        ...(dependsOn.length ? { dependsOn: [...new Set(dependsOn)].sort() } : {}),
      });
    }
  }
  return { packages: finishPackages(out), problems };
}
