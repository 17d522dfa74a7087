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
 * Larger files would make the layer walker fail the whole layer (it refuses files above
 * `maxAnalyzedFileBytes`), so binaries are gated at that default, not at Go's 256 MiB.
 */
const MAX_BINARY = Math.min(256 * 1024 * 1024, DEFAULT_LIMITS.maxAnalyzedFileBytes);

/** Modules compiled into Go binaries (ELF, Mach-O, PE), read from the linker's build info. */
export const goBinaryAnalyzer: Analyzer = {
  id: 'go-binary',
  version: 1,
  kind: 'lang',
  required(_path: string, size: number, mode?: number): boolean {
    return mode !== undefined && (mode & 0o111) !== 0 && size >= 64 && size <= MAX_BINARY;
  },
  analyze(file: AnalyzerFile): AnalyzerOutput {
    if (!isExecutableImage(file.content)) return {};
    let blob;
    try {
      blob = readGoBuildInfo(file.content);
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
