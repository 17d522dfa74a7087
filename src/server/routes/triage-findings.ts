/**
 * The `triage` object the findings route adds to every finding, and its `?triage=` filter: the
 * decision resolveTriage picks for the finding's vulnerability and package on this image.
 */
import type { Store } from '../store/open.js';
import { getImage } from '../store/queries.js';
import {
  decisionsForImage,
  findingPackages,
  isExpired,
  isOpen,
  matchesFilter,
  resolveTriage,
  TRIAGE_FILTERS,
  TRIAGE_STATUSES,
  type Decision,
  type TriageFilter,
} from '../store/triage.js';
import { nullableString } from './schemas.js';

export const triageQuery = {
  triage: {
    enum: TRIAGE_FILTERS,
    default: 'all',
    description:
      '`open`: untriaged, affected, under_investigation or an expired acceptance; `untriaged`; `expired`; a status; `all`',
  },
} as const;

export const findingTriageSchema = {
  type: ['object', 'null'],
  required: ['id', 'status', 'justification', 'expiresAt', 'expired', 'scope'],
  additionalProperties: false,
  properties: {
    id: { type: 'integer' },
    status: { enum: TRIAGE_STATUSES },
    justification: nullableString,
    expiresAt: nullableString,
    expired: { type: 'boolean' },
    scope: { enum: ['image', 'repository', 'everywhere'] },
  },
} as const;

interface StateRow {
  vuln_id: string;
  package_key: string;
}

export async function findingTriage(store: Store, imageId: number, now: Date) {
  const image = await getImage(store, imageId);
  const decisions = image ? await decisionsForImage(store, image) : [];
  const packages = decisions.length ? await findingPackages(store, imageId) : new Map();
  const pick = (r: StateRow): Decision | undefined => {
    if (!decisions.length) return undefined;
    const p = packages.get(`${r.vuln_id}\u0000${r.package_key}`);
    return resolveTriage(decisions, {
      vulnId: r.vuln_id,
      packageName: p?.name ?? '',
      purl: p?.purl ?? '',
    });
  };
  return {
    matches: (r: StateRow, f: TriageFilter) => matchesFilter(pick(r), f, now),
    view: (r: StateRow) => {
      const d = pick(r);
      return d
        ? {
            id: d.id,
            status: d.status,
            justification: d.justification,
            expiresAt: d.expires_at,
            expired: isExpired(d, now),
            scope: d.scope,
          }
        : null;
    },
  };
}

/**
 * The risk routes' view of triage (routes/risk.ts `openFilter`): a finding counts toward an
 * image's risk unless its decision closes it (not_affected, fixed, an acceptance not yet expired),
 * matched by the finding's id or any of its aliases, its purl and its package name.
 */
export async function triageOpenFilter(store: Store, imageId: number, now: Date) {
  const image = await getImage(store, imageId);
  const decisions = image ? await decisionsForImage(store, image) : [];
  return (f: { id: string; aliases: readonly string[]; package: { name: string; purl: string } }) =>
    !decisions.length ||
    isOpen(
      resolveTriage(decisions, {
        vulnId: f.id,
        aliases: [...f.aliases],
        packageName: f.package.name,
        purl: f.package.purl,
      }),
      now,
    );
}
