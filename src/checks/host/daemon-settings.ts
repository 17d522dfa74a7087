import type { CommandLine, HostFacts } from './facts.js';

/** A daemon setting with the place that decided it (daemon.json key or a command-line flag). */
export interface DaemonSetting {
  value: unknown;
  path: string;
  line: number;
  /** `icc` in daemon.json, `--icc=false` on a command line */
  source: string;
}

/** dockerd flags by their daemon.json key; `array` keys repeat on the command line. */
const FLAGS: Record<string, { key: string; kind: 'bool' | 'value' | 'array' }> = {
  '-H': { key: 'hosts', kind: 'array' },
  '--host': { key: 'hosts', kind: 'array' },
  '--tlsverify': { key: 'tlsverify', kind: 'bool' },
  '--tls': { key: 'tls', kind: 'bool' },
  '--tlscacert': { key: 'tlscacert', kind: 'value' },
  '--tlscert': { key: 'tlscert', kind: 'value' },
  '--tlskey': { key: 'tlskey', kind: 'value' },
  '--icc': { key: 'icc', kind: 'bool' },
  '--iptables': { key: 'iptables', kind: 'bool' },
  '--insecure-registry': { key: 'insecure-registries', kind: 'array' },
  '--userns-remap': { key: 'userns-remap', kind: 'value' },
  '--live-restore': { key: 'live-restore', kind: 'bool' },
  '--userland-proxy': { key: 'userland-proxy', kind: 'bool' },
  '--no-new-privileges': { key: 'no-new-privileges', kind: 'bool' },
  '--log-driver': { key: 'log-driver', kind: 'value' },
  '-l': { key: 'log-level', kind: 'value' },
  '--log-level': { key: 'log-level', kind: 'value' },
  '--default-ulimit': { key: 'default-ulimits', kind: 'array' },
  '--experimental': { key: 'experimental', kind: 'bool' },
  '--seccomp-profile': { key: 'seccomp-profile', kind: 'value' },
  '-s': { key: 'storage-driver', kind: 'value' },
  '--storage-driver': { key: 'storage-driver', kind: 'value' },
  '-g': { key: 'data-root', kind: 'value' },
  '--data-root': { key: 'data-root', kind: 'value' },
  '--authorization-plugin': { key: 'authorization-plugins', kind: 'array' },
};

/** Settings given on one dockerd command line, by daemon.json key. */
export function parseDaemonArgs(cl: CommandLine): Map<string, DaemonSetting> {
  const out = new Map<string, DaemonSetting>();
  const set = (key: string, kind: string, value: unknown, source: string) => {
    const prev = out.get(key);
    const v = kind === 'array' ? [...((prev?.value as unknown[]) ?? []), value] : value;
    out.set(key, { value: v, path: cl.path, line: cl.line, source });
  };
  const args = cl.args;
  for (let i = 0; i < args.length; i++) {
    const a = args[i]!;
    const eq = a.indexOf('=');
    const name = eq > 0 ? a.slice(0, eq) : a;
    const f = FLAGS[name];
    if (!f) continue;
    if (f.kind === 'bool') {
      const v = eq > 0 ? a.slice(eq + 1) !== 'false' : true;
      set(f.key, f.kind, v, a);
    } else {
      const v = eq > 0 ? a.slice(eq + 1) : args[++i];
      if (v !== undefined) set(f.key, f.kind, v, eq > 0 ? a : `${a} ${v}`);
    }
  }
  return out;
}

/**
 * The daemon's effective value for a daemon.json key: daemon.json first (dockerd refuses to start
 * when a key is in both), then the unit's ExecStart, then DOCKER_OPTS. Undefined when unset.
 */
export function daemonSetting(facts: HostFacts, key: string): DaemonSetting | undefined {
  const dj = facts.daemonJson;
  if (dj && key in dj.values)
    return { value: dj.values[key], path: dj.path, line: dj.lines[key] ?? 0, source: key };
  for (const cl of [facts.execStart, facts.dockerOpts]) {
    if (!cl) continue;
    const s = parseDaemonArgs(cl).get(key);
    if (s) return s;
  }
  return undefined;
}

/** Where a finding about a missing setting points: daemon.json if there is one, else the unit. */
export function settingHome(facts: HostFacts): { path: string; line: number } {
  if (facts.daemonJson) return { path: facts.daemonJson.path, line: 0 };
  if (facts.execStart) return { path: facts.execStart.path, line: facts.execStart.line };
  return { path: '/etc/docker/daemon.json', line: 0 };
}

export const isTrue = (v: unknown): boolean => v === true || v === 'true';
export const isFalse = (v: unknown): boolean => v === false || v === 'false';

/** `SecurityOptions` of `/info` as names: `name=seccomp,profile=builtin` -> `seccomp`. */
export function liveSecurityOptions(facts: HostFacts): string[] | undefined {
  const opts = facts.live?.info?.SecurityOptions;
  if (!Array.isArray(opts)) return undefined;
  return opts
    .filter((o): o is string => typeof o === 'string')
    .map((o) => /(?:^|,)name=([^,]+)/.exec(o)?.[1] ?? o);
}
