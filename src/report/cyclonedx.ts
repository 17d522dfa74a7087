import { createHash } from 'node:crypto';
import { Enums, Models, Serialize, Spec } from '@cyclonedx/cyclonedx-library';
import type { Package, Severity } from '../core/types.js';
import type { CvssScore, VulnFinding } from '../match/index.js';
import { redactCreatedBy } from './redact.js';
import type { ScanReport } from './types.js';

const CDX_SEVERITY: Record<Severity, Enums.Vulnerability.Severity> = {
  CRITICAL: Enums.Vulnerability.Severity.Critical,
  HIGH: Enums.Vulnerability.Severity.High,
  MEDIUM: Enums.Vulnerability.Severity.Medium,
  LOW: Enums.Vulnerability.Severity.Low,
  UNKNOWN: Enums.Vulnerability.Severity.Unknown,
};

const CDX_METHOD: Record<CvssScore['version'], Enums.Vulnerability.RatingMethod> = {
  '2.0': Enums.Vulnerability.RatingMethod.CVSSv2,
  '3.0': Enums.Vulnerability.RatingMethod.CVSSv3,
  '3.1': Enums.Vulnerability.RatingMethod.CVSSv31,
  '4.0': Enums.Vulnerability.RatingMethod.CVSSv4,
};

/** A serial number derived from the report, so the same scan gives the same document. */
function serialNumber(r: ScanReport): string {
  const h = createHash('sha256')
    .update(`${r.target.name}\0${r.target.digest ?? ''}\0${r.createdAt}`)
    .digest('hex');
  // RFC 4122 layout, version nibble 5 and variant bits set: a name-based UUID
  const v = `5${h.slice(13, 16)}`;
  const variant = ((parseInt(h.slice(16, 17), 16) & 0x3) | 0x8).toString(16) + h.slice(17, 20);
  return `urn:uuid:${h.slice(0, 8)}-${h.slice(8, 12)}-${v}-${variant}-${h.slice(20, 32)}`;
}

function packageKey(p: Package): string {
  return `${p.purl}\0${p.location}`;
}

function componentProperties(p: Package): Models.Property[] {
  const props: [string, string | undefined][] = [
    ['bulwark:package:type', p.type],
    ['bulwark:package:ecosystem', p.ecosystem],
    ['bulwark:location', p.location],
    ['bulwark:source:name', p.sourceName],
    ['bulwark:source:version', p.sourceVersion],
    ['bulwark:layer:index', p.layer ? String(p.layer.index) : undefined],
    ['bulwark:layer:digest', p.layer?.digest],
    ['bulwark:layer:diffId', p.layer?.diffId],
    ['bulwark:layer:createdBy', p.layer?.createdBy && redactCreatedBy(p.layer.createdBy)],
  ];
  return props.filter((x): x is [string, string] => !!x[1]).map(([k, v]) => new Models.Property(k, v));
}

/**
 * CycloneDX 1.6 JSON: the target as metadata component, every package as a library component
 * (purl, layer properties), and one vulnerability per id with ratings, aliases as references and
 * the affected components. Lists are sorted by the library for reproducible output.
 */
export function renderCycloneDx(r: ScanReport): string {
  const bom = new Models.Bom();
  bom.serialNumber = serialNumber(r);
  bom.metadata.timestamp = new Date(r.createdAt);
  bom.metadata.tools.components.add(
    new Models.Component(Enums.ComponentType.Application, r.tool.name, { version: r.tool.version }),
  );
  const targetType =
    r.target.kind === 'image' ? Enums.ComponentType.Container : Enums.ComponentType.Application;
  bom.metadata.component = new Models.Component(targetType, r.target.name, {
    bomRef: 'target',
    ...(r.target.digest ? { version: r.target.digest } : {}),
  });

  const components = new Map<string, Models.Component>();
  const usedRefs = new Set<string>();
  for (const p of r.packages) {
    if (components.has(packageKey(p))) continue;
    let ref = p.purl || `${p.ecosystem}/${p.name}@${p.version}`;
    if (usedRefs.has(ref)) ref = `${ref}#${p.location}`;
    usedRefs.add(ref);
    const c = new Models.Component(Enums.ComponentType.Library, p.name, {
      bomRef: ref,
      version: p.version,
      ...(p.purl ? { purl: p.purl } : {}),
    });
    for (const prop of componentProperties(p)) c.properties.add(prop);
    for (const l of p.licenses ?? []) c.licenses.add(new Models.NamedLicense(l));
    components.set(packageKey(p), c);
    bom.components.add(c);
  }

  const byId = new Map<string, VulnFinding[]>();
  for (const f of r.findings) {
    const list = byId.get(f.id) ?? [];
    list.push(f);
    byId.set(f.id, list);
  }
  for (const [id, findings] of byId) {
    const first = findings[0]!;
    const v = new Models.Vulnerability.Vulnerability({
      bomRef: `vuln:${id}`,
      id,
      source: new Models.Vulnerability.Source({
        name: 'OSV',
        url: `https://osv.dev/vulnerability/${first.records[0] ?? id}`,
      }),
      ...(first.summary ? { description: first.summary } : {}),
      ...(first.published ? { published: new Date(first.published) } : {}),
      ...(first.modified ? { updated: new Date(first.modified) } : {}),
    });
    const fixes = findings.filter((f) => f.fixedVersion).map((f) => `${f.package.name} ${f.fixedVersion}`);
    if (fixes.length) v.recommendation = `Upgrade to: ${[...new Set(fixes)].sort().join(', ')}`;
    const rating = new Models.Vulnerability.Rating({
      severity: CDX_SEVERITY[first.severity],
      ...(first.severitySource
        ? { source: new Models.Vulnerability.Source({ name: first.severitySource.record }) }
        : {}),
      ...(first.cvss
        ? { method: CDX_METHOD[first.cvss.version], score: first.cvss.score, vector: first.cvss.vector }
        : { method: Enums.Vulnerability.RatingMethod.Other }),
    });
    v.ratings.add(rating);
    for (const alias of first.aliases) {
      v.references.add(
        new Models.Vulnerability.Reference(
          alias,
          new Models.Vulnerability.Source({ name: sourceName(alias) }),
        ),
      );
    }
    for (const f of findings) {
      const c = components.get(packageKey(f.package));
      if (!c) continue;
      const affect = new Models.Vulnerability.Affect(c.bomRef);
      affect.versions.add(
        new Models.Vulnerability.AffectedSingleVersion(f.package.version, {
          status: Enums.Vulnerability.AffectStatus.Affected,
        }),
      );
      v.affects.add(affect);
    }
    v.properties.add(new Models.Property('bulwark:risk', String(first.risk)));
    if (first.kev) v.properties.add(new Models.Property('bulwark:kev:dateAdded', first.kev.dateAdded));
    if (first.epss) v.properties.add(new Models.Property('bulwark:epss', String(first.epss.epss)));
    bom.vulnerabilities.add(v);
  }

  const serializer = new Serialize.JsonSerializer(new Serialize.JSON.Normalize.Factory(Spec.Spec1dot6));
  return `${serializer.serialize(bom, { sortLists: true, space: 2 })}\n`;
}

/** Which database an id belongs to, from its prefix (CVE, GHSA, GO, PYSEC, DSA, ...). */
function sourceName(id: string): string {
  const prefix = id.split('-')[0] ?? id;
  switch (prefix) {
    case 'CVE':
      return 'NVD';
    case 'GHSA':
      return 'GitHub Advisory Database';
    default:
      return prefix;
  }
}
