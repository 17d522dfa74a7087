/**
 * A project's own `package.json` as the root of its lockfile's graph: which direct dependencies a
 * production install keeps (`dependencies`, `optionalDependencies`, `peerDependencies`) and which
 * only development needs (`devDependencies`), plus its workspaces.
 */
import { isRecord, stripBom, type ManifestDep, type ManifestRoots } from '../lang-types.js';
import { splitSpec } from './yarn.js';

const LOCAL = /^(?:file|link|portal):(.*)$/;
const MAX_DEPS = 10_000;

/**
 * `npm:real@range` (an alias: the lockfile holds `real`), `npm:real` (any version) or yarn berry's
 * `npm:^1.2.0` (the key's own package, range spelled with the protocol).
 */
function npmProtocol(key: string, rest: string): ManifestDep {
  if (!/^@?[a-z0-9]/i.test(rest) || /^[0-9]/.test(rest)) return { name: key, req: rest };
  const real = splitSpec(rest);
  return real ? { name: real.name, req: real.range } : { name: rest, req: '' };
}

function depsOf(table: unknown): ManifestDep[] {
  if (!isRecord(table)) return [];
  const out: ManifestDep[] = [];
  for (const [key, raw] of Object.entries(table).slice(0, MAX_DEPS)) {
    const spec = typeof raw === 'string' ? raw.trim() : '';
    const local = LOCAL.exec(spec);
    if (local) out.push({ name: key, req: '', path: local[1]! });
    else if (spec.startsWith('workspace:')) out.push({ name: key, req: '', workspace: true });
    else if (spec.startsWith('npm:')) out.push(npmProtocol(key, spec.slice(4)));
    else out.push({ name: key, req: spec });
  }
  return out;
}

function globs(v: unknown): string[] {
  const list = isRecord(v) ? v.packages : v;
  return Array.isArray(list) ? list.filter((g): g is string => typeof g === 'string').slice(0, 1000) : [];
}

/** undefined when the text is not a JSON object (a broken manifest concludes nothing). */
export function readPackageManifest(text: string): ManifestRoots | undefined {
  let doc: unknown;
  try {
    doc = JSON.parse(stripBom(text));
  } catch {
    return undefined;
  }
  if (!isRecord(doc)) return undefined;
  const prod = [
    ...depsOf(doc.dependencies),
    ...depsOf(doc.optionalDependencies),
    ...depsOf(doc.peerDependencies),
  ];
  // npm and yarn install a name listed both ways as a production dependency
  const prodNames = new Set(Object.keys(isRecord(doc.dependencies) ? doc.dependencies : {}));
  for (const k of Object.keys(isRecord(doc.optionalDependencies) ? doc.optionalDependencies : {}))
    prodNames.add(k);
  const devTable = isRecord(doc.devDependencies) ? doc.devDependencies : {};
  const dev = depsOf(Object.fromEntries(Object.entries(devTable).filter(([k]) => !prodNames.has(k))));
  const all = globs(doc.workspaces);
  return {
    ...(typeof doc.name === 'string' ? { name: doc.name } : {}),
    prod,
    dev,
    workspaces: all.filter((g) => !g.startsWith('!')),
    excluded: all.filter((g) => g.startsWith('!')).map((g) => g.slice(1)),
    complete: true,
  };
}
