import { parsePackagesLockJson } from '../../ecosystems/nuget/index.js';
import { hasBaseName, MAX_LOCKFILE_BYTES, runLangParser } from '../lang-output.js';
import type { Analyzer, AnalyzerFile, AnalyzerOutput } from '../types.js';

/** NuGet's `packages.lock.json` of a project folder. */
export const nugetLockAnalyzer: Analyzer = {
  id: 'nuget-lock',
  version: 1,
  kind: 'lang',
  targets: ['fs'],
  required(path: string, size: number): boolean {
    return size <= MAX_LOCKFILE_BYTES && hasBaseName(path, 'packages.lock.json');
  },
  analyze(file: AnalyzerFile): AnalyzerOutput {
    return runLangParser(file, 'NuGet', 'NUGET_MALFORMED', parsePackagesLockJson);
  },
};

export default nugetLockAnalyzer;
