import { parse } from 'smol-toml';
import { isRecord, MAX_ENTRIES } from './lang-types.js';

/**
 * A TOML lockfile as a table, or undefined with a problem recorded. Nesting is capped: no real
 * lockfile nests deeper than a handful of tables, and the cap keeps hostile input off the stack.
 */
export function readToml(text: string, problems: string[]): Record<string, unknown> | undefined {
  try {
    const doc: unknown = parse(text, { maxDepth: 64 });
    if (isRecord(doc)) return doc;
    problems.push('not a TOML table');
  } catch (e) {
    problems.push(`invalid TOML: ${(e as Error).message.split('\n')[0]}`);
  }
  return undefined;
}

/** The `[[package]]` array of tables that Cargo, Poetry and uv lockfiles share. */
export function packageTables(doc: Record<string, unknown>, problems: string[]): Record<string, unknown>[] {
  const list = doc.package;
  if (list === undefined) return [];
  if (!Array.isArray(list)) {
    problems.push('`package` is not an array of tables');
    return [];
  }
  if (list.length > MAX_ENTRIES) problems.push(`more than ${MAX_ENTRIES} packages: the rest is not read`);
  return list.slice(0, MAX_ENTRIES).filter((p): p is Record<string, unknown> => isRecord(p));
}

export const str = (v: unknown): string | undefined => (typeof v === 'string' && v !== '' ? v : undefined);
