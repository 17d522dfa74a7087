/** What the risk and plan engine reads of a scan report: only the fields it needs, validated. */
export interface PlanLayer {
  index: number;
  digest: string;
  diffId: string;
  createdBy: string | null;
}

export interface PlanPackage {
  name: string;
  version: string;
  /** as the report writes it (`Debian`, `npm`, ...) */
  ecosystem: string;
  type: string;
  purl: string;
  location: string;
  sourceName: string | null;
  sourceVersion: string | null;
}

export interface PlanFinding {
  id: string;
  aliases: string[];
  severity: string;
  cvss: number | null;
  /** EPSS probability 0..1, null when unscored */
  epss: number | null;
  kev: boolean;
  /** the report's 0..100 risk score (src/match/risk.ts) */
  risk: number;
  /** every fixing version above the installed one, ascending */
  fixedVersions: string[];
  package: PlanPackage;
  /** what the matcher compared: the source package and version for Debian/Ubuntu */
  matched: { ecosystem: string; name: string; version: string };
  /** diffID of the layer that introduced the package */
  layerDiffId: string | null;
}

export interface PlanInput {
  /** what the report is about: its target name */
  name: string;
  digest: string | null;
  repoTags: string[];
  createdAt: string | null;
  os: { family: string; name: string; version: string; ecosystem: string; codename: string | null } | null;
  layers: PlanLayer[];
  findings: PlanFinding[];
  /** findings of the report that could not be read (each degraded alone) */
  warnings: { code: string; message: string; input: string }[];
}

/** Decides which findings count: triage (not_affected, fixed, accepted) removes the others. */
export type IsOpen = (f: PlanFinding) => boolean;

export type LayerOrigin = 'base' | 'own' | 'unknown';

/** How the base image's layers were told apart from the image's own. */
export interface BaseEvidence {
  /** `annotation`: org.opencontainers.image.base.name/digest; `shared-prefix`: layers shared with another repository's image; `base-report`: the base's own report given; `none` */
  method: 'annotation' | 'shared-prefix' | 'base-report' | 'none';
  /** the number of bottom layers that are the base's (0 when unknown) */
  baseLayers: number;
  /** the base image, when known: `repository:tag` or what the annotation names */
  baseName: string | null;
  baseDigest: string | null;
}
