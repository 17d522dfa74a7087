import type { Severity } from '../core/types.js';
import type { VulnFinding } from '../match/index.js';
import { sarifNonVuln } from './misconfig.js';
import type { ScanReport } from './types.js';

export type SarifLevel = 'error' | 'warning' | 'note' | 'none';

export interface SarifRuleInput {
  id: string;
  name?: string;
  shortDescription: string;
  fullDescription?: string;
  helpUri?: string;
  /** drives `defaultConfiguration.level` and GitHub's `security-severity` */
  severity: Severity;
  /** markdown or plain text shown as the rule's help */
  help?: string;
  tags?: string[];
  /** CVSS-like 0..10 score for `security-severity`; defaults from the severity band */
  score?: number;
}

export interface SarifResultInput {
  ruleId: string;
  level?: SarifLevel;
  message: string;
  /** file the result is about, relative POSIX path (or absolute URI) */
  file: string;
  /** 1-based; omitted when the result is about the whole file */
  line?: number;
  column?: number;
  endLine?: number;
  endColumn?: number;
  /** stable identity across runs (GitHub uses it to track alerts) */
  fingerprint?: string;
  /** set when the user suppressed the result (ignore file): kept in the log, marked as suppressed */
  suppression?: { justification: string };
  properties?: Record<string, unknown>;
}

export interface SarifInput {
  toolName: string;
  toolVersion: string;
  informationUri?: string;
  rules: SarifRuleInput[];
  results: SarifResultInput[];
  /** `uriBaseId` of relative file paths, e.g. `ROOTPATH` for image files, `SRCROOT` for a checkout */
  uriBaseId?: string;
  /** run-level properties (target name, image digest, ...) */
  properties?: Record<string, unknown>;
}

const SEVERITY_LEVEL: Record<Severity, SarifLevel> = {
  CRITICAL: 'error',
  HIGH: 'error',
  MEDIUM: 'warning',
  LOW: 'note',
  UNKNOWN: 'note',
};

/** GitHub code scanning reads `security-severity` (0..10) to rank alerts. */
const SEVERITY_SCORE: Record<Severity, number> = { CRITICAL: 9.5, HIGH: 8, MEDIUM: 5.5, LOW: 2, UNKNOWN: 0 };

export function sarifLevel(s: Severity): SarifLevel {
  return SEVERITY_LEVEL[s];
}

function fileUri(file: string): string {
  // an absolute URI stays; a path is written relative (no leading slash) and percent-encoded
  if (/^[a-z][a-z0-9+.-]*:/i.test(file)) return file;
  return file
    .replace(/^\/+/, '')
    .split('/')
    .map((seg) => encodeURIComponent(seg))
    .join('/');
}

/**
 * A generic SARIF 2.1.0 log with one run. Rules are sorted by id and results keep the caller's
 * order, so callers that sort their findings get byte-stable output.
 */
export function toSarif(input: SarifInput): Record<string, unknown> {
  const rules = [...input.rules].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  const index = new Map(rules.map((r, i) => [r.id, i]));
  return {
    $schema: 'https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json',
    version: '2.1.0',
    runs: [
      {
        tool: {
          driver: {
            name: input.toolName,
            version: input.toolVersion,
            semanticVersion: input.toolVersion,
            ...(input.informationUri ? { informationUri: input.informationUri } : {}),
            rules: rules.map((r) => ({
              id: r.id,
              name: r.name ?? r.id,
              shortDescription: { text: r.shortDescription },
              fullDescription: { text: r.fullDescription ?? r.shortDescription },
              ...(r.helpUri ? { helpUri: r.helpUri } : {}),
              help: { text: r.help ?? r.shortDescription, markdown: r.help ?? r.shortDescription },
              defaultConfiguration: { level: SEVERITY_LEVEL[r.severity] },
              properties: {
                precision: 'very-high',
                'security-severity': (r.score ?? SEVERITY_SCORE[r.severity]).toFixed(1),
                tags: [...new Set(['security', ...(r.tags ?? [])])],
              },
            })),
          },
        },
        results: input.results.map((res) => {
          const rule = rules[index.get(res.ruleId) ?? -1];
          const region =
            res.line !== undefined
              ? {
                  region: {
                    startLine: res.line,
                    ...(res.column !== undefined ? { startColumn: res.column } : {}),
                    ...(res.endLine !== undefined ? { endLine: res.endLine } : {}),
                    ...(res.endColumn !== undefined ? { endColumn: res.endColumn } : {}),
                  },
                }
              : {};
          return {
            ruleId: res.ruleId,
            ...(index.has(res.ruleId) ? { ruleIndex: index.get(res.ruleId) } : {}),
            level: res.level ?? (rule ? SEVERITY_LEVEL[rule.severity] : 'warning'),
            message: { text: res.message },
            locations: [
              {
                physicalLocation: {
                  artifactLocation: {
                    uri: fileUri(res.file),
                    ...(input.uriBaseId && !/^[a-z][a-z0-9+.-]*:/i.test(res.file)
                      ? { uriBaseId: input.uriBaseId }
                      : {}),
                  },
                  ...region,
                },
              },
            ],
            ...(res.fingerprint ? { partialFingerprints: { 'bulwark/v1': res.fingerprint } } : {}),
            ...(res.suppression
              ? {
                  suppressions: [
                    { kind: 'external', status: 'accepted', justification: res.suppression.justification },
                  ],
                }
              : {}),
            ...(res.properties ? { properties: res.properties } : {}),
          };
        }),
        columnKind: 'utf16CodeUnits',
        ...(input.properties ? { properties: input.properties } : {}),
      },
    ],
  };
}

function findingMessage(f: VulnFinding, target: string): string {
  const p = f.package;
  const fix = f.fixedVersion ? `Fixed in ${f.fixedVersion}.` : 'No fixed version yet.';
  const layer = p.layer ? ` Introduced in layer ${p.layer.index} (${p.layer.diffId}).` : '';
  return `${p.name} ${p.version} (${p.ecosystem}) in ${target} is affected by ${f.id} [${f.severity}]. ${fix}${layer}`;
}

function ruleHelp(f: VulnFinding): string {
  const lines = [f.summary ?? f.id, ''];
  if (f.aliases.length) lines.push(`Aliases: ${f.aliases.join(', ')}`);
  if (f.severitySource)
    lines.push(
      `Severity ${f.severity} from ${f.severitySource.source ?? 'ghsa'} (${f.severitySource.record}, ${f.severitySource.type})`,
    );
  if (f.vendorSeverity)
    lines.push(
      `Vendor severity (${f.vendorSeverity.vendor}): ${f.vendorSeverity.label} (${f.vendorSeverity.severity})`,
    );
  if (f.cvss)
    lines.push(
      `CVSS ${f.cvss.version}: ${f.cvss.score} (${f.cvss.vector})${f.cvssSource ? ` from ${f.cvssSource.source}` : ''}`,
    );
  for (const url of f.references.slice(0, 10)) lines.push(`- ${url}`);
  return lines.join('\n').trim();
}

/**
 * Vulnerability findings as SARIF: one rule per vulnerability id, one result per affected package
 * pointing at the file that declared the package inside the image (e.g. var/lib/dpkg/status).
 * Findings suppressed by the ignore file follow, marked with an external, accepted suppression
 * carrying the reason, so code-scanning UIs show them as dismissed rather than losing them.
 */
export function renderSarif(r: ScanReport): string {
  const rules = new Map<string, SarifRuleInput>();
  const all = [...r.findings, ...r.suppressed.map((x) => x.finding)];
  const reasons = new Map(r.suppressed.map((x) => [x.finding, x.reason]));
  for (const f of all) {
    const existing = rules.get(f.id);
    // GitHub ranks by security-severity: the score of the source that decided the severity, so a
    // vendor's LOW is not ranked by another source's 9.8
    const score = f.cvss && f.cvssSource?.source === f.severitySource?.source ? f.cvss.score : undefined;
    if (!existing || (score ?? 0) > (existing.score ?? 0)) {
      rules.set(f.id, {
        id: f.id,
        name: f.id,
        shortDescription: f.summary ? `${f.id}: ${f.summary}` : f.id,
        ...(f.references[0] ? { helpUri: f.references[0] } : {}),
        severity: f.severity,
        help: ruleHelp(f),
        tags: ['vulnerability', f.severity.toLowerCase()],
        ...(score !== undefined ? { score } : {}),
      });
    }
  }
  const other = sarifNonVuln(r);
  const log = toSarif({
    toolName: r.tool.name,
    toolVersion: r.tool.version,
    uriBaseId: 'ROOTPATH',
    rules: [...rules.values(), ...other.rules],
    results: [
      ...all.map((f) => ({
        ruleId: f.id,
        ...(reasons.has(f) ? { suppression: { justification: reasons.get(f)! } } : {}),
        message: findingMessage(f, r.target.name),
        file: f.package.location || r.target.name,
        fingerprint: `${f.id}:${f.package.purl}:${f.package.location}`,
        properties: {
          purl: f.package.purl,
          installedVersion: f.package.version,
          fixedVersion: f.fixedVersion ?? null,
          severitySource: f.severitySource?.source ?? null,
          ...(f.package.layer
            ? { layerDiffId: f.package.layer.diffId, layerDigest: f.package.layer.digest }
            : {}),
        },
      })),
      ...other.results,
    ],
    properties: {
      target: r.target.name,
      ...(r.target.digest ? { digest: r.target.digest } : {}),
      createdAt: r.createdAt,
    },
  });
  return `${JSON.stringify(log, null, 2)}\n`;
}
