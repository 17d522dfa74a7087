import { compareGoVersions, parseGoVersion } from './version.js';

const MAX_LINES = 200_000;

/**
 * go.sum: `path version[/go.mod] hash` lines. A go.sum holds a line for every module version whose
 * go.mod the go command read while resolving, so the highest version per path is the one minimal
 * version selection picks in an unpruned (go < 1.17) graph. Returns path -> that version.
 */
export function parseGoSum(text: string): { modules: Map<string, string>; problems: string[] } {
  const modules = new Map<string, string>();
  const problems: string[] = [];
  const lines = text.split('\n');
  if (lines.length > MAX_LINES) {
    problems.push(`go.sum has ${lines.length} lines, read the first ${MAX_LINES}`);
    lines.length = MAX_LINES;
  }
  let bad = 0;
  for (const raw of lines) {
    const f = raw.trim().split(/\s+/);
    if (f.length < 2 || !f[0]) {
      if (raw.trim()) bad++;
      continue;
    }
    const version = f[1]!.endsWith('/go.mod') ? f[1]!.slice(0, -'/go.mod'.length) : f[1]!;
    const v = parseGoVersion(version);
    if (!v) {
      bad++;
      continue;
    }
    const old = modules.get(f[0]);
    const ov = old === undefined ? undefined : parseGoVersion(old);
    if (!ov || compareGoVersions(v, ov) > 0) modules.set(f[0], version);
  }
  if (bad) problems.push(`${bad} go.sum line(s) not understood`);
  return { modules, problems };
}

/** go.mod files older than go 1.17 (or without a `go` line, which means 1.16) list direct requirements only. */
export function goModListsDirectOnly(goVersion: string | undefined): boolean {
  if (!goVersion) return true;
  const m = /^1\.(\d+)/.exec(goVersion);
  return m !== null && Number(m[1]) < 17;
}
