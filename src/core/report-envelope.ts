/**
 * Every JSON document bulwark writes as a report (`--format json` of image/rootfs/fs/sbom scans,
 * config/docker/host checks, secrets, pss) is one family, versioned one way: it opens with
 * `schemaVersion` (semantic version of the family's layout, a string), `kind` (which report it
 * is) and `tool`. Within a major version fields are only added. docs/json-report.md documents the
 * family; each kind has a JSON Schema in src/report/schema/ that the tests validate every output
 * against.
 */
export const JSON_SCHEMA_VERSION = '1.1.0';

/** `scan`: vulnerabilities of a target; `checks`: rule findings; `secrets`; `pss`: Pod Security verdicts; `policy`: policy decisions; `k8s`: a cluster per namespace; `plan`: risk explained and a patch plan. */
export type ReportKind = 'scan' | 'checks' | 'secrets' | 'pss' | 'policy' | 'k8s' | 'plan';

export interface ReportEnvelope {
  schemaVersion: string;
  kind: ReportKind;
  tool: { name: 'bulwark'; version: string };
}

export function reportEnvelope(kind: ReportKind, toolVersion: string): ReportEnvelope {
  return { schemaVersion: JSON_SCHEMA_VERSION, kind, tool: { name: 'bulwark', version: toolVersion } };
}
