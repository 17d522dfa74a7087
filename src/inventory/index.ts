// Public surface of the inventory module. The package analyzers themselves load lazily through
// the registry, so importing this file never loads the rpm database readers.
export type {
  Analyzer,
  AnalyzerFact,
  AnalyzerFile,
  AnalyzerOutput,
  AnalyzeContext,
  AnalyzerTarget,
} from './types.js';
export { ANALYZERS, defaultAnalyzers } from './registry.js';
export { ANALYZER_INFO, analyzerVersions, type AnalyzerInfo } from './versions.js';
export { osEcosystem, osvEcosystemMatches, debianCodenameRelease, purlDistro, purlNamespace } from './os.js';
export type { OsEcosystem, OsFacts } from './os.js';
export { mergeOsFacts, finalizeOsPackage } from './merge.js';
export type { OsFactInput } from './merge.js';
export { detectOs, OS_FILES } from './analyzers/os-release.js';
export { linkManifests } from './link-manifests.js';
