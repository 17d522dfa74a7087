import { parseCargoLock } from '../../ecosystems/cargo/index.js';
import { hasBaseName, MAX_LOCKFILE_BYTES, runLangParser } from '../lang-output.js';
import type { Analyzer, AnalyzerFile, AnalyzerOutput } from '../types.js';

/** `Cargo.lock` of a project folder (format versions 1 to 4). */
export const cargoLockAnalyzer: Analyzer = {
  id: 'cargo-lock',
  // 2: the workspace's own crates (no `source`) are listed, as `cargo metadata` lists them
  version: 2,
  kind: 'lang',
  targets: ['fs'],
  required(path: string, size: number): boolean {
    return size <= MAX_LOCKFILE_BYTES && hasBaseName(path, 'Cargo.lock');
  },
  analyze(file: AnalyzerFile): AnalyzerOutput {
    return runLangParser(file, 'crates.io', 'CARGO_MALFORMED', parseCargoLock);
  },
};

export default cargoLockAnalyzer;
