import { PackageURL } from 'packageurl-js';
import type { Package } from '../../core/types.js';
import { parseDpkgStatus } from '../../ecosystems/debian/parse.js';
import type { Analyzer, AnalyzerFile, AnalyzerOutput } from '../types.js';

const STATUS = 'var/lib/dpkg/status';
const STATUS_D = 'var/lib/dpkg/status.d/';

export function isDpkgDbPath(path: string): boolean {
  if (path === STATUS) return true;
  if (!path.startsWith(STATUS_D) || path.length === STATUS_D.length) return false;
  // one file per package; `<pkg>.md5sums` beside it lists file hashes, not packages
  return path.indexOf('/', STATUS_D.length) < 0 && !path.endsWith('.md5sums');
}

export const dpkgAnalyzer: Analyzer = {
  id: 'dpkg',
  version: 1,
  kind: 'os-packages',
  required(path: string): boolean {
    return isDpkgDbPath(path);
  },
  analyze(file: AnalyzerFile): AnalyzerOutput {
    const statusD = file.path !== STATUS;
    const text = file.content.toString('utf8');
    const parsed = parseDpkgStatus(text, { missingStatusIsInstalled: statusD });
    const warnings = parsed.problems.map((message) => ({
      code: 'DPKG_MALFORMED',
      message,
      input: file.path,
    }));
    if (parsed.packages.length === 0 && parsed.notInstalled === 0 && text.trim() !== '') {
      warnings.push({ code: 'DPKG_NO_PACKAGES', message: 'no dpkg stanza found', input: file.path });
    }
    const packages: Omit<Package, 'layer'>[] = parsed.packages.map((p) => {
      const qualifiers: Record<string, string> = {};
      if (p.architecture) qualifiers.arch = p.architecture;
      const pkg: Omit<Package, 'layer'> = {
        name: p.name,
        version: p.version,
        ecosystem: '',
        type: 'os',
        // namespace and distro= are set by finalizeOsPackage once the OS is known
        purl: new PackageURL('deb', 'debian', p.name, p.version, qualifiers, undefined).toString(),
        location: file.path,
      };
      if (p.architecture) pkg.arch = p.architecture;
      if (p.sourceName) pkg.sourceName = p.sourceName;
      if (p.sourceVersion && p.sourceVersion !== p.version) pkg.sourceVersion = p.sourceVersion;
      if (p.multiArch) pkg.metadata = { multiArch: p.multiArch };
      return pkg;
    });
    return warnings.length ? { packages, warnings } : { packages };
  },
};

export default dpkgAnalyzer;
