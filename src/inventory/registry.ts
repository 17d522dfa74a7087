import type { Analyzer, AnalyzerTarget } from './types.js';

/**
 * Every analyzer, sorted by id (= file name under ./analyzers). Factories load lazily so a command
 * that needs no inventory never loads the rpm readers (and better-sqlite3). A contract test checks
 * this list against the files in ./analyzers.
 */
export const ANALYZERS: Record<string, () => Promise<Analyzer>> = {
  apk: async () => (await import('./analyzers/apk.js')).apkAnalyzer,
  'cargo-auditable': async () => (await import('./analyzers/cargo-auditable.js')).cargoAuditableAnalyzer,
  'cargo-lock': async () => (await import('./analyzers/cargo-lock.js')).cargoLockAnalyzer,
  composer: async () => (await import('./analyzers/composer.js')).composerAnalyzer,
  'composer-lock': async () => (await import('./analyzers/composer-lock.js')).composerLockAnalyzer,
  'dotnet-deps': async () => (await import('./analyzers/dotnet-deps.js')).dotnetDepsAnalyzer,
  dpkg: async () => (await import('./analyzers/dpkg.js')).dpkgAnalyzer,
  gem: async () => (await import('./analyzers/gem.js')).gemAnalyzer,
  'gem-lock': async () => (await import('./analyzers/gem-lock.js')).gemLockAnalyzer,
  'go-binary': async () => (await import('./analyzers/go-binary.js')).goBinaryAnalyzer,
  'go-mod': async () => (await import('./analyzers/go-mod.js')).goModAnalyzer,
  'go-sum': async () => (await import('./analyzers/go-sum.js')).goSumAnalyzer,
  'image-hygiene': async () => (await import('./analyzers/image-hygiene.js')).imageHygieneAnalyzer,
  java: async () => (await import('./analyzers/java.js')).javaAnalyzer,
  manifest: async () => (await import('./analyzers/manifest.js')).manifestAnalyzer,
  npm: async () => (await import('./analyzers/npm.js')).npmAnalyzer,
  'npm-lock': async () => (await import('./analyzers/npm-lock.js')).npmLockAnalyzer,
  'nuget-lock': async () => (await import('./analyzers/nuget-lock.js')).nugetLockAnalyzer,
  'os-release': async () => (await import('./analyzers/os-release.js')).osReleaseAnalyzer,
  pnpm: async () => (await import('./analyzers/pnpm.js')).pnpmAnalyzer,
  python: async () => (await import('./analyzers/python.js')).pythonAnalyzer,
  'python-lock': async () => (await import('./analyzers/python-lock.js')).pythonLockAnalyzer,
  rpm: async () => (await import('./analyzers/rpm.js')).rpmAnalyzer,
  secrets: async () => (await import('./analyzers/secrets.js')).secretsAnalyzer,
  yarn: async () => (await import('./analyzers/yarn.js')).yarnAnalyzer,
};

/**
 * Loads the analyzers named (all when omitted, except opt-in ones, which load only when named), in
 * registry order; with `target`, only those that run for that kind of scan.
 */
export async function defaultAnalyzers(
  ids?: readonly string[],
  target?: AnalyzerTarget,
): Promise<Analyzer[]> {
  const wanted = ids ?? Object.keys(ANALYZERS);
  const out: Analyzer[] = [];
  for (const id of Object.keys(ANALYZERS)) {
    if (!wanted.includes(id)) continue;
    const a = await ANALYZERS[id]!();
    if (a.optIn && !ids?.includes(id)) continue;
    if (target && a.targets && !a.targets.includes(target)) continue;
    out.push(a);
  }
  return out;
}
