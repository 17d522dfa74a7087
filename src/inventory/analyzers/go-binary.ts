import { DEFAULT_LIMITS } from '../../core/limits.js';
import type { Package } from '../../core/types.js';
import {
  goModulePackage,
  goPurl,
  isExecutableImage,
  parseGoModinfo,
  readGoBuildInfo,
  stdlibVersion,
} from '../../ecosystems/go/index.js';
import type { Analyzer, AnalyzerFile, AnalyzerOutput } from '../types.js';

/**
 * Binaries are read by offset (headers, one section, or a windowed search for the magic), so
 * ones above `maxAnalyzedFileBytes` are read too; the gate stops at 256 MiB because spilling a
 * layer entry to disk costs a full write of it, and Go executables beyond that are rare.
 */
const MAX_BINARY = Math.min(256 * 1024 * 1024, DEFAULT_LIMITS.maxRandomAccessFileBytes);

/** Modules compiled into Go binaries (ELF, Mach-O, PE), read from the linker's build info. */
export const goBinaryAnalyzer: Analyzer = {
  id: 'go-binary',
  // 2: binaries above maxAnalyzedFileBytes (up to 256 MiB) are read by offset instead of skipped
  version: 2,
  kind: 'lang',
  randomAccess: true,
  required(_path: string, size: number, mode?: number): boolean {
    return mode !== undefined && (mode & 0o111) !== 0 && size >= 64 && size <= MAX_BINARY;
  },
  analyze(file: AnalyzerFile): AnalyzerOutput {
    const bytes = file.source ?? file.content;
    if (!isExecutableImage(bytes)) return {};
    let blob;
    try {
      blob = readGoBuildInfo(bytes);
    } catch (e) {
      return {
        warnings: [{ code: 'GO_BUILDINFO_MALFORMED', message: (e as Error).message, input: file.path }],
      };
    }
    if (!blob) return {};
    const info = parseGoModinfo(blob.goVersion, blob.modinfo);
    const packages: Omit<Package, 'layer'>[] = [];
    if (info.main && info.main.version && info.main.version !== '(devel)') {
      packages.push(goModulePackage(info.main, file.path));
    }
    for (const d of info.deps) {
      if (d.version && d.version !== '(devel)') packages.push(goModulePackage(d, file.path));
    }
    const std = stdlibVersion(info.goVersion);
    if (std) {
      packages.push({
        name: 'stdlib',
        version: std,
        ecosystem: 'Go',
        type: 'lang',
        purl: goPurl('stdlib', std),
        location: file.path,
        ...(info.settings.GOARCH ? { arch: info.settings.GOARCH } : {}),
      });
    }
    const warnings = info.problems.map((message) => ({
      code: 'GO_BUILDINFO_MALFORMED',
      message,
      input: file.path,
    }));
    return warnings.length ? { packages, warnings } : { packages };
  },
};

export default goBinaryAnalyzer;
