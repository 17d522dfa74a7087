/**
 * Splits a byte stream into lines with a bound on line length: a line longer than `maxLineBytes`
 * is never held in memory. Its bytes are dropped as they arrive and it comes out once, as an
 * `overlong` item with its line number, so the caller reports it and goes on with the next line.
 */
export type LineItem =
  | { kind: 'line'; line: number; text: string }
  | { kind: 'overlong'; line: number; bytes: number }
  | { kind: 'invalid-utf8'; line: number };

const NL = 0x0a;

export class LineSplitter {
  private parts: Buffer[] = [];
  private held = 0;
  /** bytes of the current line seen so far, kept or dropped */
  private seen = 0;
  private dropping = false;
  private lineNo = 0;
  private readonly decoder = new TextDecoder('utf-8', { fatal: true });

  constructor(private readonly maxLineBytes: number) {}

  /** line number of the last line handed out (so a reset can say where it happened) */
  get line(): number {
    return this.lineNo;
  }

  /** Forgets the partial line and restarts numbering (the followed file was truncated or replaced). */
  reset(): void {
    this.parts = [];
    this.held = 0;
    this.seen = 0;
    this.dropping = false;
    this.lineNo = 0;
  }

  *push(chunk: Buffer): Generator<LineItem> {
    const out: LineItem[] = [];
    this.feed(chunk, (it) => out.push(it));
    yield* out;
  }

  /** `push` without a generator: each line to `emit` as it is found (the reader's hot path). */
  feed(chunk: Buffer, emit: (it: LineItem) => void): void {
    let start = 0;
    while (start < chunk.length) {
      const nl = chunk.indexOf(NL, start);
      if (nl !== -1 && this.seen === 0) {
        // the whole line is in this chunk (most are): decode it in place, without a copy
        emit(this.whole(chunk, start, nl));
        start = nl + 1;
        continue;
      }
      const end = nl === -1 ? chunk.length : nl;
      this.take(chunk.subarray(start, end));
      if (nl === -1) return;
      emit(this.finish());
      start = nl + 1;
    }
  }

  /** The last line when the stream ends without a newline (none when it ended on one). */
  *end(): Generator<LineItem> {
    if (this.seen > 0 || this.parts.length > 0) yield this.finish();
  }

  private whole(chunk: Buffer, start: number, end: number): LineItem {
    const line = ++this.lineNo;
    if (end - start > this.maxLineBytes) return { kind: 'overlong', line, bytes: end - start };
    if (end > start && chunk[end - 1] === 0x0d) end--; // CRLF
    try {
      // decoded before the generator yields: the chunk may be reused once the caller moves on
      return { kind: 'line', line, text: this.decoder.decode(chunk.subarray(start, end)) };
    } catch {
      return { kind: 'invalid-utf8', line };
    }
  }

  private take(bytes: Buffer): void {
    this.seen += bytes.length;
    if (this.dropping) return;
    if (this.held + bytes.length > this.maxLineBytes) {
      this.dropping = true;
      this.parts = [];
      this.held = 0;
      return;
    }
    if (bytes.length) {
      // copy: the chunk's buffer is reused by some streams after the callback returns
      this.parts.push(Buffer.from(bytes));
      this.held += bytes.length;
    }
  }

  private finish(): LineItem {
    const line = ++this.lineNo;
    const bytes = this.seen;
    const dropped = this.dropping;
    const buf = this.parts.length === 1 ? this.parts[0]! : Buffer.concat(this.parts, this.held);
    this.parts = [];
    this.held = 0;
    this.seen = 0;
    this.dropping = false;
    if (dropped) return { kind: 'overlong', line, bytes };
    let end = buf.length;
    if (end > 0 && buf[end - 1] === 0x0d) end--; // CRLF
    try {
      return { kind: 'line', line, text: this.decoder.decode(buf.subarray(0, end)) };
    } catch {
      return { kind: 'invalid-utf8', line };
    }
  }
}
