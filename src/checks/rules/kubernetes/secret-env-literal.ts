import { defineRule } from '../../define-rule.js';
import { containersOf, isObj, located } from '../../kubernetes/rule-helpers.js';
import type { K8sObject } from '../../kubernetes/types.js';
import type { RuleReport } from '../../types.js';

const SECRET_NAME =
  /(^|[_-])(pass(word|wd)?|pwd|secret|token|api[_-]?key|apikey|access[_-]?key|private[_-]?key|credentials?|auth)($|[_-])/i;

export default defineRule({
  meta: {
    id: 'kubernetes/secret-env-literal',
    aliases: ['CIS-Kubernetes-5.4.1'],
    title: 'Secret written as a literal environment value',
    severity: 'HIGH',
    category: 'secrets',
    references: [
      'https://kubernetes.io/docs/concepts/configuration/secret/#using-secrets-as-environment-variables',
    ],
    remediation:
      'Store the value in a Secret and reference it with `valueFrom.secretKeyRef` (or mount it as a file); never commit it in the manifest.',
    appliesTo: ['kubernetes'],
    messages: {
      literal:
        'container {{container}} of {{object}} sets {{name}} to a literal value; secrets belong in a Secret',
    },
  },
  check(obj: K8sObject) {
    const out: RuleReport<'literal'>[] = [];
    for (const c of containersOf(obj)) {
      if (!Array.isArray(c.c.env)) continue;
      c.c.env.forEach((e, i) => {
        if (!isObj(e) || typeof e.name !== 'string' || typeof e.value !== 'string') return;
        // empty values and $(VAR) references carry no secret
        if (e.value.trim() === '' || /^\$\([A-Za-z_][A-Za-z0-9_]*\)$/.test(e.value)) return;
        if (!SECRET_NAME.test(e.name)) return;
        out.push({
          ...located(obj, [...c.path, 'env', i, 'value']),
          messageId: 'literal' as const,
          data: { container: c.name, object: obj.label, name: e.name },
        });
      });
    }
    return out;
  },
});
