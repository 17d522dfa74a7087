import { goModulePackage, parseGoMod } from '../../ecosystems/go/index.js';
import { GO_MOD_FACT } from '../go-sum-merge.js';
import type { Analyzer, AnalyzerFile, AnalyzerOutput } from '../types.js';

const NAME = 'go.mod';

/** Requirements declared by go.mod files of project folders (images carry binaries instead). */
export const goModAnalyzer: Analyzer = {
  id: 'go-mod',
  // 2: a `go-mod` fact carries the `go` line, for the go.sum merge of go < 1.17 modules
  version: 2,
  kind: 'lang',
  targets: ['fs'],
  required(path: string, size: number): boolean {
    return (
      size < 8 * 1024 * 1024 &&
      path.endsWith(NAME) &&
      (path.length === NAME.length || path.charCodeAt(path.length - NAME.length - 1) === 47)
    );
  },
  analyze(file: AnalyzerFile): AnalyzerOutput {
    const mod = parseGoMod(file.content.toString('utf8'));
    const packages = mod.requires.map((m) => goModulePackage(m, file.path));
    const warnings = mod.problems.map((message) => ({ code: 'GO_MOD_MALFORMED', message, input: file.path }));
    const facts = [{ kind: GO_MOD_FACT, data: { goVersion: mod.goVersion ?? null } }];
    return warnings.length ? { packages, facts, warnings } : { packages, facts };
  },
};

export default goModAnalyzer;
