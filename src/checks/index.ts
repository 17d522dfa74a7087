export { defineRule, formatMessage } from './define-rule.js';
export { FAMILIES, loadFamilies } from './registry.js';
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
} from './types.js';
