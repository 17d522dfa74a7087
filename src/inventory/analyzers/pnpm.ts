import { parsePnpmLock } from '../../ecosystems/npm/index.js';
import { hasBaseName, inDependencyFolder, MAX_LOCKFILE_BYTES, runLangParser } from '../lang-output.js';
import type { Analyzer, AnalyzerFile, AnalyzerOutput } from '../types.js';

/** `pnpm-lock.yaml` of a project folder (lockfile versions 5 to 9). */
export const pnpmAnalyzer: Analyzer = {
  id: 'pnpm',
  // 2: file: packages listed, v5 registry-host keys, pnpm 11's env lockfile document skipped
  version: 2,
  kind: 'lang',
  targets: ['fs'],
  required(path: string, size: number): boolean {
    return size <= MAX_LOCKFILE_BYTES && hasBaseName(path, 'pnpm-lock.yaml') && !inDependencyFolder(path);
  },
  analyze(file: AnalyzerFile): AnalyzerOutput {
    return runLangParser(file, 'npm', 'NPM_MALFORMED', parsePnpmLock);
  },
};

export default pnpmAnalyzer;
