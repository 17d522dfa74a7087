import { lstat, readdir, stat } from 'node:fs/promises';
import path from 'node:path';

const MANIFEST = /\.(ya?ml|json)$/i;
const SKIP_DIRS = new Set(['.git', 'node_modules', '.terraform']);

/**
 * The manifest files under the named paths: a named file is taken whatever its name; folders are
 * searched recursively for *.yaml, *.yml and *.json, skipping .git, node_modules and .terraform.
 * Named paths follow symlinks; recursion does not, so a link loop cannot trap the walk. Sorted by
 * name within each folder, so results are stable.
 */
export async function collectManifestFiles(
  p: string,
  out: string[] = [],
  explicit = true,
): Promise<string[]> {
  const st = explicit ? await stat(p) : await lstat(p);
  if (st.isDirectory()) {
    if (!explicit && SKIP_DIRS.has(path.basename(p))) return out;
    const names = (await readdir(p)).sort();
    for (const n of names) await collectManifestFiles(path.join(p, n), out, false);
  } else if (st.isFile() && (explicit || MANIFEST.test(p))) out.push(p);
  return out;
}

/** The manifest files under every named path; a path that cannot be read is an INPUT_NOT_FOUND entry. */
export async function collectManifestPaths(
  paths: readonly string[],
): Promise<{ files: string[]; missing: { file: string; code: 'INPUT_NOT_FOUND'; message: string }[] }> {
  const files: string[] = [];
  const missing: { file: string; code: 'INPUT_NOT_FOUND'; message: string }[] = [];
  for (const p of paths) {
    try {
      await collectManifestFiles(p, files);
    } catch (e) {
      // missing or unreadable: INPUT_NOT_FOUND either way
      missing.push({ file: p, code: 'INPUT_NOT_FOUND', message: (e as Error).message });
    }
  }
  return { files, missing };
}

/** A path as reports show it: relative to `baseDir` when the file lies under it, as named otherwise. */
export function displayPath(baseDir: string | undefined, file: string): string {
  if (!baseDir) return file;
  const rel = path.relative(baseDir, file);
  return rel && !rel.startsWith('..') && !path.isAbsolute(rel) ? rel : file;
}
