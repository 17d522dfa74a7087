import { daemonSetting } from './daemon-settings.js';
import type { FileExpectation, HostFacts } from './facts.js';

export const SERVICE_UNITS = [
  '/etc/systemd/system/docker.service',
  '/lib/systemd/system/docker.service',
  '/usr/lib/systemd/system/docker.service',
];
export const SOCKET_UNITS = [
  '/etc/systemd/system/docker.socket',
  '/lib/systemd/system/docker.socket',
  '/usr/lib/systemd/system/docker.socket',
];
export const DOCKER_SOCKETS = ['/var/run/docker.sock', '/run/docker.sock'];
export const CERTS_D = '/etc/docker/certs.d';

const e = (
  path: string,
  owner: FileExpectation['owner'],
  maxMode: number,
  o: string,
  m: string,
): FileExpectation => ({
  path,
  owner,
  maxMode,
  cisOwner: `CIS-Docker-${o}`,
  cisMode: `CIS-Docker-${m}`,
});

/** CIS Docker v1.6 section 3: who should own each daemon file and how open it may be. */
export function fileExpectations(facts: HostFacts): FileExpectation[] {
  const out: FileExpectation[] = [];
  for (const p of SERVICE_UNITS) out.push(e(p, 'root:root', 0o644, '3.1', '3.2'));
  for (const p of SOCKET_UNITS) out.push(e(p, 'root:root', 0o644, '3.3', '3.4'));
  out.push(e('/etc/docker', 'root:root', 0o755, '3.5', '3.6'));
  for (const f of facts.files)
    if (f.path.startsWith(`${CERTS_D}/`) && f.type === 'file')
      out.push(e(f.path, 'root:root', 0o444, '3.7', '3.8'));
  const tls = (key: string, max: number, o: string, m: string) => {
    const s = daemonSetting(facts, key);
    if (typeof s?.value === 'string' && s.value.startsWith('/')) out.push(e(s.value, 'root:root', max, o, m));
  };
  tls('tlscacert', 0o444, '3.9', '3.10');
  tls('tlscert', 0o444, '3.11', '3.12');
  tls('tlskey', 0o400, '3.13', '3.14');
  for (const p of DOCKER_SOCKETS) out.push(e(p, 'root:docker', 0o660, '3.15', '3.16'));
  out.push(e('/etc/docker/daemon.json', 'root:root', 0o644, '3.17', '3.18'));
  out.push(e('/etc/default/docker', 'root:root', 0o644, '3.19', '3.20'));
  out.push(e('/etc/sysconfig/docker', 'root:root', 0o644, '3.21', '3.22'));
  out.push(e('/run/containerd/containerd.sock', 'root:root', 0o660, '3.23', '3.24'));
  return out;
}

/** CIS Docker v1.6 1.1.3-1.1.18: what the audit rules must watch, when it exists on the host. */
export const AUDIT_TARGETS: { path: string; cis: string }[] = [
  { path: '/usr/bin/dockerd', cis: '1.1.3' },
  { path: '/run/containerd', cis: '1.1.4' },
  { path: '/var/lib/docker', cis: '1.1.5' },
  { path: '/etc/docker', cis: '1.1.6' },
  { path: 'docker.service', cis: '1.1.7' },
  { path: '/run/containerd/containerd.sock', cis: '1.1.8' },
  { path: 'docker.socket', cis: '1.1.9' },
  { path: '/etc/default/docker', cis: '1.1.10' },
  { path: '/etc/docker/daemon.json', cis: '1.1.11' },
  { path: '/etc/containerd/config.toml', cis: '1.1.12' },
  { path: '/etc/sysconfig/docker', cis: '1.1.13' },
  { path: '/usr/bin/containerd', cis: '1.1.14' },
  { path: '/usr/bin/containerd-shim', cis: '1.1.15' },
  { path: '/usr/bin/containerd-shim-runc-v1', cis: '1.1.16' },
  { path: '/usr/bin/containerd-shim-runc-v2', cis: '1.1.17' },
  { path: '/usr/bin/runc', cis: '1.1.18' },
  { path: '/usr/sbin/runc', cis: '1.1.18' },
];

/** Every host path the collector stats. */
export function pathsToStat(): string[] {
  const set = new Set<string>([...SERVICE_UNITS, ...SOCKET_UNITS, ...DOCKER_SOCKETS]);
  for (const t of AUDIT_TARGETS) if (t.path.startsWith('/')) set.add(t.path);
  for (const p of ['/etc/docker', '/etc/docker/daemon.json', '/etc/default/docker', '/etc/sysconfig/docker'])
    set.add(p);
  return [...set].sort();
}
