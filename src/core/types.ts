/**
 * Domain types shared along the data flow target -> layers -> inventory -> matcher -> findings ->
 * report. Kept here (not in a feature module) because every stage reads them.
 */

/** The layer that introduced a package or file. */
export interface LayerInfo {
  /** position in the image, 0 = base */
  index: number;
  /** digest of the blob as stored (compressed), `sha256:...` */
  digest: string;
  /** digest of the uncompressed tar, `sha256:...` */
  diffId: string;
  /** the history entry's `created_by`, when the image has history */
  createdBy?: string;
}

/** Operating system found in the image or root filesystem. */
export interface OsInfo {
  /** normalised family: debian, ubuntu, alpine, wolfi, chainguard, rhel, centos, rocky, alma, fedora, amzn, ... */
  family: string;
  /** os-release NAME or equivalent */
  name: string;
  /** VERSION_ID or equivalent, e.g. `12`, `3.19.1`, `9.3`, `2023` */
  version: string;
  codename?: string;
  /** true for distroless (status.d, no package manager) */
  distroless?: boolean;
  /**
   * OSV ecosystem the OS packages are matched in, release-qualified when the feed is:
   * `Debian:12`, `Ubuntu:22.04`, `Alpine:v3.19`, `Red Hat`, `Rocky Linux:9`, `Wolfi`, ...
   */
  ecosystem: string;
}

export type PackageType = 'os' | 'lang';

export interface Package {
  /** binary package name (dpkg Package, apk P, rpm NAME) or language package name as published */
  name: string;
  /** full version as the ecosystem writes it (dpkg `1:2.3-4`, rpm `1:2.3-4.el9` with epoch, npm `1.2.3`) */
  version: string;
  /** OSV ecosystem base name: Debian, Ubuntu, Alpine, Red Hat, npm, PyPI, Maven, Go, ... */
  ecosystem: string;
  type: PackageType;
  purl: string;
  /** source package (dpkg Source, apk origin, rpm source rpm name) when it differs or is known */
  sourceName?: string;
  /** source package version when it differs from the binary version (dpkg `Source: x (ver)`) */
  sourceVersion?: string;
  arch?: string;
  /** SPDX expression or raw licence strings */
  licenses?: string[];
  /** path inside the image / folder of the file that declared the package */
  location: string;
  /** the layer that introduced this package version (images only) */
  layer?: LayerInfo;
  /** free-form extra data a later stage may need (rpm epoch, dev dependency flags, ...) */
  metadata?: Record<string, string | number | boolean>;
  /** purls of the packages this one depends on, as its lockfile or metadata records them (sorted) */
  dependsOn?: string[];
}

/** Everything bulwark knows about what a target contains. */
export interface Inventory {
  target: TargetInfo;
  os?: OsInfo;
  packages: Package[];
  /** per-file problems that degraded the result without stopping it */
  warnings: InventoryWarning[];
  /** non-package observations on files visible in the final filesystem, with their layer */
  facts?: FileFact[];
}

/** An analyzer's observation about a file of the target (see `AnalyzerFact`), located. */
export interface FileFact {
  /** analyzer id */
  analyzer: string;
  kind: string;
  /** path inside the image / folder */
  path: string;
  data: Record<string, string | number | boolean | null>;
  /** the layer the visible version of the file comes from (images only) */
  layer?: LayerInfo;
}

export interface InventoryWarning {
  code: string;
  message: string;
  /** file or layer the warning is about */
  input?: string;
}

export interface TargetInfo {
  /** image | rootfs | fs | sbom */
  kind: 'image' | 'rootfs' | 'fs' | 'sbom';
  /** what the user named: reference, path */
  name: string;
  /** manifest digest for images */
  digest?: string;
  /** image config digest (`image id`) */
  imageId?: string;
  platform?: string;
  layers?: LayerInfo[];
  /** image config for image checks (Env, User, Healthcheck, Labels, history) */
  config?: ImageConfigSummary;
  repoTags?: string[];
  repoDigests?: string[];
}

export interface ImageConfigSummary {
  architecture?: string;
  os?: string;
  user?: string;
  env?: string[];
  labels?: Record<string, string>;
  healthcheck?: unknown;
  exposedPorts?: string[];
  entrypoint?: string[];
  cmd?: string[];
  history?: { createdBy?: string; emptyLayer?: boolean; created?: string }[];
}

export type Severity = 'CRITICAL' | 'HIGH' | 'MEDIUM' | 'LOW' | 'UNKNOWN';
export const SEVERITIES: readonly Severity[] = ['CRITICAL', 'HIGH', 'MEDIUM', 'LOW', 'UNKNOWN'];

const RANK: Readonly<Record<Severity, number>> = { CRITICAL: 5, HIGH: 4, MEDIUM: 3, LOW: 2, UNKNOWN: 1 };

export function severityRank(s: Severity): number {
  return RANK[s] ?? 0;
}

/** Findings per severity, every severity present (0 when none). */
export function countBySeverity(items: readonly { severity: Severity }[]): Record<Severity, number> {
  const out = Object.fromEntries(SEVERITIES.map((s) => [s, 0])) as Record<Severity, number>;
  for (const i of items) out[i.severity]++;
  return out;
}
