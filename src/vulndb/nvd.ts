/**
 * NVD readers: the CVE API 2.0 (`/rest/json/cves/2.0`, one JSON page per request) and the JSON 2.0
 * feeds (`nvdcve-2.0-<year>.json.gz`, the same document shape holding a whole year). Only what
 * rating reads is kept per CVE: one CVSS vector per CVSS version, NVD's own (`Primary`) where NVD
 * scored it, else the first one a CNA supplied (`Secondary`).
 */
import chain from 'stream-chain';
import { pick } from 'stream-json/filters/pick.js';
import { parser } from 'stream-json/parser.js';
import { streamArray } from 'stream-json/streamers/stream-array.js';
import { z } from 'zod';
import { BulwarkError } from '../core/errors.js';
import type { FeedReadResult } from './feeds.js';
import { boundedBody } from './json-stream.js';

export interface NvdVector {
  type: 'CVSS_V2' | 'CVSS_V3' | 'CVSS_V4';
  score: string;
  /** who scored it: `nvd@nist.gov` or the CNA's identifier */
  source: string;
  /** NVD's own analysis (`Primary`) rather than the CNA's (`Secondary`) */
  primary: boolean;
}

export interface NvdEntry {
  cve: string;
  lastModified: string;
  /** NVD's `vulnStatus`: `Analyzed`, `Modified`, `Awaiting Analysis`, `Rejected`, ... */
  status: string;
  severity: NvdVector[];
}

/** Largest feed file accepted once inflated (a yearly feed is a few hundred MB). */
export const MAX_NVD_FEED_BYTES = 2 * 1024 * 1024 * 1024;
/** Largest API page accepted (2,000 records are a few tens of MB). */
export const MAX_NVD_PAGE_BYTES = 256 * 1024 * 1024;

const str = z.string();
const metricSchema = z.looseObject({
  source: str.max(256).optional(),
  type: str.max(32).optional(),
  cvssData: z.looseObject({ version: str.max(8).optional(), vectorString: str.max(512) }),
});
const metricList = z.array(z.unknown()).optional();
const itemSchema = z.looseObject({
  cve: z.looseObject({
    id: str.regex(/^CVE-\d{4}-\d{4,}$/),
    lastModified: str.max(64).optional(),
    vulnStatus: str.max(64).optional(),
    metrics: z
      .looseObject({
        cvssMetricV40: metricList,
        cvssMetricV31: metricList,
        cvssMetricV30: metricList,
        cvssMetricV2: metricList,
      })
      .optional(),
  }),
});

/** Metric lists in the order they are read; v3.1 is kept over v3.0 when NVD has both. */
const METRICS: [
  key: 'cvssMetricV40' | 'cvssMetricV31' | 'cvssMetricV30' | 'cvssMetricV2',
  NvdVector['type'],
][] = [
  ['cvssMetricV40', 'CVSS_V4'],
  ['cvssMetricV31', 'CVSS_V3'],
  ['cvssMetricV30', 'CVSS_V3'],
  ['cvssMetricV2', 'CVSS_V2'],
];

/** One `vulnerabilities[]` item of a page or feed; undefined when it is not a CVE item. */
export function nvdEntry(item: unknown): NvdEntry | undefined {
  const parsed = itemSchema.safeParse(item);
  if (!parsed.success) return undefined;
  const { cve } = parsed.data;
  const severity: NvdVector[] = [];
  for (const [key, type] of METRICS) {
    if (severity.some((v) => v.type === type)) continue;
    const metrics = (cve.metrics?.[key] ?? [])
      .map((m) => metricSchema.safeParse(m))
      .filter((m) => m.success)
      .map((m) => m.data);
    const chosen = metrics.find((m) => m.type === 'Primary') ?? metrics[0];
    if (!chosen) continue;
    severity.push({
      type,
      score: chosen.cvssData.vectorString,
      source: chosen.source ?? '',
      primary: chosen.type === 'Primary',
    });
  }
  return { cve: cve.id, lastModified: cve.lastModified ?? '', status: cve.vulnStatus ?? '', severity };
}

/**
 * Streams the `vulnerabilities` array of an NVD JSON 2.0 document (a feed file, plain or gzip'd,
 * or an API page): records are handled one at a time, so a yearly feed never sits in memory whole.
 */
export async function readNvdDocument(
  file: string,
  input: string,
  onEntry: (e: NvdEntry) => void,
  opts: { maxBytes?: number } = {},
): Promise<FeedReadResult> {
  const body = await boundedBody(file, input, opts.maxBytes ?? MAX_NVD_FEED_BYTES, 'NVD document');
  let records = 0;
  let bad = 0;
  try {
    const items = chain([body, parser(), pick({ filter: 'vulnerabilities' }), streamArray()]);
    for await (const { value } of items as AsyncIterable<{ value: unknown }>) {
      const e = nvdEntry(value);
      if (!e) {
        bad += 1;
        continue;
      }
      onEntry(e);
      records += 1;
    }
  } catch (e) {
    if (e instanceof BulwarkError) throw e;
    throw new BulwarkError('FEED', `not an NVD JSON document: ${(e as Error).message}`, { input, cause: e });
  }
  return { records, bad };
}

const pageSchema = z.looseObject({
  resultsPerPage: z.number().int().nonnegative(),
  startIndex: z.number().int().nonnegative(),
  totalResults: z.number().int().nonnegative(),
  vulnerabilities: z.array(z.unknown()),
});

export interface NvdPage {
  startIndex: number;
  totalResults: number;
  entries: NvdEntry[];
  bad: number;
}

/** One API page, parsed whole (pages are bounded by `resultsPerPage`). */
export function parseNvdPage(text: string, input: string): NvdPage {
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch (e) {
    throw new BulwarkError('FEED', 'NVD API answer is not JSON', { input, cause: e });
  }
  const page = pageSchema.safeParse(doc);
  if (!page.success) throw new BulwarkError('FEED', 'not an NVD CVE API 2.0 page', { input });
  const entries: NvdEntry[] = [];
  let bad = 0;
  for (const item of page.data.vulnerabilities) {
    const e = nvdEntry(item);
    if (e) entries.push(e);
    else bad += 1;
  }
  return { startIndex: page.data.startIndex, totalResults: page.data.totalResults, entries, bad };
}
