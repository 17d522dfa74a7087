import { PackageURL } from 'packageurl-js';
import type { Package } from '../../core/types.js';

/** A Go module found in a binary's build info or a go.mod file. */
export interface GoModule {
  path: string;
  version: string;
  /** the main module of a binary or go.mod */
  main?: boolean;
  /** go.mod `// indirect` */
  indirect?: boolean;
  /** `path@version` this module replaced (a `=>` to another module) */
  replaces?: string;
  /** a local directory (`=> ../x`) the module was replaced with: its code is not the published one */
  localReplacement?: string;
}

export interface GoBuildInfo {
  /** `go1.22.1` as the toolchain writes it */
  goVersion: string;
  /** the `path` line: the main package's import path */
  path?: string;
  main?: GoModule;
  deps: GoModule[];
  /** `build` key=value settings (GOOS, GOARCH, vcs.revision, ...) */
  settings: Record<string, string>;
  problems: string[];
}

const MAX_LINES = 100_000;

/** `go1.22.1` -> `1.22.1` (OSV's stdlib versions); `go1.21rc2 X:foo` -> `1.21rc2`. */
export function stdlibVersion(goVersion: string): string | undefined {
  const first = goVersion.trim().split(/\s+/, 1)[0] ?? '';
  if (!first.startsWith('go') || first.length < 3) return undefined;
  return first.slice(2);
}

/** `pkg:golang/github.com/foo/bar@v1.2.3`: the namespace is everything before the last `/`. */
export function goPurl(path: string, version: string): string {
  const slash = path.lastIndexOf('/');
  const ns = slash > 0 ? path.slice(0, slash) : undefined;
  const name = slash > 0 ? path.slice(slash + 1) : path;
  return new PackageURL('golang', ns, name, version || undefined, undefined, undefined).toString();
}

function isLocalPath(p: string): boolean {
  return p.startsWith('./') || p.startsWith('../') || p.startsWith('/') || p === '.' || p === '..';
}

/** Applies a replacement the way the module graph sees it. */
function replaced(mod: GoModule, newPath: string, newVersion: string): GoModule {
  if (isLocalPath(newPath) || !newVersion) return { ...mod, localReplacement: newPath };
  return { ...mod, path: newPath, version: newVersion, replaces: `${mod.path}@${mod.version}` };
}

/**
 * Parses the modinfo text of a Go binary (what `go version -m` prints): `path`, `mod`, `dep`,
 * `=>` replacements of the line before, `build` settings. Unknown lines are reported, not fatal.
 */
export function parseGoModinfo(goVersion: string, modinfo: string): GoBuildInfo {
  const out: GoBuildInfo = { goVersion, deps: [], settings: {}, problems: [] };
  const lines = modinfo.split('\n');
  if (lines.length > MAX_LINES) {
    out.problems.push(`build info has ${lines.length} lines, read the first ${MAX_LINES}`);
    lines.length = MAX_LINES;
  }
  let last: 'main' | 'dep' | undefined;
  for (const [i, line] of lines.entries()) {
    if (line === '') continue;
    const f = line.split('\t');
    const kind = f[0];
    if (kind === 'go') continue;
    if (kind === 'path') {
      out.path = f[1] ?? '';
      continue;
    }
    if (kind === 'build') {
      const kv = f.slice(1).join('\t');
      const eq = kv.indexOf('=');
      if (eq > 0) out.settings[kv.slice(0, eq)] = kv.slice(eq + 1);
      continue;
    }
    if ((kind === 'mod' || kind === 'dep') && f[1]) {
      const mod: GoModule = { path: f[1], version: f[2] ?? '' };
      if (kind === 'mod') {
        out.main = { ...mod, main: true };
        last = 'main';
      } else {
        out.deps.push(mod);
        last = 'dep';
      }
      continue;
    }
    if (kind === '=>' && f[1] && last) {
      if (last === 'main' && out.main) out.main = replaced(out.main, f[1], f[2] ?? '');
      else if (last === 'dep') out.deps[out.deps.length - 1] = replaced(out.deps.at(-1)!, f[1], f[2] ?? '');
      last = undefined;
      continue;
    }
    out.problems.push(`build info line ${i + 1} not understood`);
  }
  return out;
}

export interface GoModFile {
  module?: string;
  goVersion?: string;
  requires: GoModule[];
  problems: string[];
}

function stripComment(line: string): { text: string; comment: string } {
  const i = line.indexOf('//');
  return i < 0
    ? { text: line.trim(), comment: '' }
    : { text: line.slice(0, i).trim(), comment: line.slice(i + 2).trim() };
}

/** go.mod tokens: plain words or "quoted"/`raw` strings (module paths may be quoted). */
function tokens(text: string): string[] {
  const out: string[] = [];
  let i = 0;
  while (i < text.length) {
    const c = text[i]!;
    if (c === ' ' || c === '\t') {
      i++;
      continue;
    }
    if (c === '"' || c === '`') {
      const end = text.indexOf(c, i + 1);
      const stop = end < 0 ? text.length : end;
      out.push(text.slice(i + 1, stop));
      i = stop + 1;
      continue;
    }
    let j = i;
    while (j < text.length && text[j] !== ' ' && text[j] !== '\t') j++;
    out.push(text.slice(i, j));
    i = j;
  }
  return out;
}

/**
 * Parses go.mod: `module`, `go`, `require`, `replace` and `exclude` (single lines and blocks).
 * Requirements are returned with replacements applied; excluded versions are dropped.
 */
export function parseGoMod(text: string): GoModFile {
  const out: GoModFile = { requires: [], problems: [] };
  const requires: GoModule[] = [];
  const replaces: { from: string; fromVersion?: string; to: string; toVersion: string }[] = [];
  const excludes = new Set<string>();
  let block: string | undefined;
  const lines = text.split('\n');
  if (lines.length > MAX_LINES) {
    out.problems.push(`go.mod has ${lines.length} lines, read the first ${MAX_LINES}`);
    lines.length = MAX_LINES;
  }
  const directive = (verb: string, args: string[], comment: string, lineNo: number): void => {
    switch (verb) {
      case 'module':
        if (args[0]) out.module = args[0];
        return;
      case 'go':
        if (args[0]) out.goVersion = args[0];
        return;
      case 'require':
        if (args.length >= 2) {
          const indirect = /(^|;)\s*indirect\s*(;|$)/.test(comment);
          requires.push({ path: args[0]!, version: args[1]!, ...(indirect ? { indirect } : {}) });
        } else out.problems.push(`go.mod line ${lineNo}: require needs a path and a version`);
        return;
      case 'exclude':
        if (args.length >= 2) excludes.add(`${args[0]}@${args[1]}`);
        else out.problems.push(`go.mod line ${lineNo}: exclude needs a path and a version`);
        return;
      case 'replace': {
        const arrow = args.indexOf('=>');
        if (arrow < 1 || arrow > 2 || !args[arrow + 1]) {
          out.problems.push(`go.mod line ${lineNo}: replace needs "old [version] => new [version]"`);
          return;
        }
        replaces.push({
          from: args[0]!,
          ...(arrow === 2 ? { fromVersion: args[1]! } : {}),
          to: args[arrow + 1]!,
          toVersion: args[arrow + 2] ?? '',
        });
        return;
      }
      default:
        return; // toolchain, retract, godebug, tool: nothing to inventory
    }
  };
  for (const [i, raw] of lines.entries()) {
    const { text: t, comment } = stripComment(raw);
    if (block) {
      if (t === ')') {
        block = undefined;
        continue;
      }
      if (t) directive(block, tokens(t), comment, i + 1);
      continue;
    }
    if (!t) continue;
    const words = tokens(t);
    const verb = words[0]!;
    if (words[1] === '(' && words.length === 2) {
      block = verb;
      continue;
    }
    directive(verb, words.slice(1), comment, i + 1);
  }
  if (block) out.problems.push(`go.mod: unterminated ${block} block`);
  for (const req of requires) {
    if (excludes.has(`${req.path}@${req.version}`)) continue;
    const rep =
      replaces.find((r) => r.from === req.path && r.fromVersion === req.version) ??
      replaces.find((r) => r.from === req.path && r.fromVersion === undefined);
    out.requires.push(rep ? replaced(req, rep.to, rep.toVersion) : req);
  }
  return out;
}

/** The inventory package of a module found in `location`. */
export function goModulePackage(m: GoModule, location: string): Omit<Package, 'layer'> {
  const metadata: Record<string, string | boolean> = {};
  if (m.main) metadata.mainModule = true;
  if (m.indirect) metadata.indirect = true;
  if (m.replaces) metadata.replaces = m.replaces;
  if (m.localReplacement) metadata.localReplacement = m.localReplacement;
  return {
    name: m.path,
    version: m.version,
    ecosystem: 'Go',
    type: 'lang',
    purl: goPurl(m.path, m.version),
    location,
    ...(Object.keys(metadata).length ? { metadata } : {}),
  };
}
