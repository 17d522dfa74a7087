import type { LayerInfo, Package, Severity } from '../core/types.js';
import { countBySeverity } from '../core/types.js';
import type { VulnFinding } from '../match/index.js';
import { jsonNonVuln } from './misconfig.js';
import { redactCreatedBy } from './redact.js';
import type { ScanReport } from './types.js';

/** The stable JSON layout; documented in docs/json-report.md and src/report/schema/report.schema.json. */
export interface JsonLayer {
  digest: string;
  diffId: string;
  createdBy: string | null;
}

export interface JsonFinding {
  id: string;
  aliases: readonly string[];
  records: readonly string[];
  summary: string | null;
  severity: Severity;
  /** which source decided: `vendor`, `nvd` or `ghsa`, and the record or CVE and vector/label type */
  severitySource: { source: string; record: string; type: string } | null;
  /** the distribution's own rating, kept beside CVSS */
  vendorSeverity: { vendor: string; severity: Severity; label: string; record: string } | null;
  cvss: { version: string; vector: string; score: number; source: string; record: string } | null;
  /** every source's rating, vendor, nvd, ghsa */
  ratings: {
    source: string;
    severity: Severity;
    record: string;
    type: string;
    label: string | null;
    vendor: string | null;
    cvss: { version: string; vector: string; score: number } | null;
  }[];
  epss: { score: number; percentile: number } | null;
  kev: { dateAdded: string; dueDate: string | null; knownRansomwareCampaignUse: string | null } | null;
  risk: number;
  status: 'fixed' | 'affected';
  fixedVersion: string | null;
  fixedVersions: readonly string[];
  package: {
    name: string;
    version: string;
    ecosystem: string;
    type: string;
    purl: string;
    sourceName: string | null;
    sourceVersion: string | null;
    location: string;
  };
  matched: { ecosystem: string; name: string; version: string };
  layer: JsonLayer | null;
  references: readonly string[];
  published: string | null;
  modified: string | null;
}

function layerOf(l: LayerInfo | undefined): JsonLayer | null {
  return l
    ? { digest: l.digest, diffId: l.diffId, createdBy: l.createdBy ? redactCreatedBy(l.createdBy) : null }
    : null;
}

export function jsonFinding(f: VulnFinding): JsonFinding {
  const p = f.package;
  return {
    id: f.id,
    aliases: f.aliases,
    records: f.records,
    summary: f.summary ?? null,
    severity: f.severity,
    severitySource: f.severitySource
      ? {
          source: f.severitySource.source ?? 'ghsa',
          record: f.severitySource.record,
          type: f.severitySource.type,
        }
      : null,
    vendorSeverity: f.vendorSeverity ?? null,
    cvss:
      f.cvss && f.cvssSource
        ? { version: f.cvss.version, vector: f.cvss.vector, score: f.cvss.score, ...f.cvssSource }
        : null,
    ratings: (f.ratings ?? []).map((r) => ({
      source: r.source,
      severity: r.severity,
      record: r.record,
      type: r.type,
      label: r.label ?? null,
      vendor: r.vendor ?? null,
      cvss: r.cvss ? { version: r.cvss.version, vector: r.cvss.vector, score: r.cvss.score } : null,
    })),
    epss: f.epss ? { score: f.epss.epss, percentile: f.epss.percentile } : null,
    kev: f.kev
      ? {
          dateAdded: f.kev.dateAdded,
          dueDate: f.kev.dueDate ?? null,
          knownRansomwareCampaignUse: f.kev.knownRansomwareCampaignUse ?? null,
        }
      : null,
    risk: f.risk,
    status: f.fixedVersion ? 'fixed' : 'affected',
    fixedVersion: f.fixedVersion ?? null,
    fixedVersions: f.fixedVersions,
    package: {
      name: p.name,
      version: p.version,
      ecosystem: p.ecosystem,
      type: p.type,
      purl: p.purl,
      sourceName: p.sourceName ?? null,
      sourceVersion: p.sourceVersion ?? null,
      location: p.location,
    },
    matched: f.matched,
    layer: layerOf(p.layer),
    references: f.references,
    published: f.published ?? null,
    modified: f.modified ?? null,
    ...(f.vex ? { vex: { status: f.vex.status, statement: f.vex.statement, source: f.vex.source } } : {}),
  };
}

function jsonPackage(p: Package) {
  return {
    name: p.name,
    version: p.version,
    ecosystem: p.ecosystem,
    type: p.type,
    purl: p.purl,
    sourceName: p.sourceName ?? null,
    sourceVersion: p.sourceVersion ?? null,
    arch: p.arch ?? null,
    licenses: p.licenses ?? [],
    location: p.location,
    layer: layerOf(p.layer),
    // from lockfiles: development-only packages and the dependency graph (purls)
    dev: p.metadata?.dev === true,
    dependsOn: p.dependsOn ?? [],
  };
}

export function severityCounts(findings: readonly VulnFinding[]): Record<Severity, number> {
  return countBySeverity(findings);
}

/**
 * The JSON report object. Image configuration (Env, labels) is deliberately left out: env values
 * often hold secrets and reports travel to CI logs and dashboards.
 */
export function toJsonReport(r: ScanReport) {
  const t = r.target;
  return {
    schemaVersion: r.schemaVersion,
    kind: 'scan',
    tool: r.tool,
    createdAt: r.createdAt,
    target: {
      kind: t.kind,
      name: t.name,
      digest: t.digest ?? null,
      imageId: t.imageId ?? null,
      platform: t.platform ?? null,
      repoTags: t.repoTags ?? [],
      repoDigests: t.repoDigests ?? [],
      layers: (t.layers ?? []).map((l) => ({
        index: l.index,
        digest: l.digest,
        diffId: l.diffId,
        createdBy: l.createdBy ? redactCreatedBy(l.createdBy) : null,
      })),
    },
    os: r.os
      ? {
          family: r.os.family,
          name: r.os.name,
          version: r.os.version,
          codename: r.os.codename ?? null,
          ecosystem: r.os.ecosystem,
          distroless: r.os.distroless ?? false,
        }
      : null,
    db: r.db ?? null,
    summary: {
      packages: r.packages.length,
      findings: r.findings.length,
      fixable: r.findings.filter((f) => f.fixedVersion).length,
      bySeverity: severityCounts(r.findings),
      suppressed: r.suppressed.length,
      filtered: r.filtered ?? { severity: 0, unfixed: 0 },
    },
    packages: r.packages.map(jsonPackage),
    findings: r.findings.map(jsonFinding),
    suppressed: r.suppressed.map((s) => ({
      ...jsonFinding(s.finding),
      suppression: { reason: s.reason, rule: s.rule, expires: s.expires ?? null },
    })),
    warnings: r.warnings.map((w) => ({ code: w.code, message: w.message, input: w.input ?? null })),
    ...jsonNonVuln(r),
    ...(r.signatures ? { signatures: r.signatures } : {}),
  };
}

export type JsonReport = ReturnType<typeof toJsonReport>;

export function renderJson(r: ScanReport): string {
  return `${JSON.stringify(toJsonReport(r), null, 2)}\n`;
}
