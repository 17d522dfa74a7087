import { createHash } from 'node:crypto';
import type { Inventory } from '../core/types.js';
import { canonicalize, uuidFromDigest, type SbomPackage } from './canonical.js';
import { conjunction, splitLicenses } from './license.js';
import type { SbomWriteOptions } from './types.js';

const NOASSERTION = 'NOASSERTION';

interface SpdxRelationship {
  spdxElementId: string;
  relatedSpdxElement: string;
  relationshipType: 'DESCRIBES' | 'CONTAINS' | 'DEPENDS_ON' | 'DEV_DEPENDENCY_OF';
}

interface SpdxAnnotation {
  annotationDate: string;
  annotationType: 'OTHER';
  annotator: string;
  comment: string;
}

interface SpdxPackage {
  SPDXID: string;
  name: string;
  versionInfo?: string;
  downloadLocation: string;
  filesAnalyzed: false;
  licenseConcluded: string;
  licenseDeclared: string;
  copyrightText: string;
  primaryPackagePurpose?: string;
  sourceInfo?: string;
  externalRefs?: { referenceCategory: string; referenceType: string; referenceLocator: string }[];
  annotations?: SpdxAnnotation[];
}

/** SPDX wants `YYYY-MM-DDThh:mm:ssZ`, no fractions. */
function spdxDate(d: Date | string | undefined): string {
  return new Date(d ?? Date.now()).toISOString().replace(/\.\d{3}Z$/, 'Z');
}

function idString(s: string): string {
  return s.replace(/[^A-Za-z0-9.-]+/g, '-').replace(/^-+|-+$/g, '') || 'x';
}

/** Non-SPDX licence strings become `LicenseRef-` ids with the original text as extracted info. */
class LicenseRefs {
  private readonly byName = new Map<string, string>();
  ref(name: string): string {
    let id = this.byName.get(name);
    if (!id) {
      id = `LicenseRef-${idString(name).slice(0, 48)}-${createHash('sha256').update(name).digest('hex').slice(0, 8)}`;
      this.byName.set(name, id);
    }
    return id;
  }
  extracted(): { licenseId: string; extractedText: string; name: string }[] {
    return [...this.byName]
      .map(([name, licenseId]) => ({ licenseId, extractedText: name, name }))
      .sort((a, b) => (a.licenseId < b.licenseId ? -1 : 1));
  }
}

function declared(raw: readonly string[] | undefined, refs: LicenseRefs): string {
  const { expressions, names } = splitLicenses(raw);
  return conjunction([...expressions, ...names.map((n) => refs.ref(n))]) ?? NOASSERTION;
}

function annotations(
  props: [string, string | number | undefined][],
  date: string,
  tool: string,
): SpdxAnnotation[] {
  return props
    .filter((x): x is [string, string | number] => x[1] !== undefined && x[1] !== '')
    .map(([k, v]) => ({
      annotationDate: date,
      annotationType: 'OTHER',
      annotator: tool,
      comment: `${k}=${v}`,
    }));
}

function packageOf(s: SbomPackage, refs: LicenseRefs, date: string, tool: string): SpdxPackage {
  const p = s.pkg;
  const notes = annotations(
    [
      ['bulwark:package:type', p.type],
      ['bulwark:package:ecosystem', p.ecosystem],
      ['bulwark:location', p.location],
      ['bulwark:source:name', p.sourceName],
      ['bulwark:source:version', p.sourceVersion],
      ['bulwark:layer:index', p.layer?.index],
      ['bulwark:layer:digest', p.layer?.digest],
      ['bulwark:layer:diffId', p.layer?.diffId],
      ['bulwark:layer:createdBy', p.layer?.createdBy],
    ],
    date,
    tool,
  );
  return {
    SPDXID: s.spdxId,
    name: p.name,
    versionInfo: p.version,
    downloadLocation: NOASSERTION,
    filesAnalyzed: false,
    licenseConcluded: NOASSERTION,
    licenseDeclared: declared(p.licenses, refs),
    copyrightText: NOASSERTION,
    primaryPackagePurpose: 'LIBRARY',
    sourceInfo: `found by bulwark in ${p.location}${p.layer ? ` (layer ${p.layer.diffId})` : ''}`,
    ...(s.purl
      ? {
          externalRefs: [
            { referenceCategory: 'PACKAGE-MANAGER', referenceType: 'purl', referenceLocator: s.purl },
          ],
        }
      : {}),
    ...(notes.length ? { annotations: notes } : {}),
  };
}

/**
 * The inventory as an SPDX 2.3 JSON document: the target as the described root package, which
 * CONTAINS the OS and every package; DEPENDS_ON edges where the graph is known. The namespace is
 * derived from the content, so it changes only when the inventory does.
 */
export function renderSpdxSbom(inv: Inventory, opts: SbomWriteOptions): string {
  const canon = canonicalize(inv);
  const created = spdxDate(opts.timestamp);
  const tool = `Tool: bulwark-${opts.toolVersion}`;
  const uuid = uuidFromDigest(canon.digest);
  const t = inv.target;
  const refs = new LicenseRefs();
  const rootId = `SPDXRef-${t.kind === 'image' ? 'Image' : t.kind === 'rootfs' ? 'Rootfs' : 'Directory'}-${idString(t.name).slice(0, 64)}`;

  const root: SpdxPackage = {
    SPDXID: rootId,
    name: t.name,
    ...(t.digest ? { versionInfo: t.digest } : {}),
    downloadLocation: NOASSERTION,
    filesAnalyzed: false,
    licenseConcluded: NOASSERTION,
    licenseDeclared: NOASSERTION,
    copyrightText: NOASSERTION,
    primaryPackagePurpose: t.kind === 'image' || t.kind === 'rootfs' ? 'CONTAINER' : 'APPLICATION',
  };
  const rootNotes = annotations(
    [
      ['bulwark:target:kind', t.kind],
      ['bulwark:image:id', t.imageId],
      ['bulwark:image:platform', t.platform],
      ...(t.layers ?? []).flatMap((l): [string, string][] => [
        [`bulwark:layer:${l.index}:digest`, l.digest],
        [`bulwark:layer:${l.index}:diffId`, l.diffId],
      ]),
    ],
    created,
    tool,
  );
  if (rootNotes.length) root.annotations = rootNotes;

  const packages: SpdxPackage[] = [root];
  const relationships: SpdxRelationship[] = [
    { spdxElementId: 'SPDXRef-DOCUMENT', relatedSpdxElement: rootId, relationshipType: 'DESCRIBES' },
  ];
  const contains: SpdxRelationship[] = [];
  if (inv.os) {
    const osId = `SPDXRef-OperatingSystem-${idString(inv.os.family)}-${idString(inv.os.version)}`;
    packages.push({
      SPDXID: osId,
      name: inv.os.family,
      versionInfo: inv.os.version,
      downloadLocation: NOASSERTION,
      filesAnalyzed: false,
      licenseConcluded: NOASSERTION,
      licenseDeclared: NOASSERTION,
      copyrightText: NOASSERTION,
      primaryPackagePurpose: 'OPERATING-SYSTEM',
      annotations: annotations(
        [
          ['bulwark:os:name', inv.os.name],
          ['bulwark:os:ecosystem', inv.os.ecosystem],
          ['bulwark:os:codename', inv.os.codename],
        ],
        created,
        tool,
      ),
    });
    contains.push({ spdxElementId: rootId, relatedSpdxElement: osId, relationshipType: 'CONTAINS' });
  }
  const spdxIdOf = new Map(canon.packages.map((s) => [s.ref, s.spdxId]));
  const dependsOn: SpdxRelationship[] = [];
  for (const s of canon.packages) {
    packages.push(packageOf(s, refs, created, tool));
    contains.push({ spdxElementId: rootId, relatedSpdxElement: s.spdxId, relationshipType: 'CONTAINS' });
    if (s.pkg.metadata?.['dev'] === true)
      dependsOn.push({
        spdxElementId: s.spdxId,
        relatedSpdxElement: rootId,
        relationshipType: 'DEV_DEPENDENCY_OF',
      });
    for (const d of s.dependsOn ?? [])
      dependsOn.push({
        spdxElementId: s.spdxId,
        relatedSpdxElement: spdxIdOf.get(d)!,
        relationshipType: 'DEPENDS_ON',
      });
  }
  const byRelated = (a: SpdxRelationship, b: SpdxRelationship): number =>
    a.spdxElementId < b.spdxElementId
      ? -1
      : a.spdxElementId > b.spdxElementId
        ? 1
        : a.relatedSpdxElement < b.relatedSpdxElement
          ? -1
          : 1;
  relationships.push(...contains.sort(byRelated), ...dependsOn.sort(byRelated));

  const extracted = refs.extracted();
  const doc = {
    spdxVersion: 'SPDX-2.3',
    dataLicense: 'CC0-1.0',
    SPDXID: 'SPDXRef-DOCUMENT',
    name: t.name,
    documentNamespace: `https://spdx.org/spdxdocs/bulwark-${t.kind}-${idString(t.name).slice(0, 64)}-${uuid}`,
    creationInfo: { created, creators: [tool] },
    packages,
    relationships,
    ...(extracted.length ? { hasExtractedLicensingInfos: extracted } : {}),
  };
  return `${JSON.stringify(doc, null, 2)}\n`;
}
