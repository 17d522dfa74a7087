import { arr, obj, podSecurityContext, str } from '../helpers.js';
import type { CheckFn, FieldPath, PssCheck } from '../types.js';

// Namespaced sysctls that are isolated between pods; the safe set grows with kernel support.
const ALLOWED_1_0 = [
  'kernel.shm_rmid_forced',
  'net.ipv4.ip_local_port_range',
  'net.ipv4.tcp_syncookies',
  'net.ipv4.ping_group_range',
  'net.ipv4.ip_unprivileged_port_start',
];
const ALLOWED_1_27 = [...ALLOWED_1_0, 'net.ipv4.ip_local_reserved_ports'];
const ALLOWED_1_29 = [
  ...ALLOWED_1_27,
  'net.ipv4.tcp_keepalive_time',
  'net.ipv4.tcp_fin_timeout',
  'net.ipv4.tcp_keepalive_intvl',
  'net.ipv4.tcp_keepalive_probes',
];
const ALLOWED_1_32 = [...ALLOWED_1_29, 'net.ipv4.tcp_rmem', 'net.ipv4.tcp_wmem'];
const ALLOWED_1_37 = [...ALLOWED_1_32, 'net.ipv4.tcp_slow_start_after_idle', 'net.ipv4.tcp_notsent_lowat'];

function sysctlCheck(allowedList: readonly string[]): CheckFn {
  const allowed = new Set(allowedList);
  return (pod) => {
    const bad: string[] = [];
    const paths: FieldPath[] = [];
    arr(podSecurityContext(pod)?.sysctls).forEach((raw, i) => {
      const name = str(obj(raw)?.name);
      if (!allowed.has(name)) {
        bad.push(name);
        paths.push(['spec', 'securityContext', 'sysctls', i, 'name']);
      }
    });
    if (bad.length === 0) return undefined;
    return { reason: 'forbidden sysctls', detail: bad.join(', '), paths };
  };
}

export const sysctls: PssCheck = {
  id: 'sysctls',
  level: 'baseline',
  versions: [
    { minor: 0, check: sysctlCheck(ALLOWED_1_0) },
    { minor: 27, check: sysctlCheck(ALLOWED_1_27) },
    { minor: 29, check: sysctlCheck(ALLOWED_1_29) },
    { minor: 32, check: sysctlCheck(ALLOWED_1_32) },
    { minor: 37, check: sysctlCheck(ALLOWED_1_37) },
  ],
};
