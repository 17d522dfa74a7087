/**
 * The Debian security tracker's JSON export (security-tracker.debian.org/tracker/data/json):
 * `{ <source package>: { <CVE>: { releases: { <codename>: { status, urgency, ... } } } } }`.
 * Kept per (CVE, release, source package): the urgency the tracker gives. The tracker writes an
 * urgency it took from NVD with `**` appended (`high**`); those rows are kept as they are written,
 * and rating counts them as NVD's severity, not Debian's.
 */
import chain from 'stream-chain';
import { debianCodenameRelease } from '../ecosystems/debian/releases.js';
import { parser } from 'stream-json/parser.js';
import { streamObject } from 'stream-json/streamers/stream-object.js';
import { BulwarkError } from '../core/errors.js';
import type { FeedReadResult } from './feeds.js';
import { boundedBody } from './json-stream.js';

export interface VendorRow {
  cve: string;
  /** the OSV ecosystem the row applies to, e.g. `Debian:12` */
  ecosystem: string;
  /** source package */
  package: string;
  vendor: string;
  /** the vendor's own word, e.g. `low`, `unimportant`, `high**` */
  label: string;
}

export const MAX_TRACKER_BYTES = 1024 * 1024 * 1024;

/** Urgencies that rate nothing: the tracker has not triaged it, or the release no longer gets fixes. */
const NO_RATING = new Set(['', 'not yet assigned', 'end-of-life', 'unknown']);

const CVE = /^CVE-\d{4}-\d{4,}$/;
const PACKAGE = /^[a-z0-9][a-z0-9+.-]{0,199}$/;

/** One package's object: a row per (CVE, release) with an urgency; the count of malformed parts. */
export function trackerRows(pkg: string, value: unknown): { rows: VendorRow[]; bad: number } {
  const rows: VendorRow[] = [];
  if (!PACKAGE.test(pkg) || typeof value !== 'object' || value === null) return { rows, bad: 1 };
  let bad = 0;
  for (const [cve, entry] of Object.entries(value as Record<string, unknown>)) {
    // TEMP- ids are the tracker's placeholders for issues without a CVE yet
    if (!CVE.test(cve)) continue;
    const releases = (entry as { releases?: unknown } | null)?.releases;
    if (typeof releases !== 'object' || releases === null) {
      bad += 1;
      continue;
    }
    // an empty list (`[]`) means no release is tracked
    if (Array.isArray(releases)) continue;
    for (const [codename, rel] of Object.entries(releases as Record<string, unknown>)) {
      const version = debianCodenameRelease(codename);
      if (!version) continue;
      const urgency = (rel as { urgency?: unknown } | null)?.urgency;
      if (typeof urgency !== 'string' || urgency.length > 64) {
        bad += 1;
        continue;
      }
      const label = urgency.trim().toLowerCase();
      if (NO_RATING.has(label)) continue;
      rows.push({ cve, ecosystem: `Debian:${version}`, package: pkg, vendor: 'debian', label });
    }
  }
  return { rows, bad };
}

/** Streams the export package by package (it is tens of MB); one malformed part skips only itself. */
export async function readDebianTracker(
  file: string,
  input: string,
  onRow: (r: VendorRow) => void,
  opts: { maxBytes?: number } = {},
): Promise<FeedReadResult> {
  const stream = await boundedBody(file, input, opts.maxBytes ?? MAX_TRACKER_BYTES, 'tracker JSON');
  let records = 0;
  let bad = 0;
  try {
    const packages = chain([stream, parser(), streamObject()]);
    for await (const { key, value } of packages as AsyncIterable<{ key: string; value: unknown }>) {
      const out = trackerRows(key, value);
      bad += out.bad;
      for (const r of out.rows) onRow(r);
      records += out.rows.length;
    }
  } catch (e) {
    if (e instanceof BulwarkError) throw e;
    throw new BulwarkError('FEED', `not the Debian tracker's JSON: ${(e as Error).message}`, {
      input,
      cause: e,
    });
  }
  return { records, bad };
}
