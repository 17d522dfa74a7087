/**
 * apk's installed database (`lib/apk/db/installed`): one block per package, blocks separated by a
 * blank line, each line `<one-letter key>:<value>`. Only package facts are kept; the file list
 * (F:, R:, a:, M:, Z: lines) is skipped without allocation beyond the line itself.
 */

export interface ApkPackage {
  name: string;
  version: string;
  arch?: string;
  /** `o:` the aport the package was built from; Alpine's secdb and OSV key on it */
  origin?: string;
  license?: string;
  maintainer?: string;
  buildTime?: number;
  commit?: string;
  /** 1-based line where the block starts */
  line: number;
}

export interface ApkParseResult {
  packages: ApkPackage[];
  problems: string[];
}

export interface ApkParseOptions {
  maxPackages?: number;
}

interface Block {
  fields: Map<string, string>;
  line: number;
}

const KEEP = new Set(['P', 'V', 'A', 'o', 'L', 'm', 't', 'c']);

export function parseApkInstalled(text: string, opts: ApkParseOptions = {}): ApkParseResult {
  const maxPackages = opts.maxPackages ?? 200_000;
  const packages: ApkPackage[] = [];
  const problems: string[] = [];
  let malformed = 0;
  let block: Block | undefined;
  let stopped = false;

  const finish = (): void => {
    if (!block || stopped) return;
    const b = block;
    block = undefined;
    const name = b.fields.get('P');
    const version = b.fields.get('V');
    if (!name || !version) {
      problems.push(`block at line ${b.line} has no ${name ? 'version (V:)' : 'name (P:)'}`);
      return;
    }
    if (packages.length >= maxPackages) {
      problems.push(`more than ${maxPackages} packages: the rest was ignored`);
      stopped = true;
      return;
    }
    const p: ApkPackage = { name, version, line: b.line };
    const get = (k: string): string | undefined => b.fields.get(k) || undefined;
    const arch = get('A');
    if (arch) p.arch = arch;
    const origin = get('o');
    if (origin) p.origin = origin;
    const license = get('L');
    if (license) p.license = license;
    const maintainer = get('m');
    if (maintainer) p.maintainer = maintainer;
    const t = Number(get('t'));
    if (Number.isSafeInteger(t) && t > 0) p.buildTime = t;
    const commit = get('c');
    if (commit) p.commit = commit;
    packages.push(p);
  };

  let pos = 0;
  let lineNo = 0;
  while (pos <= text.length && !stopped) {
    let end = text.indexOf('\n', pos);
    if (end < 0) end = text.length;
    lineNo++;
    const raw = text.slice(pos, end);
    pos = end + 1;
    const line = raw.endsWith('\r') ? raw.slice(0, -1) : raw;
    if (line === '') {
      finish();
      if (end === text.length) break;
      continue;
    }
    if (line.length < 2 || line[1] !== ':') {
      malformed++;
      continue;
    }
    const key = line[0]!;
    // a second P: without a blank line in between starts the next package (seen in hand-edited dbs)
    if (key === 'P' && block?.fields.has('P')) finish();
    if (!block) block = { fields: new Map(), line: lineNo };
    if (KEEP.has(key)) block.fields.set(key, line.slice(2));
  }
  finish();
  if (malformed > 0) problems.push(`${malformed} malformed line(s) ignored`);
  return { packages, problems };
}
