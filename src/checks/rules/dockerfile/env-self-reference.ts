import { defineRule } from '../../define-rule.js';
import { keyValues, withVars } from '../../dockerfile/helpers.js';
import type { Dockerfile } from '../../dockerfile/types.js';

/** Variable names a value refers to (`$NAME`, `${NAME}`, `${NAME:-x}`). */
function references(value: string): Set<string> {
  const out = new Set<string>();
  for (const m of value.matchAll(/\$(?:\{([A-Za-z_][A-Za-z0-9_]*)|([A-Za-z_][A-Za-z0-9_]*))/g))
    out.add(m[1] ?? m[2]!);
  return out;
}

export default defineRule({
  meta: {
    id: 'dockerfile/env-self-reference',
    aliases: ['DL3044'],
    title: 'ENV refers to a variable the same ENV defines',
    severity: 'MEDIUM',
    category: 'correctness',
    references: [
      'https://github.com/hadolint/hadolint/wiki/DL3044',
      'https://docs.docker.com/reference/dockerfile/#environment-replacement',
    ],
    remediation:
      'Split the ENV: values are substituted before any variable of the same instruction is set, so `ENV A=1 B=$A` gives B the old (here empty) A.',
    appliesTo: ['dockerfile'],
    messages: { sameStatement: '{{name}} is used in the ENV that defines it, where it still has no value' },
  },
  check(df: Dockerfile) {
    const out = [];
    for (const stage of df.stages)
      for (const { ins, vars } of withVars(df, stage)) {
        if (ins.keyword !== 'ENV') continue;
        const pairs = keyValues(ins);
        // which pairs refer to each name: the first two are enough to know whether one is another pair
        const referrers = new Map<string, number[]>();
        for (const [j, other] of pairs.entries())
          for (const name of references(other.value ?? '')) {
            const list = referrers.get(name) ?? [];
            if (list.length < 2) list.push(j);
            referrers.set(name, list);
          }
        for (const [i, kv] of pairs.entries()) {
          // defined before this ENV: the reference sees the earlier value, which may be the intent
          if (vars.has(kv.key)) continue;
          const j = referrers.get(kv.key)?.find((x) => x !== i);
          const used = j === undefined ? undefined : pairs[j]!;
          if (used)
            out.push({
              messageId: 'sameStatement' as const,
              data: { name: kv.key },
              line: used.line,
              column: used.column,
            });
        }
      }
    return out;
  },
});
