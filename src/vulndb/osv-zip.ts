/**
 * Reads an OSV `all.zip` entry by entry (never the whole archive in memory). Structural problems
 * (corrupt archive, traversal names, size or ratio bounds) fail the feed; a record that is not valid
 * JSON or not a usable OSV record is counted and reported, and the rest goes on.
 */
import { closeSync, fstatSync, openSync, readSync } from 'node:fs';
import { Readable } from 'node:stream';
import { crc32, inflateRawSync } from 'node:zlib';
import yauzl from 'yauzl';
import { BulwarkError } from '../core/errors.js';
import { osvRecordSchema, type ParsedOsvRecord } from './schema.js';

export interface ZipLimits {
  /** largest uncompressed record */
  maxEntryBytes: number;
  /** largest uncompressed total for one archive */
  maxTotalBytes: number;
  /** largest uncompressed/compressed ratio for one entry above `ratioFloorBytes` */
  maxRatio: number;
  ratioFloorBytes: number;
  maxEntries: number;
}

export const DEFAULT_ZIP_LIMITS: Readonly<ZipLimits> = Object.freeze({
  maxEntryBytes: 32 * 1024 * 1024,
  maxTotalBytes: 16 * 1024 * 1024 * 1024,
  maxRatio: 200,
  ratioFloorBytes: 64 * 1024,
  maxEntries: 5_000_000,
});

export interface ZipReadResult {
  records: number;
  bad: number;
}

export interface ZipReadOptions {
  limits?: Partial<ZipLimits>;
  /** one malformed record; the read goes on */
  onBad?: (entry: string, reason: string) => void;
  /** progress: entries read so far, of the total */
  onProgress?: (done: number, total: number) => void;
}

/**
 * Serves yauzl's small reads from a few cached windows of the file, read synchronously. An OSV zip
 * has tens of thousands of tiny entries; one thread-pool round trip per header and per body made
 * the event loop mostly idle on a loaded machine. Central directory and file data are each read
 * sequentially, so a handful of 1 MiB windows hit almost always; memory stays bounded.
 */
class WindowedReader extends yauzl.RandomAccessReader {
  private readonly windows: { start: number; buf: Buffer }[] = [];
  constructor(
    private readonly fd: number,
    private readonly size: number,
  ) {
    super();
  }

  private slice(start: number, end: number): Buffer {
    for (const w of this.windows)
      if (start >= w.start && end <= w.start + w.buf.length)
        return w.buf.subarray(start - w.start, end - w.start);
    const want = Math.min(Math.max(WINDOW_BYTES, end - start), Math.max(0, this.size - start));
    const buf = Buffer.allocUnsafe(want);
    let got = 0;
    while (got < want) {
      const n = readSync(this.fd, buf, got, want - got, start + got);
      if (n === 0) break;
      got += n;
    }
    this.windows.unshift({ start, buf: buf.subarray(0, got) });
    if (this.windows.length > MAX_WINDOWS) this.windows.pop();
    return buf.subarray(0, Math.min(got, end - start));
  }

  override _readStreamForRange(start: number, end: number): Readable {
    try {
      return Readable.from([this.slice(start, end)], { objectMode: false });
    } catch (e) {
      return new Readable({
        read() {
          this.destroy(e as Error);
        },
      });
    }
  }

  override close(callback: (err: Error | null) => void): void {
    try {
      closeSync(this.fd);
      callback(null);
    } catch (e) {
      callback(e as Error);
    }
  }
}

const WINDOW_BYTES = 1024 * 1024;
const MAX_WINDOWS = 4;

function openZip(file: string, cb: (err: Error | null, zip?: yauzl.ZipFile) => void): void {
  let fd: number;
  let size: number;
  try {
    fd = openSync(file, 'r');
    size = fstatSync(fd).size;
  } catch (e) {
    cb(e as Error);
    return;
  }
  const reader = new WindowedReader(fd, size);
  yauzl.fromRandomAccessReader(
    reader,
    size,
    { lazyEntries: true, autoClose: true, decodeStrings: false, validateEntrySizes: true },
    (err, zip) => {
      if (err) {
        try {
          closeSync(fd);
        } catch {
          // already closed by yauzl
        }
      }
      cb(err ?? null, zip);
    },
  );
}

const NAME_RE = /^[A-Za-z0-9][A-Za-z0-9._:+-]*\.json$/;

function decodeName(raw: Buffer | string, utf8: boolean): string {
  if (typeof raw === 'string') return raw;
  return raw.toString(utf8 ? 'utf8' : 'latin1');
}

/**
 * Calls `onRecord` for every valid record, synchronously and in archive order, so the caller can
 * insert inside one transaction.
 */
export function readOsvZip(
  file: string,
  input: string,
  onRecord: (record: ParsedOsvRecord, json: string) => void,
  opts: ZipReadOptions = {},
): Promise<ZipReadResult> {
  const limits = { ...DEFAULT_ZIP_LIMITS, ...opts.limits };
  return new Promise((resolve, reject) => {
    openZip(file, (openErr, zip) => {
      if (openErr || !zip) {
        reject(
          new BulwarkError('FEED', `not a readable zip archive: ${openErr?.message ?? 'unknown'}`, {
            input,
            cause: openErr,
          }),
        );
        return;
      }
      let records = 0;
      let bad = 0;
      let seen = 0;
      let total = 0;
      let failed = false;
      const fail = (e: BulwarkError): void => {
        if (failed) return;
        failed = true;
        zip.close();
        reject(e);
      };
      if (zip.entryCount > limits.maxEntries) {
        fail(
          new BulwarkError('LIMIT_EXCEEDED', `${zip.entryCount} entries, limit ${limits.maxEntries}`, {
            input,
          }),
        );
        return;
      }
      zip.on('error', (e: Error) =>
        fail(new BulwarkError('FEED', `corrupt zip archive: ${e.message}`, { input, cause: e })),
      );
      zip.on('end', () => {
        if (!failed) resolve({ records, bad });
      });
      zip.on('entry', (entry: yauzl.Entry) => {
        if (failed) return;
        seen += 1;
        opts.onProgress?.(seen, zip.entryCount);
        const utf8 = (entry.generalPurposeBitFlag & 0x800) !== 0;
        const name = decodeName(entry.fileName as unknown as Buffer, utf8);
        const where = `${input}!${name}`;
        if (/[/\\]/.test(name) || name === '..' || name.includes('\0')) {
          fail(new BulwarkError('PATH_TRAVERSAL', 'zip entry name has a path separator', { input: where }));
          return;
        }
        if (!NAME_RE.test(name)) {
          bad += 1;
          opts.onBad?.(name, 'entry name is not <id>.json');
          zip.readEntry();
          return;
        }
        const size = entry.uncompressedSize;
        if (size > limits.maxEntryBytes) {
          fail(
            new BulwarkError('LIMIT_EXCEEDED', `entry is ${size} bytes, limit ${limits.maxEntryBytes}`, {
              input: where,
            }),
          );
          return;
        }
        if (size > limits.ratioFloorBytes && size / Math.max(1, entry.compressedSize) > limits.maxRatio) {
          fail(
            new BulwarkError('LIMIT_EXCEEDED', `entry expands beyond ratio ${limits.maxRatio}`, {
              input: where,
            }),
          );
          return;
        }
        total += size;
        if (total > limits.maxTotalBytes) {
          fail(
            new BulwarkError('LIMIT_EXCEEDED', `archive expands beyond ${limits.maxTotalBytes} bytes`, {
              input,
            }),
          );
          return;
        }
        if (entry.isEncrypted() || (entry.compressionMethod !== 0 && entry.compressionMethod !== 8)) {
          fail(
            new BulwarkError('FEED', 'zip entry is encrypted or uses an unsupported method', {
              input: where,
            }),
          );
          return;
        }
        // Raw bytes, inflated synchronously below: entries are small and bounded, and this avoids a
        // thread-pool hop per record.
        zip.openReadStream(entry, { decodeFileData: false }, (err, stream) => {
          if (err || !stream) {
            fail(
              new BulwarkError('FEED', `corrupt zip entry: ${err?.message ?? 'unknown'}`, {
                input: where,
                cause: err,
              }),
            );
            return;
          }
          const chunks: Buffer[] = [];
          stream.on('data', (c: Buffer) => chunks.push(c));
          stream.on('error', (e: Error) =>
            fail(new BulwarkError('FEED', `corrupt zip entry: ${e.message}`, { input: where, cause: e })),
          );
          stream.on('end', () => {
            if (failed) return;
            const raw = Buffer.concat(chunks);
            let data: Buffer;
            try {
              data =
                entry.compressionMethod === 8
                  ? inflateRawSync(raw, { maxOutputLength: Math.max(1, limits.maxEntryBytes) })
                  : raw;
            } catch (e) {
              const code = (e as NodeJS.ErrnoException).code;
              fail(
                code === 'ERR_BUFFER_TOO_LARGE'
                  ? new BulwarkError('LIMIT_EXCEEDED', `entry exceeds ${limits.maxEntryBytes} bytes`, {
                      input: where,
                    })
                  : new BulwarkError('FEED', `corrupt zip entry: ${(e as Error).message}`, {
                      input: where,
                      cause: e,
                    }),
              );
              return;
            }
            if (data.length !== size || crc32(data) !== entry.crc32) {
              fail(new BulwarkError('FEED', 'zip entry does not match its size or CRC-32', { input: where }));
              return;
            }
            const reason = handleRecord(data.toString('utf8'), name, onRecord);
            if (reason === undefined) records += 1;
            else {
              bad += 1;
              opts.onBad?.(name, reason);
            }
            zip.readEntry();
          });
        });
      });
      zip.readEntry();
    });
  });
}

/** Returns why the record was rejected, or undefined when it was accepted. */
function handleRecord(
  text: string,
  name: string,
  onRecord: (record: ParsedOsvRecord, json: string) => void,
): string | undefined {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch {
    return 'not valid JSON';
  }
  const parsed = osvRecordSchema.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    return `not an OSV record (${issue ? `${issue.path.join('.') || '(root)'}: ${issue.message}` : 'invalid'})`;
  }
  if (`${parsed.data.id}.json` !== name) return `record id ${parsed.data.id} does not match its entry name`;
  onRecord(parsed.data, JSON.stringify(raw));
  return undefined;
}
