import { parseComposerLock } from '../../ecosystems/packagist/index.js';
import { hasBaseName, inDependencyFolder, MAX_LOCKFILE_BYTES, runLangParser } from '../lang-output.js';
import type { Analyzer, AnalyzerFile, AnalyzerOutput } from '../types.js';

/** `composer.lock` of a project folder (packages and packages-dev). */
export const composerLockAnalyzer: Analyzer = {
  id: 'composer-lock',
  version: 1,
  kind: 'lang',
  targets: ['fs'],
  required(path: string, size: number): boolean {
    return (
      size <= MAX_LOCKFILE_BYTES &&
      hasBaseName(path, 'composer.lock') &&
      !inDependencyFolder(path) &&
      !path.includes('vendor/')
    );
  },
  analyze(file: AnalyzerFile): AnalyzerOutput {
    return runLangParser(file, 'Packagist', 'PACKAGIST_MALFORMED', parseComposerLock);
  },
};

export default composerLockAnalyzer;
