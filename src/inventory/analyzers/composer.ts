import { parseInstalledJson } from '../../ecosystems/packagist/index.js';
import { MAX_LOCKFILE_BYTES, runLangParser } from '../lang-output.js';
import type { Analyzer, AnalyzerFile, AnalyzerOutput } from '../types.js';

/** Packages Composer installed: `vendor/composer/installed.json` (Composer 1 and 2). */
export const composerAnalyzer: Analyzer = {
  id: 'composer',
  version: 1,
  kind: 'lang',
  required(path: string, size: number): boolean {
    return (
      size <= MAX_LOCKFILE_BYTES &&
      (path === 'vendor/composer/installed.json' || path.endsWith('/vendor/composer/installed.json'))
    );
  },
  analyze(file: AnalyzerFile): AnalyzerOutput {
    return runLangParser(file, 'Packagist', 'PACKAGIST_MALFORMED', parseInstalledJson);
  },
};

export default composerAnalyzer;
