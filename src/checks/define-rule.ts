import type { Rule, RuleContext, RuleMeta, RuleReport, WindowSpec } from './types.js';

/**
 * Declares a rule. `M` is inferred from `meta.messages` only (`NoInfer` on the return type), so
 * `check` cannot report a message id the rule did not declare: that is a compile error.
 */
export function defineRule<M extends string, I>(rule: {
  meta: RuleMeta<M>;
  check(input: I, ctx: RuleContext): RuleReport<NoInfer<M>>[];
  window?: WindowSpec<NoInfer<I>>;
}): Rule<I, M> {
  return rule;
}

/** Fills `{{name}}` placeholders of a message template; unknown placeholders stay visible. */
export function formatMessage(template: string, data: Record<string, string | number> = {}): string {
  return template.replace(/\{\{\s*(\w+)\s*\}\}/g, (whole, key: string) =>
    Object.prototype.hasOwnProperty.call(data, key) ? String(data[key]) : whole,
  );
}
