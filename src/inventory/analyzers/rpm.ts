import { PackageURL } from 'packageurl-js';
import type { InventoryWarning, Package } from '../../core/types.js';
import {
  parseRpmHeader,
  parseSourceRpm,
  rpmVersionString,
  RpmHeaderError,
} from '../../ecosystems/rpm/parse.js';
import type { RpmHeader } from '../../ecosystems/rpm/parse.js';
import type { Analyzer, AnalyzeContext, AnalyzerFile, AnalyzerOutput } from '../types.js';
import { readBdbBlobs } from '../rpmdb/bdb.js';
import { readNdbBlobs } from '../rpmdb/ndb.js';
import { readSqliteBlobs } from '../rpmdb/sqlite.js';
import { DEFAULT_RPMDB_LIMITS, RpmDbFormatError } from '../rpmdb/common.js';
import type { RpmDbLimits } from '../rpmdb/common.js';

/** Where rpm keeps its database: classic `/var/lib/rpm` and the newer `/usr/lib/sysimage/rpm`. */
export const RPMDB_PATHS = new Set([
  'var/lib/rpm/Packages',
  'var/lib/rpm/Packages.db',
  'var/lib/rpm/rpmdb.sqlite',
  'usr/lib/sysimage/rpm/Packages',
  'usr/lib/sysimage/rpm/Packages.db',
  'usr/lib/sysimage/rpm/rpmdb.sqlite',
]);

export type RpmDbFormat = 'sqlite' | 'bdb' | 'ndb';

/** Picks the backend from the bytes, not the name: images have been seen with renamed files. */
export function detectRpmDbFormat(content: Buffer): RpmDbFormat | undefined {
  if (content.length >= 16 && content.toString('latin1', 0, 16) === 'SQLite format 3\0') return 'sqlite';
  if (content.length >= 4 && content.readUInt32LE(0) === 0x506d7052) return 'ndb';
  if (
    content.length >= 512 &&
    (content.readUInt32LE(12) === 0x00061561 || content.readUInt32BE(12) === 0x00061561)
  ) {
    return 'bdb';
  }
  return undefined;
}

/** Header blobs of every package, whatever the backend. */
export function readRpmDbBlobs(
  content: Buffer,
  limits: RpmDbLimits = DEFAULT_RPMDB_LIMITS,
): {
  format: RpmDbFormat;
  blobs: Buffer[];
  problems: string[];
} {
  const format = detectRpmDbFormat(content);
  switch (format) {
    case 'sqlite':
      return { format, blobs: readSqliteBlobs(content, limits), problems: [] };
    case 'bdb':
      return { format, blobs: readBdbBlobs(content, limits), problems: [] };
    case 'ndb':
      return { format, ...readNdbBlobs(content, limits) };
    default:
      throw new RpmDbFormatError('not an rpm database (SQLite, BerkeleyDB hash or NDB)');
  }
}

const VENDORS: [needle: string, namespace: string][] = [
  ['red hat', 'redhat'],
  ['rocky', 'rocky'],
  ['almalinux', 'almalinux'],
  ['centos', 'centos'],
  ['fedora', 'fedora'],
  ['amazon', 'amazon'],
  ['suse', 'suse'],
  ['oracle', 'oracle'],
];

function vendorNamespace(vendor: string | undefined): string {
  const v = (vendor ?? '').toLowerCase();
  return VENDORS.find(([needle]) => v.includes(needle))?.[1] ?? 'rpm';
}

export function rpmPackage(h: RpmHeader, location: string): Omit<Package, 'layer'> {
  const version = rpmVersionString(h);
  const qualifiers: Record<string, string> = {};
  if (h.arch) qualifiers.arch = h.arch;
  if (h.epoch !== undefined) qualifiers.epoch = String(h.epoch);
  const pkg: Omit<Package, 'layer'> = {
    name: h.name,
    version,
    ecosystem: '',
    type: 'os',
    // namespace and distro= are adjusted by finalizeOsPackage once the OS is known
    purl: new PackageURL(
      'rpm',
      vendorNamespace(h.vendor),
      h.name,
      `${h.version}-${h.release}`,
      qualifiers,
      undefined,
    ).toString(),
    location,
  };
  if (h.arch) pkg.arch = h.arch;
  if (h.license) pkg.licenses = [h.license];
  const metadata: Record<string, string | number> = { release: h.release };
  if (h.epoch !== undefined) metadata.epoch = h.epoch;
  if (h.sourceRpm) {
    metadata.sourceRpm = h.sourceRpm;
    const src = parseSourceRpm(h.sourceRpm);
    if (src) {
      pkg.sourceName = src.name;
      const srcVr = `${src.version}-${src.release}`;
      if (srcVr !== `${h.version}-${h.release}`)
        pkg.sourceVersion = h.epoch === undefined ? srcVr : `${h.epoch}:${srcVr}`;
    }
  }
  if (h.vendor) metadata.vendor = h.vendor;
  if (h.modularityLabel) metadata.modularityLabel = h.modularityLabel;
  pkg.metadata = metadata;
  return pkg;
}

export const rpmAnalyzer: Analyzer = {
  id: 'rpm',
  version: 1,
  kind: 'os-packages',
  required(path: string): boolean {
    return RPMDB_PATHS.has(path);
  },
  analyze(file: AnalyzerFile, ctx: AnalyzeContext): AnalyzerOutput {
    const warnings: InventoryWarning[] = [];
    let blobs: Buffer[];
    try {
      const r = readRpmDbBlobs(file.content, { ...DEFAULT_RPMDB_LIMITS, maxBytes: ctx.maxBytes });
      blobs = r.blobs;
      for (const message of r.problems) warnings.push({ code: 'RPMDB_MALFORMED', message, input: file.path });
    } catch (e) {
      if (!(e instanceof RpmDbFormatError)) throw e;
      return { warnings: [{ code: 'RPMDB_UNREADABLE', message: e.message, input: file.path }] };
    }
    const packages: Omit<Package, 'layer'>[] = [];
    let bad = 0;
    let firstError = '';
    for (const blob of blobs) {
      let h: RpmHeader;
      try {
        h = parseRpmHeader(blob);
      } catch (e) {
        if (!(e instanceof RpmHeaderError)) throw e;
        if (bad++ === 0) firstError = e.message;
        continue;
      }
      // imported signing keys live in the database as fake packages
      if (h.name === 'gpg-pubkey') continue;
      packages.push(rpmPackage(h, file.path));
    }
    if (bad > 0) {
      warnings.push({
        code: 'RPMDB_MALFORMED',
        message: `${bad} unreadable package header(s), first: ${firstError}`,
        input: file.path,
      });
    }
    return warnings.length ? { packages, warnings } : { packages };
  },
};

export default rpmAnalyzer;
