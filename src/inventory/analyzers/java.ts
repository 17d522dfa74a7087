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
   * Largest archive handed to the analyzer. Defaults to the walker's `maxAnalyzedFileBytes`:
   * the image walker fails a whole layer for a wanted file above that limit, so a larger gate
   * must come with a larger limit (as `bench/java-jar.ts` does for its 200 MB jar).
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
  const max = options.maxArchiveBytes ?? DEFAULT_LIMITS.maxAnalyzedFileBytes;
  return {
    id: 'java',
    version: 1,
    kind: 'lang',
    required(path: string, size: number): boolean {
      return size <= max && isJavaArchiveName(path);
    },
    analyze(file: AnalyzerFile, ctx): AnalyzerOutput {
      const result = parseJavaArchive(file.content, file.path, {
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
