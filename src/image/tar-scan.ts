import { BLOCK, checksumOk, cstr, headerName, isZeroBlock, numberField, parsePax } from './tar-header.js';

export type TarEntryType = 'file' | 'dir' | 'symlink' | 'link' | 'other';

/** One entry's header. The scanner reuses a single object: copy what you keep. */
export interface TarEntryHeader {
  name: string;
  type: TarEntryType;
  size: number;
  mode: number;
  linkname: string;
}

/** Takes one entry's data piece by piece, for entries too large to assemble in memory. */
export interface TarEntrySink {
  /** a view of the chunk being parsed: consume it before returning */
  write(data: Buffer): void;
  end(): void;
}

export interface TarScanHandler {
  /**
   * Called for each entry; return true to receive a regular file's content through `content`, or
   * a sink to receive it in pieces.
   */
  entry(h: TarEntryHeader): boolean | TarEntrySink;
  content(h: TarEntryHeader, data: Buffer): void;
}

export class TarFormatError extends Error {}

const enum State {
  Header,
  Data,
  Meta,
  Padding,
  End,
}

const MAX_META = 1024 * 1024;

/**
 * A push parser for the tar inside a layer: headers are decoded in place, unwanted data is skipped
 * by arithmetic (never copied), and only entries the handler asks for are assembled. It replaces
 * tar-stream on this hot path, where per-entry streams cost about half of a zlib inflate on a
 * node_modules-heavy image. Throws TarFormatError on a bad checksum or impossible size.
 */
export class TarScanner {
  private state = State.Header;
  private readonly header = Buffer.alloc(BLOCK);
  private headerFill = 0;
  private remaining = 0;
  private padding = 0;
  private capture: Buffer | undefined;
  private sink: TarEntrySink | undefined;
  private captureFill = 0;
  private metaType = 0;
  private longName: string | undefined;
  private longLink: string | undefined;
  private pax: Record<string, string> | undefined;
  private readonly current: TarEntryHeader = { name: '', type: 'file', size: 0, mode: 0, linkname: '' };
  /** true once the end-of-archive block was seen */
  ended = false;

  constructor(private readonly handler: TarScanHandler) {}

  /** True when the stream stopped cleanly (between entries, or after the end marker). */
  get complete(): boolean {
    return this.state === State.End || (this.state === State.Header && this.headerFill === 0);
  }

  write(chunk: Buffer): void {
    let pos = 0;
    const len = chunk.length;
    while (pos < len) {
      switch (this.state) {
        case State.Header: {
          let h: Buffer;
          let at: number;
          if (this.headerFill === 0 && len - pos >= BLOCK) {
            h = chunk;
            at = pos;
            pos += BLOCK;
          } else {
            const n = Math.min(BLOCK - this.headerFill, len - pos);
            chunk.copy(this.header, this.headerFill, pos, pos + n);
            this.headerFill += n;
            pos += n;
            if (this.headerFill < BLOCK) return;
            this.headerFill = 0;
            h = this.header;
            at = 0;
          }
          this.onHeader(at === 0 ? h : h.subarray(at, at + BLOCK));
          break;
        }
        case State.Data: {
          const n = Math.min(this.remaining, len - pos);
          if (this.capture) {
            chunk.copy(this.capture, this.captureFill, pos, pos + n);
            this.captureFill += n;
          } else if (this.sink) {
            this.sink.write(chunk.subarray(pos, pos + n));
          }
          pos += n;
          this.remaining -= n;
          if (this.remaining === 0) this.finishData();
          break;
        }
        case State.Meta: {
          const n = Math.min(this.remaining, len - pos);
          chunk.copy(this.capture!, this.captureFill, pos, pos + n);
          this.captureFill += n;
          pos += n;
          this.remaining -= n;
          if (this.remaining === 0) this.finishMeta();
          break;
        }
        case State.Padding: {
          const n = Math.min(this.padding, len - pos);
          pos += n;
          this.padding -= n;
          if (this.padding === 0) this.state = State.Header;
          break;
        }
        case State.End:
          // Trailing blocks after the end marker still count for the diffID, not for the tree.
          return;
      }
    }
  }

  private onHeader(h: Buffer): void {
    if (isZeroBlock(h)) {
      this.state = State.End;
      this.ended = true;
      return;
    }
    if (!checksumOk(h)) throw new TarFormatError('invalid tar header (checksum)');
    let size = numberField(h, 124, 12);
    if (size < 0) throw new TarFormatError('invalid tar header (size)');
    const flag = h[156]!;
    // pax 'x', GNU long name 'L' / long link 'K', pax global 'g': metadata for the next entry
    if (flag === 0x78 || flag === 0x4c || flag === 0x4b || flag === 0x67) {
      if (size > MAX_META) throw new TarFormatError('tar metadata record too large');
      this.metaType = flag;
      this.capture = Buffer.allocUnsafe(size);
      this.captureFill = 0;
      this.remaining = size;
      this.padding = (BLOCK - (size % BLOCK)) % BLOCK;
      if (size === 0) this.finishMeta();
      else this.state = State.Meta;
      return;
    }
    const e = this.current;
    e.type =
      flag === 0x30 || flag === 0 || flag === 0x37
        ? 'file'
        : flag === 0x35
          ? 'dir'
          : flag === 0x32
            ? 'symlink'
            : flag === 0x31
              ? 'link'
              : 'other';
    e.name = this.longName ?? headerName(h);
    e.linkname = e.type === 'symlink' || e.type === 'link' ? (this.longLink ?? cstr(h, 157, 100)) : '';
    e.mode = numberField(h, 100, 8);
    const pax = this.pax;
    if (pax) {
      if (pax.path !== undefined) e.name = pax.path;
      if (pax.linkpath !== undefined && (e.type === 'symlink' || e.type === 'link'))
        e.linkname = pax.linkpath;
      if (pax.size !== undefined) {
        const s = Number(pax.size);
        if (!Number.isSafeInteger(s) || s < 0) throw new TarFormatError('invalid pax size');
        size = s;
      }
    }
    this.longName = this.longLink = this.pax = undefined;
    if (e.type === 'dir') size = 0;
    e.size = size;
    const want = this.handler.entry(e);
    const isFile = e.type === 'file';
    this.sink = isFile && typeof want === 'object' ? want : undefined;
    this.capture = isFile && want === true ? Buffer.allocUnsafe(size) : undefined;
    this.captureFill = 0;
    this.remaining = size;
    this.padding = (BLOCK - (size % BLOCK)) % BLOCK;
    if (size === 0) this.finishData();
    else this.state = State.Data;
  }

  private finishData(): void {
    if (this.capture) {
      const data = this.capture;
      this.capture = undefined;
      this.handler.content(this.current, data);
    } else if (this.sink) {
      const sink = this.sink;
      this.sink = undefined;
      sink.end();
    }
    this.state = this.padding ? State.Padding : State.Header;
  }

  private finishMeta(): void {
    const data = this.capture!;
    this.capture = undefined;
    if (this.metaType === 0x4c) this.longName = cstr(data, 0, data.length);
    else if (this.metaType === 0x4b) this.longLink = cstr(data, 0, data.length);
    else if (this.metaType === 0x78) this.pax = parsePax(data);
    this.state = this.padding ? State.Padding : State.Header;
  }
}
