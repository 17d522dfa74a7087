import { goModulePackage } from '../../ecosystems/go/index.js';
import { parseGoSum } from '../../ecosystems/go/sum.js';
import { hasBaseName } from '../lang-output.js';
import type { Analyzer, AnalyzerFile, AnalyzerOutput } from '../types.js';

/**
 * go.sum of project folders. Its modules count only beside a go.mod older than go 1.17, which
 * lists direct requirements only: `linkManifests` keeps them there (as indirect) and drops them
 * everywhere else, so this output is raw material, marked `metadata.goSum`.
 */
export const goSumAnalyzer: Analyzer = {
  id: 'go-sum',
  version: 1,
  kind: 'lang',
  targets: ['fs'],
  required(path: string, size: number): boolean {
    return size < 16 * 1024 * 1024 && hasBaseName(path, 'go.sum');
  },
  analyze(file: AnalyzerFile): AnalyzerOutput {
    const { modules, problems } = parseGoSum(file.content.toString('utf8'));
    const packages = [...modules].map(([p, version]) => {
      const pkg = goModulePackage({ path: p, version, indirect: true }, file.path);
      return { ...pkg, metadata: { ...pkg.metadata, goSum: true } };
    });
    const warnings = problems.map((message) => ({ code: 'GO_SUM_MALFORMED', message, input: file.path }));
    return warnings.length ? { packages, warnings } : { packages };
  },
};

export default goSumAnalyzer;
