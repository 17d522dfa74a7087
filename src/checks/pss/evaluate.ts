import { BulwarkError } from '../../core/errors.js';
import { dotted, hostUsersFalse } from './helpers.js';
import { activeChecks, LATEST_MINOR } from './registry.js';
import type { EvaluateOptions, PodLike, PssLevel, PssResult, PssViolation } from './types.js';

/** Parses `v1.N` or `latest` into a minor version, clamped to the newest defined policy. */
export function parsePssVersion(version: string): number {
  if (version === 'latest') return LATEST_MINOR;
  const m = /^v?1\.(\d{1,3})$/.exec(version);
  if (!m)
    throw new BulwarkError(
      'USAGE',
      `invalid Pod Security Standards version ${JSON.stringify(version)}: want v1.N or latest`,
      { input: version },
    );
  return Math.min(Number(m[1]), LATEST_MINOR);
}

export function parsePssLevel(level: string): PssLevel {
  if (level === 'baseline' || level === 'restricted') return level;
  throw new BulwarkError(
    'USAGE',
    `invalid Pod Security Standards level ${JSON.stringify(level)}: want baseline or restricted`,
    { input: level },
  );
}

// With PSA's user-namespace relaxation on, these checks allow `hostUsers: false` pods.
const USERNS_RELAXED = new Set(['runAsNonRoot', 'runAsUser']);

/**
 * Evaluates a pod (or a workload's pod template: `{ metadata, spec }`) the way Pod Security
 * Admission does for a namespace enforcing `level` at `version`.
 */
export function evaluatePod(
  pod: PodLike,
  level: PssLevel,
  version: string = 'latest',
  options: EvaluateOptions = {},
): PssResult {
  const minor = parsePssVersion(version);
  const violations: PssViolation[] = [];
  const relaxed = options.relaxForUserNamespaces === true && hostUsersFalse(pod);
  for (const c of activeChecks(level, minor)) {
    if (relaxed && USERNS_RELAXED.has(c.id)) continue;
    const r = c.versioned.check(pod);
    if (!r) continue;
    const first = r.paths[0];
    violations.push({
      control: c.id,
      reason: r.reason,
      detail: r.detail,
      ...(first ? { field: dotted(first) } : {}),
      paths: r.paths,
    });
  }
  return { allowed: violations.length === 0, level, version: `v1.${minor}`, violations };
}
