export { defineRule, formatMessage } from './define-rule.js';
export {
  checkParsed,
  checkPaths,
  checkText,
  compareFindings,
  detectFamily,
  DEFAULT_MAX_FILE_BYTES,
  filterFindings,
  toCheckFinding,
  type CheckFileError,
  type CheckOptions,
  type CheckResult,
  type CheckWarning,
  type SuppressedCheckFinding,
} from './engine.js';
export { loadCheckIgnoreFile, parseCheckIgnoreFile, type CheckIgnoreEntry } from './ignore-file.js';
export { FAMILIES, listRules, loadFamilies } from './registry.js';
export { renderCheckHtml, renderCheckJson, renderCheckSarif, renderCheckTable } from './render.js';
export { StreamChecker, type StreamCheckResult } from './stream.js';
export { WindowCounter } from './window.js';
export type {
  CheckFinding,
  CheckTarget,
  ParsedFile,
  ParsedInput,
  Position,
  Rule,
  RuleContext,
  RuleFamily,
  RuleMeta,
  RuleReport,
  WindowSpec,
} from './types.js';
