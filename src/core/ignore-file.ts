/**
 * `.bulwarkignore.yaml`, one file for every kind of finding: a list of entries or
 * `{ ignore: [...] }`, each `{ id, package?, path?, reason, expires? }`. `id` is a finding id, one
 * of its aliases, or a rule id; `package` narrows a vulnerability entry to one package (name or
 * purl); `path` narrows an entry to a file or folder (a configuration file, or the file that
 * declared a package). A reason is required; `expires` (YYYY-MM-DD, UTC) ends an entry.
 * Anything else is a CONFIG error naming the file.
 */
import { readFile } from 'node:fs/promises';
import { parse as parseYaml } from 'yaml';
import { z } from 'zod';
import { BulwarkError } from './errors.js';

/** A calendar day `YYYY-MM-DD` (UTC): ignore-file and policy-exception expiries. */
export const isoDay = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, 'expected YYYY-MM-DD')
  .refine(
    (s) =>
      !Number.isNaN(Date.parse(`${s}T00:00:00Z`)) && new Date(`${s}T00:00:00Z`).toISOString().startsWith(s),
    { message: 'not a calendar date' },
  );

/** An expiry day; YAML's core schema reads an unquoted 2025-01-31 as a string, but accept a Date too. */
export const expiryDay = z.preprocess((v) => (v instanceof Date ? v.toISOString().slice(0, 10) : v), isoDay);

const entrySchema = z.strictObject({
  id: z.string().min(1),
  package: z.string().min(1).optional(),
  path: z.string().min(1).optional(),
  reason: z.string().trim().min(1, 'reason is required'),
  expires: expiryDay.optional(),
});

const fileSchema = z.union([
  z.array(entrySchema),
  z.strictObject({ ignore: z.array(entrySchema).default([]) }).transform((o) => o.ignore),
]);

export type IgnoreEntry = z.infer<typeof entrySchema>;

export const IGNORE_FILE_NAME = '.bulwarkignore.yaml';

export function parseIgnoreFile(text: string, fileName: string): IgnoreEntry[] {
  let doc: unknown;
  try {
    doc = parseYaml(text, { maxAliasCount: 100 });
  } catch (e) {
    throw new BulwarkError('CONFIG', `invalid YAML: ${(e as Error).message}`, { input: fileName, cause: e });
  }
  if (doc === null || doc === undefined) return [];
  const r = fileSchema.safeParse(doc);
  if (!r.success) {
    const issue = r.error.issues[0];
    const where = issue?.path.length ? ` at ${issue.path.join('.')}` : '';
    throw new BulwarkError('CONFIG', `invalid ignore file${where}: ${issue?.message ?? 'bad shape'}`, {
      input: fileName,
    });
  }
  return r.data;
}

/** Reads and parses an ignore file; a missing file is INPUT_NOT_FOUND. */
export async function loadIgnoreFile(file: string): Promise<IgnoreEntry[]> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    throw new BulwarkError(code === 'ENOENT' ? 'INPUT_NOT_FOUND' : 'CONFIG', 'cannot read ignore file', {
      input: file,
      cause: e,
    });
  }
  return parseIgnoreFile(text, file);
}

/** True when `file` is `path` or lies under it (both image- or folder-relative, `/`-separated). */
export function underPath(file: string, path: string): boolean {
  const p = path.replace(/^\.?\/+/, '').replace(/\/+$/, '');
  const f = file.replace(/^\.?\/+/, '');
  return p === '' || f === p || f.startsWith(`${p}/`);
}
