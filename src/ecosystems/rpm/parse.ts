/**
 * rpm header blobs as stored in every rpmdb backend (sqlite `Packages.blob`, BerkeleyDB `Packages`
 * values, NDB blob records): `il` and `dl` (big-endian int32), `il` index entries of 16 bytes
 * (tag, type, offset, count), then `dl` bytes of data. Every offset is checked against the blob:
 * these bytes come from images, not from rpm.
 */

export const RPMTAG = {
  NAME: 1000,
  VERSION: 1001,
  RELEASE: 1002,
  EPOCH: 1003,
  VENDOR: 1011,
  LICENSE: 1014,
  ARCH: 1022,
  SOURCERPM: 1044,
  MODULARITYLABEL: 5096,
} as const;

const TYPE_INT32 = 4;
const TYPE_STRING = 6;
const TYPE_STRING_ARRAY = 8;
const TYPE_I18NSTRING = 9;

/** rpm's own bounds (lib/header.c: HEADER_TAGS_MAX, HEADER_DATA_MAX) */
const MAX_INDEX_ENTRIES = 0xffff;
const MAX_DATA_BYTES = 0x0fffffff;
/** no field bulwark reads is anywhere near this long */
const MAX_STRING_BYTES = 64 * 1024;

export interface RpmHeader {
  name: string;
  version: string;
  release: string;
  epoch?: number;
  arch?: string;
  sourceRpm?: string;
  license?: string;
  vendor?: string;
  modularityLabel?: string;
}

export class RpmHeaderError extends Error {}

interface Entry {
  type: number;
  offset: number;
  count: number;
}

function readString(data: Buffer, offset: number): string {
  const limit = Math.min(data.length, offset + MAX_STRING_BYTES);
  const end = data.indexOf(0, offset);
  if (end < 0 || end >= limit) throw new RpmHeaderError(`unterminated string at data offset ${offset}`);
  return data.toString('utf8', offset, end);
}

/** Parses one header blob. Throws RpmHeaderError on any inconsistency. */
export function parseRpmHeader(blob: Uint8Array): RpmHeader {
  const buf = Buffer.from(blob.buffer, blob.byteOffset, blob.byteLength);
  if (buf.length < 8) throw new RpmHeaderError('header blob shorter than 8 bytes');
  const il = buf.readUInt32BE(0);
  const dl = buf.readUInt32BE(4);
  if (il < 1 || il > MAX_INDEX_ENTRIES) throw new RpmHeaderError(`bad index count ${il}`);
  if (dl > MAX_DATA_BYTES) throw new RpmHeaderError(`bad data length ${dl}`);
  const dataStart = 8 + il * 16;
  if (dataStart + dl > buf.length) throw new RpmHeaderError('index or data past the end of the blob');
  const data = buf.subarray(dataStart, dataStart + dl);
  const wanted = new Set<number>(Object.values(RPMTAG));
  const entries = new Map<number, Entry>();
  for (let i = 0; i < il; i++) {
    const at = 8 + i * 16;
    const tag = buf.readUInt32BE(at);
    if (!wanted.has(tag) || entries.has(tag)) continue;
    const entry = {
      type: buf.readUInt32BE(at + 4),
      offset: buf.readUInt32BE(at + 8),
      count: buf.readUInt32BE(at + 12),
    };
    if (entry.offset >= dl)
      throw new RpmHeaderError(`tag ${tag} offset ${entry.offset} outside data (${dl})`);
    entries.set(tag, entry);
  }
  const str = (tag: number): string | undefined => {
    const e = entries.get(tag);
    if (!e) return undefined;
    if (e.type !== TYPE_STRING && e.type !== TYPE_I18NSTRING && e.type !== TYPE_STRING_ARRAY) {
      throw new RpmHeaderError(`tag ${tag} has type ${e.type}, expected a string`);
    }
    return readString(data, e.offset);
  };
  const name = str(RPMTAG.NAME);
  const version = str(RPMTAG.VERSION);
  const release = str(RPMTAG.RELEASE);
  if (name === undefined || version === undefined || release === undefined) {
    throw new RpmHeaderError('header lacks NAME, VERSION or RELEASE');
  }
  const h: RpmHeader = { name, version, release };
  const epoch = entries.get(RPMTAG.EPOCH);
  if (epoch) {
    if (epoch.type !== TYPE_INT32 || epoch.count < 1 || epoch.offset + 4 > dl) {
      throw new RpmHeaderError('malformed EPOCH');
    }
    h.epoch = data.readUInt32BE(epoch.offset);
  }
  const arch = str(RPMTAG.ARCH);
  if (arch !== undefined) h.arch = arch;
  const src = str(RPMTAG.SOURCERPM);
  if (src !== undefined) h.sourceRpm = src;
  const license = str(RPMTAG.LICENSE);
  if (license !== undefined) h.license = license;
  const vendor = str(RPMTAG.VENDOR);
  if (vendor !== undefined) h.vendor = vendor;
  const mod = str(RPMTAG.MODULARITYLABEL);
  if (mod) h.modularityLabel = mod;
  return h;
}

/**
 * The version bulwark matches on: `epoch:version-release`, with the epoch only when the header has
 * one. rpm treats a missing epoch as 0 when comparing (`%{EPOCHNUM}`), so `1.0-1` and `0:1.0-1`
 * compare equal; leaving it out keeps versions as users see them in `rpm -q`.
 */
export function rpmVersionString(h: Pick<RpmHeader, 'epoch' | 'version' | 'release'>): string {
  const vr = `${h.version}-${h.release}`;
  return h.epoch === undefined ? vr : `${h.epoch}:${vr}`;
}

/** `openssl-3.0.7-24.el9.src.rpm` -> `{ name: 'openssl', version: '3.0.7', release: '24.el9' }` */
export function parseSourceRpm(file: string): { name: string; version: string; release: string } | undefined {
  let base = file;
  if (base.endsWith('.src.rpm')) base = base.slice(0, -'.src.rpm'.length);
  else if (base.endsWith('.nosrc.rpm')) base = base.slice(0, -'.nosrc.rpm'.length);
  else return undefined;
  const r = base.lastIndexOf('-');
  if (r <= 0) return undefined;
  const v = base.lastIndexOf('-', r - 1);
  if (v <= 0) return undefined;
  return { name: base.slice(0, v), version: base.slice(v + 1, r), release: base.slice(r + 1) };
}
