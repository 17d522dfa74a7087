import { defineRule } from '../../define-rule.js';
import { effective } from '../../dockerfile/helpers.js';
import type { Dockerfile } from '../../dockerfile/types.js';

// Credential files by name; example/template variants are fine.
const SECRET_FILE =
  /(^|\/)(id_(rsa|dsa|ecdsa|ed25519)|\.npmrc|\.pypirc|\.netrc|\.git-credentials|\.htpasswd|\.pgpass|\.env(\.(?!example$|sample$|template$|dist$)[\w.-]+)?|credentials(\.json)?|service-account[\w.-]*\.json|[\w.-]+\.(key|p12|pfx|jks|keystore|ppk))$|(^|\/)\.(ssh|aws|gnupg|kube)(\/|$)|(^|\/)\.docker\/config\.json$/i;

export default defineRule({
  meta: {
    id: 'dockerfile/copy-secret-file',
    aliases: ['CIS-Docker-4.10'],
    title: 'Credential file copied into the image',
    severity: 'HIGH',
    category: 'secrets',
    references: [
      'https://docs.docker.com/build/building/secrets/',
      'https://www.cisecurity.org/benchmark/docker',
    ],
    remediation:
      'Mount credentials only while they are needed (`RUN --mount=type=secret,id=npmrc,target=/root/.npmrc npm ci`) and keep them out of the build context with .dockerignore.',
    appliesTo: ['dockerfile'],
    messages: {
      secretFile:
        '{{keyword}} of {{source}} bakes a credential into a layer; deleting it later does not remove it',
    },
  },
  check(df: Dockerfile) {
    const out = [];
    for (const raw of df.instructions) {
      const ins = effective(raw);
      if ((ins?.keyword !== 'COPY' && ins?.keyword !== 'ADD') || ins.heredocs.length) continue;
      for (const w of ins.args.slice(0, -1)) {
        if (/^[a-z]+:\/\//.test(w.value) || !SECRET_FILE.test(w.value.replace(/\/+$/, ''))) continue;
        out.push({
          messageId: 'secretFile' as const,
          data: { keyword: ins.keyword, source: w.value },
          line: w.line,
          column: w.column,
        });
      }
    }
    return out;
  },
});
