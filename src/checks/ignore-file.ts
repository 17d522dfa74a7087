import { readFile } from 'node:fs/promises';
import { parse } from 'yaml';
import { z } from 'zod';
import { BulwarkError } from '../core/errors.js';

/**
 * The configuration-check ignore file: the same YAML shape as the vulnerability ignore file
 * (a list, or `{ ignore: [...] }`), plus `path` (a file or folder prefix). Entries naming a
 * `package` are the vulnerability side's and are skipped here, so one file can serve both.
 */
const isoDay = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'expires must be YYYY-MM-DD');
const entry = z.strictObject({
  id: z.string().min(1),
  path: z.string().min(1).optional(),
  // vulnerability entries share the file; they never match a configuration rule
  package: z.string().min(1).optional(),
  reason: z.string().trim().min(1, 'reason is required'),
  expires: z.preprocess((v) => (v instanceof Date ? v.toISOString().slice(0, 10) : v), isoDay).optional(),
});
const schema = z.union([
  z.array(entry),
  z.strictObject({ ignore: z.array(entry).default([]) }).transform((o) => o.ignore),
]);

export type CheckIgnoreEntry = z.infer<typeof entry>;

export function parseCheckIgnoreFile(text: string, fileName: string): CheckIgnoreEntry[] {
  let doc: unknown;
  try {
    doc = parse(text, { maxAliasCount: 100 }) ?? [];
  } catch (e) {
    throw new BulwarkError('CONFIG', `ignore file is not valid YAML: ${(e as Error).message}`, {
      input: fileName,
    });
  }
  const r = schema.safeParse(doc);
  if (!r.success) {
    const issue = r.error.issues[0];
    const where = issue?.path.length ? ` at ${issue.path.join('.')}` : '';
    throw new BulwarkError('CONFIG', `invalid ignore file${where}: ${issue?.message ?? 'bad shape'}`, {
      input: fileName,
    });
  }
  return r.data.filter((e) => e.package === undefined);
}

export async function loadCheckIgnoreFile(file: string): Promise<CheckIgnoreEntry[]> {
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
  return parseCheckIgnoreFile(text, file);
}
