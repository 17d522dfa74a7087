/**
 * SBOM upload: a CycloneDX (1.4–1.6) or SPDX (2.3) JSON document read with the CLI's own reader
 * (src/sbom), matched with the one matcher against the server's vulnerability database, built into
 * a report by the one report builder and stored as a scan of the image the SBOM describes, the
 * same path a re-match takes (src/server/rematch.ts). Nothing here parses packages itself: only the
 * document's subject (which image it describes) is read, which the package reader does not keep.
 */
import { BulwarkError } from '../core/errors.js';
import type { Inventory, LayerInfo } from '../core/types.js';
import { normalizePackageName } from '../ecosystems/index.js';
import { matchInventory } from '../match/index.js';
import { buildScanReport, toJsonReport } from '../report/index.js';
import { parseSbom } from '../sbom/index.js';
import { openVulnDb } from '../vulndb/index.js';
import { ingestReport, type IngestResult } from './store/ingest.js';
import type { Store } from './store/open.js';

/** Deeper JSON than this is no SBOM (CycloneDX nests components, but not 64 levels). */
export const MAX_SBOM_DEPTH = 64;

export interface SbomSubject {
  name: string;
  digest?: string;
  imageId?: string;
  platform?: string;
  repoTags: string[];
  layers: LayerInfo[];
}

type Json = Record<string, unknown>;
const isObj = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);
const str = (v: unknown): string | undefined => (typeof v === 'string' && v !== '' ? v : undefined);

/**
 * The nesting depth of a JSON text, counted without parsing it, so a bomb of brackets is refused
 * before any recursive code sees it. Brackets inside strings do not count.
 */
export function jsonDepth(text: string, limit: number): number {
  let depth = 0;
  let max = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 0x5c) i++;
      else if (c === 0x22) inString = false;
    } else if (c === 0x22) inString = true;
    else if (c === 0x7b || c === 0x5b) {
      if (++depth > max) {
        max = depth;
        if (max > limit) return max;
      }
    } else if (c === 0x7d || c === 0x5d) depth--;
  }
  return max;
}

/** A name that would be a path out of somewhere if anything ever used it as one. */
export function isTraversal(name: string): boolean {
  // eslint-disable-next-line no-control-regex
  if (/[\u0000-\u001f\u007f]/.test(name) || name.includes('\\')) return true;
  return name.split('/').some((seg) => seg === '..');
}

/** bulwark's own per-image facts (`bulwark:layer:N:diffId`, `bulwark:image:repoTag`, ...). */
function subjectFacts(pairs: [string, string][], subject: SbomSubject): void {
  const layers = new Map<number, Partial<LayerInfo>>();
  for (const [k, v] of pairs) {
    const m = /^bulwark:layer:(\d{1,4}):(diffId|digest|createdBy)$/.exec(k);
    if (m) {
      const i = Number(m[1]);
      const l = layers.get(i) ?? { index: i };
      (l as Record<string, unknown>)[m[2]!] = v;
      layers.set(i, l);
    } else if (k === 'bulwark:image:repoTag') subject.repoTags.push(v);
    else if (k === 'bulwark:image:id') subject.imageId = v;
    else if (k === 'bulwark:image:platform') subject.platform = v;
  }
  subject.layers = [...layers.values()]
    .filter((l): l is LayerInfo => typeof l.diffId === 'string' && typeof l.digest === 'string')
    .sort((a, b) => a.index - b.index);
}

/** Which image (or component) the document describes: CycloneDX metadata.component, SPDX's described package. */
export function sbomSubject(doc: Json, input: string): SbomSubject {
  const subject: SbomSubject = { name: '', repoTags: [], layers: [] };
  if (doc.bomFormat === 'CycloneDX') {
    const c = isObj(doc.metadata) && isObj(doc.metadata.component) ? doc.metadata.component : undefined;
    subject.name = str(c?.name) ?? '';
    const version = str(c?.version);
    if (version?.startsWith('sha256:')) subject.digest = version;
    else if (version && subject.name) subject.name = `${subject.name}:${version}`;
    const props = Array.isArray(c?.properties) ? c.properties : [];
    subjectFacts(
      props
        .filter(isObj)
        .flatMap((p) => (str(p.name) && str(p.value) ? [[p.name, p.value] as [string, string]] : [])),
      subject,
    );
  } else {
    const packages = Array.isArray(doc.packages) ? doc.packages.filter(isObj) : [];
    const described = new Set<string>(
      (Array.isArray(doc.relationships) ? doc.relationships.filter(isObj) : [])
        .filter((r) => r.spdxElementId === 'SPDXRef-DOCUMENT' && r.relationshipType === 'DESCRIBES')
        .flatMap((r) => (str(r.relatedSpdxElement) ? [r.relatedSpdxElement as string] : [])),
    );
    for (const d of Array.isArray(doc.documentDescribes) ? doc.documentDescribes : [])
      if (typeof d === 'string') described.add(d);
    const p =
      packages.find((x) => described.has(String(x.SPDXID)) && x.primaryPackagePurpose === 'CONTAINER') ??
      packages.find((x) => described.has(String(x.SPDXID)));
    subject.name = str(p?.name) ?? str(doc.name) ?? '';
    const version = str(p?.versionInfo);
    if (version?.startsWith('sha256:')) subject.digest = version;
    else if (version && p && subject.name) subject.name = `${subject.name}:${version}`;
    const notes = Array.isArray(p?.annotations) ? p.annotations.filter(isObj) : [];
    subjectFacts(
      notes.flatMap((a) => {
        const m = typeof a.comment === 'string' ? /^([^=]{1,100})=(.*)$/s.exec(a.comment) : null;
        return m ? [[m[1]!, m[2]!] as [string, string]] : [];
      }),
      subject,
    );
  }
  if (!subject.name)
    throw new BulwarkError(
      'MALFORMED_INPUT',
      'the SBOM names no subject (metadata.component / described package)',
      {
        input,
      },
    );
  return subject;
}

/** When the SBOM was made (CycloneDX metadata.timestamp, SPDX creationInfo.created), if it says. */
function documentTime(doc: Json): Date | undefined {
  const t =
    doc.bomFormat === 'CycloneDX'
      ? isObj(doc.metadata)
        ? doc.metadata.timestamp
        : undefined
      : isObj(doc.creationInfo)
        ? doc.creationInfo.created
        : undefined;
  if (typeof t !== 'string' || t.length > 40) return undefined;
  const ms = Date.parse(t);
  return Number.isFinite(ms) ? new Date(ms) : undefined;
}

export interface SbomIngestResult extends IngestResult {
  format: 'cyclonedx' | 'spdx';
  packages: number;
  /** components the reader skipped (no purl, unknown ecosystem, hostile name) */
  skipped: number;
}

/**
 * Reads, matches and stores one SBOM. `image` overrides the subject the document names (an SPDX
 * document of an image archive names a file, not a tag). Refusals are BulwarkErrors with codes:
 * MALFORMED_INPUT (not an SBOM of a supported version), LIMIT_EXCEEDED (too deep), PATH_TRAVERSAL (subject name).
 */
export async function ingestSbom(
  store: Store,
  text: string,
  opts: {
    input: string;
    dbPath: string;
    toolVersion: string;
    image?: string;
    uploadedBy?: number | null;
    now?: Date;
  },
): Promise<SbomIngestResult> {
  const depth = jsonDepth(text, MAX_SBOM_DEPTH);
  if (depth > MAX_SBOM_DEPTH)
    throw new BulwarkError('LIMIT_EXCEEDED', `the document nests deeper than ${MAX_SBOM_DEPTH} levels`, {
      input: opts.input,
    });
  const inv0 = parseSbom(text, opts.input);
  const doc = JSON.parse(text.charCodeAt(0) === 0xfeff ? text.slice(1) : text) as Json;
  const format = doc.bomFormat === 'CycloneDX' ? 'cyclonedx' : 'spdx';
  if (format === 'spdx' && doc.spdxVersion !== 'SPDX-2.3')
    throw new BulwarkError('MALFORMED_INPUT', `${String(doc.spdxVersion)} is not SPDX 2.3`, {
      input: opts.input,
    });
  const subject = sbomSubject(doc, opts.input);
  const name = opts.image ?? subject.name;
  if (isTraversal(name) || subject.repoTags.some(isTraversal))
    throw new BulwarkError(
      'PATH_TRAVERSAL',
      'the SBOM subject name climbs out of a path (a .. segment, \\ or control characters)',
      {
        input: opts.input,
      },
    );
  // a component whose name is a path is that component's problem only: skipped, with a warning
  const warnings = [...inv0.warnings];
  const packages = inv0.packages.filter((p) => {
    if (!isTraversal(p.name)) return true;
    warnings.push({ code: 'UNSAFE_NAME', message: 'component name is a path; skipped', input: opts.input });
    return false;
  });
  // layers: the subject's own list, else the layers the packages name
  let layers = subject.layers;
  if (!layers.length) {
    const seen = new Map<string, LayerInfo>();
    for (const p of packages) if (p.layer && !seen.has(p.layer.diffId)) seen.set(p.layer.diffId, p.layer);
    layers = [...seen.values()].sort((a, b) => a.index - b.index);
  }
  const inventory: Inventory = {
    target: {
      kind: 'image',
      name,
      ...(subject.digest ? { digest: subject.digest } : {}),
      ...(subject.imageId ? { imageId: subject.imageId } : {}),
      ...(subject.platform ? { platform: subject.platform } : {}),
      layers,
      repoTags: opts.image ? [opts.image] : subject.repoTags,
      repoDigests: [],
    },
    ...(inv0.os ? { os: inv0.os } : {}),
    packages,
    warnings,
  };
  const vdb = openVulnDb(opts.dbPath, { normalizeName: normalizePackageName });
  let report;
  try {
    const match = matchInventory(inventory, vdb);
    report = toJsonReport(
      buildScanReport({
        inventory,
        match,
        db: vdb.metadata(),
        toolVersion: opts.toolVersion,
        // the document's own time: the same SBOM uploaded twice is one scan, not two
        createdAt: documentTime(doc) ?? opts.now ?? new Date(),
      }),
    );
  } finally {
    vdb.close();
  }
  const stored = await ingestReport(store, report, {
    uploadedBy: opts.uploadedBy ?? null,
    ...(opts.now ? { now: opts.now } : {}),
  });
  return { ...stored, format, packages: packages.length, skipped: warnings.length };
}
