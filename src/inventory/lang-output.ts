import { DEFAULT_LIMITS } from '../core/limits.js';
import type { InventoryWarning, Package } from '../core/types.js';
import { MAX_PROBLEMS, type LangParseResult } from '../ecosystems/lang-types.js';
import type { AnalyzerFile, AnalyzerOutput } from './types.js';

const utf8 = new TextDecoder('utf-8', { fatal: true });

/**
 * Runs a language parser over one file and turns its result into analyzer output: every problem
 * becomes a warning naming the file, and a parser that still fails (a stack overflow on absurd
 * nesting) costs only this file. Invalid UTF-8 is decoded lossily with a warning, because one bad
 * byte in a licence text must not hide the packages.
 */
export function runLangParser(
  file: AnalyzerFile,
  ecosystem: string,
  code: string,
  parse: (text: string) => LangParseResult,
): AnalyzerOutput {
  const warnings: InventoryWarning[] = [];
  let text: string;
  try {
    text = utf8.decode(file.content);
  } catch {
    text = file.content.toString('utf8');
    warnings.push({ code, message: 'not valid UTF-8; decoded lossily', input: file.path });
  }
  let result: LangParseResult;
  try {
    result = parse(text);
  } catch (e) {
    warnings.push({
      code,
      message: `cannot parse: ${(e as Error).message.split('\n')[0]}`,
      input: file.path,
    });
    return { packages: [], warnings };
  }
  // parsers outside this family (the npm lockfile parser) do not cap their problems themselves
  for (const message of result.problems.slice(0, MAX_PROBLEMS))
    warnings.push({ code, message, input: file.path });
  if (result.problems.length > MAX_PROBLEMS)
    warnings.push({ code, message: 'further problems in this file not reported', input: file.path });
  const packages: Omit<Package, 'layer'>[] = result.packages.map((p) => ({
    name: p.name,
    version: p.version,
    ecosystem,
    type: 'lang',
    purl: p.purl,
    location: file.path,
    ...(p.licenses?.length ? { licenses: p.licenses } : {}),
    ...(p.dev || p.metadata ? { metadata: { ...p.metadata, ...(p.dev ? { dev: true } : {}) } } : {}),
    ...(p.dependsOn?.length ? { dependsOn: p.dependsOn } : {}),
  }));
  return warnings.length ? { packages, warnings } : { packages };
}

/**
 * True when the last path segment is exactly `name`. Gates run for every tar entry, so this
 * compares in place instead of slicing out the segment.
 */
export function hasBaseName(path: string, name: string): boolean {
  return (
    path.endsWith(name) &&
    (path.length === name.length || path.charCodeAt(path.length - name.length - 1) === 47)
  );
}

/** Index where the last path segment starts. */
export function baseStart(path: string): number {
  return path.lastIndexOf('/') + 1;
}

/** Lockfiles in dependency folders belong to the dependencies' own sources, not to the project. */
export function inDependencyFolder(path: string): boolean {
  return (
    path.startsWith('node_modules/') ||
    path.includes('/node_modules/') ||
    path.startsWith('vendor/bundle/') ||
    path.includes('/vendor/bundle/')
  );
}

export const MAX_LOCKFILE_BYTES = 64 * 1024 * 1024;
export const MAX_METADATA_BYTES = 4 * 1024 * 1024;

/**
 * Compiled binaries are read by offset (headers and one section, or a windowed search), so files
 * above `maxAnalyzedFileBytes` are read too; the gate stops at 256 MiB because spilling a layer
 * entry to disk costs a full write of it, and executables beyond that are rare.
 */
export const MAX_EXECUTABLE_BYTES = Math.min(256 * 1024 * 1024, DEFAULT_LIMITS.maxRandomAccessFileBytes);

/** The gate of the binary analyzers: an executable regular file, not trivially small, within the bound. */
export function isExecutableCandidate(size: number, mode: number | undefined): boolean {
  return mode !== undefined && (mode & 0o111) !== 0 && size >= 64 && size <= MAX_EXECUTABLE_BYTES;
}
