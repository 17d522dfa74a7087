/**
 * Export/import of the database as one file for air-gapped machines.
 *
 * Format (`.bulwarkdb`, a plain ustar archive so `tar tvf` can inspect it), in this order:
 *   1. `manifest.json`: `{format: "bulwark-db-export", formatVersion: 1, createdAt, schemaVersion,
 *      builtAt, database: {file, compression: "gzip", bytes, sha256}, sources}`; `bytes` and
 *      `sha256` describe the uncompressed SQLite file.
 *   2. `bulwark.db.gz`: the database compacted with `VACUUM INTO`, gzip'd.
 * Import streams the archive once, checks size and sha256 while inflating into a temp file beside
 * the target, runs `PRAGMA integrity_check` and the schema check, and only then swaps atomically.
 */
import { createHash, randomBytes } from 'node:crypto';
import { createReadStream, createWriteStream, existsSync } from 'node:fs';
import { mkdir, rm, stat } from 'node:fs/promises';
import path from 'node:path';
import { Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { createGunzip, createGzip } from 'node:zlib';
import Database from 'better-sqlite3';
import tar from 'tar-stream';
import { z } from 'zod';
import { BulwarkError } from '../core/errors.js';
import { openDatabaseFile, readSources } from './open.js';
import { atomicReplace, SCHEMA_VERSION } from './store.js';

export const EXPORT_FORMAT = 'bulwark-db-export';
export const EXPORT_FORMAT_VERSION = 1;
const MANIFEST_NAME = 'manifest.json';
const DB_ENTRY = 'bulwark.db.gz';
const MAX_MANIFEST_BYTES = 1024 * 1024;
export const MAX_IMPORT_DB_BYTES = 64 * 1024 * 1024 * 1024;

const manifestSchema = z.looseObject({
  format: z.literal(EXPORT_FORMAT),
  formatVersion: z.number().int(),
  createdAt: z.string(),
  schemaVersion: z.number().int(),
  builtAt: z.string(),
  database: z.looseObject({
    file: z.string(),
    compression: z.literal('gzip'),
    bytes: z.number().int().nonnegative(),
    sha256: z.string().regex(/^[0-9a-f]{64}$/),
  }),
  sources: z.array(z.unknown()).optional(),
});

export type ExportManifest = z.infer<typeof manifestSchema>;

function tempBeside(file: string, tag: string): string {
  return `${file}.${tag}-${process.pid}-${randomBytes(6).toString('hex')}`;
}

/** Counts and hashes what flows through, failing past `max` bytes. */
function hasher(max: number, input: string): Transform & { digest(): string; bytes(): number } {
  const h = createHash('sha256');
  let n = 0;
  const t = new Transform({
    transform(chunk: Buffer, _enc, cb) {
      n += chunk.length;
      if (n > max) return cb(new BulwarkError('LIMIT_EXCEEDED', `database exceeds ${max} bytes`, { input }));
      h.update(chunk);
      cb(null, chunk);
    },
  });
  return Object.assign(t, { digest: () => h.digest('hex'), bytes: () => n });
}

export interface ExportResult {
  file: string;
  bytes: number;
  manifest: ExportManifest;
}

export async function exportDb(
  dbPath: string,
  outFile: string,
  opts: { now?: Date } = {},
): Promise<ExportResult> {
  const out = path.resolve(outFile);
  await mkdir(path.dirname(out), { recursive: true });
  const { db, meta } = openDatabaseFile(dbPath);
  const snapshot = tempBeside(out, 'snapshot');
  const gz = tempBeside(out, 'gz');
  const tmpOut = tempBeside(out, 'tmp');
  try {
    const sources = readSources(db);
    try {
      // A compact, consistent copy even if an update swaps the file meanwhile.
      db.prepare('VACUUM INTO ?').run(snapshot);
    } catch (e) {
      throw new BulwarkError('DATABASE', `cannot snapshot database: ${(e as Error).message}`, {
        input: dbPath,
        cause: e,
      });
    } finally {
      db.close();
    }
    const h = hasher(MAX_IMPORT_DB_BYTES, dbPath);
    await pipeline(
      createReadStream(snapshot),
      h,
      createGzip({ level: 6 }),
      createWriteStream(gz, { mode: 0o644 }),
    );
    const manifest: ExportManifest = {
      format: EXPORT_FORMAT,
      formatVersion: EXPORT_FORMAT_VERSION,
      createdAt: (opts.now ?? new Date()).toISOString(),
      schemaVersion: Number(meta.get('schema_version')),
      builtAt: meta.get('built_at') ?? '',
      database: { file: DB_ENTRY, compression: 'gzip', bytes: h.bytes(), sha256: h.digest() },
      sources,
    };
    const gzSize = (await stat(gz)).size;
    const pack = tar.pack();
    const written = pipeline(pack, createWriteStream(tmpOut, { mode: 0o644 }));
    pack.entry({ name: MANIFEST_NAME, mode: 0o644 }, `${JSON.stringify(manifest, null, 2)}\n`);
    const entry = pack.entry({ name: DB_ENTRY, size: gzSize, mode: 0o644 });
    await pipeline(createReadStream(gz), entry);
    pack.finalize();
    await written;
    await atomicReplace(tmpOut, out);
    return { file: out, bytes: (await stat(out)).size, manifest };
  } catch (e) {
    if (e instanceof BulwarkError) throw e;
    throw new BulwarkError('INPUT_NOT_FOUND', `cannot write export: ${(e as Error).message}`, {
      input: out,
      cause: e,
    });
  } finally {
    await Promise.all([snapshot, gz, tmpOut].map((f) => rm(f, { force: true })));
  }
}

async function readAll(stream: AsyncIterable<Buffer>, max: number, input: string): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let n = 0;
  for await (const c of stream) {
    n += c.length;
    if (n > max) throw new BulwarkError('LIMIT_EXCEEDED', `manifest exceeds ${max} bytes`, { input });
    chunks.push(c);
  }
  return Buffer.concat(chunks);
}

export interface ImportResult {
  dbPath: string;
  manifest: ExportManifest;
}

export async function importDb(file: string, dbPath: string): Promise<ImportResult> {
  const input = path.resolve(file);
  if (!existsSync(input)) throw new BulwarkError('INPUT_NOT_FOUND', 'no such export file', { input: file });
  const target = path.resolve(dbPath);
  const tmp = tempBeside(target, 'import');
  await mkdir(path.dirname(target), { recursive: true });
  let manifest: ExportManifest | undefined;
  let gotDb = false;
  try {
    const extract = tar.extract();
    const src = createReadStream(input);
    src.on('error', (e) => extract.destroy(e));
    src.pipe(extract);
    for await (const entry of extract) {
      const name = entry.header.name;
      if (!manifest) {
        if (name !== MANIFEST_NAME)
          throw new BulwarkError('MALFORMED_INPUT', `first entry must be ${MANIFEST_NAME}`, { input: file });
        const raw = await readAll(entry as AsyncIterable<Buffer>, MAX_MANIFEST_BYTES, file);
        let doc: unknown;
        try {
          doc = JSON.parse(raw.toString('utf8'));
        } catch (e) {
          throw new BulwarkError('MALFORMED_INPUT', 'manifest is not JSON', { input: file, cause: e });
        }
        const parsed = manifestSchema.safeParse(doc);
        if (!parsed.success)
          throw new BulwarkError('MALFORMED_INPUT', 'not a bulwark database export', { input: file });
        manifest = parsed.data;
        if (manifest.formatVersion !== EXPORT_FORMAT_VERSION)
          throw new BulwarkError('UNSUPPORTED', `export format version ${manifest.formatVersion}`, {
            input: file,
          });
        if (manifest.schemaVersion !== SCHEMA_VERSION)
          throw new BulwarkError(
            'DATABASE',
            `export holds schema ${manifest.schemaVersion}; this bulwark reads schema ${SCHEMA_VERSION}`,
            { input: file },
          );
        if (manifest.database.file !== DB_ENTRY || manifest.database.bytes > MAX_IMPORT_DB_BYTES)
          throw new BulwarkError('MALFORMED_INPUT', 'manifest names an unexpected database entry', {
            input: file,
          });
        continue;
      }
      if (name !== DB_ENTRY || gotDb)
        throw new BulwarkError('MALFORMED_INPUT', `unexpected entry ${JSON.stringify(name)}`, {
          input: file,
        });
      gotDb = true;
      const h = hasher(manifest.database.bytes, file);
      try {
        await pipeline(entry, createGunzip(), h, createWriteStream(tmp, { flags: 'wx', mode: 0o644 }));
      } catch (e) {
        if (e instanceof BulwarkError) {
          // More bytes than the manifest declared: the content is not what was signed off.
          if (e.code === 'LIMIT_EXCEEDED')
            throw new BulwarkError('DIGEST_MISMATCH', e.message, { input: file });
          throw e;
        }
        const errno = (e as NodeJS.ErrnoException).code ?? '';
        if (errno.startsWith('Z_') || errno === 'ERR_STREAM_PREMATURE_CLOSE')
          throw new BulwarkError(
            'MALFORMED_INPUT',
            `database entry is not valid gzip: ${(e as Error).message}`,
            {
              input: file,
              cause: e,
            },
          );
        throw new BulwarkError('DATABASE', `cannot write database: ${(e as Error).message}`, {
          input: tmp,
          cause: e,
        });
      }
      if (h.bytes() !== manifest.database.bytes || h.digest() !== manifest.database.sha256)
        throw new BulwarkError('DIGEST_MISMATCH', 'database does not match the sha256 in the manifest', {
          input: file,
        });
    }
    if (!manifest || !gotDb)
      throw new BulwarkError('MALFORMED_INPUT', 'export is incomplete', { input: file });
    checkIntegrity(tmp, file);
    await atomicReplace(tmp, target);
    return { dbPath: target, manifest };
  } catch (e) {
    await rm(tmp, { force: true });
    if (e instanceof BulwarkError) throw e;
    throw new BulwarkError('MALFORMED_INPUT', `not a readable export archive: ${(e as Error).message}`, {
      input: file,
      cause: e,
    });
  }
}

function checkIntegrity(dbFile: string, input: string): void {
  let db: Database.Database | undefined;
  try {
    db = new Database(dbFile, { readonly: true, fileMustExist: true });
    const result = db.pragma('integrity_check', { simple: true });
    if (result !== 'ok')
      throw new BulwarkError('DATABASE', `integrity check failed: ${String(result)}`, { input });
  } catch (e) {
    if (e instanceof BulwarkError) throw e;
    throw new BulwarkError('DATABASE', `imported file is not a database: ${(e as Error).message}`, {
      input,
      cause: e,
    });
  } finally {
    db?.close();
  }
  // Same checks a scan applies when it opens the database.
  openDatabaseFile(dbFile).db.close();
}
