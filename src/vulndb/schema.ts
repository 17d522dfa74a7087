/**
 * Lenient boundary schemas for the feeds. OSV records from real feeds carry extra fields, old schema
 * versions and placeholder dates (`0001-01-01T00:00:00Z` in the Go repository copy), so only what the
 * store and the matcher rely on is checked; everything else passes through untouched.
 */
import { z } from 'zod';

const str = z.string();

export const osvEventSchema = z.looseObject({
  introduced: str.optional(),
  fixed: str.optional(),
  last_affected: str.optional(),
  limit: str.optional(),
});

export const osvRangeSchema = z.looseObject({
  type: str,
  repo: str.optional(),
  events: z.array(osvEventSchema),
});

export const osvSeveritySchema = z.looseObject({ type: str, score: str });

export const osvAffectedSchema = z.looseObject({
  package: z.looseObject({ ecosystem: str, name: str, purl: str.optional() }).optional(),
  ranges: z.array(osvRangeSchema).optional(),
  versions: z.array(str).optional(),
  severity: z.array(osvSeveritySchema).optional(),
});

export const osvRecordSchema = z.looseObject({
  id: str.min(1).max(256),
  modified: str.optional(),
  published: str.optional(),
  withdrawn: str.optional(),
  aliases: z.array(str).optional().nullable(),
  related: z.array(str).optional().nullable(),
  upstream: z.array(str).optional().nullable(),
  summary: str.optional(),
  details: str.optional(),
  severity: z.array(osvSeveritySchema).optional().nullable(),
  affected: z.array(osvAffectedSchema).optional().nullable(),
});

export type ParsedOsvRecord = z.infer<typeof osvRecordSchema>;

export const kevEntrySchema = z.looseObject({
  cveID: str.regex(/^CVE-\d{4}-\d+$/),
  dateAdded: str,
  dueDate: str.optional(),
  knownRansomwareCampaignUse: str.optional(),
  vulnerabilityName: str.optional(),
});

export const kevCatalogSchema = z.looseObject({
  catalogVersion: str.optional(),
  vulnerabilities: z.array(z.unknown()),
});
