import { npmPurl, parsePackageLock } from '../../ecosystems/npm/index.js';
import { isRecord, type LangParseResult } from '../../ecosystems/lang-types.js';
import { hasBaseName, inDependencyFolder, MAX_LOCKFILE_BYTES, runLangParser } from '../lang-output.js';
import type { Analyzer, AnalyzerFile, AnalyzerOutput } from '../types.js';

/**
 * Peer dependencies per install path (lockfile v2/v3): npm 7+ installs them, so they are edges of
 * the graph `npm ls` prints. The shared lockfile parser leaves them out; they are read here.
 */
function peerDependencies(text: string): Map<string, string[]> {
  const out = new Map<string, string[]>();
  let doc: unknown;
  try {
    doc = JSON.parse(text.charCodeAt(0) === 0xfeff ? text.slice(1) : text);
  } catch {
    return out; // the main parser reports it
  }
  const packages = isRecord(doc) && isRecord(doc.packages) ? doc.packages : {};
  for (const [key, entry] of Object.entries(packages))
    if (isRecord(entry) && isRecord(entry.peerDependencies))
      out.set(key, Object.keys(entry.peerDependencies));
  return out;
}

/** The npm lockfile parser's result with purls and the graph resolved as npm resolves requires. */
export function packageLockPackages(text: string): LangParseResult {
  const parsed = parsePackageLock(text);
  const peers = peerDependencies(text);
  const byPath = new Map(parsed.packages.map((p) => [p.path, p]));
  // node resolution: a dependency is the nearest node_modules/<name> up the tree from the dependent
  const resolve = (from: string, name: string): string | undefined => {
    let base = from;
    for (;;) {
      const hit = byPath.get(`${base ? `${base}/` : ''}node_modules/${name}`);
      if (hit) return npmPurl(hit.name, hit.version);
      if (!base) return undefined;
      const i = base.lastIndexOf('/node_modules/');
      base = i < 0 ? '' : base.slice(0, i);
    }
  };
  const packages = parsed.packages.map((p) => {
    const names = [...p.dependencies, ...(peers.get(p.path) ?? [])];
    const deps = [...new Set(names.map((d) => resolve(p.path, d)).filter((x): x is string => !!x))].sort();
    return {
      name: p.name,
      version: p.version,
      purl: npmPurl(p.name, p.version),
      ...(p.dev ? { dev: true } : {}),
      ...(p.local ? { metadata: { source: 'local' } } : p.git ? { metadata: { source: 'git' } } : {}),
      ...(p.license ? { licenses: [p.license] } : {}),
      ...(deps.length ? { dependsOn: deps } : {}),
    };
  });
  return { packages, problems: parsed.problems };
}

/** `package-lock.json` and `npm-shrinkwrap.json` of a project folder (v1, v2, v3). */
export const npmLockAnalyzer: Analyzer = {
  id: 'npm-lock',
  // 3: workspace members and `file:` dependencies are listed (as npm ls lists them), v1 aliases by their real name
  version: 3,
  kind: 'lang',
  targets: ['fs'],
  required(path: string, size: number): boolean {
    return (
      size <= MAX_LOCKFILE_BYTES &&
      (hasBaseName(path, 'package-lock.json') || hasBaseName(path, 'npm-shrinkwrap.json')) &&
      !inDependencyFolder(path)
    );
  },
  analyze(file: AnalyzerFile): AnalyzerOutput {
    return runLangParser(file, 'npm', 'NPM_MALFORMED', packageLockPackages);
  },
};

export default npmLockAnalyzer;
