export const SBOM_FORMATS = ['cyclonedx', 'spdx-json'] as const;
export type SbomFormat = (typeof SBOM_FORMATS)[number];

export interface SbomWriteOptions {
  /** the bulwark version written as the creating tool */
  toolVersion: string;
  /** document creation time; injectable so golden files stay stable (default: now) */
  timestamp?: Date | string;
}
