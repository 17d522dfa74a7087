import { defineRule } from '../../define-rule.js';
import { str, type ImageConfigInput } from './support/input.js';
import { REDACTED, secretKind } from './support/secrets.js';

export default defineRule({
  meta: {
    id: 'image-config/secrets-in-env',
    aliases: ['CIS-DI-0010', 'CIS-Docker-4.10', 'AVD-DS-0031'],
    title: 'Secret stored in the image environment',
    severity: 'HIGH',
    category: 'secrets',
    references: [
      'https://github.com/goodwithtech/dockle/blob/master/CHECKPOINT.md',
      'https://docs.docker.com/build/building/secrets/',
      'https://www.cisecurity.org/benchmark/docker',
    ],
    remediation:
      'Remove the value from ENV (anyone who can pull the image can read it) and rotate it; pass runtime secrets through the orchestrator and build secrets with `RUN --mount=type=secret`.',
    appliesTo: ['image-config'],
    messages: {
      name: 'Env {{name}} looks like a credential and holds a literal value ({{value}})',
      value: 'Env {{name}} holds a value shaped like a real credential ({{value}})',
    },
  },
  check(input: ImageConfigInput) {
    const env = input.config?.env;
    if (!Array.isArray(env)) return [];
    const out = [];
    for (let i = 0; i < env.length; i++) {
      const e = str(env[i]);
      if (!e) continue;
      const eq = e.indexOf('=');
      const name = eq === -1 ? e : e.slice(0, eq);
      const value = eq === -1 ? '' : e.slice(eq + 1);
      const kind = secretKind(name, value);
      if (!kind) continue;
      const at = { data: { name, value: REDACTED }, line: 0, column: 0, field: `config.Env[${i}]` };
      out.push(
        kind === 'value' ? { messageId: 'value' as const, ...at } : { messageId: 'name' as const, ...at },
      );
    }
    return out;
  },
});
