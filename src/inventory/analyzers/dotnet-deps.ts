import { parseDepsJson } from '../../ecosystems/nuget/index.js';
import { MAX_LOCKFILE_BYTES, runLangParser } from '../lang-output.js';
import type { Analyzer, AnalyzerFile, AnalyzerOutput } from '../types.js';

/** NuGet packages a built .NET application loads: `<app>.deps.json`. */
export const dotnetDepsAnalyzer: Analyzer = {
  id: 'dotnet-deps',
  // 2: project and runtimepack libraries listed, asset-less libraries of the runtime target not
  version: 2,
  kind: 'lang',
  required(path: string, size: number): boolean {
    return size <= MAX_LOCKFILE_BYTES && path.endsWith('.deps.json');
  },
  analyze(file: AnalyzerFile): AnalyzerOutput {
    return runLangParser(file, 'NuGet', 'NUGET_MALFORMED', parseDepsJson);
  },
};

export default dotnetDepsAnalyzer;
