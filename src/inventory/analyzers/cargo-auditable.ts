import { PackageURL } from 'packageurl-js';
import type { Package } from '../../core/types.js';
import { parseAuditableData, readAuditableSection } from '../../ecosystems/cargo/index.js';
import { isExecutableCandidate } from '../lang-output.js';
import type { Analyzer, AnalyzerFile, AnalyzerOutput } from '../types.js';

/**
 * Crates compiled into Rust binaries built with `cargo auditable` (the `.dep-v0` ELF section).
 * Only crates.io crates are reported: the root is the binary itself, and local, git or private
 * registry crates have no advisories to match.
 */
export const cargoAuditableAnalyzer: Analyzer = {
  id: 'cargo-auditable',
  // 2: binaries above maxAnalyzedFileBytes (up to 256 MiB) are read by offset instead of skipped
  version: 2,
  kind: 'lang',
  randomAccess: true,
  required(_path: string, size: number, mode?: number): boolean {
    return isExecutableCandidate(size, mode);
  },
  analyze(file: AnalyzerFile): AnalyzerOutput {
    const section = readAuditableSection(file.source ?? file.content);
    if (!section) return {};
    let crates;
    try {
      crates = parseAuditableData(section);
    } catch (e) {
      return {
        warnings: [{ code: 'CARGO_AUDITABLE_MALFORMED', message: (e as Error).message, input: file.path }],
      };
    }
    const packages: Omit<Package, 'layer'>[] = [];
    for (const c of crates) {
      if (c.root || c.source !== 'crates.io') continue;
      packages.push({
        name: c.name,
        version: c.version,
        ecosystem: 'crates.io',
        type: 'lang',
        purl: new PackageURL('cargo', undefined, c.name, c.version, undefined, undefined).toString(),
        location: file.path,
        ...(c.kind === 'build' ? { metadata: { kind: 'build' } } : {}),
      });
    }
    return { packages };
  },
};

export default cargoAuditableAnalyzer;
