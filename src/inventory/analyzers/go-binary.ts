import type { Package } from '../../core/types.js';
import {
  goModulePackage,
  goPurl,
  isExecutableImage,
  parseGoModinfo,
  readGoBuildInfo,
  stdlibVersion,
} from '../../ecosystems/go/index.js';
import { isExecutableCandidate } from '../lang-output.js';
import type { Analyzer, AnalyzerFile, AnalyzerOutput } from '../types.js';

/** Modules compiled into Go binaries (ELF, Mach-O, PE), read from the linker's build info. */
export const goBinaryAnalyzer: Analyzer = {
  id: 'go-binary',
  // 2: binaries above maxAnalyzedFileBytes (up to 256 MiB) are read by offset instead of skipped
  version: 2,
  kind: 'lang',
  randomAccess: true,
  required(_path: string, size: number, mode?: number): boolean {
    return isExecutableCandidate(size, mode);
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
