/**
 * One pass over an audit log: bytes in (a file read once, a followed file, stdin), rule results
 * out, one item at a time, so nothing but the reader's bounds and the checker's window state is
 * held. The checker is handed in (the rule engine's StreamChecker over the audit family): this
 * module only joins the reader to it and counts.
 */
import type { ErrorCode } from '../core/errors.js';
import type { AuditInput } from './event.js';
import { AuditDecoder, type AuditItem, type AuditReadOptions, type StreamReset } from './read.js';

/** What `StreamChecker.check` returns, structurally (no import of the engine from here). */
export interface AuditCheckResult<F, S, W> {
  findings: F[];
  suppressed: S[];
  warnings: W[];
}

export interface AuditChecker<F, S, W> {
  check(p: { input: AuditInput; object?: string }, file: string): AuditCheckResult<F, S, W>;
}

export type AuditScanItem<F, S, W> =
  | { kind: 'finding'; finding: F }
  | { kind: 'suppressed'; finding: S }
  | { kind: 'warning'; warning: W }
  | { kind: 'error'; line: number; code: ErrorCode; message: string }
  | { kind: 'reset'; reason: StreamReset['reset']; afterLine: number };

export interface AuditScanStats {
  /** events read and checked */
  events: number;
  /** lines or list items that were not audit events (each reported as an error item) */
  badLines: number;
  findings: number;
  suppressed: number;
  /** times a followed file was truncated or replaced */
  resets: number;
}

export function emptyStats(): AuditScanStats {
  return { events: 0, badLines: 0, findings: 0, suppressed: 0, resets: 0 };
}

/**
 * Reads `source` and runs every event through `checker`; yields findings as they are found and
 * one error item per bad line. `stats` is updated in place (the caller reads it when the
 * generator ends, or when it stops early on a signal).
 */
export async function* scanAuditLog<F, S, W>(
  source: AsyncIterable<Buffer | StreamReset>,
  checker: AuditChecker<F, S, W>,
  file: string,
  stats: AuditScanStats = emptyStats(),
  opts: AuditReadOptions = {},
): AsyncGenerator<AuditScanItem<F, S, W>> {
  const decoder = new AuditDecoder(opts);
  let lastLine = 0;
  const batch: AuditItem[] = [];
  for await (const chunk of source) {
    batch.length = 0;
    decoder.pushInto(chunk, batch);
    yield* items(batch);
  }
  yield* items(decoder.end());

  function* items(from: Iterable<AuditItem>): Generator<AuditScanItem<F, S, W>> {
    for (const it of from) {
      if (it.kind === 'reset') {
        stats.resets++;
        yield { kind: 'reset', reason: it.reason, afterLine: lastLine };
        lastLine = 0;
        continue;
      }
      lastLine = it.line;
      if (it.kind === 'error') {
        stats.badLines++;
        yield it;
        continue;
      }
      stats.events++;
      const input: AuditInput =
        it.item === undefined
          ? { event: it.event, line: it.line }
          : { event: it.event, line: it.line, item: it.item };
      // no default object: every audit rule names the request's target itself (computed on a hit only)
      const r = checker.check({ input }, file);
      for (const w of r.warnings) yield { kind: 'warning', warning: w };
      for (const f of r.findings) {
        stats.findings++;
        yield { kind: 'finding', finding: f };
      }
      for (const s of r.suppressed) {
        stats.suppressed++;
        yield { kind: 'suppressed', finding: s };
      }
    }
  }
}
