import { open } from 'node:fs/promises';
import { BulwarkError } from '../core/errors.js';
import { BLOCK, checksumOk, cstr, headerName, isZeroBlock, numberField, parsePax } from './tar-header.js';
import { normalizeEntryName } from './walker.js';

/** Where one entry's bytes live inside the outer tar file. */
export interface TarEntry {
  name: string;
  offset: number;
  size: number;
  type: 'file' | 'symlink' | 'link' | 'dir' | 'other';
  linkname?: string;
}

export interface TarIndexOptions {
  /** most entries indexed before giving up (an archive of a few images has dozens) */
  maxEntries?: number;
  /** largest pax/GNU long-name record read into memory */
  maxMetaBytes?: number;
}

function parseNumber(buf: Buffer, start: number, len: number, input: string): number {
  const v = numberField(buf, start, len);
  if (v < 0) throw new BulwarkError('MALFORMED_INPUT', 'bad numeric field in tar header', { input });
  return v;
}

/**
 * Indexes an outer tar (a `docker save` archive, an OCI layout tar) once by reading its 512-byte
 * headers, so each member can then be streamed with `createReadStream(file, {start, end})` without
 * extracting anything. Only what bulwark needs: ustar, pax and GNU long names; names escaping the
 * root are left out so they can never be looked up.
 */
export async function indexTar(file: string, opts: TarIndexOptions = {}): Promise<Map<string, TarEntry>> {
  const maxEntries = opts.maxEntries ?? 100_000;
  const maxMeta = opts.maxMetaBytes ?? 1024 * 1024;
  const fh = await open(file, 'r').catch((e: NodeJS.ErrnoException) => {
    throw new BulwarkError('INPUT_NOT_FOUND', `cannot open archive: ${e.code ?? e.message}`, {
      input: file,
      cause: e,
    });
  });
  try {
    const { size: fileSize } = await fh.stat();
    const entries = new Map<string, TarEntry>();
    const header = Buffer.alloc(BLOCK);
    let pos = 0;
    let count = 0;
    let longName: string | undefined;
    let longLink: string | undefined;
    let pax: Record<string, string> = {};
    const readMeta = async (size: number, at: number): Promise<Buffer> => {
      if (size > maxMeta)
        throw new BulwarkError('LIMIT_EXCEEDED', 'tar metadata record too large', { input: file });
      const b = Buffer.alloc(size);
      const { bytesRead } = await fh.read(b, 0, size, at);
      if (bytesRead !== size)
        throw new BulwarkError('MALFORMED_INPUT', 'truncated tar archive', { input: file });
      return b;
    };
    while (pos + BLOCK <= fileSize) {
      const { bytesRead } = await fh.read(header, 0, BLOCK, pos);
      if (bytesRead !== BLOCK) break;
      if (isZeroBlock(header)) break;
      if (!checksumOk(header)) {
        throw new BulwarkError('MALFORMED_INPUT', `not a tar archive (bad header checksum at ${pos})`, {
          input: file,
        });
      }
      if (++count > maxEntries) {
        throw new BulwarkError('LIMIT_EXCEEDED', `archive has more than ${maxEntries} entries`, {
          input: file,
        });
      }
      const typeflag = String.fromCharCode(header[156] || 0x30);
      let size = parseNumber(header, 124, 12, file);
      const dataAt = pos + BLOCK;
      const next = dataAt + Math.ceil(size / BLOCK) * BLOCK;
      if (typeflag === 'L' || typeflag === 'K' || typeflag === 'x') {
        const meta = await readMeta(size, dataAt);
        if (typeflag === 'L') longName = cstr(meta, 0, meta.length);
        else if (typeflag === 'K') longLink = cstr(meta, 0, meta.length);
        else pax = parsePax(meta);
        pos = next;
        continue;
      }
      if (typeflag === 'g') {
        pos = next;
        continue;
      }
      let name = headerName(header);
      if (longName !== undefined) name = longName;
      if (pax.path !== undefined) name = pax.path;
      let linkname = longLink ?? pax.linkpath ?? cstr(header, 157, 100);
      if (pax.size !== undefined && /^[0-9]+$/.test(pax.size)) size = parseInt(pax.size, 10);
      const realNext = pax.size !== undefined ? dataAt + Math.ceil(size / BLOCK) * BLOCK : next;
      longName = longLink = undefined;
      pax = {};
      if (dataAt + (typeflag === '0' || typeflag === '\0' || typeflag === '7' ? size : 0) > fileSize) {
        throw new BulwarkError('MALFORMED_INPUT', `truncated tar archive (entry ${name})`, { input: file });
      }
      const norm = normalizeEntryName(name);
      if (norm !== null && norm !== '') {
        const type =
          typeflag === '0' || typeflag === '\0' || typeflag === '7'
            ? 'file'
            : typeflag === '2'
              ? 'symlink'
              : typeflag === '1'
                ? 'link'
                : typeflag === '5'
                  ? 'dir'
                  : 'other';
        if (type !== 'symlink' && type !== 'link') linkname = '';
        entries.set(norm, {
          name: norm,
          offset: dataAt,
          size: type === 'file' ? size : 0,
          type,
          ...(linkname ? { linkname } : {}),
        });
      }
      pos = realNext;
    }
    return entries;
  } finally {
    await fh.close();
  }
}
