import { defineRule } from '../../define-rule.js';
import type { RuleReport } from '../../types.js';
import { commandSegments, historyEntries, type ImageConfigInput } from './support/input.js';
import { REDACTED, secretKind, urlCredentials } from './support/secrets.js';

/** `RUN |2 A=1 B=2 /bin/sh -c ...`: BuildKit and the classic builder record build args this way. */
function buildArgs(createdBy: string): { name: string; value: string }[] {
  const m = /^(?:RUN\s+)?\|(\d{1,3})\s/.exec(createdBy);
  if (!m) return [];
  const words = createdBy.slice(m[0].length).split(/\s+/);
  const out: { name: string; value: string }[] = [];
  for (let i = 0; i < Number(m[1]) && i < words.length; i++) {
    const w = words[i]!;
    const eq = w.indexOf('=');
    if (eq > 0) out.push({ name: w.slice(0, eq), value: w.slice(eq + 1) });
  }
  return out;
}

/** `ARG NAME=default` and `--build-arg NAME=value` inside a history entry. */
function declaredArgs(segment: string[]): { name: string; value: string }[] {
  const out: { name: string; value: string }[] = [];
  for (let i = 0; i < segment.length; i++) {
    const w = segment[i]!;
    const next = segment[i + 1];
    const kv = (s: string) => {
      const eq = s.indexOf('=');
      if (eq > 0) out.push({ name: s.slice(0, eq), value: s.slice(eq + 1).replace(/^["']|["']$/g, '') });
    };
    if ((w === 'ARG' || w === '--build-arg') && next) kv(next);
    else if (w.startsWith('--build-arg=')) kv(w.slice('--build-arg='.length));
  }
  return out;
}

/** `curl -u user:pass`, `curl --user user:pass`, `wget --password=...`. */
function toolCredentials(segment: string[]): string[] {
  const out: string[] = [];
  const tool = segment[0]?.split('/').pop();
  if (tool !== 'curl' && tool !== 'wget') return out;
  for (let i = 1; i < segment.length; i++) {
    const w = segment[i]!;
    const next = segment[i + 1] ?? '';
    if ((w === '-u' || w === '--user') && /^[^:$]+:[^$]/.test(next)) out.push(`${tool} ${w}`);
    else if (/^-u[^:$]+:[^$]/.test(w) || /^--user=[^:$]+:[^$]/.test(w)) out.push(`${tool} -u`);
    else if (/^--(?:http-|ftp-)?password=[^$]/.test(w)) out.push(`${tool} ${w.slice(0, w.indexOf('='))}`);
  }
  return out;
}

export default defineRule({
  meta: {
    id: 'image-config/secrets-in-history',
    aliases: ['CIS-DI-0010', 'CIS-Docker-4.10'],
    title: 'Secret recorded in the image history',
    severity: 'HIGH',
    category: 'secrets',
    references: [
      'https://github.com/goodwithtech/dockle/blob/master/CHECKPOINT.md',
      'https://docs.docker.com/build/building/secrets/',
      'https://www.cisecurity.org/benchmark/docker',
    ],
    remediation:
      'Build arguments and commands are stored in the image history for anyone who pulls it: rotate the credential and pass it with `RUN --mount=type=secret` instead.',
    appliesTo: ['image-config'],
    messages: {
      arg: 'build argument {{name}} holds a credential ({{value}}) and is kept in the history',
      tool: '`{{tool}}` passes a password on the command line, kept in the history',
      url: 'a URL with the password of user {{user}} is kept in the history',
    },
  },
  check(input: ImageConfigInput) {
    const out: RuleReport<'arg' | 'tool' | 'url'>[] = [];
    for (const h of historyEntries(input)) {
      const at = {
        line: 0,
        column: 0,
        field: `history[${h.index}].created_by`,
        ...(h.layer ? { layer: h.layer } : {}),
      };
      const args = buildArgs(h.createdBy);
      const segments = commandSegments(h.createdBy);
      for (const s of segments) args.push(...declaredArgs(s));
      const seen = new Set<string>();
      for (const a of args) {
        if (seen.has(a.name) || !secretKind(a.name, a.value)) continue;
        seen.add(a.name);
        out.push({ messageId: 'arg' as const, data: { name: a.name, value: REDACTED }, ...at });
      }
      for (const s of segments)
        for (const tool of toolCredentials(s))
          out.push({ messageId: 'tool' as const, data: { tool }, ...at });
      for (const user of urlCredentials(h.createdBy))
        out.push({ messageId: 'url' as const, data: { user }, ...at });
    }
    return out;
  },
});
