/**
 * The streaming reader of audit logs: JSON lines (what the API server's log backend writes, one
 * Event a line) and `EventList` documents (what the webhook backend posts and what people save),
 * either on one line or pretty-printed over many. Memory is bounded by the longest line, the
 * largest document and the number of items of a list; every bad line or item is one error with
 * its line number, and reading goes on.
 */
import type { ErrorCode } from '../core/errors.js';
import { LineSplitter, type LineItem } from './lines.js';
import { auditEventSchema, describeIssue, isAuditEvent, type AuditEvent } from './schema.js';

export interface AuditReadOptions {
  /** longest line, which bounds the size of one event in JSON lines (default 4 MiB) */
  maxLineBytes?: number;
  /** largest pretty-printed document (an EventList over many lines; default 64 MiB) */
  maxDocumentBytes?: number;
  /** most items of one EventList (default 1,000,000) */
  maxListItems?: number;
}

export const DEFAULT_MAX_LINE_BYTES = 4 * 1024 * 1024;
export const DEFAULT_MAX_DOCUMENT_BYTES = 64 * 1024 * 1024;
export const DEFAULT_MAX_LIST_ITEMS = 1_000_000;

/** What a followed file says besides its bytes: it was cut short or replaced (log rotation). */
export interface StreamReset {
  reset: 'truncated' | 'rotated';
}

export type AuditItem =
  | { kind: 'event'; event: AuditEvent; line: number; item?: number }
  | { kind: 'error'; line: number; code: ErrorCode; message: string }
  | { kind: 'reset'; reason: StreamReset['reset'] };

interface Doc {
  startLine: number;
  parts: string[];
  bytes: number;
  /** over the size bound: drop lines until the document closes */
  dropping: boolean;
  /** parses tried at lines that start with a closing bracket (bounded: each reads the whole text) */
  attempts: number;
}

/** a document that still does not parse after this many closing lines is given up */
const MAX_DOC_ATTEMPTS = 16;

/**
 * The reader's state machine, fed bytes as they come: synchronous, so a whole text can be decoded
 * at once (`decodeAuditText`) and a stream chunk by chunk (`readAuditStream`).
 */
export class AuditDecoder {
  private readonly maxLine: number;
  private readonly maxDoc: number;
  private readonly maxItems: number;
  private readonly lines: LineSplitter;
  private doc: Doc | undefined;

  constructor(opts: AuditReadOptions = {}) {
    this.maxLine = opts.maxLineBytes ?? DEFAULT_MAX_LINE_BYTES;
    this.maxDoc = opts.maxDocumentBytes ?? DEFAULT_MAX_DOCUMENT_BYTES;
    this.maxItems = opts.maxListItems ?? DEFAULT_MAX_LIST_ITEMS;
    this.lines = new LineSplitter(this.maxLine);
  }

  *push(chunk: Buffer | StreamReset): Generator<AuditItem> {
    const out: AuditItem[] = [];
    this.pushInto(chunk, out);
    yield* out;
  }

  /**
   * `push` into an array, without a generator a line: what `scanAuditLog` calls for every chunk.
   * A line that is one JSON object outside a pretty-printed document (nearly every line of a
   * real log) is parsed and validated here; everything else takes the general path.
   */
  pushInto(chunk: Buffer | StreamReset, out: AuditItem[]): void {
    if (!Buffer.isBuffer(chunk)) {
      // what was half-read belongs to the old file: drop it and number lines afresh
      this.lines.reset();
      this.doc = undefined;
      out.push({ kind: 'reset', reason: chunk.reset });
      return;
    }
    this.lines.feed(chunk, (it) => {
      if (it.kind === 'line' && !this.doc) {
        let value: unknown;
        let parsed = false;
        try {
          value = JSON.parse(it.text);
          parsed = true;
        } catch {
          // not JSON on its own: an error, a blank line or a document's first line (below)
        }
        if (parsed && isRecord(value) && value.kind !== 'EventList') {
          out.push(validate(value, it.line));
          return;
        }
      }
      for (const x of this.lineItem(it)) out.push(x);
    });
  }

  *end(): Generator<AuditItem> {
    for (const it of this.lines.end()) yield* this.lineItem(it);
    const d = this.doc;
    this.doc = undefined;
    if (d && !d.dropping) yield* parseDoc(d, this.maxItems);
  }

  private *lineItem(it: LineItem): Generator<AuditItem> {
    if (it.kind === 'line') yield* this.onLine(it.line, it.text);
    else if (it.kind === 'overlong')
      yield {
        kind: 'error',
        line: it.line,
        code: 'LIMIT_EXCEEDED',
        message: `line ${it.line}: ${it.bytes} bytes, over the ${this.maxLine}-byte line limit: skipped`,
      };
    else
      yield {
        kind: 'error',
        line: it.line,
        code: 'MALFORMED_INPUT',
        message: `line ${it.line}: not valid UTF-8`,
      };
  }

  private *onLine(line: number, text: string): Generator<AuditItem> {
    if (this.doc) {
      yield* this.docLine(this.doc, text);
      return;
    }
    const trimmed = text.trim();
    if (trimmed === '') return;
    let value: unknown;
    try {
      value = JSON.parse(trimmed);
    } catch (e) {
      // an opening brace alone, or one that does not close on its line: a pretty-printed document
      if (/^[[{]/.test(trimmed) && !/[}\]]$/.test(trimmed)) {
        this.doc = { startLine: line, parts: [text], bytes: text.length, dropping: false, attempts: 0 };
        return;
      }
      yield { kind: 'error', line, code: 'MALFORMED_INPUT', message: `line ${line}: not JSON: ${short(e)}` };
      return;
    }
    yield* fromValue(value, line, this.maxItems);
  }

  /** A line of a pretty-printed document; one that starts with a closing bracket may end it. */
  private *docLine(d: Doc, text: string): Generator<AuditItem> {
    if (!d.dropping) {
      d.bytes += text.length + 1;
      if (d.bytes > this.maxDoc) {
        d.dropping = true;
        d.parts = [];
        yield {
          kind: 'error',
          line: d.startLine,
          code: 'LIMIT_EXCEEDED',
          message: `line ${d.startLine}: document is over the ${this.maxDoc}-byte limit: skipped`,
        };
      } else d.parts.push(text);
    }
    if (!/^[}\]]/.test(text)) return;
    if (d.dropping) {
      this.doc = undefined;
      return;
    }
    // a closing bracket at the start of a line usually ends the document; when it does not parse
    // yet (a nested value written flush left) reading goes on, a bounded number of times
    const last = ++d.attempts >= MAX_DOC_ATTEMPTS;
    const value = tryParse(d.parts.join('\n'));
    if (value.ok || last) {
      this.doc = undefined;
      yield* value.ok ? fromValue(value.value, d.startLine, this.maxItems) : [docError(d, value.error)];
    }
  }
}

export async function* readAuditStream(
  source: AsyncIterable<Buffer | StreamReset>,
  opts: AuditReadOptions = {},
): AsyncGenerator<AuditItem> {
  const decoder = new AuditDecoder(opts);
  for await (const chunk of source) yield* decoder.push(chunk);
  yield* decoder.end();
}

/** A whole text at once (tests, the rule family's `parse`). */
export function decodeAuditText(text: string, opts: AuditReadOptions = {}): AuditItem[] {
  const decoder = new AuditDecoder(opts);
  return [...decoder.push(Buffer.from(text, 'utf8')), ...decoder.end()];
}

function* parseDoc(d: Doc, maxItems: number): Generator<AuditItem> {
  const value = tryParse(d.parts.join('\n'));
  if (value.ok) yield* fromValue(value.value, d.startLine, maxItems);
  else yield docError(d, value.error);
}

function tryParse(text: string): { ok: true; value: unknown } | { ok: false; error: unknown } {
  try {
    return { ok: true, value: JSON.parse(text) };
  } catch (error) {
    return { ok: false, error };
  }
}

function docError(d: Doc, e: unknown): AuditItem {
  return {
    kind: 'error',
    line: d.startLine,
    code: 'MALFORMED_INPUT',
    message: `line ${d.startLine}: document is not JSON: ${short(e)}`,
  };
}

/** One parsed JSON value: an Event, an EventList (or a bare array of events, as `jq -s` writes). */
function* fromValue(value: unknown, line: number, maxItems: number): Generator<AuditItem> {
  const list = Array.isArray(value)
    ? value
    : isRecord(value) && value.kind === 'EventList'
      ? value.items
      : undefined;
  if (list === undefined) {
    yield validate(value, line);
    return;
  }
  if (!Array.isArray(list)) {
    yield {
      kind: 'error',
      line,
      code: 'MALFORMED_INPUT',
      message: `line ${line}: EventList has no items array`,
    };
    return;
  }
  if (list.length > maxItems) {
    yield {
      kind: 'error',
      line,
      code: 'LIMIT_EXCEEDED',
      message: `line ${line}: EventList has ${list.length} items, over the ${maxItems}-item limit: skipped`,
    };
    return;
  }
  for (let i = 0; i < list.length; i++) yield validate(list[i], line, i);
}

function validate(value: unknown, line: number, item?: number): AuditItem {
  if (isAuditEvent(value))
    return item === undefined
      ? { kind: 'event', event: value, line }
      : { kind: 'event', event: value, line, item };
  const r = auditEventSchema.safeParse(value);
  if (r.success)
    return item === undefined
      ? { kind: 'event', event: r.data, line }
      : { kind: 'event', event: r.data, line, item };
  const where = item === undefined ? `line ${line}` : `line ${line}: items[${item}]`;
  return { kind: 'error', line, code: 'MALFORMED_INPUT', message: `${where}: ${describeIssue(r.error)}` };
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function short(e: unknown): string {
  return (e instanceof Error ? e.message : String(e)).slice(0, 200);
}
