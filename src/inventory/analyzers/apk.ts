import { PackageURL } from 'packageurl-js';
import type { Package } from '../../core/types.js';
import { parseApkInstalled } from '../../ecosystems/alpine/parse.js';
import type { Analyzer, AnalyzerFile, AnalyzerOutput } from '../types.js';

const INSTALLED = 'lib/apk/db/installed';

export const apkAnalyzer: Analyzer = {
  id: 'apk',
  version: 1,
  kind: 'os-packages',
  required(path: string): boolean {
    return path === INSTALLED;
  },
  analyze(file: AnalyzerFile): AnalyzerOutput {
    const text = file.content.toString('utf8');
    const parsed = parseApkInstalled(text);
    const warnings = parsed.problems.map((message) => ({ code: 'APK_MALFORMED', message, input: file.path }));
    if (parsed.packages.length === 0 && text.trim() !== '' && warnings.length === 0) {
      warnings.push({ code: 'APK_NO_PACKAGES', message: 'no apk package found', input: file.path });
    }
    const packages = parsed.packages.map((p) => {
      const qualifiers: Record<string, string> = {};
      if (p.arch) qualifiers.arch = p.arch;
      const pkg: Omit<Package, 'layer'> = {
        name: p.name,
        version: p.version,
        ecosystem: '',
        type: 'os',
        // namespace (alpine, wolfi, chainguard) and distro= are set by finalizeOsPackage
        purl: new PackageURL('apk', 'alpine', p.name, p.version, qualifiers, undefined).toString(),
        location: file.path,
      };
      if (p.arch) pkg.arch = p.arch;
      if (p.origin) pkg.sourceName = p.origin;
      if (p.license) pkg.licenses = [p.license];
      const metadata: Record<string, string | number> = {};
      if (p.commit) metadata.commit = p.commit;
      if (p.buildTime) metadata.buildTime = p.buildTime;
      if (p.maintainer) metadata.maintainer = p.maintainer;
      if (Object.keys(metadata).length) pkg.metadata = metadata;
      return pkg;
    });
    return warnings.length ? { packages, warnings } : { packages };
  },
};

export default apkAnalyzer;
