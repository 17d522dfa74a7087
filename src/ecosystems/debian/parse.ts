/**
 * dpkg database parser: `var/lib/dpkg/status` and distroless `var/lib/dpkg/status.d/<pkg>` files.
 * Both are deb822 stanzas (`Field: value`, continuation lines start with a space or tab, a blank
 * line ends a stanza). Only the fields bulwark needs are kept, so a huge Description costs nothing.
 */

export interface DpkgPackage {
  name: string;
  version: string;
  architecture?: string;
  /** `Source:` name, when the stanza has one */
  sourceName?: string;
  /** version from `Source: name (version)`, when given */
  sourceVersion?: string;
  multiArch?: string;
  /** the three words of `Status:` (want, error flag, state), when present */
  status?: { want: string; flag: string; state: string };
  /** 1-based line of the stanza's first field */
  line: number;
}

export interface DpkgParseOptions {
  /** distroless `status.d` files carry no Status field: treat a missing one as installed */
  missingStatusIsInstalled?: boolean;
  /** most stanzas read (bounds memory on hostile input) */
  maxStanzas?: number;
}

export interface DpkgParseResult {
  packages: DpkgPackage[];
  /** stanzas skipped because they are not installed (config-files, not-installed, half-installed) */
  notInstalled: number;
  /** problems found; the parse never throws */
  problems: string[];
}

const WANTED = new Set(['package', 'version', 'architecture', 'source', 'multi-arch', 'status']);

/**
 * Package states whose files are on disk. dpkg-query -W also lists `config-files` and
 * `half-installed` packages; neither has its program files in place (config-files: removed;
 * half-installed: a failed unpack dpkg will redo), so they cannot carry vulnerable code.
 */
const PRESENT_STATES = new Set([
  'installed',
  'unpacked',
  'half-configured',
  'triggers-awaited',
  'triggers-pending',
]);

const KNOWN_STATES = new Set([...PRESENT_STATES, 'not-installed', 'config-files', 'half-installed']);

export function isPresentState(state: string): boolean {
  return PRESENT_STATES.has(state);
}

/** `name (version)` or `name` as written in a binary stanza's `Source:` field. */
export function parseSourceField(value: string): { name: string; version?: string } | undefined {
  const v = value.trim();
  if (!v) return undefined;
  const space = v.indexOf(' ');
  if (space < 0) return { name: v };
  const name = v.slice(0, space);
  const rest = v.slice(space + 1).trim();
  if (rest.startsWith('(') && rest.endsWith(')')) {
    const version = rest.slice(1, -1).trim();
    return version ? { name, version } : { name };
  }
  return { name };
}

/** Splits deb822 text into stanzas of the wanted fields (lower-cased names). */
function* stanzas(
  text: string,
  problems: string[],
): Generator<{ fields: Map<string, string>; line: number }> {
  let fields = new Map<string, string>();
  let current: string | undefined;
  let start = 0;
  let lineNo = 0;
  let malformed = 0;
  let pos = 0;
  const len = text.length;
  while (pos <= len) {
    let end = text.indexOf('\n', pos);
    if (end < 0) end = len;
    lineNo++;
    let line = text.slice(pos, end);
    pos = end + 1;
    if (line.endsWith('\r')) line = line.slice(0, -1);
    if (line.trim() === '') {
      if (fields.size > 0) yield { fields, line: start };
      fields = new Map();
      current = undefined;
      if (end === len) break;
      continue;
    }
    const first = line.charCodeAt(0);
    if (first === 0x20 || first === 0x09) {
      // Continuation: only Status/Source etc. never continue, so appending is enough for wanted fields.
      if (current !== undefined) fields.set(current, `${fields.get(current) ?? ''}\n${line.trim()}`);
      continue;
    }
    const colon = line.indexOf(':');
    if (colon <= 0) {
      malformed++;
      current = undefined;
      continue;
    }
    const name = line.slice(0, colon).toLowerCase();
    if (fields.size === 0) start = lineNo;
    if (WANTED.has(name)) {
      current = name;
      fields.set(name, line.slice(colon + 1).trim());
    } else {
      current = undefined;
      // keep the stanza open even when it has only unwanted fields so far
      if (fields.size === 0) fields.set('\0', '');
    }
    if (end === len) break;
  }
  if (fields.size > 0) yield { fields, line: start };
  if (malformed > 0) problems.push(`${malformed} malformed line(s) ignored`);
}

export function parseDpkgStatus(text: string, opts: DpkgParseOptions = {}): DpkgParseResult {
  const maxStanzas = opts.maxStanzas ?? 500_000;
  const problems: string[] = [];
  const packages: DpkgPackage[] = [];
  let notInstalled = 0;
  let count = 0;
  for (const { fields, line } of stanzas(text, problems)) {
    if (++count > maxStanzas) {
      problems.push(`more than ${maxStanzas} stanzas: the rest was ignored`);
      break;
    }
    const name = fields.get('package');
    if (!name) {
      problems.push(`stanza at line ${line} has no Package field`);
      continue;
    }
    const statusRaw = fields.get('status');
    let status: DpkgPackage['status'];
    if (statusRaw !== undefined) {
      const words = statusRaw.split(/\s+/);
      if (words.length !== 3 || !KNOWN_STATES.has(words[2] ?? '')) {
        problems.push(`package ${name} (line ${line}) has a malformed Status`);
        continue;
      }
      status = { want: words[0] ?? '', flag: words[1] ?? '', state: words[2] ?? '' };
      if (!PRESENT_STATES.has(status.state)) {
        notInstalled++;
        continue;
      }
    } else if (!opts.missingStatusIsInstalled) {
      notInstalled++;
      continue;
    }
    const version = fields.get('version');
    if (!version) {
      problems.push(`package ${name} (line ${line}) has no Version`);
      continue;
    }
    const pkg: DpkgPackage = { name, version, line };
    const arch = fields.get('architecture');
    if (arch) pkg.architecture = arch;
    const ma = fields.get('multi-arch');
    if (ma) pkg.multiArch = ma;
    if (status) pkg.status = status;
    const src = parseSourceField(fields.get('source') ?? '');
    if (src) {
      pkg.sourceName = src.name;
      if (src.version) pkg.sourceVersion = src.version;
    }
    packages.push(pkg);
  }
  return { packages, notInstalled, problems };
}
