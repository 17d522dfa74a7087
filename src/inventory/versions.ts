import type { AnalyzerTarget } from './types.js';

/** What the layer cache key and the analyzer selection need to know of an analyzer, without loading it. */
export interface AnalyzerInfo {
  version: number;
  optIn?: true;
  targets?: readonly AnalyzerTarget[];
}

/**
 * Every analyzer's `version`, `optIn` and `targets`, by id, kept by hand beside the modules
 * (test/inventory/analyzer-versions.test.ts fails when one differs from its module). A rescan
 * whose layers are all cached computes its cache keys from this table and never loads an
 * analyzer module: bump the version here and in the module together.
 */
export const ANALYZER_INFO: Readonly<Record<string, AnalyzerInfo>> = {
  apk: { version: 1 },
  'cargo-auditable': { version: 2 },
  'cargo-lock': { version: 2, targets: ['fs'] },
  composer: { version: 1 },
  'composer-lock': { version: 1, targets: ['fs'] },
  'dotnet-deps': { version: 2 },
  dpkg: { version: 1 },
  gem: { version: 1 },
  'gem-lock': { version: 2, targets: ['fs'] },
  'go-binary': { version: 2 },
  'go-mod': { version: 2, targets: ['fs'] },
  'go-sum': { version: 1, targets: ['fs'] },
  'image-hygiene': { version: 1, targets: ['image', 'rootfs'] },
  java: { version: 2 },
  manifest: { version: 2, targets: ['fs'] },
  npm: { version: 1 },
  'npm-lock': { version: 3, targets: ['fs'] },
  'nuget-lock': { version: 1, targets: ['fs'] },
  'os-release': { version: 1 },
  pnpm: { version: 2, targets: ['fs'] },
  python: { version: 1 },
  'python-lock': { version: 2, targets: ['fs'] },
  rpm: { version: 1 },
  secrets: { version: 2, optIn: true },
  yarn: { version: 2, targets: ['fs'] },
};

/**
 * The ids and versions `defaultAnalyzers(ids, target)` would load, in the same order, from the
 * table alone: opt-in analyzers only when named, and only those that run for `target`.
 */
export function analyzerVersions(
  ids?: readonly string[],
  target?: AnalyzerTarget,
): { id: string; version: number }[] {
  const wanted = ids ?? Object.keys(ANALYZER_INFO);
  const out: { id: string; version: number }[] = [];
  for (const [id, info] of Object.entries(ANALYZER_INFO)) {
    if (!wanted.includes(id)) continue;
    if (info.optIn && !ids?.includes(id)) continue;
    if (target && info.targets && !info.targets.includes(target)) continue;
    out.push({ id, version: info.version });
  }
  return out;
}
