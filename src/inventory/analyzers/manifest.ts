import { readCargoManifest } from '../../ecosystems/cargo/manifest.js';
import type { ManifestRoots } from '../../ecosystems/lang-types.js';
import { readPackageManifest } from '../../ecosystems/npm/manifest.js';
import { readGemfile } from '../../ecosystems/rubygems/gemfile.js';
import { MANIFEST_FACT } from '../link-manifests.js';
import { baseStart, hasBaseName, inDependencyFolder, MAX_METADATA_BYTES } from '../lang-output.js';
import type { Analyzer, AnalyzerFile, AnalyzerOutput } from '../types.js';

/** Manifest file name -> its reader; the lockfiles they explain are in `link-manifests.ts`. */
const READERS: Record<string, (text: string) => ManifestRoots | undefined> = {
  'package.json': readPackageManifest,
  'Cargo.toml': readCargoManifest,
  Gemfile: readGemfile,
  'gems.rb': readGemfile,
};

const NAMES = Object.keys(READERS);

/**
 * Project manifests beside lockfiles (`package.json`, `Cargo.toml`, `Gemfile`): their direct
 * production and development dependencies, as a fact. Lockfiles do not say which entries only
 * development needs; the manifest does, and `linkManifests` joins the two after the merge, which
 * keeps both analyzers per-file and cacheable. Lists are JSON strings (fact data is scalar).
 */
export const manifestAnalyzer: Analyzer = {
  id: 'manifest',
  version: 2,
  kind: 'lang',
  targets: ['fs'],
  required(path: string, size: number): boolean {
    return size <= MAX_METADATA_BYTES && NAMES.some((n) => hasBaseName(path, n)) && !inDependencyFolder(path);
  },
  analyze(file: AnalyzerFile): AnalyzerOutput {
    const read = READERS[file.path.slice(baseStart(file.path))];
    const roots = read?.(file.content.toString('utf8'));
    if (!roots) return {};
    return {
      facts: [
        {
          kind: MANIFEST_FACT,
          data: {
            name: roots.name ?? null,
            prod: JSON.stringify(roots.prod),
            dev: JSON.stringify(roots.dev),
            workspaces: JSON.stringify(roots.workspaces),
            excluded: JSON.stringify(roots.excluded),
            complete: roots.complete,
          },
        },
      ],
    };
  },
};

export default manifestAnalyzer;
