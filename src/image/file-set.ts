import { createReadStream } from 'node:fs';
import { lstat, realpath } from 'node:fs/promises';
import path from 'node:path';
import { Readable } from 'node:stream';
import { BulwarkError } from '../core/errors.js';
import { readBounded } from './digest.js';
import { indexTar, type TarEntry } from './tar-index.js';
import { normalizeEntryName } from './walker.js';

/**
 * Read-only view of an archive's members (an OCI layout or `docker save` output), whether it is a
 * directory or a tar file. Every name is confined to the root: `..`, absolute names and symlinks
 * pointing outside are refused with PATH_TRAVERSAL.
 */
export interface FileSet {
  /** the path the user gave, for messages */
  readonly location: string;
  /** byte size of a member, or undefined when it does not exist */
  size(name: string): Promise<number | undefined>;
  open(name: string): Promise<Readable>;
  read(name: string, max: number): Promise<Buffer>;
}

function confine(name: string, location: string): string {
  const n = normalizeEntryName(name);
  if (n === null || n === '') {
    throw new BulwarkError('PATH_TRAVERSAL', `member ${JSON.stringify(name)} escapes the archive`, {
      input: `${location}:${name}`,
    });
  }
  return n;
}

export class DirFileSet implements FileSet {
  private rootReal: string | undefined;

  constructor(readonly location: string) {}

  private async resolve(name: string): Promise<string | undefined> {
    const rel = confine(name, this.location);
    this.rootReal ??= await realpath(this.location);
    let real: string;
    try {
      real = await realpath(path.join(this.rootReal, rel));
    } catch {
      return undefined;
    }
    if (!real.startsWith(this.rootReal + path.sep)) {
      throw new BulwarkError('PATH_TRAVERSAL', `member ${name} resolves outside the layout`, {
        input: `${this.location}:${name}`,
      });
    }
    return real;
  }

  async size(name: string): Promise<number | undefined> {
    const p = await this.resolve(name);
    if (!p) return undefined;
    const st = await lstat(p);
    return st.isFile() ? st.size : undefined;
  }

  async open(name: string): Promise<Readable> {
    const p = await this.resolve(name);
    if (!p) throw notFound(this.location, name);
    return createReadStream(p, { highWaterMark: 1024 * 1024 });
  }

  async read(name: string, max: number): Promise<Buffer> {
    return readBounded(await this.open(name), max, `${this.location}:${name}`);
  }
}

function notFound(location: string, name: string): BulwarkError {
  return new BulwarkError('INPUT_NOT_FOUND', `${name} is missing from ${location}`, {
    input: `${location}:${name}`,
  });
}

export class TarFileSet implements FileSet {
  private constructor(
    readonly location: string,
    private readonly entries: Map<string, TarEntry>,
  ) {}

  static async open(file: string): Promise<TarFileSet> {
    return new TarFileSet(file, await indexTar(file));
  }

  /** Member names, for content detection. */
  has(name: string): boolean {
    return this.entries.has(name);
  }

  private lookup(name: string): TarEntry | undefined {
    let cur = confine(name, this.location);
    // `docker save` stores a layer shared by two images once and symlinks the other copy.
    for (let hops = 0; hops < 16; hops++) {
      const e = this.entries.get(cur);
      if (!e || e.type === 'file') return e;
      if (e.type !== 'symlink' && e.type !== 'link') return undefined;
      const target = e.linkname ?? '';
      const joined = e.type === 'link' ? target : path.posix.join(path.posix.dirname(cur), target);
      if (target.startsWith('/') || path.posix.normalize(joined).startsWith('..')) {
        throw new BulwarkError('PATH_TRAVERSAL', `link ${cur} -> ${target} leaves the archive`, {
          input: `${this.location}:${cur}`,
        });
      }
      cur = confine(joined, this.location);
    }
    throw new BulwarkError('LIMIT_EXCEEDED', `too many links resolving ${name}`, {
      input: `${this.location}:${name}`,
    });
  }

  async size(name: string): Promise<number | undefined> {
    return this.lookup(name)?.size;
  }

  async open(name: string): Promise<Readable> {
    const e = this.lookup(name);
    if (!e) throw notFound(this.location, name);
    if (e.size === 0) return Readable.from([]);
    return createReadStream(this.location, {
      start: e.offset,
      end: e.offset + e.size - 1,
      highWaterMark: 1024 * 1024,
    });
  }

  async read(name: string, max: number): Promise<Buffer> {
    const e = this.lookup(name);
    if (!e) throw notFound(this.location, name);
    if (e.size > max) {
      throw new BulwarkError('LIMIT_EXCEEDED', `${name} is ${e.size} bytes, more than ${max}`, {
        input: `${this.location}:${name}`,
      });
    }
    return readBounded(await this.open(name), max, `${this.location}:${name}`);
  }
}
