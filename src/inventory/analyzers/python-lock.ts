import {
  parsePipfileLock,
  parsePoetryLock,
  parseRequirements,
  parseUvLock,
} from '../../ecosystems/pypi/index.js';
import type { LangParseResult } from '../../ecosystems/lang-types.js';
import { baseStart, hasBaseName, MAX_LOCKFILE_BYTES, runLangParser } from '../lang-output.js';
import type { Analyzer, AnalyzerFile, AnalyzerOutput } from '../types.js';

function parserFor(path: string): ((text: string) => LangParseResult) | undefined {
  if (hasBaseName(path, 'poetry.lock')) return parsePoetryLock;
  if (hasBaseName(path, 'Pipfile.lock')) return parsePipfileLock;
  if (hasBaseName(path, 'uv.lock')) return parseUvLock;
  // requirements.txt, requirements-dev.txt, requirements.prod.txt ...
  if (path.endsWith('.txt') && path.startsWith('requirements', baseStart(path))) return parseRequirements;
  return undefined;
}

/** Python lockfiles of a project folder: requirements*.txt (pins), poetry.lock, Pipfile.lock, uv.lock. */
export const pythonLockAnalyzer: Analyzer = {
  id: 'python-lock',
  // 2: poetry/Pipfile source metadata, git vcs_url purls, poetry `file` sources listed
  version: 2,
  kind: 'lang',
  targets: ['fs'],
  required(path: string, size: number): boolean {
    return size <= MAX_LOCKFILE_BYTES && parserFor(path) !== undefined && !path.includes('site-packages/');
  },
  analyze(file: AnalyzerFile): AnalyzerOutput {
    return runLangParser(file, 'PyPI', 'PYPI_MALFORMED', parserFor(file.path) ?? parseRequirements);
  },
};

export default pythonLockAnalyzer;
