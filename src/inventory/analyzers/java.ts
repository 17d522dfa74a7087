import { DEFAULT_LIMITS } from '../../core/limits.js';
import type { Package } from '../../core/types.js';
import {
  isJavaArchiveName,
  mavenPurl,
  parseJavaArchive,
  type JavaPackage,
} from '../../ecosystems/maven/index.js';
import type { Analyzer, AnalyzerFile, AnalyzerOutput } from '../types.js';

export interface JavaAnalyzerOptions {
  /**
   * Largest archive the analyzer asks for. Defaults to `maxRandomAccessFileBytes`: the analyzer
   * reads by offset, so the walkers hand it large archives as a file source (spilled to the cache
   * dir in images) and enforce that limit themselves, with a FILE_TOO_LARGE warning above it.
   */
  maxArchiveBytes?: number;
}

function toPackage(p: JavaPackage): Omit<Package, 'layer'> {
  return {
    name: `${p.groupId}:${p.artifactId}`,
    version: p.version,
    ecosystem: 'Maven',
    type: 'lang',
    purl: mavenPurl(p.groupId, p.artifactId, p.version),
    location: p.location,
    metadata: { source: p.source, ...(p.groupIdGuessed ? { groupIdGuessed: true } : {}) },
  };
}

/** Maven artifacts in `.jar/.war/.ear/.par` files, nested archives included. */
export function createJavaAnalyzer(options: JavaAnalyzerOptions = {}): Analyzer {
  const max = options.maxArchiveBytes ?? DEFAULT_LIMITS.maxRandomAccessFileBytes;
  return {
    id: 'java',
    // 2: archives above maxAnalyzedFileBytes are read (by offset) instead of skipped
    version: 2,
    kind: 'lang',
    randomAccess: true,
    required(path: string, size: number): boolean {
      return size <= max && isJavaArchiveName(path);
    },
    analyze(file: AnalyzerFile, ctx): AnalyzerOutput {
      const result = parseJavaArchive(file.source ?? file.content, file.path, {
        maxEntryBytes: Math.min(ctx.maxBytes, 64 * 1024 * 1024),
      });
      const packages = result.packages.map(toPackage);
      const warnings = result.problems.map((p) => ({
        code: `JAVA_${p.code}`,
        message: p.message,
        input: p.input,
      }));
      return warnings.length ? { packages, warnings } : { packages };
    },
  };
}

export const javaAnalyzer: Analyzer = createJavaAnalyzer();

export default javaAnalyzer;
