import type { RuleReport } from '../types.js';
import type { ContainerInput } from './inspect.js';

type Obj = Record<string, unknown>;

const obj = (v: unknown): Obj => (typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Obj) : {});

export const hostConfig = (c: ContainerInput): Obj => obj(c.inspect.HostConfig);
export const config = (c: ContainerInput): Obj => obj(c.inspect.Config);
export const state = (c: ContainerInput): Obj => obj(c.inspect.State);
export const networkSettings = (c: ContainerInput): Obj => obj(c.inspect.NetworkSettings);
export const asObject = obj;

export const strings = (v: unknown): string[] =>
  Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : [];

export const str = (v: unknown): string => (typeof v === 'string' ? v : '');

/** A finding on the container's object, naming the inspect field that decided it. */
export function at<M extends string>(
  c: ContainerInput,
  r: { messageId: M; field: string; data?: Record<string, string | number> },
): RuleReport<M> {
  return {
    messageId: r.messageId,
    line: c.line,
    column: c.column,
    field: r.field,
    data: { container: c.name, ...r.data },
  };
}

/** `HostConfig.SecurityOpt` entries split into key and value (`seccomp=x`, legacy `seccomp:x`). */
export function securityOpts(c: ContainerInput): { key: string; value: string; raw: string }[] {
  return strings(hostConfig(c).SecurityOpt).map((raw) => {
    const m = /^([^=:]+)[=:]?(.*)$/s.exec(raw);
    return { key: (m?.[1] ?? raw).trim().toLowerCase(), value: (m?.[2] ?? '').trim(), raw };
  });
}

/** `CAP_SYS_ADMIN`, `sys_admin` and `SYS_ADMIN` are the same capability to Docker. */
export const normalizeCap = (cap: string): string => cap.trim().toUpperCase().replace(/^CAP_/, '');

export interface MountInfo {
  type: string;
  source: string;
  destination: string;
  rw: boolean;
  propagation: string;
  field: string;
}

/**
 * The container's mounts: `Mounts` (what a created or running container has), else the
 * `HostConfig.Binds` strings (`/src:/dst[:opts]`) older or never-started containers carry.
 */
export function mounts(c: ContainerInput): MountInfo[] {
  const list = c.inspect.Mounts;
  if (Array.isArray(list) && list.length > 0)
    return list.map((m, i) => {
      const o = obj(m);
      return {
        type: str(o.Type) || 'bind',
        source: str(o.Source),
        destination: str(o.Destination),
        rw: o.RW !== false,
        propagation: str(o.Propagation),
        field: `Mounts[${i}]`,
      };
    });
  return strings(hostConfig(c).Binds).map((b, i) => {
    const [source = '', destination = '', opts = ''] = b.split(':');
    const o = opts.split(',');
    return {
      type: source.startsWith('/') ? 'bind' : 'volume',
      source,
      destination,
      rw: !o.includes('ro'),
      propagation: o.find((x) => /^r?(shared|slave|private)$/.test(x)) ?? '',
      field: `HostConfig.Binds[${i}]`,
    };
  });
}

export interface PortBinding {
  containerPort: string;
  hostIp: string;
  hostPort: number;
  field: string;
}

/** Published ports: `NetworkSettings.Ports` of a running container, else `HostConfig.PortBindings`. */
export function portBindings(c: ContainerInput): PortBinding[] {
  const live = networkSettings(c).Ports;
  const src = live && typeof live === 'object' ? 'NetworkSettings.Ports' : 'HostConfig.PortBindings';
  const map = obj(live && typeof live === 'object' ? live : hostConfig(c).PortBindings);
  const out: PortBinding[] = [];
  for (const [containerPort, v] of Object.entries(map))
    if (Array.isArray(v))
      for (const b of v) {
        const o = obj(b);
        out.push({
          containerPort,
          hostIp: str(o.HostIp),
          hostPort: Number(str(o.HostPort) || o.HostPort),
          field: `${src}["${containerPort}"]`,
        });
      }
  return out;
}
