import { parsePythonMetadata } from '../../ecosystems/pypi/index.js';
import { MAX_METADATA_BYTES, runLangParser } from '../lang-output.js';
import type { Analyzer, AnalyzerFile, AnalyzerOutput } from '../types.js';

/**
 * True for installed-distribution metadata: `<dist>.dist-info/METADATA`, `<dist>.egg-info/PKG-INFO`
 * and the single-file `<dist>.egg-info` that distutils (and Debian's python3-* packages) install.
 */
export function isPythonMetadata(path: string): boolean {
  return (
    path.endsWith('.dist-info/METADATA') ||
    path.endsWith('.egg-info/PKG-INFO') ||
    (path.endsWith('.egg-info') && (path.includes('-packages/') || path.includes('/site-packages')))
  );
}

/** Installed Python distributions (site-packages, Debian's dist-packages, virtualenvs). */
export const pythonAnalyzer: Analyzer = {
  id: 'python',
  version: 1,
  kind: 'lang',
  required(path: string, size: number): boolean {
    return size <= MAX_METADATA_BYTES && isPythonMetadata(path);
  },
  analyze(file: AnalyzerFile): AnalyzerOutput {
    return runLangParser(file, 'PyPI', 'PYPI_MALFORMED', parsePythonMetadata);
  },
};

export default pythonAnalyzer;
