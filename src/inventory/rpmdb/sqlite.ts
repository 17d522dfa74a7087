import { createRequire } from 'node:module';
import type BetterSqlite3 from 'better-sqlite3';
import { Budget, DEFAULT_RPMDB_LIMITS, RpmDbFormatError } from './common.js';
import type { RpmDbLimits } from './common.js';

const SQLITE_MAGIC = Buffer.from('SQLite format 3\0', 'latin1');

// Loaded on first use: images without an rpmdb.sqlite never load the native module.
let DatabaseCtor: typeof BetterSqlite3 | undefined;
function database(): typeof BetterSqlite3 {
  DatabaseCtor ??= createRequire(import.meta.url)('better-sqlite3') as typeof BetterSqlite3;
  return DatabaseCtor;
}

/**
 * Header blobs from an rpm 4.16+ `rpmdb.sqlite`, read from memory (never from the image's path on
 * disk). rpm keeps the database in WAL mode; an in-memory copy cannot use WAL, so the header's
 * read/write version bytes are set back to rollback-journal mode first. Rows still sitting in a
 * `-wal` file next to the database are not seen (rpm checkpoints on close, so images rarely have any).
 */
export function readSqliteBlobs(content: Buffer, limits: RpmDbLimits = DEFAULT_RPMDB_LIMITS): Buffer[] {
  if (content.length < 100 || !content.subarray(0, 16).equals(SQLITE_MAGIC)) {
    throw new RpmDbFormatError('not an SQLite database');
  }
  const budget = new Budget(limits);
  const copy = Buffer.from(content);
  if (copy[18] === 2) copy[18] = 1;
  if (copy[19] === 2) copy[19] = 1;
  let db: BetterSqlite3.Database;
  try {
    const Database = database();
    db = new Database(copy, { readonly: true });
  } catch (e) {
    throw new RpmDbFormatError(`SQLite open failed: ${(e as Error).message}`);
  }
  try {
    const rows = db.prepare('SELECT blob FROM Packages ORDER BY hnum').raw(true).iterate() as Iterable<
      unknown[]
    >;
    const out: Buffer[] = [];
    for (const [blob] of rows) {
      if (!Buffer.isBuffer(blob)) continue;
      budget.take(blob.length);
      out.push(blob);
    }
    return out;
  } catch (e) {
    if (e instanceof RpmDbFormatError) throw e;
    throw new RpmDbFormatError(`SQLite query failed: ${(e as Error).message}`);
  } finally {
    db.close();
  }
}
