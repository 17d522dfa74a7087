/**
 * Reads an OSV `all.zip` entry by entry (never the whole archive in memory). Structural problems
 * (corrupt archive, traversal names, size or ratio bounds) fail the feed; a record that is not valid
 * JSON or not a usable OSV record is counted and reported, and the rest goes on.
 */
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
    yauzl.open(
      file,
      { lazyEntries: true, autoClose: true, decodeStrings: false, validateEntrySizes: true },
      (openErr, zip) => {
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
          zip.openReadStream(entry, (err, stream) => {
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
            let got = 0;
            stream.on('data', (c: Buffer) => {
              got += c.length;
              if (got > limits.maxEntryBytes) {
                stream.destroy();
                fail(
                  new BulwarkError('LIMIT_EXCEEDED', `entry exceeds ${limits.maxEntryBytes} bytes`, {
                    input: where,
                  }),
                );
                return;
              }
              chunks.push(c);
            });
            stream.on('error', (e: Error) =>
              fail(new BulwarkError('FEED', `corrupt zip entry: ${e.message}`, { input: where, cause: e })),
            );
            stream.on('end', () => {
              if (failed) return;
              const reason = handleRecord(Buffer.concat(chunks).toString('utf8'), name, onRecord);
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
      },
    );
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
