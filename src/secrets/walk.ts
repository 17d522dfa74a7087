import {
  closeSync,
  fstatSync,
  lstatSync,
  openSync,
  readSync,
  readdirSync,
  realpathSync,
  statSync,
} from 'node:fs';
import path from 'node:path';
import type { CheckIgnoreEntry } from '../checks/ignore-file.js';
import type { CheckFinding } from '../checks/types.js';
import { BulwarkError, toBulwarkError, type ErrorCode } from '../core/errors.js';
import { severityRank, type Severity } from '../core/types.js';
import { secretMeta } from './family.js';
import { globToRegExp } from './glob.js';
import { DEFAULT_MAX_SECRET_FILE_BYTES, SecretScanner } from './scan.js';
import type { SecretMatch } from './types.js';

export interface SecretPathOptions {
  /** keep findings of these severities only (default: all) */
  severities?: readonly Severity[];
  /** ignore-file entries (`{ id, path?, reason, expires? }`) */
  ignore?: readonly CheckIgnoreEntry[];
  /** folder that ignore-file `path` entries are relative to (default: the working folder) */
  baseDir?: string;
  /** files larger than this are skipped with a note (default 10 MiB) */
  maxFileBytes?: number;
  /** most files read in one run (default 1,000,000) */
  maxFiles?: number;
  /** folder names never entered while walking (default: .git, .hg, .svn, node_modules) */
  skipDirs?: readonly string[];
  /** today as YYYY-MM-DD for ignore-entry expiry (default: current UTC day) */
  today?: string;
  /**
   * files whose path relative to the folder named matches one of these globs are not scanned
   * (`**` any folders, `*` within a name): test fixtures, vendored trees
   */
  skipPaths?: readonly string[];
  /** a scanner to reuse (default: the built-in rules) */
  scanner?: SecretScanner;
}

/** A secret finding: a rule-engine finding plus the redacted match. */
export interface SecretFinding extends CheckFinding {
  match: string;
}

export interface SuppressedSecretFinding extends SecretFinding {
  suppressedBy: 'inline' | 'ignore-file';
  reason: string;
}

export interface SecretPathResult {
  /** files scanned (read and searched), count */
  scanned: number;
  /** bytes scanned */
  bytes: number;
  findings: SecretFinding[];
  suppressed: SuppressedSecretFinding[];
  /** files not scanned: binary or over the size bound */
  /** `bytes`: the size of a file skipped as too large */
  skipped: { file: string; reason: 'binary' | 'too-large'; bytes?: number }[];
  errors: { file: string; code: ErrorCode; message: string }[];
  warnings: { file?: string; line?: number; message: string }[];
}

export const DEFAULT_SKIP_DIRS = ['.git', '.hg', '.svn', 'node_modules'];

/**
 * Scans files and folders (recursively) for secrets. Symbolic links are followed only while they
 * stay inside the folder named; per-file problems are reported, never thrown.
 */
export async function scanSecretPaths(
  paths: readonly string[],
  opts: SecretPathOptions = {},
): Promise<SecretPathResult> {
  const scanner = opts.scanner ?? new SecretScanner();
  const maxBytes = opts.maxFileBytes ?? DEFAULT_MAX_SECRET_FILE_BYTES;
  const maxFiles = opts.maxFiles ?? 1_000_000;
  const skipDirs = new Set(opts.skipDirs ?? DEFAULT_SKIP_DIRS);
  const today = opts.today ?? new Date().toISOString().slice(0, 10);
  const out: SecretPathResult = {
    scanned: 0,
    bytes: 0,
    findings: [],
    suppressed: [],
    skipped: [],
    errors: [],
    warnings: [],
  };
  const skipPaths = (opts.skipPaths ?? []).map(globToRegExp);
  let seen = 0;
  let sinceYield = 0;

  const skipped = (file: string, root: string) => {
    if (!skipPaths.length) return false;
    const rel = path.relative(root, file).split(path.sep).join('/');
    return skipPaths.some((re) => re.test(rel));
  };

  const visit = (file: string) => {
    if (++seen > maxFiles)
      throw new BulwarkError('LIMIT_EXCEEDED', `more than ${maxFiles} files`, { input: file });
    let content: Buffer;
    try {
      const r = readBounded(file, maxBytes);
      if (r === 'too-large') {
        out.skipped.push({ file, reason: 'too-large', bytes: statSync(file).size });
        return;
      }
      content = r;
    } catch (e) {
      const err = toBulwarkError(e, 'INPUT_NOT_FOUND', file);
      out.errors.push({ file, code: err.code, message: err.message });
      return;
    }
    const r = scanner.scan(content, { maxBytes, path: file });
    if (r.skipped) {
      out.skipped.push({ file, reason: r.skipped.reason });
      return;
    }
    out.scanned++;
    out.bytes += content.length;
    for (const w of r.warnings) out.warnings.push({ file, line: w.line, message: w.message });
    const add = (m: SecretMatch, inline?: string) => {
      const f = toFinding(m, file);
      if (opts.severities && !opts.severities.includes(f.severity)) return;
      if (inline !== undefined) {
        out.suppressed.push({ ...f, suppressedBy: 'inline', reason: inline });
        return;
      }
      const ids = [f.ruleId, ...f.aliases];
      const entry = opts.ignore?.find(
        (e) =>
          ids.includes(e.id) &&
          (!e.expires || e.expires >= today) &&
          (!e.path || pathMatches(file, e.path, opts.baseDir)),
      );
      if (entry) out.suppressed.push({ ...f, suppressedBy: 'ignore-file', reason: entry.reason });
      else out.findings.push(f);
    };
    for (const m of r.findings) add(m);
    for (const m of r.suppressed) add(m, m.reason);
  };

  // --skip-path globs are relative to the folder named; link checks use its real path
  let globRoot = '';
  const walkRoot = async (dir: string) => {
    globRoot = dir;
    await walk(dir, realpathSync(dir));
  };

  const walk = async (dir: string, root: string) => {
    let entries;
    try {
      entries = readdirSync(dir, { withFileTypes: true });
    } catch (e) {
      const err = toBulwarkError(e, 'INPUT_NOT_FOUND', dir);
      out.errors.push({ file: dir, code: err.code, message: err.message });
      return;
    }
    entries.sort((a, b) => cmp(a.name, b.name));
    for (const ent of entries) {
      const p = path.join(dir, ent.name);
      if (ent.isDirectory()) {
        if (!skipDirs.has(ent.name)) await walk(p, root);
      } else if (skipped(p, globRoot)) continue;
      else if (ent.isFile()) visit(p);
      else if (ent.isSymbolicLink()) {
        // followed only while the target stays inside the folder the user named
        let real: string;
        try {
          real = realpathSync(p);
        } catch {
          continue;
        }
        if (real !== root && !real.startsWith(root + path.sep)) continue;
        if (lstatSync(real).isFile()) visit(p);
      }
      // let timers and signals run during long walks
      if (++sinceYield >= 256) {
        sinceYield = 0;
        await new Promise((resolve) => setImmediate(resolve));
      }
    }
  };

  for (const p of paths) {
    let st;
    try {
      st = statSync(p);
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      throw new BulwarkError('INPUT_NOT_FOUND', code === 'ENOENT' ? 'no such file or folder' : String(code), {
        input: p,
      });
    }
    if (st.isDirectory()) await walkRoot(p);
    else visit(p);
  }
  out.findings.sort(compareSecretFindings);
  out.suppressed.sort(compareSecretFindings);
  out.skipped.sort((a, b) => cmp(a.file, b.file));
  out.errors.sort((a, b) => cmp(a.file, b.file));
  return out;
}

/** Converts a scanner match into an engine-shaped finding for `file`. */
export function toFinding(m: SecretMatch, file: string): SecretFinding {
  const meta = secretMeta(m.ruleId.slice('secrets/'.length), { found: '' });
  return {
    ruleId: m.ruleId,
    aliases: meta.aliases,
    severity: m.severity,
    title: m.title,
    message: `${m.title} found: ${m.match}`,
    remediation: meta.remediation,
    references: meta.references,
    file,
    line: m.line,
    column: m.column,
    endLine: m.endLine,
    endColumn: m.endColumn,
    target: 'secrets',
    match: m.match,
  };
}

export function compareSecretFindings(a: CheckFinding, b: CheckFinding): number {
  return (
    cmp(a.file, b.file) ||
    a.line - b.line ||
    a.column - b.column ||
    severityRank(b.severity) - severityRank(a.severity) ||
    cmp(a.ruleId, b.ruleId)
  );
}

function readBounded(file: string, maxBytes: number): Buffer | 'too-large' {
  const fd = openSync(file, 'r');
  try {
    const size = fstatSync(fd).size;
    if (size > maxBytes) return 'too-large';
    const buf = Buffer.allocUnsafe(size);
    let off = 0;
    while (off < size) {
      const n = readSync(fd, buf, off, size - off, off);
      if (n === 0) break;
      off += n;
    }
    return buf.subarray(0, off);
  } finally {
    closeSync(fd);
  }
}

function pathMatches(file: string, prefix: string, baseDir = process.cwd()): boolean {
  const a = path.resolve(baseDir, file);
  const b = path.resolve(baseDir, prefix);
  return a === b || a.startsWith(b + path.sep);
}

const cmp = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
