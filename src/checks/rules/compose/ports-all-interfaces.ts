import { defineRule } from '../../define-rule.js';
import type { ComposeFile } from '../../compose/parse.js';

export default defineRule({
  meta: {
    id: 'compose/ports-all-interfaces',
    aliases: ['CIS-Docker-5.14'],
    title: 'Port published on all interfaces',
    severity: 'MEDIUM',
    category: 'exposure',
    references: [
      'https://docs.docker.com/reference/compose-file/services/',
      'https://www.cisecurity.org/benchmark/docker',
    ],
    remediation:
      'Bind published ports to one address (`"127.0.0.1:8080:80"`, or `host_ip: 127.0.0.1`) or put the service behind a proxy.',
    appliesTo: ['compose'],
    messages: { allInterfaces: 'service {{service}} publishes {{port}} on every host interface' },
  },
  check(cf: ComposeFile) {
    const out = [];
    for (const s of cf.services) {
      const get = (k: string) => s.node.map?.get(k);
      for (const it of get('ports')?.items ?? []) {
        if (it.map) {
          const hostIp = it.map.get('host_ip')?.value;
          if (it.map.has('published') && (!hostIp || hostIp === '0.0.0.0' || hostIp === '::'))
            out.push({
              messageId: 'allInterfaces' as const,
              data: { service: s.name, port: String(it.map.get('published')!.value) },
              line: it.line,
              column: it.column,
            });
          continue;
        }
        const p = String(it.value ?? '');
        const parts = p.replace(/\[[^\]]*\]/, 'IPV6').split(':');
        // "80" publishes nothing fixed; "8080:80" binds all; "ip:8080:80" binds ip
        const allIfaces =
          parts.length === 2 || (parts.length === 3 && (parts[0] === '0.0.0.0' || parts[0] === ''));
        if (allIfaces)
          out.push({
            messageId: 'allInterfaces' as const,
            data: { service: s.name, port: p },
            line: it.line,
            column: it.column,
          });
      }
    }
    return out;
  },
});
