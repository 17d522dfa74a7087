/**
 * A crate's `Cargo.toml` as the root of its `Cargo.lock` graph. `[dependencies]` and
 * `[build-dependencies]` are production (a release build compiles and runs build scripts, so their
 * code reaches the build machine and, through generated code, the binary); `[dev-dependencies]`
 * serve only tests, examples and benches. Target-specific tables (`[target.'cfg(..)'.*]`) count the
 * same way.
 */
import { isRecord, stripBom, type ManifestDep, type ManifestRoots } from '../lang-types.js';
import { readToml, str } from '../lang-toml.js';

const MAX_DEPS = 10_000;

function depsOf(table: unknown): ManifestDep[] {
  if (!isRecord(table)) return [];
  const out: ManifestDep[] = [];
  for (const [key, raw] of Object.entries(table).slice(0, MAX_DEPS)) {
    if (typeof raw === 'string') {
      out.push({ name: key, req: raw });
      continue;
    }
    if (!isRecord(raw)) continue;
    // `alias = { package = "real", ... }`: the lockfile holds `real`
    const name = str(raw.package) ?? key;
    const path = str(raw.path);
    out.push({ name, req: str(raw.version) ?? '', ...(path ? { path } : {}) });
  }
  return out;
}

function strings(v: unknown): string[] {
  return Array.isArray(v) ? v.filter((g): g is string => typeof g === 'string').slice(0, 1000) : [];
}

/** undefined when the text is not TOML (a broken manifest concludes nothing). */
export function readCargoManifest(text: string): ManifestRoots | undefined {
  const doc = readToml(stripBom(text), []);
  if (!doc) return undefined;
  const tables: Record<string, unknown>[] = [doc];
  if (isRecord(doc.target))
    for (const t of Object.values(doc.target).slice(0, 1000)) if (isRecord(t)) tables.push(t);
  const prod: ManifestDep[] = [];
  const dev: ManifestDep[] = [];
  for (const t of tables) {
    prod.push(
      ...depsOf(t.dependencies),
      ...depsOf(t['build-dependencies']),
      ...depsOf(t['build_dependencies']),
    );
    dev.push(...depsOf(t['dev-dependencies']), ...depsOf(t['dev_dependencies']));
  }
  const pkg = isRecord(doc.package) ? doc.package : undefined;
  const ws = isRecord(doc.workspace) ? doc.workspace : undefined;
  const name = str(pkg?.name);
  return {
    ...(name ? { name } : {}),
    prod,
    dev,
    workspaces: strings(ws?.members),
    excluded: strings(ws?.exclude),
    complete: true,
  };
}
