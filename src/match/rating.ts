/**
 * Where a finding's severity comes from. Three kinds of source, tried in a configurable order
 * (`--severity-source`, default vendor,nvd,ghsa):
 * - `vendor`: the distribution's own rating of the CVE for that release and package: the Debian
 *   security tracker's urgency, Ubuntu's priority, Red Hat's severity (Alpine publishes none);
 * - `nvd`: NVD's CVSS for the CVE (or, without NVD data, the NVD severity the Debian tracker
 *   recorded with `**`);
 * - `ghsa`: the CVSS vectors and labels of the advisory records themselves (GitHub's, and the
 *   other OSV databases': Go, PyPA, npm), matched or linked to the same CVE.
 * Every rating found is kept on the finding; the first source in the order that has one decides.
 */
import type { Severity } from '../core/types.js';
import { severityRank } from '../core/types.js';
import type { NvdRating, OsvRecord, VendorRating } from '../vulndb/types.js';
import { decideSeverity, severityFromLabel, type SeverityVerdict } from './severity.js';
import type { CvssScore, Rating, RatingSource } from './types.js';

export const RATING_SOURCES: readonly RatingSource[] = ['vendor', 'nvd', 'ghsa'];
export const DEFAULT_SEVERITY_SOURCES: readonly RatingSource[] = ['vendor', 'nvd', 'ghsa'];

/** Advisory id prefixes of the distributions' own databases. */
const VENDOR_PREFIXES: [RegExp, string][] = [
  [/^(?:UBUNTU-|USN-|LSN-)/, 'ubuntu'],
  [/^(?:RHSA-|RHBA-|RHEA-)/, 'redhat'],
  [/^(?:DSA-|DLA-|DTSA-|DEBIAN-)/, 'debian'],
  [/^ALPINE-/, 'alpine'],
  [/^(?:ALSA-|ALBA-|ALEA-)/, 'almalinux'],
  [/^(?:RLSA-|RLBA-|RLEA-)/, 'rocky'],
  [/^(?:SUSE-|openSUSE-)/, 'suse'],
];

/** The distribution that published an advisory, from its id; undefined for GHSA, Go, PyPA, ... */
export function vendorOf(recordId: string): string | undefined {
  return VENDOR_PREFIXES.find(([re]) => re.test(recordId))?.[1];
}

/** Debian tracker urgencies: `unimportant` is still a rating (LOW), as in Trivy. */
export function severityFromDebianUrgency(label: string): Severity | undefined {
  switch (label.replace(/\*+$/, '')) {
    case 'unimportant':
    case 'low':
      return 'LOW';
    case 'medium':
      return 'MEDIUM';
    case 'high':
      return 'HIGH';
    default:
      return undefined;
  }
}

function higher(a: Rating | undefined, b: Rating): Rating {
  return !a || severityRank(b.severity) > severityRank(a.severity) ? b : a;
}

/**
 * The distribution records' own labels (Ubuntu priority, Red Hat severity), else their CVSS; the
 * highest label wins, as for feed labels.
 */
export function recordVendorRating(records: readonly OsvRecord[]): Rating | undefined {
  let label: Rating | undefined;
  const cvssRecords: OsvRecord[] = [];
  for (const r of records) {
    const vendor = vendorOf(r.id);
    if (!vendor) continue;
    const consider = (raw: unknown, type: Rating['type']) => {
      const severity = severityFromLabel(raw);
      if (severity && typeof raw === 'string')
        label = higher(label, { source: 'vendor', severity, record: r.id, type, label: raw, vendor });
    };
    consider(r.database_specific?.['severity'], 'database_specific');
    for (const s of r.severity ?? []) if (s.type === 'Ubuntu') consider(s.score, 'ubuntu_priority');
    for (const a of r.affected ?? []) {
      consider(a.ecosystem_specific?.['ubuntu_priority'], 'ubuntu_priority');
      consider(a.database_specific?.['severity'], 'database_specific');
    }
    if (r.severity?.some((s) => s.type.startsWith('CVSS_'))) cvssRecords.push(r);
  }
  if (label) return label;
  const v = decideSeverity(cvssRecords);
  return v.cvss ? { ...fromVerdict('vendor', v), vendor: vendorOf(v.source!.record) } : undefined;
}

function fromVerdict(source: RatingSource, v: SeverityVerdict): Rating {
  return {
    source,
    severity: v.severity,
    record: v.source!.record,
    type: v.source!.type,
    ...(v.cvss ? { cvss: v.cvss } : {}),
  };
}

/**
 * The tracker's rows for the matched release and package: its own urgencies (vendor) and the NVD
 * severities it recorded (`high**`, used only when the database has no NVD data for the CVE).
 */
export function trackerRatings(
  rows: readonly VendorRating[],
  ecosystem: string,
  pkg: string,
): { vendor?: Rating; nvd?: Rating } {
  let vendor: Rating | undefined;
  let nvd: Rating | undefined;
  for (const row of rows) {
    if (row.ecosystem !== ecosystem || row.package !== pkg) continue;
    const severity = severityFromDebianUrgency(row.label);
    if (!severity) continue;
    if (row.label.endsWith('**'))
      nvd = higher(nvd, { source: 'nvd', severity, record: row.cve, type: 'nvd_severity', label: row.label });
    else
      vendor = higher(vendor, {
        source: 'vendor',
        severity,
        record: row.cve,
        type: 'debian_urgency',
        label: row.label,
        vendor: row.vendor,
      });
  }
  return { ...(vendor ? { vendor } : {}), ...(nvd ? { nvd } : {}) };
}

/** NVD's best vector over the CVEs (the newest CVSS version, then the highest score). */
export function nvdRating(ratings: readonly NvdRating[]): Rating | undefined {
  if (ratings.length === 0) return undefined;
  const v = decideSeverity(ratings.map((r) => ({ id: r.cve, severity: r.severity })));
  return v.cvss ? fromVerdict('nvd', v) : undefined;
}

/**
 * The advisory records' own rating: their vectors, else vectors of other records of the same CVEs
 * (a GHSA for the CVE of a Debian advisory), else their labels, else the related records' labels.
 * Distribution records never count here: their ratings are the vendor's.
 */
export function advisoryRating(
  own: readonly OsvRecord[],
  related: () => readonly OsvRecord[],
): Rating | undefined {
  const mine = decideSeverity(own.filter((r) => !vendorOf(r.id)));
  if (mine.cvss) return fromVerdict('ghsa', mine);
  const seen = new Set(own.map((r) => r.id));
  const other = decideSeverity(related().filter((r) => !seen.has(r.id) && !r.withdrawn && !vendorOf(r.id)));
  if (other.cvss) return fromVerdict('ghsa', other);
  if (mine.source) return fromVerdict('ghsa', mine);
  return other.source ? fromVerdict('ghsa', other) : undefined;
}

export interface Decision {
  severity: Severity;
  /** the rating that decided, first in the order */
  decided?: Rating;
  /** the CVSS shown: the first source in the order that has a vector */
  cvss?: { score: CvssScore; rating: Rating };
  /** every rating found, vendor, nvd, ghsa */
  ratings: Rating[];
}

export function decide(
  found: Partial<Record<RatingSource, Rating>>,
  order: readonly RatingSource[] = DEFAULT_SEVERITY_SOURCES,
): Decision {
  const ratings = RATING_SOURCES.map((s) => found[s]).filter((r): r is Rating => !!r);
  const decided = order.map((s) => found[s]).find((r) => !!r);
  const withCvss = order.map((s) => found[s]).find((r) => r?.cvss);
  return {
    severity: decided?.severity ?? 'UNKNOWN',
    ...(decided ? { decided } : {}),
    ...(withCvss?.cvss ? { cvss: { score: withCvss.cvss, rating: withCvss } } : {}),
    ratings,
  };
}

/** `--severity-source vendor,nvd,ghsa`: known names, no repeats, at least one. */
export function parseSeveritySources(value: string): RatingSource[] | { unknown: string } {
  const out: RatingSource[] = [];
  for (const raw of value.split(',')) {
    const s = raw.trim().toLowerCase();
    if (!s) continue;
    if (!(RATING_SOURCES as readonly string[]).includes(s)) return { unknown: raw.trim() };
    if (!out.includes(s as RatingSource)) out.push(s as RatingSource);
  }
  return out.length ? out : { unknown: value };
}
