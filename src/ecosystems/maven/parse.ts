import { PackageURL } from 'packageurl-js';
import { BulwarkError } from '../../core/errors.js';
import {
  bufferSource,
  readZipDirectory,
  readZipEntry,
  type ByteSource,
  type InflateBudget,
  type ZipEntry,
} from './zip.js';

/** A Maven artifact found in a Java archive. */
export interface JavaPackage {
  groupId: string;
  artifactId: string;
  version: string;
  /** `outer.jar` or `outer.jar!/BOOT-INF/lib/inner.jar` */
  location: string;
  source: 'pom.properties' | 'manifest' | 'filename';
  /** no groupId was recorded: it was taken to equal the artifactId (right for many old artifacts) */
  groupIdGuessed?: boolean;
}

export interface JavaProblem {
  code: string;
  message: string;
  input: string;
}

export interface JavaArchiveResult {
  packages: JavaPackage[];
  problems: JavaProblem[];
}

export interface JavaArchiveOptions {
  /** nested archive levels followed below the outer one */
  maxDepth?: number;
  /** bytes inflated in total across the archive and everything nested in it */
  maxInflatedBytes?: number;
  /** largest single entry inflated (nested archives are held in memory while walked) */
  maxEntryBytes?: number;
  /** largest uncompressed/compressed ratio for entries above 1 MiB */
  maxRatio?: number;
  /** central directory entries read in total across the tree (quines, overlapping entries) */
  maxEntries?: number;
  /** nested archives opened in total */
  maxArchives?: number;
}

const DEFAULTS: Required<JavaArchiveOptions> = {
  maxDepth: 4,
  maxInflatedBytes: 1024 * 1024 * 1024,
  maxEntryBytes: 64 * 1024 * 1024,
  maxRatio: 100,
  maxEntries: 1_000_000,
  maxArchives: 10_000,
};
const MAX_METADATA_FILE = 1024 * 1024;

/** `.jar .war .ear .par` in any case, without allocating (the gate runs for every tar entry). */
export function isJavaArchiveName(name: string): boolean {
  const n = name.length;
  if (n < 5 || name.charCodeAt(n - 4) !== 46) return false;
  const a = name.charCodeAt(n - 3) | 0x20;
  const b = name.charCodeAt(n - 2) | 0x20;
  const c = name.charCodeAt(n - 1) | 0x20;
  if (b !== 0x61 || c !== 0x72) return false; // "?ar"
  return a === 0x6a || a === 0x77 || a === 0x65 || a === 0x70; // j w e p
}

/** Java .properties: `key=value`, `key: value`, `key value`; `#`/`!` comments. */
export function parseProperties(text: string): Map<string, string> {
  const out = new Map<string, string>();
  for (const raw of text.split(/\r?\n/)) {
    const line = raw.trim();
    if (!line || line.startsWith('#') || line.startsWith('!')) continue;
    const m = /^([^=:\s]+)\s*[=:\s]\s*(.*)$/.exec(line);
    if (m) out.set(m[1]!, m[2]!.trim());
  }
  return out;
}

/** The main section of MANIFEST.MF, keys lower-cased, 72-byte continuation lines joined. */
export function parseManifest(text: string): Map<string, string> {
  const out = new Map<string, string>();
  let key = '';
  for (const line of text.split(/\r?\n/)) {
    if (line === '') break; // per-entry sections follow the first blank line
    if (line.startsWith(' ') && key) {
      out.set(key, out.get(key)! + line.slice(1));
      continue;
    }
    const colon = line.indexOf(':');
    if (colon <= 0) continue;
    key = line.slice(0, colon).trim().toLowerCase();
    out.set(key, line.slice(colon + 1).trim());
  }
  return out;
}

/** `commons-io-2.11.0.jar` -> commons-io / 2.11.0; `guava-31.1-jre.jar` -> guava / 31.1-jre. */
export function parseArchiveFileName(fileName: string): { artifactId: string; version?: string } | undefined {
  const base = fileName.slice(fileName.lastIndexOf('/') + 1).replace(/\.[A-Za-z]{3}$/, '');
  if (!base) return undefined;
  const m = /^(.+?)-(\d[^-]*(?:-.*)?)$/.exec(base);
  if (!m) return { artifactId: base };
  return { artifactId: m[1]!, version: m[2]! };
}

export function mavenPurl(groupId: string, artifactId: string, version: string): string {
  return new PackageURL('maven', groupId, artifactId, version || undefined, undefined, undefined).toString();
}

function isPomProperties(name: string): boolean {
  // META-INF/maven/<groupId>/<artifactId>/pom.properties, exactly
  if (!name.startsWith('META-INF/maven/') || !name.endsWith('/pom.properties')) return false;
  const middle = name.slice('META-INF/maven/'.length, -'/pom.properties'.length);
  const slash = middle.indexOf('/');
  return slash > 0 && slash < middle.length - 1 && middle.indexOf('/', slash + 1) < 0;
}

interface Walk {
  opts: Required<JavaArchiveOptions>;
  budget: InflateBudget;
  entriesLeft: number;
  archivesLeft: number;
  out: JavaArchiveResult;
}

function problem(w: Walk, e: unknown, input: string): void {
  const code = e instanceof BulwarkError ? e.code : 'MALFORMED_INPUT';
  w.out.problems.push({ code, message: e instanceof Error ? e.message : String(e), input });
}

function readSmall(buf: ByteSource, entry: ZipEntry, w: Walk, location: string): string | undefined {
  if (entry.uncompressedSize > MAX_METADATA_FILE) {
    w.out.problems.push({
      code: 'LIMIT_EXCEEDED',
      message: `${entry.name} is ${entry.uncompressedSize} bytes, not read`,
      input: location,
    });
    return undefined;
  }
  try {
    return readZipEntry(buf, entry, w.budget, location).toString('utf8');
  } catch (e) {
    problem(w, e, `${location}!/${entry.name}`);
    return undefined;
  }
}

function fromManifest(m: Map<string, string>, fileName: string, location: string): JavaPackage | undefined {
  const fromName = parseArchiveFileName(fileName);
  const symbolic = m.get('bundle-symbolicname')?.split(';')[0]?.trim();
  const version = m.get('implementation-version') ?? m.get('bundle-version') ?? fromName?.version;
  const artifactId = fromName?.artifactId ?? m.get('implementation-title') ?? symbolic;
  if (!version || !artifactId) return undefined;
  let groupId = m.get('implementation-vendor-id');
  if (!groupId && symbolic && symbolic.endsWith(`.${artifactId}`))
    groupId = symbolic.slice(0, -artifactId.length - 1);
  return {
    groupId: groupId ?? artifactId,
    artifactId,
    version,
    location,
    source: 'manifest',
    ...(groupId ? {} : { groupIdGuessed: true }),
  };
}

function filenamePackage(fileName: string, location: string): JavaPackage | undefined {
  const n = parseArchiveFileName(fileName);
  if (!n?.version) return undefined;
  return {
    groupId: n.artifactId,
    artifactId: n.artifactId,
    version: n.version,
    location,
    source: 'filename',
    groupIdGuessed: true,
  };
}

function walkArchive(buf: ByteSource, location: string, fileName: string, depth: number, w: Walk): void {
  let entries: ZipEntry[];
  try {
    entries = readZipDirectory(buf, w.entriesLeft, location);
  } catch (e) {
    problem(w, e, location);
    // A damaged `log4j-core-2.14.1.jar` is still evidence of what was shipped.
    const n = filenamePackage(fileName, location);
    if (n) w.out.packages.push(n);
    return;
  }
  w.entriesLeft -= entries.length;
  const found: JavaPackage[] = [];
  let manifest: ZipEntry | undefined;
  const nested: ZipEntry[] = [];
  for (const e of entries) {
    if (isPomProperties(e.name)) {
      const text = readSmall(buf, e, w, location);
      if (text === undefined) continue;
      const p = parseProperties(text);
      const groupId = p.get('groupId');
      const artifactId = p.get('artifactId');
      const version = p.get('version');
      if (groupId && artifactId && version) {
        found.push({ groupId, artifactId, version, location, source: 'pom.properties' });
      } else {
        w.out.problems.push({
          code: 'MALFORMED_INPUT',
          message: `${e.name} lacks groupId, artifactId or version`,
          input: location,
        });
      }
    } else if (e.name === 'META-INF/MANIFEST.MF') {
      manifest = e;
    } else if (isJavaArchiveName(e.name) && !e.name.endsWith('/')) {
      nested.push(e);
    }
  }
  if (found.length === 0 && manifest) {
    const text = readSmall(buf, manifest, w, location);
    const p = text === undefined ? undefined : fromManifest(parseManifest(text), fileName, location);
    if (p) found.push(p);
  }
  if (found.length === 0) {
    const n = filenamePackage(fileName, location);
    if (n) found.push(n);
  }
  w.out.packages.push(...found);

  for (const e of nested) {
    const inner = `${location}!/${e.name}`;
    if (depth >= w.opts.maxDepth) {
      w.out.problems.push({
        code: 'LIMIT_EXCEEDED',
        message: `archive nested deeper than ${w.opts.maxDepth} levels, not read`,
        input: inner,
      });
      continue;
    }
    if (--w.archivesLeft < 0) {
      w.out.problems.push({
        code: 'LIMIT_EXCEEDED',
        message: `more than ${w.opts.maxArchives} nested archives, the rest not read`,
        input: location,
      });
      return;
    }
    let data: Buffer;
    try {
      data = readZipEntry(buf, e, w.budget, location);
    } catch (err) {
      problem(w, err, inner);
      continue;
    }
    // One nested archive at a time: its inflated bytes are garbage once the walk returns.
    walkArchive(bufferSource(data), inner, e.name, depth + 1, w);
  }
}

/**
 * Maven artifacts in a Java archive and the archives nested in it (Spring Boot `BOOT-INF/lib`,
 * `WEB-INF/lib`, EAR modules): pom.properties first, then MANIFEST.MF, then the file name. Only
 * those metadata files and nested archives are inflated, one nested archive at a time, within
 * depth, entry, ratio and byte bounds; every problem is reported with the archive path and the
 * walk continues.
 */
export function parseJavaArchive(
  input: Buffer | ByteSource,
  location: string,
  options: JavaArchiveOptions = {},
): JavaArchiveResult {
  const opts = { ...DEFAULTS, ...options };
  const w: Walk = {
    opts,
    budget: {
      remaining: opts.maxInflatedBytes,
      maxEntry: opts.maxEntryBytes,
      maxRatio: opts.maxRatio,
      ratioFloor: 1024 * 1024,
    },
    entriesLeft: opts.maxEntries,
    archivesLeft: opts.maxArchives,
    out: { packages: [], problems: [] },
  };
  walkArchive(Buffer.isBuffer(input) ? bufferSource(input) : input, location, location, 0, w);
  return w.out;
}
