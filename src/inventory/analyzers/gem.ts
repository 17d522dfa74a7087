import { parseGemspec } from '../../ecosystems/rubygems/index.js';
import { MAX_METADATA_BYTES, runLangParser } from '../lang-output.js';
import type { Analyzer, AnalyzerFile, AnalyzerOutput } from '../types.js';

/**
 * True for `…/specifications/<gem>.gemspec` and `…/specifications/default/<gem>.gemspec`, the
 * specifications RubyGems writes on install (not a gem's own source gemspec).
 */
export function isInstalledGemspec(path: string): boolean {
  if (!path.endsWith('.gemspec')) return false;
  // the folder is compared in place: this gate runs for every tar entry
  const slash = path.lastIndexOf('/');
  const dirIs = (d: string): boolean =>
    slash >= d.length &&
    path.startsWith(d, slash - d.length) &&
    (slash === d.length || path.charCodeAt(slash - d.length - 1) === 47);
  return dirIs('specifications') || dirIs('specifications/default');
}

/** Installed gems: `specifications/*.gemspec` and the default gems' `specifications/default/*.gemspec`. */
export const gemAnalyzer: Analyzer = {
  id: 'gem',
  version: 1,
  kind: 'lang',
  required(path: string, size: number): boolean {
    return size <= MAX_METADATA_BYTES && isInstalledGemspec(path);
  },
  analyze(file: AnalyzerFile): AnalyzerOutput {
    return runLangParser(file, 'RubyGems', 'RUBYGEMS_MALFORMED', parseGemspec);
  },
};

export default gemAnalyzer;
