import { parseYarnLock } from '../../ecosystems/npm/index.js';
import { hasBaseName, inDependencyFolder, MAX_LOCKFILE_BYTES, runLangParser } from '../lang-output.js';
import type { Analyzer, AnalyzerFile, AnalyzerOutput } from '../types.js';

/** `yarn.lock` of a project folder, classic (v1) and berry (v2+). */
export const yarnAnalyzer: Analyzer = {
  id: 'yarn',
  // 2: workspace members, file:/link:, git and patched entries listed, marked by source
  version: 2,
  kind: 'lang',
  targets: ['fs'],
  required(path: string, size: number): boolean {
    return size <= MAX_LOCKFILE_BYTES && hasBaseName(path, 'yarn.lock') && !inDependencyFolder(path);
  },
  analyze(file: AnalyzerFile): AnalyzerOutput {
    return runLangParser(file, 'npm', 'NPM_MALFORMED', parseYarnLock);
  },
};

export default yarnAnalyzer;
