import { containers, joinQuote, obj, pluralize, sortedUnique, str } from '../helpers.js';
import type { FieldPath, PssCheck } from '../types.js';

const HANDLERS: [string, ...string[]][] = [
  ['livenessProbe'],
  ['readinessProbe'],
  ['startupProbe'],
  ['lifecycle', 'postStart'],
  ['lifecycle', 'preStop'],
];

/** 1.34+: a probe or lifecycle hook's `host` could make the kubelet reach other hosts. */
export const hostProbesAndHostLifecycle: PssCheck = {
  id: 'hostProbesAndHostLifecycle',
  level: 'baseline',
  versions: [
    {
      minor: 34,
      check(pod) {
        const bad: string[] = [];
        const hosts: string[] = [];
        const paths: FieldPath[] = [];
        for (const v of containers(pod)) {
          let found = false;
          for (const handlerPath of HANDLERS) {
            let h: Record<string, unknown> | undefined = v.c;
            for (const k of handlerPath) h = obj(h?.[k]);
            if (!h) continue;
            for (const kind of ['httpGet', 'tcpSocket']) {
              const host = str(obj(h[kind])?.host);
              if (host !== '') {
                found = true;
                hosts.push(host);
                paths.push([...v.path, ...handlerPath, kind, 'host']);
              }
            }
          }
          if (found && !bad.includes(v.name)) bad.push(v.name);
        }
        if (bad.length === 0) return undefined;
        const names = sortedUnique(bad);
        const hostList = sortedUnique(hosts);
        return {
          reason: 'probe or lifecycle host',
          detail: `${pluralize('container', 'containers', names.length)} ${joinQuote(names)} ${pluralize('uses', 'use', names.length)} ${pluralize('probe or lifecycle host', 'probe or lifecycle hosts', hostList.length)} ${joinQuote(hostList)}`,
          paths,
        };
      },
    },
  ],
};
