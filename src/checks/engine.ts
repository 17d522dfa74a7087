import { lstat, open, readdir, realpath, stat } from 'node:fs/promises';
import path from 'node:path';
import { BulwarkError, toBulwarkError, type ErrorCode } from '../core/errors.js';
import { severityRank, type Severity } from '../core/types.js';
import { formatMessage } from './define-rule.js';
import type { CheckIgnoreEntry } from './ignore-file.js';
import { loadFamilies } from './registry.js';
import { findSuppression, scanSuppressions, type SuppressionScan } from './suppressions.js';
import type { CheckFinding, CheckTarget, ParsedFile, RuleFamily, RuleMeta, RuleReport } from './types.js';

export interface CheckOptions {
  /** only these families (default: all registered) */
  families?: readonly string[];
  /** keep findings of these severities only (default: all) */
  severities?: readonly Severity[];
  ignore?: readonly CheckIgnoreEntry[];
  /** per-rule settings by rule id, passed to `check` as `ctx.settings` */
  settings?: Readonly<Record<string, Readonly<Record<string, unknown>>>>;
  /** files larger than this are a per-file LIMIT_EXCEEDED error (default 4 MiB) */
  maxFileBytes?: number;
  /** most candidate files (by name) read in one run (default 100,000) */
  maxFiles?: number;
  /** folder that ignore-file `path` entries are relative to (default: the process's working folder) */
  baseDir?: string;
  /** today as YYYY-MM-DD for ignore-entry expiry (default: current UTC day) */
  today?: string;
}

export interface SuppressedCheckFinding extends CheckFinding {
  suppressedBy: 'inline' | 'ignore-file';
  reason: string;
}

export interface CheckFileError {
  file: string;
  code: ErrorCode;
  message: string;
}

export interface CheckWarning {
  file?: string;
  ruleId?: string;
  line?: number;
  message: string;
}

export interface CheckResult {
  /** files checked, with the family that claimed them, sorted */
  files: { file: string; family: string }[];
  findings: CheckFinding[];
  suppressed: SuppressedCheckFinding[];
  errors: CheckFileError[];
  warnings: CheckWarning[];
}

export const DEFAULT_MAX_FILE_BYTES = 4 * 1024 * 1024;
const SKIP_DIRS = new Set(['node_modules', '.git', '.hg', '.svn']);

/** Checks one file's text with the family that claims it. Pure: no I/O. */
export function checkText(
  text: string,
  file: string,
  family: RuleFamily,
  opts: CheckOptions = {},
): Pick<CheckResult, 'findings' | 'suppressed' | 'warnings'> {
  return checkParsed(family.parse(text, file), file, family, opts, text);
}

/**
 * Runs a family's rules on inputs that are already parsed: the entry point for sources that are
 * not files (a live Docker daemon's inspect data, an image config). `text`, when given, is scanned
 * for inline suppression comments; the ignore file and severity filter apply either way.
 */
export function checkParsed(
  parsed: ParsedFile,
  file: string,
  family: RuleFamily,
  opts: CheckOptions = {},
  text?: string,
): Pick<CheckResult, 'findings' | 'suppressed' | 'warnings'> {
  const raw: CheckFinding[] = [];
  const warnings: CheckWarning[] = [];
  for (const rule of family.rules) {
    // windowed rules count observations across a stream (src/checks/stream.ts), not in one file
    if (rule.window) continue;
    const m = rule.meta;
    const ctx = { file, settings: opts.settings?.[m.id] ?? {} };
    for (const p of parsed.inputs) {
      let reports;
      try {
        reports = rule.check(p.input, ctx);
      } catch (e) {
        // a broken rule costs its own findings, never the run
        warnings.push({
          file,
          ruleId: m.id,
          message: `rule failed: ${e instanceof Error ? e.message : String(e)}`,
        });
        continue;
      }
      for (const r of reports) raw.push(toCheckFinding(m, r, file, family.target, p.object));
    }
  }
  const scan = scanSuppressions(text ?? '');
  for (const bad of scan.invalid)
    warnings.push({
      file,
      line: bad.line,
      message: `bulwark:ignore=${bad.ids.join(',')} has no reason: ignored`,
    });
  return { ...filterFindings(raw, file, opts, scan, parsed.statementStart), warnings };
}

/** A rule's report as a finding: its message filled in, the rule's metadata copied on. */
export function toCheckFinding(
  m: RuleMeta,
  r: RuleReport,
  file: string,
  target: CheckTarget,
  defaultObject?: string,
): CheckFinding {
  const template = (m.messages as Record<string, string>)[r.messageId] ?? r.messageId;
  const object = r.object ?? defaultObject;
  return {
    ruleId: m.id,
    aliases: m.aliases,
    severity: m.severity,
    title: m.title,
    message: formatMessage(template, r.data),
    remediation: m.remediation,
    references: m.references,
    file,
    line: r.line,
    column: r.column,
    ...(r.endLine !== undefined ? { endLine: r.endLine } : {}),
    ...(r.endColumn !== undefined ? { endColumn: r.endColumn } : {}),
    ...(r.field ? { field: r.field } : {}),
    ...(object ? { object } : {}),
    ...(r.layer ? { layer: r.layer } : {}),
    target,
  };
}

/**
 * The severity filter, inline suppressions and the ignore file, in that order, over raw findings
 * of one file: what is kept and what was suppressed (with why).
 */
export function filterFindings(
  raw: readonly CheckFinding[],
  file: string,
  opts: CheckOptions,
  scan: SuppressionScan = scanSuppressions(''),
  statementStart?: (line: number) => number,
): Pick<CheckResult, 'findings' | 'suppressed'> {
  const findings: CheckFinding[] = [];
  const suppressed: SuppressedCheckFinding[] = [];
  const today = opts.today ?? new Date().toISOString().slice(0, 10);
  for (const f of raw) {
    // the severity filter comes first, so suppressed findings are only those the user asked about
    if (opts.severities && !opts.severities.includes(f.severity)) continue;
    const ids = [f.ruleId, ...f.aliases];
    const inline = findSuppression(scan, ids, f.line, statementStart?.(f.line) ?? f.line);
    if (inline) {
      suppressed.push({ ...f, suppressedBy: 'inline', reason: inline.reason });
      continue;
    }
    const entry = opts.ignore?.find(
      (e) =>
        ids.includes(e.id) &&
        (!e.expires || e.expires >= today) &&
        (!e.path || pathMatches(file, e.path, opts.baseDir)),
    );
    if (entry) {
      suppressed.push({ ...f, suppressedBy: 'ignore-file', reason: entry.reason });
      continue;
    }
    findings.push(f);
  }
  return { findings, suppressed };
}

function pathMatches(file: string, prefix: string, baseDir = process.cwd()): boolean {
  const a = path.resolve(baseDir, file);
  const b = path.resolve(baseDir, prefix);
  return a === b || a.startsWith(b + path.sep);
}

export function compareFindings(a: CheckFinding, b: CheckFinding): number {
  return (
    cmp(a.file, b.file) ||
    a.line - b.line ||
    a.column - b.column ||
    severityRank(b.severity) - severityRank(a.severity) ||
    cmp(a.ruleId, b.ruleId) ||
    cmp(a.message, b.message)
  );
}

const cmp = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

/** Picks the family for a file: a name match wins, then the first content sniff that accepts. */
export function detectFamily(
  baseName: string,
  text: string | undefined,
  families: readonly RuleFamily[],
  explicit: boolean,
): RuleFamily | undefined {
  const verdicts = families.map((f) => [f, f.matchName(baseName)] as const);
  const yes = verdicts.find(([, v]) => v === 'yes');
  if (yes) return yes[0];
  if (text === undefined) return undefined;
  for (const [f, v] of verdicts) if ((v === 'maybe' || explicit) && f.matchContent(text)) return f;
  return undefined;
}

/** Checks files and folders (recursively). Per-file problems are reported, never thrown. */
export async function checkPaths(paths: readonly string[], opts: CheckOptions = {}): Promise<CheckResult> {
  const families = await loadFamilies(opts.families);
  const result: CheckResult = { files: [], findings: [], suppressed: [], errors: [], warnings: [] };
  const maxBytes = opts.maxFileBytes ?? DEFAULT_MAX_FILE_BYTES;
  const maxFiles = opts.maxFiles ?? 100_000;
  let seen = 0;

  const visitFile = async (file: string, explicit: boolean) => {
    const base = path.basename(file);
    const byName = families.map((f) => f.matchName(base));
    if (!explicit && !byName.some((v) => v !== 'no')) return;
    // only candidate files count: a big source tree with few manifests is fine
    if (++seen > maxFiles)
      throw new BulwarkError('LIMIT_EXCEEDED', `more than ${maxFiles} candidate files`, { input: file });
    let text: string;
    try {
      text = await readText(file, maxBytes);
    } catch (e) {
      const err = toBulwarkError(e, 'INPUT_NOT_FOUND', file);
      // a file we only might have wanted (any *.yaml) is a warning when it is binary or huge
      if (explicit || byName.includes('yes'))
        result.errors.push({ file, code: err.code, message: err.message });
      else result.warnings.push({ file, message: `not checked: ${err.message}` });
      return;
    }
    const family = detectFamily(base, text, families, explicit);
    if (!family) {
      if (explicit)
        result.errors.push({
          file,
          code: 'UNSUPPORTED',
          message: 'not a Dockerfile, compose file or Kubernetes manifest',
        });
      return;
    }
    try {
      const r = checkText(text, file, family, opts);
      result.files.push({ file, family: family.name });
      // loops, not push(...x): a hostile file can yield more findings than a call takes arguments
      for (const f of r.findings) result.findings.push(f);
      for (const f of r.suppressed) result.suppressed.push(f);
      for (const w of r.warnings) result.warnings.push(w);
    } catch (e) {
      const err = toBulwarkError(e, 'MALFORMED_INPUT', file);
      // Helm/Go/Jinja templates look like manifests but are not YAML until rendered: found while
      // walking a folder they are skipped with a warning, not failed
      if (err.code === 'MALFORMED_INPUT' && !explicit && !byName.includes('yes') && text.includes('{{'))
        result.warnings.push({
          file,
          message: `template skipped (not valid YAML until rendered): ${err.message}`,
        });
      else result.errors.push({ file, code: err.code, message: err.message });
    }
  };

  const walk = async (dir: string, root: string) => {
    let entries;
    try {
      entries = await readdir(dir, { withFileTypes: true });
    } catch (e) {
      const err = toBulwarkError(e, 'INPUT_NOT_FOUND', dir);
      result.errors.push({ file: dir, code: err.code, message: err.message });
      return;
    }
    entries.sort((a, b) => cmp(a.name, b.name));
    for (const ent of entries) {
      const p = path.join(dir, ent.name);
      if (ent.isDirectory()) {
        if (!SKIP_DIRS.has(ent.name)) await walk(p, root);
      } else if (ent.isFile()) await visitFile(p, false);
      else if (ent.isSymbolicLink()) {
        // follow links only while they stay inside the folder the user named
        let real: string;
        try {
          real = await realpath(p);
        } catch {
          continue;
        }
        if (real !== root && !real.startsWith(root + path.sep)) continue;
        const st = await lstat(real);
        if (st.isFile()) await visitFile(p, false);
      }
    }
  };

  for (const p of paths) {
    let st;
    try {
      // a path the user named is followed even when it is a link
      st = await stat(p);
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      throw new BulwarkError('INPUT_NOT_FOUND', code === 'ENOENT' ? 'no such file or folder' : String(code), {
        input: p,
      });
    }
    if (st.isDirectory()) await walk(p, await realpath(p));
    else await visitFile(p, true);
  }

  result.files.sort((a, b) => cmp(a.file, b.file));
  result.findings.sort(compareFindings);
  result.suppressed.sort(compareFindings);
  result.errors.sort((a, b) => cmp(a.file, b.file));
  return result;
}

/** Reads a text file with a size bound; binary or invalid UTF-8 content is MALFORMED_INPUT. */
async function readText(file: string, maxBytes: number): Promise<string> {
  const fh = await open(file, 'r');
  try {
    const st = await fh.stat();
    if (st.size > maxBytes)
      throw new BulwarkError('LIMIT_EXCEEDED', `file is ${st.size} bytes, over the ${maxBytes}-byte limit`, {
        input: file,
      });
    const buf = Buffer.alloc(st.size);
    const { bytesRead } = await fh.read(buf, 0, st.size, 0);
    const bytes = buf.subarray(0, bytesRead);
    if (bytes.includes(0)) throw new BulwarkError('MALFORMED_INPUT', 'binary file', { input: file });
    try {
      return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
    } catch {
      throw new BulwarkError('MALFORMED_INPUT', 'not valid UTF-8', { input: file });
    }
  } finally {
    await fh.close();
  }
}
