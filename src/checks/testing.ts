import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { ParsedFile, Rule, RuleReport } from './types.js';

/**
 * eslint RuleTester for bulwark rules: each valid snippet must produce no finding, each invalid
 * one exactly the listed findings (message id, line, column) in order. Used only by tests.
 */
export interface ValidCase {
  code: string;
  name?: string;
  file?: string;
  settings?: Record<string, unknown>;
}

export interface ExpectedReport {
  messageId: string;
  line: number;
  column: number;
  data?: Record<string, string | number>;
  field?: string;
}

export interface InvalidCase extends ValidCase {
  errors: ExpectedReport[];
}

export interface RuleCases {
  valid: (string | ValidCase)[];
  invalid: InvalidCase[];
}

const tested = new Set<string>();

/** Ids of rules a `ruleTester().run` was called for in this process (for coverage assertions). */
export function testedRuleIds(): ReadonlySet<string> {
  return tested;
}

export function runRule<I>(
  parse: (text: string, file: string) => ParsedFile<I>,
  rule: Rule<I>,
  code: string,
  file = 'input',
  settings: Record<string, unknown> = {},
): RuleReport[] {
  const parsed = parse(code, file);
  const out: RuleReport[] = [];
  for (const p of parsed.inputs) out.push(...rule.check(p.input, { file, settings }));
  return out.sort((a, b) => a.line - b.line || a.column - b.column);
}

export function ruleTester<I>(parse: (text: string, file: string) => ParsedFile<I>, defaultFile: string) {
  return {
    run(rule: Rule<I>, cases: RuleCases): void {
      tested.add(rule.meta.id);
      if (cases.valid.length === 0 || cases.invalid.length === 0)
        throw new Error(`${rule.meta.id}: needs at least one valid and one invalid case`);
      describe(rule.meta.id, () => {
        for (const [i, c] of cases.valid.entries()) {
          const vc = typeof c === 'string' ? { code: c } : c;
          it(`valid ${vc.name ?? i}`, () => {
            const got = runRule(parse, rule, vc.code, vc.file ?? defaultFile, vc.settings);
            assert.deepEqual(got, [], `${rule.meta.id} reported on valid input`);
          });
        }
        for (const [i, c] of cases.invalid.entries()) {
          it(`invalid ${c.name ?? i}`, () => {
            const got = runRule(parse, rule, c.code, c.file ?? defaultFile, c.settings);
            for (const r of got)
              assert.ok(r.messageId in rule.meta.messages, `undeclared message id ${r.messageId}`);
            const shape = got.map((r, j) => {
              const want = c.errors[j];
              return {
                messageId: r.messageId,
                line: r.line,
                column: r.column,
                ...(want?.data ? { data: r.data } : {}),
                ...(want?.field ? { field: r.field } : {}),
              };
            });
            assert.deepEqual(shape, c.errors);
          });
        }
      });
    },
  };
}
