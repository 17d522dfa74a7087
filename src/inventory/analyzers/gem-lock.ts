import { parseGemfileLock } from '../../ecosystems/rubygems/index.js';
import { hasBaseName, inDependencyFolder, MAX_LOCKFILE_BYTES, runLangParser } from '../lang-output.js';
import type { Analyzer, AnalyzerFile, AnalyzerOutput } from '../types.js';

/** Bundler's `Gemfile.lock` (or `gems.locked`) of a project folder. */
export const gemLockAnalyzer: Analyzer = {
  id: 'gem-lock',
  version: 2,
  kind: 'lang',
  targets: ['fs'],
  required(path: string, size: number): boolean {
    return (
      size <= MAX_LOCKFILE_BYTES &&
      (hasBaseName(path, 'Gemfile.lock') || hasBaseName(path, 'gems.locked')) &&
      !inDependencyFolder(path)
    );
  },
  analyze(file: AnalyzerFile): AnalyzerOutput {
    return runLangParser(file, 'RubyGems', 'RUBYGEMS_MALFORMED', parseGemfileLock);
  },
};

export default gemLockAnalyzer;
