import type { RuleReport } from '../types.js';
import { daemonSetting, settingHome, type DaemonSetting } from './daemon-settings.js';
import type { HostFacts } from './facts.js';

type Data = Record<string, string | number>;

/** A finding about a host file: `object` is the host path, which `checkHost` turns into `file`. */
export function onPath<M extends string>(
  path: string,
  line: number,
  r: { messageId: M; field: string; data?: Data },
): RuleReport<M> {
  return {
    messageId: r.messageId,
    line,
    column: line > 0 ? 1 : 0,
    object: path,
    field: r.field,
    ...(r.data ? { data: r.data } : {}),
  };
}

/** A finding on a daemon setting: where it is set, or where it should be when it is missing. */
export function onSetting<M extends string>(
  facts: HostFacts,
  key: string,
  s: DaemonSetting | undefined,
  r: { messageId: M; data?: Data },
): RuleReport<M> {
  const at = s ?? settingHome(facts);
  return onPath(at.path, at.line, {
    messageId: r.messageId,
    field: s ? s.source : key,
    ...(r.data ? { data: r.data } : {}),
  });
}

/** A finding decided by the live daemon's answer (`/info`, `/version`). */
export function onLive<M extends string>(
  facts: HostFacts,
  r: { messageId: M; field: string; data?: Data },
): RuleReport<M> {
  return {
    messageId: r.messageId,
    line: 0,
    column: 0,
    object: facts.live?.host ?? 'docker://',
    field: r.field,
    ...(r.data ? { data: r.data } : {}),
  };
}

export { daemonSetting };
