/**
 * Image facts for admission, filled ahead of time and looked up in microseconds: scan reports
 * loaded from a directory (written by `bulwark image -f json -o DIR/x.json`, by CI, or by the
 * server later), plus signature verdicts and tag digests fetched from the registry on a miss and
 * kept for a TTL. A miss never waits longer than the review's remaining budget: the fetch goes
 * on in the background and fills the cache for the next request.
 */
import { readdir, readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import { BulwarkError, isBulwarkError } from '../core/errors.js';
import {
  FactsIndex,
  factsFromReport,
  reportNames,
  type ImageFacts,
  type SignatureFact,
} from '../policy/facts.js';
import { parseReference } from '../registry/reference.js';

export interface ReportLoadResult {
  index: FactsIndex;
  loaded: number;
  errors: { file: string; message: string }[];
}

const MAX_REPORT_BYTES = 64 * 1024 * 1024;

/** Loads every `*.json` scan report in a directory (not recursive); bad files are listed, not fatal. */
export async function loadReportDir(dir: string): Promise<ReportLoadResult> {
  const index = new FactsIndex();
  const errors: ReportLoadResult['errors'] = [];
  let names: string[];
  try {
    names = (await readdir(dir)).filter((n) => n.endsWith('.json')).sort();
  } catch (e) {
    throw new BulwarkError('INPUT_NOT_FOUND', `cannot read the facts directory: ${(e as Error).message}`, {
      input: dir,
      cause: e,
    });
  }
  let loaded = 0;
  for (const n of names) {
    const file = path.join(dir, n);
    try {
      const st = await stat(file);
      if (!st.isFile()) continue;
      if (st.size > MAX_REPORT_BYTES) throw new Error(`larger than ${MAX_REPORT_BYTES} bytes`);
      const doc = JSON.parse(await readFile(file, 'utf8')) as Record<string, unknown>;
      if (doc?.kind !== 'scan' || typeof doc.target !== 'object')
        throw new Error('not a bulwark scan report');
      index.add(factsFromReport(doc, file), reportNames(doc));
      loaded++;
    } catch (e) {
      errors.push({ file, message: (e as Error).message });
    }
  }
  return { index, loaded, errors };
}

interface Entry<T> {
  value?: T;
  at: number;
  pending?: Promise<T | undefined>;
}

/** A TTL cache of asynchronous look-ups where a caller waits at most its own budget. */
export class BudgetCache<T> {
  private readonly entries = new Map<string, Entry<T>>();
  constructor(
    private readonly fetch: (key: string) => Promise<T | undefined>,
    private readonly ttlMs: number,
    private readonly maxEntries = 50_000,
    private readonly clock: () => number = Date.now,
  ) {}

  /** The cached value, or waits for the fetch up to `budgetMs`; undefined when it is not ready. */
  async get(key: string, budgetMs: number): Promise<T | undefined> {
    const now = this.clock();
    let e = this.entries.get(key);
    if (e?.value !== undefined && now - e.at < this.ttlMs) return e.value;
    if (!e?.pending) {
      if (this.entries.size >= this.maxEntries) this.entries.delete(this.entries.keys().next().value!);
      const entry: Entry<T> = { ...(e?.value !== undefined ? { value: e.value } : {}), at: e?.at ?? 0 };
      entry.pending = this.fetch(key)
        .then((v) => {
          if (v !== undefined) {
            entry.value = v;
            entry.at = this.clock();
          }
          return v;
        })
        .catch(() => undefined)
        .finally(() => {
          delete entry.pending;
        });
      this.entries.set(key, entry);
      e = entry;
    }
    if (budgetMs <= 0) return e.value;
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<undefined>((resolve) => {
      timer = setTimeout(() => resolve(undefined), budgetMs);
    });
    try {
      const v = await Promise.race([e.pending!, timeout]);
      return v ?? e.value;
    } finally {
      clearTimeout(timer);
    }
  }
}

/** Facts of an image for one review: reports from the index, signatures and digests through caches. */
export interface AdmissionFacts {
  reports: FactsIndex;
  signatures?: BudgetCache<SignatureFact>;
  digests?: BudgetCache<string>;
}

/** Joins the report facts and a signature verdict for the evaluator. */
export function factsFor(
  image: string,
  reports: FactsIndex,
  signature: SignatureFact | undefined,
): ImageFacts | undefined {
  const known = reports.get(image);
  if (!signature) return known;
  return { ...(known ?? { reference: image, source: 'registry' }), signature };
}

/** A fetcher that resolves a tag to the digest it names now (for pinning), through the registry. */
export function digestFetcher(
  getManifest: (ref: ReturnType<typeof parseReference>, reference: string) => Promise<{ digest: string }>,
): (image: string) => Promise<string | undefined> {
  return async (image) => {
    const ref = parseReference(image);
    if (ref.digest) return ref.digest;
    try {
      return (await getManifest(ref, ref.tag ?? 'latest')).digest;
    } catch (e) {
      if (isBulwarkError(e)) return undefined;
      throw e;
    }
  };
}
