import { KeywordMatcher } from './keywords.js';
import { isPlaceholder, keyNamesNoSecret, looksLikeReference } from './placeholders.js';
import { entropy, redact } from './redact.js';
import { SECRET_RULES } from './rules/index.js';
import type { SecretMatch, SecretSpec } from './types.js';

export const DEFAULT_MAX_SECRET_FILE_BYTES = 10 * 1024 * 1024;
/** bytes sniffed for a NUL to call a file binary (what git and grep do) */
const BINARY_SNIFF = 8192;
/** longest `match` text kept in a finding (the secret part is already redacted) */
const MAX_MATCH_CHARS = 200;

export interface SecretScanOptions {
  /** files larger than this are skipped with a note (default 10 MiB) */
  maxBytes?: number;
  /** the file's path, for rules that apply to some files only (`.php`, `.p12`) */
  path?: string;
}

export interface SuppressedSecretMatch extends SecretMatch {
  reason: string;
}

export interface SecretScanResult {
  findings: SecretMatch[];
  /** findings silenced by an inline `bulwark:ignore=<ruleId> reason: ...` comment */
  suppressed: SuppressedSecretMatch[];
  /** why the content was not scanned at all */
  skipped?: { reason: 'binary' | 'too-large'; message: string };
  warnings: { line: number; message: string }[];
}

interface Compiled {
  spec: SecretSpec;
  ruleId: string;
  aliases: string[];
  regex: RegExp | undefined;
}

interface Raw {
  rule: Compiled;
  start: number;
  end: number;
  secretStart: number;
  secretEnd: number;
}

/**
 * A compiled rule set: one case-insensitive alternation of every rule's keywords finds which rules
 * can match in a single pass, and only those rules' regexes run. Build once, scan many texts.
 */
export class SecretScanner {
  readonly rules: readonly Compiled[];
  /** rule indexes by keyword id */
  private readonly keywordRules: number[][] = [];
  private readonly keywords: KeywordMatcher;
  /** rules about the file itself (its name), reported whatever its content */
  private readonly fileRules: readonly Compiled[];
  /** vendor names whose keys a specific rule owns (`ownsKey`): generic rules stay quiet there */
  private readonly ownedKeys: RegExp | undefined;
  /**
   * specific rules' own prefixes (`ghp_`, `sm_pat_`, `xoxb-`): a value that starts with one and
   * that rule did not take is a malformed or truncated token of that kind, not a generic secret
   */
  private readonly ownedPrefixes: RegExp | undefined;

  constructor(specs: readonly SecretSpec[] = SECRET_RULES) {
    this.rules = specs.map((spec) => ({
      spec,
      ruleId: `secrets/${spec.id}`,
      aliases: spec.aliases,
      regex: spec.regex && new RegExp(spec.regex.source, `gd${spec.regex.flags.includes('i') ? 'i' : ''}`),
    }));
    this.fileRules = this.rules.filter((r) => !r.regex && r.spec.path);
    const owned = specs
      .filter((s) => s.ownsKey)
      .flatMap((s) => s.keywords.filter((k) => /^[a-z][a-z_-]{3,30}$/.test(k)));
    this.ownedKeys = owned.length ? new RegExp(owned.map(escapeRegExp).join('|'), 'i') : undefined;
    const prefixes = specs
      .filter((s) => !s.generic)
      .flatMap((s) => s.keywords.filter((k) => /^[a-z0-9]{1,12}[_-](?:[a-z0-9]{1,12}[_-])?$/.test(k)));
    this.ownedPrefixes = prefixes.length
      ? new RegExp(`^(?:${prefixes.map(escapeRegExp).join('|')})`, 'i')
      : undefined;
    const ids = new Map<string, number>();
    for (const [i, r] of this.rules.entries())
      for (const k of r.spec.keywords) {
        const key = k.toLowerCase();
        let id = ids.get(key);
        if (id === undefined) {
          id = ids.size;
          ids.set(key, id);
          this.keywordRules.push([]);
        }
        this.keywordRules[id]!.push(i);
      }
    this.keywords = new KeywordMatcher([...ids.keys()]);
  }

  /** Scans one file's bytes (or text). Pure: no I/O. */
  scan(content: Buffer | string, opts: SecretScanOptions = {}): SecretScanResult {
    const byName = opts.path === undefined ? [] : this.fileFindings(opts.path);
    const r = this.scanContent(content, opts);
    if (byName.length) r.findings.unshift(...byName);
    return r;
  }

  /** a finding at 1:1 for each file rule whose path pattern the file's path matches */
  private fileFindings(file: string): SecretMatch[] {
    const name = file.split(/[\\/]/).pop() ?? file;
    return this.fileRules
      .filter((r) => r.spec.path!.test(file))
      .map((r) => ({
        ruleId: r.ruleId,
        title: r.spec.title,
        severity: r.spec.severity,
        line: 1,
        column: 1,
        endLine: 1,
        endColumn: 1,
        match: `file ${name.slice(0, MAX_MATCH_CHARS)}`,
      }));
  }

  private scanContent(content: Buffer | string, opts: SecretScanOptions): SecretScanResult {
    const max = opts.maxBytes ?? DEFAULT_MAX_SECRET_FILE_BYTES;
    const bytes = typeof content === 'string' ? Buffer.from(content, 'utf8') : content;
    if (bytes.length > max)
      return {
        findings: [],
        suppressed: [],
        warnings: [],
        skipped: {
          reason: 'too-large',
          message: `file is ${bytes.length} bytes, over the ${max}-byte limit: not scanned`,
        },
      };
    if (typeof content !== 'string' && bytes.subarray(0, BINARY_SNIFF).includes(0))
      return {
        findings: [],
        suppressed: [],
        warnings: [],
        skipped: { reason: 'binary', message: 'binary file: not scanned' },
      };
    const candidates = this.candidates(bytes, opts.path);
    // most files hold no keyword at all: they are never decoded
    if (candidates.length === 0) return { findings: [], suppressed: [], warnings: [] };
    return this.scanText(typeof content === 'string' ? content : bytes.toString('utf8'), candidates);
  }

  /** rules whose keywords occur, less those meant for other files (`path`, when one is known) */
  private candidates(bytes: Uint8Array, file: string | undefined): Compiled[] {
    const found = new Uint8Array(this.keywordRules.length);
    if (this.keywords.findIn(bytes, found) === 0) return [];
    const hit = new Uint8Array(this.rules.length);
    for (const [id, rules] of this.keywordRules.entries()) if (found[id]) for (const i of rules) hit[i] = 1;
    return this.rules.filter(
      (r, i) => hit[i] === 1 && r.regex && (!r.spec.path || (file !== undefined && r.spec.path.test(file))),
    );
  }

  private scanText(text: string, candidates: readonly Compiled[]): SecretScanResult {
    const raw: Raw[] = [];
    for (const rule of candidates) {
      const { spec } = rule;
      const regex = rule.regex!;
      if (spec.requires && !spec.requires.test(text)) continue;
      const groups = spec.secretGroup ?? 0;
      regex.lastIndex = 0;
      let m: RegExpExecArray | null;
      while ((m = regex.exec(text)) !== null) {
        if (m[0].length === 0) {
          regex.lastIndex++;
          continue;
        }
        const found = m;
        const g = typeof groups === 'number' ? groups : (groups.find((i) => found[i] !== undefined) ?? 0);
        const span = m.indices?.[g];
        const secret = m[g];
        if (!span || secret === undefined) continue;
        const before = m[0].slice(0, span[0] - m.index);
        if (!this.accept(secret, spec, before)) continue;
        if (before && keyInsideWord(text, m.index, before, spec.keywords)) continue;
        if (spec.generic) {
          if (!nameStarts(text, m.index, spec.keyName)) continue;
          const key = identifierBefore(text, m.index) + before;
          if (this.ownedKeys?.test(key) || PUBLIC_KEY.test(key)) continue;
        }
        raw.push({
          rule,
          start: m.index,
          end: m.index + m[0].length,
          secretStart: span[0],
          secretEnd: span[1],
        });
      }
    }
    const kept = dedupe(raw);
    if (kept.length === 0) return { findings: [], suppressed: [], warnings: [] };
    return this.locate(text, kept);
  }

  /** `before` is the matched text in front of the secret (the key, for assignments) */
  private accept(secret: string, spec: SecretSpec, before: string): boolean {
    if (spec.allow?.includes(secret)) return false;
    if (isPlaceholder(secret, spec)) return false;
    if (spec.generic && (looksLikeReference(secret) || keyNamesNoSecret(before))) return false;
    if (spec.generic && this.ownedPrefixes?.test(secret)) return false;
    // `<password>@host`: a placeholder in angle brackets, not an XML element (whose value a
    // generic rule takes on its own line only)
    if (spec.generic && /^[^\n]*(?<![=-])>[ \t]*["'`]?$/.test(before)) return false;
    if (spec.entropy !== undefined && entropy(secret) < spec.entropy) return false;
    if (spec.validate && !spec.validate(secret)) return false;
    return true;
  }

  private locate(text: string, kept: Raw[]): SecretScanResult {
    const starts = lineStarts(text);
    const out: SecretScanResult = { findings: [], suppressed: [], warnings: [] };
    const badLines = new Set<number>();
    for (const r of kept) {
      const a = position(starts, r.start);
      const b = position(starts, r.end);
      const secret = text.slice(r.secretStart, r.secretEnd);
      let match = text.slice(r.start, r.secretStart) + redact(secret) + text.slice(r.secretEnd, r.end);
      if (match.length > MAX_MATCH_CHARS) match = `${match.slice(0, MAX_MATCH_CHARS)}…`;
      const f: SecretMatch = {
        ruleId: r.rule.ruleId,
        title: r.rule.spec.title,
        severity: r.rule.spec.severity,
        line: a.line,
        column: a.column,
        endLine: b.line,
        endColumn: b.column,
        match,
      };
      const s = suppression(text, starts, a.line, [r.rule.ruleId, ...r.rule.aliases]);
      if (s?.reason) out.suppressed.push({ ...f, reason: s.reason });
      else {
        if (s && !badLines.has(s.line)) {
          badLines.add(s.line);
          out.warnings.push({ line: s.line, message: 'bulwark:ignore without a reason: ignored' });
        }
        out.findings.push(f);
      }
    }
    return out;
  }
}

/**
 * Whether the key a match starts with sits inside another word, so it is not that key at all:
 * `rookTable` holds no `okta`, `sumOfExposures` no `sumo`, `ReactNativeCameraKit` no `meraki`.
 * The key (the keyword the match starts with) is inside a word when a lower-case letter runs into
 * its lower-case start, or when its letters change from lower to upper case inside it and a
 * lower-case letter follows (a camelCase hump of other words; `SendGrid_KEY` is still a key).
 */
function keyInsideWord(text: string, start: number, before: string, keywords: readonly string[]): boolean {
  const low = before.toLowerCase();
  const kw = keywords.find((k) => /^[a-z]/.test(k) && low.startsWith(k));
  if (!kw) return false;
  const key = before.slice(0, kw.length);
  if (/[a-z]/.test(key[0]!) && start > 0 && /[a-z]/.test(text[start - 1]!)) return true;
  return /[a-z][A-Z]/.test(key) && /[a-z]/.test(before[kw.length] ?? '');
}

/**
 * Whether a generic key name may start at `i`: not glued to a letter or digit before it
 * (`DB_PASSWORD`, `"token"`), or at a camelCase hump that the name ends (`dbPassword`,
 * `genericToken`); never inside a word (`bypassword`, `MYTOKEN`, `brokentoken`, `maxTokens`).
 */
function nameStarts(text: string, i: number, name: RegExp | undefined): boolean {
  const prev = text[i - 1];
  if (prev === undefined || !/[A-Za-z0-9]/.test(prev)) return true;
  if (!/[a-z0-9]/.test(prev) || !/[A-Z]/.test(text[i]!)) return false;
  // a hump starts a word of its own: it must end there too (`fts5Tokenizer`, `maxTokens` are not keys)
  if (!name) return true;
  name.lastIndex = i;
  const m = name.exec(text);
  return m !== null && !/[a-z]/.test(text[i + m[0].length] ?? '');
}

/**
 * keys that say the value is public or per-session by design: publishable and public tokens ship
 * in web pages, CSRF tokens are minted per form
 */
const PUBLIC_KEY = /(?:public|publishable|csrf|xsrf)[_.-]?(?:api[_.-]?)?(?:key|token)/i;

/** the identifier characters right before `start` (`telegram_` of `telegram_api_token`), at most 40 */
function identifierBefore(text: string, start: number): string {
  let i = start;
  while (i > 0 && start - i < 40 && /[A-Za-z0-9_.-]/.test(text[i - 1]!)) i--;
  return text.slice(i, start);
}

const escapeRegExp = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/**
 * One finding per secret: a generic rule gives way to a specific one on an overlapping secret, a
 * rule gives way to one that `supersedes` it, and the same rule never reports a span twice.
 */
function dedupe(raw: Raw[]): Raw[] {
  raw.sort(
    (a, b) => a.secretStart - b.secretStart || a.secretEnd - b.secretEnd || cmp(a.rule.ruleId, b.rule.ruleId),
  );
  const overlaps = (a: Raw, b: Raw) => a.secretStart < b.secretEnd && b.secretStart < a.secretEnd;
  const out: Raw[] = [];
  for (const [i, r] of raw.entries()) {
    let drop = false;
    // neighbours only (bounded): raw is sorted by start, so overlapping secrets sit close together
    for (let j = i - 1; j >= Math.max(0, i - 64) && !drop; j--) {
      const o = raw[j]!;
      if (overlaps(o, r) && losesTo(r, o)) drop = true;
    }
    for (let j = i + 1; j < Math.min(raw.length, i + 65) && !drop; j++) {
      const o = raw[j]!;
      if (o.secretStart >= r.secretEnd) break;
      if (overlaps(o, r) && losesTo(r, o)) drop = true;
    }
    if (!drop) out.push(r);
  }
  return out;
}

/** Whether `a` is dropped in favour of `b` (both found overlapping secrets). */
function losesTo(a: Raw, b: Raw): boolean {
  if (a.rule === b.rule)
    return a.secretStart > b.secretStart || (a.secretStart === b.secretStart && a.start > b.start);
  if (b.rule.spec.supersedes?.includes(a.rule.spec.id)) return true;
  if (a.rule.spec.supersedes?.includes(b.rule.spec.id)) return false;
  if (Boolean(a.rule.spec.generic) !== Boolean(b.rule.spec.generic)) return Boolean(a.rule.spec.generic);
  // two rules of the same kind on one secret: the match with more context (the longer key) wins
  const la = a.end - a.start;
  const lb = b.end - b.start;
  return la < lb || (la === lb && a.rule.ruleId > b.rule.ruleId);
}

const SUPPRESS = /bulwark:ignore=([A-Za-z0-9_./:,-]{1,500})(?:[ \t]{1,20}reason:[ \t]{0,20}([^\n]{0,500}))?/;

/** An inline suppression for `ids` on the finding's line or the line above it. */
function suppression(
  text: string,
  starts: number[],
  line: number,
  ids: readonly string[],
): { line: number; reason: string } | undefined {
  for (const l of [line, line - 1]) {
    if (l < 1) continue;
    const body = text.slice(starts[l - 1], l < starts.length ? starts[l] : text.length);
    if (!body.includes('bulwark:ignore=')) continue;
    const m = SUPPRESS.exec(body);
    if (!m || !m[1]!.split(',').some((id) => ids.includes(id))) continue;
    const reason = (m[2] ?? '').replace(/\s*(?:\*\/|-->)?\s*$/, '').trim();
    return { line: l, reason };
  }
  return undefined;
}

function lineStarts(text: string): number[] {
  const out = [0];
  for (let i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', i + 1)) out.push(i + 1);
  return out;
}

function position(starts: number[], offset: number): { line: number; column: number } {
  let lo = 0;
  let hi = starts.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (starts[mid]! <= offset) lo = mid;
    else hi = mid - 1;
  }
  return { line: lo + 1, column: offset - starts[lo]! + 1 };
}

const cmp = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

let shared: SecretScanner | undefined;

/** Scans one file's content with the built-in rules. Pure: no I/O. */
export function scanSecrets(content: Buffer | string, opts: SecretScanOptions = {}): SecretScanResult {
  shared ??= new SecretScanner();
  return shared.scan(content, opts);
}
