/** Readers for the two non-OSV feeds: CISA KEV (JSON) and FIRST EPSS (gzip'd CSV). */
import { createReadStream } from 'node:fs';
import { readFile, stat } from 'node:fs/promises';
import { createInterface } from 'node:readline';
import { createGunzip } from 'node:zlib';
import { BulwarkError } from '../core/errors.js';
import { kevCatalogSchema, kevEntrySchema } from './schema.js';
import type { EpssEntry, KevEntry } from './types.js';

export interface FeedReadResult {
  records: number;
  bad: number;
}

export const MAX_KEV_BYTES = 256 * 1024 * 1024;
export const MAX_EPSS_BYTES = 2 * 1024 * 1024 * 1024;

/** The KEV catalogue is one JSON document (about 1 MB today); it is read whole, within a bound. */
export async function readKev(
  file: string,
  input: string,
  onEntry: (e: KevEntry) => void,
): Promise<FeedReadResult> {
  const st = await stat(file);
  if (st.size > MAX_KEV_BYTES)
    throw new BulwarkError('LIMIT_EXCEEDED', `KEV catalogue is ${st.size} bytes, limit ${MAX_KEV_BYTES}`, {
      input,
    });
  let doc: unknown;
  try {
    doc = JSON.parse(await readFile(file, 'utf8'));
  } catch (e) {
    throw new BulwarkError('FEED', 'KEV catalogue is not valid JSON', { input, cause: e });
  }
  const catalog = kevCatalogSchema.safeParse(doc);
  if (!catalog.success)
    throw new BulwarkError('FEED', 'not a KEV catalogue (no vulnerabilities array)', { input });
  let records = 0;
  let bad = 0;
  for (const v of catalog.data.vulnerabilities) {
    const e = kevEntrySchema.safeParse(v);
    if (!e.success) {
      bad += 1;
      continue;
    }
    onEntry(e.data);
    records += 1;
  }
  return { records, bad };
}

/**
 * EPSS: `#model_version:...,score_date:...` comment, then `cve,epss,percentile` and one row per CVE.
 * Streamed: the file has about 300,000 rows.
 */
export async function readEpss(
  file: string,
  input: string,
  onEntry: (e: EpssEntry) => void,
): Promise<FeedReadResult> {
  const gunzip = createGunzip();
  let inflated = 0;
  gunzip.on('data', (c: Buffer) => {
    inflated += c.length;
    if (inflated > MAX_EPSS_BYTES)
      gunzip.destroy(
        new BulwarkError('LIMIT_EXCEEDED', `EPSS feed expands beyond ${MAX_EPSS_BYTES} bytes`, { input }),
      );
  });
  const src = createReadStream(file);
  src.on('error', (e) => gunzip.destroy(e));
  const lines = createInterface({ input: src.pipe(gunzip), crlfDelay: Infinity });
  let records = 0;
  let bad = 0;
  let header: string[] | undefined;
  try {
    for await (const line of lines) {
      if (line.length === 0 || line.startsWith('#')) continue;
      if (line.length > 4096) {
        bad += 1;
        continue;
      }
      const cols = line.split(',');
      if (!header) {
        header = cols.map((c) => c.trim().toLowerCase());
        if (!header.includes('cve') || !header.includes('epss'))
          throw new BulwarkError('FEED', 'EPSS CSV has no cve,epss header', { input });
        continue;
      }
      const cve = cols[header.indexOf('cve')]?.trim() ?? '';
      const epss = Number(cols[header.indexOf('epss')]);
      const pIdx = header.indexOf('percentile');
      const percentile = pIdx >= 0 ? Number(cols[pIdx]) : NaN;
      if (
        !/^CVE-\d{4}-\d+$/.test(cve) ||
        !(epss >= 0 && epss <= 1) ||
        !(percentile >= 0 && percentile <= 1)
      ) {
        bad += 1;
        continue;
      }
      onEntry({ cve, epss, percentile });
      records += 1;
    }
  } catch (e) {
    if (e instanceof BulwarkError) throw e;
    throw new BulwarkError('FEED', `EPSS feed is not readable gzip CSV: ${(e as Error).message}`, {
      input,
      cause: e,
    });
  }
  if (!header) throw new BulwarkError('FEED', 'EPSS feed is empty', { input });
  return { records, bad };
}
