/**
 * A conservative static reading of a `Gemfile` (Ruby code, never evaluated): which gems are only
 * in development groups. A gem counts as development when every group it is declared in is
 * `:development` or `:test` (the groups `bundle config set without development:test` leaves out
 * of a production install). `if`/`unless`/`case` blocks are read through: a condition decides
 * whether a gem is declared, never its groups, and a gem the lockfile does not hold is ignored.
 * `gemspec` names the project's own gem (a PATH gem in the lockfile) as a root; its development
 * dependencies are not known here and stay unmarked. Anything else this reading cannot follow
 * (loops, `eval_gemfile`, group names from variables, a gem name that is not a literal) makes the
 * whole reading incomplete, so no gem is marked from it.
 */
import { stripBom, type ManifestDep, type ManifestRoots } from '../lang-types.js';

const DEV_GROUPS = new Set(['development', 'test']);
const MAX_LINES = 100_000;
/** a joined statement longer than this is not a hand-written `gem` line */
const MAX_LINE = 10_000;
/** statements whose effect on the gem list or its groups cannot be read statically */
const DYNAMIC =
  /^(?:while|until|for|begin|def|eval_gemfile|instance_eval|eval|load|require|require_relative)\b/;
/** `key: "literal"` / `:key => :literal` options, or undefined when a value is not a literal. */
function literalOptions(args: string): Record<string, string> | undefined {
  const out: Record<string, string> = {};
  for (const part of args.split(',')) {
    const t = part.trim();
    if (t === '') continue;
    const m = /^(?:([a-z_]\w*):|:([a-z_]\w*)\s*=>)\s*(?:"([^"\\#]*)"|'([^'\\]*)'|:(\w+)|(true|false))$/.exec(
      t,
    );
    if (!m) return undefined;
    out[m[1] ?? m[2]!] = m[3] ?? m[4] ?? m[5] ?? m[6]!;
  }
  return out;
}

/** The line without a trailing comment (a `#` outside string literals). */
function stripComment(line: string): string {
  let quote = '';
  for (let i = 0; i < line.length; i++) {
    const c = line[i];
    if (quote) {
      if (c === '\\') i++;
      else if (c === quote) quote = '';
    } else if (c === '"' || c === "'") quote = c;
    else if (c === '#') return line.slice(0, i);
  }
  return line;
}

/** `:a, "b", :c` (symbols and string literals only), or undefined when anything else appears. */
function groupNames(list: string): string[] | undefined {
  const names: string[] = [];
  for (const part of list.split(',')) {
    const t = part.trim();
    if (t === '') continue;
    const m = /^(?::([A-Za-z_]\w*)|"([\w-]+)"|'([\w-]+)')$/.exec(t);
    if (!m) return undefined;
    names.push(m[1] ?? m[2] ?? m[3]!);
  }
  return names;
}

/** The groups a `gem` call names in its options (`group: :test`, `groups: [..]`, `:group => ..`). */
function optionGroups(args: string): string[] | undefined | null {
  const m =
    /(?:\bgroups?:|:groups?\s*=>)\s*(%[wi]\[[^\]]*\]|\[[^\]]*\]|:[A-Za-z_]\w*|"[\w-]+"|'[\w-]+'|[^,\s]+)/.exec(
      args,
    );
  if (!m) return null;
  const v = m[1]!;
  // %w[a b] / %i[a b]: word lists
  if (/^%[wi]\[/.test(v))
    return groupNames(
      v
        .slice(3, -1)
        .trim()
        .split(/\s+/)
        .map((w) => `:${w}`)
        .join(','),
    );
  return groupNames(v.startsWith('[') ? v.slice(1, -1) : v);
}

interface Block {
  groups?: string[];
}

export function readGemfile(text: string): ManifestRoots {
  const prod: ManifestDep[] = [];
  const dev: ManifestDep[] = [];
  const incomplete: ManifestRoots = { prod: [], dev: [], workspaces: [], excluded: [], complete: false };
  const stack: Block[] = [];
  const raw = stripBom(text).split('\n');
  if (raw.length > MAX_LINES) return incomplete;
  // join continuation lines: a call whose arguments go on after a trailing comma or backslash
  const lines: string[] = [];
  for (const r of raw) {
    const line = stripComment(r.replace(/\r$/, '')).trim();
    const prev = lines[lines.length - 1];
    if (prev !== undefined && (prev.endsWith(',') || prev.endsWith('\\')))
      lines[lines.length - 1] = `${prev.replace(/\\$/, '')} ${line}`;
    else lines.push(line);
  }
  for (const line of lines) {
    if (line === '') continue;
    if (line.length > MAX_LINE) return incomplete;
    // `=begin` comments and several statements on one line are beyond this reading
    if (line.startsWith('=begin') || line.includes(';')) return incomplete;
    if (DYNAMIC.test(line)) return incomplete;
    if (/^end\b/.test(line)) {
      if (!stack.pop()) return incomplete;
      continue;
    }
    if (/^(?:if|unless|case)\b/.test(line)) {
      stack.push({});
      continue;
    }
    // a branch line that also declares something (`when "pg" then gem "pg"`) is not followed
    if (/^(?:else|elsif|when|in)\b/.test(line)) {
      if (!stack.length || /\bthen\b|;/.test(line)) return incomplete;
      continue;
    }
    const groupsHere = (): string[] => stack.flatMap((b) => b.groups ?? []);
    const isDev = (groups: string[]): boolean => groups.length > 0 && groups.every((g) => DEV_GROUPS.has(g));
    const gemspec = /^gemspec\b\s*\(?(.*?)\)?$/.exec(line);
    if (gemspec) {
      const opts = literalOptions(gemspec[1]!);
      if (!opts) return incomplete;
      // the project's own gem: Bundler locks it as a PATH gem at `path` (default: this folder)
      const dep: ManifestDep = { name: opts.name ?? '', req: '', path: opts.path ?? '.' };
      (isDev(groupsHere()) ? dev : prod).push(dep);
      continue;
    }
    const opensBlock = /\bdo(?:\s*\|[^|]*\|)?$/.test(line);
    const group = /^group\s*\(?\s*(.*?)\s*\)?\s*do$/.exec(line);
    if (group) {
      // `optional: true` and other options do not change which groups the gems are in
      const names = groupNames(group[1]!.replace(/,?\s*\w+:\s*(?:true|false)\s*$/, ''));
      if (!names?.length) return incomplete;
      stack.push({ groups: names });
      continue;
    }
    const gem = /^gem\s*\(?\s*(.*)$/.exec(line);
    if (gem) {
      const nameLit = /^(?:"([^"\\#]+)"|'([^'\\]+)')/.exec(gem[1]!);
      if (!nameLit) return incomplete;
      const name = nameLit[1] ?? nameLit[2]!;
      const own = optionGroups(gem[1]!);
      if (own === undefined) return incomplete;
      // Bundler adds a gem to every group around it plus the ones its options name
      const dep: ManifestDep = { name, req: '' };
      (isDev([...groupsHere(), ...(own ?? [])]) ? dev : prod).push(dep);
      if (opensBlock) stack.push({});
      continue;
    }
    // `source "..." do`, `platforms :jruby do`, `git "..." do`, `path ".." do`: gems inside keep
    // the groups around them
    if (opensBlock) {
      if (/^(?:source|platforms?|git|github|path|install_if|git_source)\b/.test(line)) stack.push({});
      else return incomplete;
      continue;
    }
    // other one-line statements (`source`, `ruby`, `git_source(:x) { .. }`, `plugin`) add no gems
    if (/^(?:source|ruby|git_source|plugin|platforms?)\b/.test(line)) continue;
    if (/^[a-z_]\w*\s*=[^=]/.test(line)) continue; // a local variable
    return incomplete;
  }
  if (stack.length) return incomplete;
  return { prod, dev, workspaces: [], excluded: [], complete: true };
}
