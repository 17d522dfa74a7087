import { toBulwarkError } from '../../core/errors.js';
import { dockerGetJson, dockerHostLabel } from '../../docker/index.js';
import { checkParsed, compareFindings, type CheckOptions, type CheckResult } from '../engine.js';
import { loadFamilies } from '../registry.js';
import type { ParsedFile, RuleFamily } from '../types.js';
import {
  containerLabel,
  MAX_CONTAINERS,
  parseInspectInput,
  toContainerInput,
  type ContainerInput,
} from './inspect.js';

export interface LiveContainerOptions {
  /** the DOCKER_HOST value (default socket when unset) */
  dockerHost?: string;
  /** deadline per API call, in milliseconds (default 10 s) */
  timeoutMs?: number;
  /** include stopped containers (`/containers/json?all=1`) */
  all?: boolean;
}

async function containerFamily(): Promise<RuleFamily<ContainerInput>> {
  const [family] = await loadFamilies(['container']);
  return family as RuleFamily<ContainerInput>;
}

function finish(result: CheckResult): CheckResult {
  result.findings.sort(compareFindings);
  result.suppressed.sort(compareFindings);
  return result;
}

/** Checks `docker inspect` output read from a file (or stdin, named `file`). Throws MALFORMED_INPUT. */
export async function checkInspectText(
  text: string,
  file: string,
  opts: CheckOptions = {},
): Promise<CheckResult> {
  const family = await containerFamily();
  const parsed = parseInspectInput(text, file);
  const r = checkParsed(parsed, file, family, opts);
  return finish({
    files: [{ file, family: family.name }],
    findings: r.findings,
    suppressed: r.suppressed,
    errors: [],
    warnings: r.warnings,
  });
}

/**
 * Checks the containers of a live daemon with read-only calls: `GET /containers/json`, then
 * `GET /containers/{id}/json` for each. The list failing is a DAEMON error (thrown); one inspect
 * failing is recorded in `errors` and the other containers are still checked.
 */
export async function checkLiveContainers(
  live: LiveContainerOptions,
  opts: CheckOptions = {},
): Promise<CheckResult> {
  const family = await containerFamily();
  const file = dockerHostLabel(live.dockerHost);
  const api = {
    ...(live.dockerHost ? { dockerHost: live.dockerHost } : {}),
    timeoutMs: live.timeoutMs ?? 10_000,
  };
  const list = await dockerGetJson(`/containers/json${live.all ? '?all=1' : ''}`, api);
  const ids = (Array.isArray(list) ? list : [])
    .map((c) => (c && typeof c === 'object' ? (c as { Id?: unknown }).Id : undefined))
    .filter((id): id is string => typeof id === 'string' && /^[0-9a-f]{12,64}$/i.test(id))
    .slice(0, MAX_CONTAINERS);
  const result: CheckResult = {
    files: [{ file, family: family.name }],
    findings: [],
    suppressed: [],
    errors: [],
    warnings: [],
  };
  const parsed: ParsedFile<ContainerInput> = { inputs: [] };
  for (const id of ids) {
    try {
      const inspect = await dockerGetJson(`/containers/${id}/json`, api);
      if (!inspect || typeof inspect !== 'object' || Array.isArray(inspect)) throw new Error('not an object');
      const c = toContainerInput(inspect as Record<string, unknown>);
      parsed.inputs.push({ input: c, object: containerLabel(c) });
    } catch (e) {
      const err = toBulwarkError(e, 'DAEMON', `${file}/containers/${id.slice(0, 12)}`);
      result.errors.push({
        file: `${file} container ${id.slice(0, 12)}`,
        code: err.code,
        message: err.message,
      });
    }
  }
  const r = checkParsed(parsed, file, family, opts);
  result.findings = r.findings;
  result.suppressed = r.suppressed;
  result.warnings = r.warnings;
  return finish(result);
}
