/** Small, allocation-light readers for 512-byte tar headers (ustar, pax, GNU), shared by the outer-archive index and the layer scanner. */

export const BLOCK = 512;

/** NUL-terminated string field. */
export function cstr(buf: Buffer, start: number, len: number): string {
  let end = start;
  const stop = start + len;
  while (end < stop && buf[end] !== 0) end++;
  return buf.toString('utf8', start, end);
}

/**
 * Numeric field: octal digits (spaces/NULs around them allowed) or GNU base-256 when the high bit
 * of the first byte is set. Returns -1 when the field is not a number.
 */
export function numberField(buf: Buffer, start: number, len: number): number {
  const first = buf[start]!;
  if ((first & 0x80) !== 0) {
    let v = first & 0x7f;
    for (let i = start + 1; i < start + len; i++) v = v * 256 + buf[i]!;
    return Number.isSafeInteger(v) ? v : -1;
  }
  let v = 0;
  let i = start;
  const stop = start + len;
  while (i < stop && (buf[i] === 0x20 || buf[i] === 0)) i++;
  let digits = 0;
  for (; i < stop; i++) {
    const c = buf[i]!;
    if (c < 0x30 || c > 0x37) break;
    v = v * 8 + (c - 0x30);
    digits++;
  }
  for (; i < stop; i++) if (buf[i] !== 0x20 && buf[i] !== 0) return -1;
  return digits === 0 ? 0 : v;
}

/** True when the header's checksum (unsigned, as written by every tar since POSIX) matches. */
export function checksumOk(h: Buffer, at = 0): boolean {
  let sum = 0;
  for (let i = 0; i < BLOCK; i++) sum += i >= 148 && i < 156 ? 32 : h[at + i]!;
  return numberField(h, at + 148, 8) === sum;
}

export function isZeroBlock(h: Buffer, at = 0): boolean {
  for (let i = at; i < at + BLOCK; i++) if (h[i] !== 0) return false;
  return true;
}

/** Full name: GNU/pax overrides are applied by the caller; this joins the ustar prefix. */
export function headerName(h: Buffer): string {
  const name = cstr(h, 0, 100);
  // ustar magic "ustar" at 257, and a prefix only when its first byte is set
  if (h[257] === 0x75 && h[258] === 0x73 && h[259] === 0x74 && h[345] !== 0) {
    // GNU headers ("ustar  ") keep atime/ctime where ustar has the prefix
    if (h[262] === 0x20) return name;
    return `${cstr(h, 345, 155)}/${name}`;
  }
  return name;
}

export function parsePax(data: Buffer): Record<string, string> {
  const out: Record<string, string> = {};
  let pos = 0;
  while (pos < data.length) {
    const sp = data.indexOf(0x20, pos);
    if (sp === -1) break;
    const len = parseInt(data.toString('ascii', pos, sp), 10);
    if (!Number.isFinite(len) || len <= 0 || pos + len > data.length) break;
    const rec = data.toString('utf8', sp + 1, pos + len - 1);
    const eq = rec.indexOf('=');
    if (eq > 0) out[rec.slice(0, eq)] = rec.slice(eq + 1);
    pos += len;
  }
  return out;
}
