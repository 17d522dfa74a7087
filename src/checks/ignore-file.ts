/**
 * The configuration-check side of `.bulwarkignore.yaml` (see `src/core/ignore-file.ts`): one file
 * serves vulnerabilities and configuration checks; entries naming a `package` belong to the
 * vulnerability side and never match a configuration rule.
 */
import { loadIgnoreFile, parseIgnoreFile, type IgnoreEntry } from '../core/ignore-file.js';

export type CheckIgnoreEntry = IgnoreEntry;

export function parseCheckIgnoreFile(text: string, fileName: string): CheckIgnoreEntry[] {
  return parseIgnoreFile(text, fileName).filter((e) => e.package === undefined);
}

export async function loadCheckIgnoreFile(file: string): Promise<CheckIgnoreEntry[]> {
  return (await loadIgnoreFile(file)).filter((e) => e.package === undefined);
}
