/**
 * One neutral model of a VEX statement, read from and written to OpenVEX 0.2.0 and CycloneDX 1.6
 * VEX. The server turns statements into triage decisions; the CLI applies them to a local scan.
 */

export const VEX_STATUSES = ['not_affected', 'affected', 'fixed', 'under_investigation'] as const;
export type VexStatus = (typeof VEX_STATUSES)[number];

/** OpenVEX 0.2.0's justifications for `not_affected`. */
export const JUSTIFICATIONS = [
  'component_not_present',
  'vulnerable_code_not_present',
  'vulnerable_code_not_in_execute_path',
  'vulnerable_code_cannot_be_controlled_by_adversary',
  'inline_mitigations_already_exist',
] as const;
export type Justification = (typeof JUSTIFICATIONS)[number];

export type VexFormat = 'openvex' | 'cyclonedx';

/**
 * What a statement is about. `purl` is the product: an image (`pkg:oci/...`, with the manifest
 * digest as its version, or without a version for a whole repository) or a package. `packages`
 * are the purls of the packages inside an image product (OpenVEX subcomponents, CycloneDX
 * components nested in the container); empty: every package of it.
 */
export interface VexProduct {
  purl: string;
  packages: string[];
}

export interface VexStatement {
  vulnId: string;
  aliases: string[];
  status: VexStatus;
  justification?: Justification;
  impactStatement?: string;
  actionStatement?: string;
  statusNotes?: string;
  /** empty: the statement is about every product */
  products: VexProduct[];
  timestamp?: string;
}

export interface VexWarning {
  code: string;
  message: string;
  input?: string;
}

export interface VexDocument {
  format: VexFormat;
  /** the document's own id (OpenVEX `@id`, CycloneDX `serialNumber`) */
  id?: string;
  author?: string;
  timestamp?: string;
  statements: VexStatement[];
  /** statements (or products of them) that could not be used, each skipped on its own */
  warnings: VexWarning[];
}

export interface VexLimits {
  /** largest document in bytes (default 16 MiB) */
  maxBytes?: number;
  /** most statements (default 20,000) */
  maxStatements?: number;
  /** most products per statement, and packages per product (default 1,000) */
  maxProducts?: number;
}

export const DEFAULT_VEX_LIMITS: Required<VexLimits> = {
  maxBytes: 16 * 1024 * 1024,
  maxStatements: 20_000,
  maxProducts: 1_000,
};

/** Longest string field kept (ids, purls, statements); longer ones are refused, not cut. */
export const MAX_FIELD = 16_384;
