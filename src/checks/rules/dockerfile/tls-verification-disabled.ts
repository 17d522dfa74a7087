import { defineRule } from '../../define-rule.js';
import { keyValues } from '../../dockerfile/helpers.js';
import { baseName, runs } from '../../dockerfile/shell.js';
import type { Dockerfile, Located } from '../../dockerfile/types.js';
import type { RuleReport } from '../../types.js';

/** Flags that turn off certificate checks, per program. */
function insecureFlag(program: string, words: Located[]): Located | undefined {
  const rest = words.slice(1);
  switch (program) {
    case 'curl':
      return rest.find((w) => w.value === '--insecure' || /^-[a-zA-Z]*k[a-zA-Z]*$/.test(w.value));
    case 'wget':
      return rest.find((w) => w.value === '--no-check-certificate');
    case 'pip':
    case 'pip3':
    case 'python':
    case 'python3':
      return rest.find((w) => w.value === '--trusted-host' || w.value.startsWith('--trusted-host='));
    case 'git':
      return rest.find(
        (w, k) =>
          /^http\.sslverify=(false|0)$/i.test(w.value) ||
          (/^http\.sslverify$/i.test(w.value) && /^(false|0)$/i.test(rest[k + 1]?.value ?? '')),
      );
    case 'npm':
    case 'yarn':
    case 'pnpm':
      return rest.find(
        (w, k) =>
          /^--strict-ssl=false$/.test(w.value) ||
          (w.value === 'strict-ssl' && rest[k + 1]?.value === 'false'),
      );
    default:
      return undefined;
  }
}

/** Flags that install packages without checking their signatures. */
function unverifiedFlag(program: string, words: Located[]): Located | undefined {
  const rest = words.slice(1);
  switch (program) {
    case 'apt-get':
    case 'apt':
      return rest.find((w) =>
        /^(--allow-unauthenticated|--allow-insecure-repositories|--no-check-gpg|--force-yes)$|^APT::Get::AllowUnauthenticated=(true|1)$/i.test(
          w.value,
        ),
      );
    case 'apk':
      return rest.find((w) => w.value === '--allow-untrusted');
    case 'yum':
    case 'dnf':
    case 'microdnf':
    case 'tdnf':
      return rest.find((w) => w.value === '--nogpgcheck');
    case 'rpm':
      return rest.find((w) => w.value === '--nosignature' || w.value === '--nodigest');
    case 'zypper':
      return rest.find((w) => w.value === '--no-gpg-checks' || w.value === '--gpg-auto-import-keys');
    default:
      return undefined;
  }
}

const INSECURE_ENV: Record<string, RegExp> = {
  NODE_TLS_REJECT_UNAUTHORIZED: /^0$/,
  PYTHONHTTPSVERIFY: /^0$/,
  GIT_SSL_NO_VERIFY: /^(1|true)$/i,
  NPM_CONFIG_STRICT_SSL: /^false$/i,
  PIP_TRUSTED_HOST: /./,
};

export default defineRule({
  meta: {
    id: 'dockerfile/tls-verification-disabled',
    aliases: ['CIS-Docker-4.11'],
    title: 'Certificate or signature verification turned off',
    severity: 'HIGH',
    category: 'supply-chain',
    references: [
      'https://www.cisecurity.org/benchmark/docker',
      'https://curl.se/docs/manpage.html#-k',
      'https://wiki.debian.org/SecureApt',
    ],
    remediation:
      'Keep TLS and package signature checks on; install the missing CA certificate or repository key (`COPY corp-ca.crt /usr/local/share/ca-certificates/ && update-ca-certificates`) instead.',
    appliesTo: ['dockerfile'],
    messages: {
      insecureFlag:
        '{{program}} {{flag}} turns off TLS certificate verification: downloads can be swapped in transit',
      unverifiedPackages: '{{program}} {{flag}} installs packages whose signatures are not verified',
      envVar:
        '{{keyword}} {{name}}={{value}} turns off TLS verification for every later command and the container',
    },
  },
  check(df: Dockerfile) {
    const out: RuleReport<'insecureFlag' | 'unverifiedPackages' | 'envVar'>[] = [];
    for (const { commands } of runs(df.instructions, df.escape))
      for (const c of commands) {
        const prog = c.words[0];
        if (!prog) continue;
        const program = baseName(prog.value);
        const insecure = insecureFlag(program, c.words);
        if (insecure)
          out.push({
            messageId: 'insecureFlag' as const,
            data: { program, flag: insecure.value },
            line: insecure.line,
            column: insecure.column,
          });
        const unverified = unverifiedFlag(program, c.words);
        if (unverified)
          out.push({
            messageId: 'unverifiedPackages' as const,
            data: { program, flag: unverified.value },
            line: unverified.line,
            column: unverified.column,
          });
      }
    for (const ins of df.instructions) {
      if (ins.keyword !== 'ENV' && ins.keyword !== 'ARG') continue;
      for (const kv of keyValues(ins)) {
        const re = INSECURE_ENV[kv.key.toUpperCase()];
        if (re && kv.value !== undefined && re.test(kv.value))
          out.push({
            messageId: 'envVar' as const,
            data: { keyword: ins.keyword, name: kv.key, value: kv.value },
            line: kv.line,
            column: kv.column,
          });
      }
    }
    return out;
  },
});
