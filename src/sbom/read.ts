import { open } from 'node:fs/promises';
import { BulwarkError } from '../core/errors.js';
import type { Inventory, InventoryWarning, LayerInfo, OsInfo, Package } from '../core/types.js';
import { osInfo, packageFromPurl } from './purl-map.js';

export interface ReadSbomOptions {
  /** largest document accepted, in bytes (default 64 MiB) */
  maxBytes?: number;
  /** at most this many warnings are kept (one per skipped component); the rest are counted */
  maxWarnings?: number;
}

export const DEFAULT_MAX_SBOM_BYTES = 64 * 1024 * 1024;

type Json = Record<string, unknown>;

const isObj = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);
const str = (v: unknown): string | undefined => (typeof v === 'string' && v !== '' ? v : undefined);
const arr = (v: unknown): unknown[] => (Array.isArray(v) ? v : []);

/** Names and purls come from the document: no control characters (terminal escapes) and bounded length. */
function printable(s: string): string {
  // eslint-disable-next-line no-control-regex
  const clean = s.replace(/[\u0000-\u001f\u007f-\u009f]/g, '?');
  return clean.length > 300 ? `${clean.slice(0, 300)}...` : clean;
}

/** Collects per-component problems without letting a hostile document flood the report. */
class Warnings {
  readonly list: InventoryWarning[] = [];
  private dropped = 0;
  constructor(
    private readonly input: string,
    private readonly max: number,
  ) {}
  add(code: string, message: string): void {
    if (this.list.length < this.max) this.list.push({ code, message: printable(message), input: this.input });
    else this.dropped++;
  }
  done(): InventoryWarning[] {
    if (this.dropped)
      this.list.push({
        code: 'SBOM_WARNINGS_TRUNCATED',
        message: `${this.dropped} more components skipped`,
        input: this.input,
      });
    return this.list;
  }
}

interface Found {
  pkg: Omit<Package, 'location'>;
  os?: OsInfo;
  location?: string;
  layer?: LayerInfo;
  licenses?: string[];
  sourceName?: string;
  sourceVersion?: string;
}

function toPackage(f: Found, fallbackLocation: string): Package {
  return {
    ...f.pkg,
    ...(f.sourceName && f.sourceName !== f.pkg.name ? { sourceName: f.sourceName } : {}),
    ...(f.sourceVersion && f.sourceVersion !== f.pkg.version ? { sourceVersion: f.sourceVersion } : {}),
    ...(f.licenses?.length ? { licenses: f.licenses } : {}),
    location: f.location ?? fallbackLocation,
    ...(f.layer ? { layer: f.layer } : {}),
  };
}

/** The OS of the document: an explicit OS component wins, else the release most OS purls name. */
function pickOs(explicit: OsInfo | undefined, found: Found[]): OsInfo | undefined {
  if (explicit) return explicit;
  const counts = new Map<string, { os: OsInfo; n: number }>();
  for (const f of found) {
    if (!f.os) continue;
    const c = counts.get(f.os.ecosystem) ?? { os: f.os, n: 0 };
    c.n++;
    counts.set(f.os.ecosystem, c);
  }
  return [...counts.values()].sort((a, b) => b.n - a.n || (a.os.ecosystem < b.os.ecosystem ? -1 : 1))[0]?.os;
}

function layerFrom(props: Map<string, string>): LayerInfo | undefined {
  const diffId = props.get('bulwark:layer:diffId') ?? props.get('aquasecurity:trivy:LayerDiffID');
  const digest = props.get('bulwark:layer:digest') ?? props.get('aquasecurity:trivy:LayerDigest');
  if (!diffId && !digest) return undefined;
  const index = Number(props.get('bulwark:layer:index') ?? -1);
  const createdBy = props.get('bulwark:layer:createdBy');
  return {
    index: Number.isInteger(index) ? index : -1,
    digest: digest ?? '',
    diffId: diffId ?? '',
    ...(createdBy ? { createdBy } : {}),
  };
}

function locationFrom(props: Map<string, string>): string | undefined {
  const raw =
    props.get('bulwark:location') ??
    props.get('aquasecurity:trivy:FilePath') ??
    props.get('syft:location:0:path');
  return raw?.replace(/^\/+/, '');
}

function cdxLicenses(c: Json): string[] {
  const out: string[] = [];
  for (const l of arr(c.licenses)) {
    if (!isObj(l)) continue;
    const expr = str(l.expression);
    if (expr) out.push(expr);
    const lic = isObj(l.license) ? l.license : undefined;
    const id = str(lic?.id) ?? str(lic?.name);
    if (id) out.push(id);
  }
  return out;
}

function properties(c: Json): Map<string, string> {
  const m = new Map<string, string>();
  for (const p of arr(c.properties)) {
    if (!isObj(p)) continue;
    const name = str(p.name);
    const value = typeof p.value === 'string' ? p.value : undefined;
    if (name && value !== undefined && !m.has(name)) m.set(name, value);
  }
  return m;
}

const MAX_DEPTH = 32;

/**
 * One component or package with a purl as a found package (what both formats share): the purl
 * mapped to an ecosystem, location and layer from bulwark's (or Trivy's) properties; undefined,
 * with a warning, when the purl's type is not one bulwark matches.
 */
function foundPackage(
  warn: Warnings,
  what: string,
  purl: string,
  version: string | undefined,
  props: Map<string, string>,
  extra: { licenses: string[]; sourceName: string | undefined; sourceVersion: string | undefined },
): Found | undefined {
  const mapped = packageFromPurl(purl, version);
  if (typeof mapped === 'string') {
    warn.add('SBOM_UNSUPPORTED_PURL', `${what} (${purl}): ${mapped}: skipped`);
    return undefined;
  }
  const layer = layerFrom(props);
  const location = locationFrom(props);
  const { licenses, sourceName, sourceVersion } = extra;
  return {
    ...mapped,
    ...(location ? { location } : {}),
    ...(layer ? { layer } : {}),
    ...(licenses.length ? { licenses } : {}),
    ...(sourceName ? { sourceName } : {}),
    ...(sourceVersion ? { sourceVersion } : {}),
  };
}

function readCycloneDx(doc: Json, warn: Warnings): { found: Found[]; os?: OsInfo } {
  const found: Found[] = [];
  let os: OsInfo | undefined;
  // components nest (`components[].components`); walk iteratively with a depth bound
  const stack: [unknown, number][] = arr(doc.components).map((c) => [c, 0]);
  while (stack.length) {
    const [c, depth] = stack.pop()!;
    if (!isObj(c)) continue;
    if (depth < MAX_DEPTH) for (const child of arr(c.components)) stack.push([child, depth + 1]);
    const name = str(c.name) ?? '(unnamed)';
    const props = properties(c);
    if (c.type === 'operating-system') {
      const version = str(c.version);
      if (version && !os) {
        const family = name.toLowerCase();
        os = osInfo(family, version, str(c.description));
        const eco = props.get('bulwark:os:ecosystem');
        if (eco) os.ecosystem = eco;
      }
      continue;
    }
    const purl = str(c.purl);
    if (!purl) {
      // Trivy lists the files packages came from as purl-less application components
      if (c.type === 'library' || c.type === 'framework')
        warn.add('SBOM_NO_PURL', `component "${name}" has no purl: skipped`);
      continue;
    }
    const pkg = foundPackage(warn, `component "${name}"`, purl, str(c.version), props, {
      licenses: cdxLicenses(c),
      sourceName: props.get('bulwark:source:name') ?? props.get('aquasecurity:trivy:SrcName'),
      sourceVersion: props.get('bulwark:source:version') ?? props.get('aquasecurity:trivy:SrcVersion'),
    });
    if (pkg) found.push(pkg);
  }
  return { found, ...(os ? { os } : {}) };
}

function spdxAnnotations(p: Json): Map<string, string> {
  const m = new Map<string, string>();
  for (const a of arr(p.annotations)) {
    const comment = isObj(a) ? str(a.comment) : undefined;
    if (!comment?.startsWith('bulwark:')) continue;
    const eq = comment.indexOf('=');
    if (eq > 0 && !m.has(comment.slice(0, eq))) m.set(comment.slice(0, eq), comment.slice(eq + 1));
  }
  return m;
}

function spdxLicense(p: Json): string[] {
  for (const field of ['licenseDeclared', 'licenseConcluded']) {
    const v = str(p[field]);
    if (v && v !== 'NOASSERTION' && v !== 'NONE') return [v];
  }
  return [];
}

function readSpdx(doc: Json, warn: Warnings): { found: Found[]; os?: OsInfo } {
  const roots = new Set<string>();
  for (const id of arr(doc.documentDescribes)) if (typeof id === 'string') roots.add(id);
  for (const r of arr(doc.relationships)) {
    if (!isObj(r)) continue;
    if (r.relationshipType === 'DESCRIBES' && r.spdxElementId === 'SPDXRef-DOCUMENT') {
      const rel = str(r.relatedSpdxElement);
      if (rel) roots.add(rel);
    }
  }
  const found: Found[] = [];
  let os: OsInfo | undefined;
  for (const p of arr(doc.packages)) {
    if (!isObj(p)) continue;
    const id = str(p.SPDXID) ?? '';
    const name = str(p.name) ?? '(unnamed)';
    const notes = spdxAnnotations(p);
    if (p.primaryPackagePurpose === 'OPERATING-SYSTEM') {
      const version = str(p.versionInfo);
      if (version && !os) {
        os = osInfo(name.toLowerCase(), version, notes.get('bulwark:os:name'));
        const eco = notes.get('bulwark:os:ecosystem');
        if (eco) os.ecosystem = eco;
      }
      continue;
    }
    // the described element is the scanned thing itself (an image, a folder), not a dependency
    if (roots.has(id)) continue;
    const purls = arr(p.externalRefs)
      .filter(
        (r): r is Json =>
          isObj(r) &&
          r.referenceType === 'purl' &&
          (r.referenceCategory === 'PACKAGE-MANAGER' || r.referenceCategory === 'PACKAGE_MANAGER'),
      )
      .map((r) => str(r.referenceLocator))
      .filter((x): x is string => !!x);
    const purl = purls[0];
    if (!purl) {
      warn.add('SBOM_NO_PURL', `package "${name}" has no purl: skipped`);
      continue;
    }
    const pkg = foundPackage(warn, `package "${name}"`, purl, str(p.versionInfo), notes, {
      licenses: spdxLicense(p),
      sourceName: notes.get('bulwark:source:name'),
      sourceVersion: notes.get('bulwark:source:version'),
    });
    if (pkg) found.push(pkg);
  }
  return { found, ...(os ? { os } : {}) };
}

const CDX_VERSIONS = new Set(['1.4', '1.5', '1.6']);
const SPDX_VERSIONS = new Set(['SPDX-2.2', 'SPDX-2.3']);

/**
 * An SBOM document (CycloneDX JSON 1.4-1.6 or SPDX JSON 2.2/2.3) as an inventory of target kind
 * `sbom`: every component with a purl of a matchable ecosystem becomes a package; the rest are
 * skipped with a warning. Anything that is not such a document is MALFORMED_INPUT.
 */
export function parseSbom(text: string, input: string, opts: ReadSbomOptions = {}): Inventory {
  let doc: unknown;
  try {
    doc = JSON.parse(text.charCodeAt(0) === 0xfeff ? text.slice(1) : text);
  } catch (e) {
    // V8's message quotes the input; a hostile file must not write to the user's terminal
    throw new BulwarkError('MALFORMED_INPUT', 'not valid JSON', { input, cause: e });
  }
  if (!isObj(doc))
    throw new BulwarkError('MALFORMED_INPUT', 'not an SBOM: the document is not a JSON object', { input });
  const warn = new Warnings(input, opts.maxWarnings ?? 100);
  let read: { found: Found[]; os?: OsInfo };
  if (doc.bomFormat === 'CycloneDX') {
    const v = str(doc.specVersion);
    if (!v || !CDX_VERSIONS.has(v))
      throw new BulwarkError(
        'MALFORMED_INPUT',
        `CycloneDX specVersion ${v ?? '(none)'} is not 1.4, 1.5 or 1.6`,
        {
          input,
        },
      );
    read = readCycloneDx(doc, warn);
  } else if (typeof doc.spdxVersion === 'string') {
    if (!SPDX_VERSIONS.has(doc.spdxVersion))
      throw new BulwarkError('MALFORMED_INPUT', `${doc.spdxVersion} is not SPDX 2.2 or 2.3`, { input });
    read = readSpdx(doc, warn);
  } else {
    throw new BulwarkError('MALFORMED_INPUT', 'neither a CycloneDX nor an SPDX JSON document', { input });
  }
  const os = pickOs(read.os, read.found);
  const packages = read.found.map((f) => toPackage(f, input));
  return {
    target: { kind: 'sbom', name: input },
    ...(os ? { os } : {}),
    packages,
    warnings: warn.done(),
  };
}

/** Reads and parses an SBOM file, refusing documents above the size bound before reading them. */
export async function readSbomFile(file: string, opts: ReadSbomOptions = {}): Promise<Inventory> {
  const max = opts.maxBytes ?? DEFAULT_MAX_SBOM_BYTES;
  let fh;
  try {
    fh = await open(file, 'r');
  } catch (e) {
    throw new BulwarkError(
      'INPUT_NOT_FOUND',
      `cannot open: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`,
      {
        input: file,
        cause: e,
      },
    );
  }
  try {
    const st = await fh.stat();
    if (!st.isFile()) throw new BulwarkError('INPUT_NOT_FOUND', 'not a regular file', { input: file });
    if (st.size > max)
      throw new BulwarkError('LIMIT_EXCEEDED', `${st.size} bytes, more than the ${max}-byte SBOM limit`, {
        input: file,
      });
    const buf = Buffer.alloc(st.size);
    let off = 0;
    while (off < st.size) {
      const { bytesRead } = await fh.read(buf, off, st.size - off, off);
      if (bytesRead === 0) break;
      off += bytesRead;
    }
    return parseSbom(buf.subarray(0, off).toString('utf8'), file, opts);
  } finally {
    await fh.close();
  }
}
