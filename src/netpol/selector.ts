import { BulwarkError } from '../core/errors.js';

/** A Kubernetes LabelSelector (metav1.LabelSelector), validated. */
export interface LabelSelector {
  matchLabels: Readonly<Record<string, string>>;
  matchExpressions: readonly {
    key: string;
    operator: 'In' | 'NotIn' | 'Exists' | 'DoesNotExist';
    values: string[];
  }[];
}

export const EVERYTHING: LabelSelector = { matchLabels: {}, matchExpressions: [] };

const OPS = new Set(['In', 'NotIn', 'Exists', 'DoesNotExist']);

function isObj(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

/** Parses a selector as metav1.LabelSelectorAsSelector validates it; throws MALFORMED_INPUT. */
export function parseSelector(v: unknown, where: string): LabelSelector {
  if (v === null || v === undefined) return EVERYTHING;
  if (!isObj(v)) throw new BulwarkError('MALFORMED_INPUT', `${where}: selector is not an object`);
  const matchLabels: Record<string, string> = {};
  if (v.matchLabels !== undefined && v.matchLabels !== null) {
    if (!isObj(v.matchLabels)) throw new BulwarkError('MALFORMED_INPUT', `${where}.matchLabels is not a map`);
    for (const [k, val] of Object.entries(v.matchLabels)) matchLabels[k] = String(val ?? '');
  }
  const matchExpressions: LabelSelector['matchExpressions'][number][] = [];
  if (v.matchExpressions !== undefined && v.matchExpressions !== null) {
    if (!Array.isArray(v.matchExpressions))
      throw new BulwarkError('MALFORMED_INPUT', `${where}.matchExpressions is not a list`);
    v.matchExpressions.forEach((e, i) => {
      const at = `${where}.matchExpressions[${i}]`;
      if (!isObj(e) || typeof e.key !== 'string' || typeof e.operator !== 'string' || !OPS.has(e.operator))
        throw new BulwarkError(
          'MALFORMED_INPUT',
          `${at}: needs a key and an operator In, NotIn, Exists or DoesNotExist`,
        );
      const values = Array.isArray(e.values) ? e.values.map((x) => String(x)) : [];
      const needsValues = e.operator === 'In' || e.operator === 'NotIn';
      if (needsValues && values.length === 0)
        throw new BulwarkError('MALFORMED_INPUT', `${at}: operator ${e.operator} needs values`);
      if (!needsValues && values.length > 0)
        throw new BulwarkError('MALFORMED_INPUT', `${at}: operator ${e.operator} takes no values`);
      matchExpressions.push({ key: e.key, operator: e.operator as 'In', values });
    });
  }
  return { matchLabels, matchExpressions };
}

export function isEverything(s: LabelSelector): boolean {
  return Object.keys(s.matchLabels).length === 0 && s.matchExpressions.length === 0;
}

/** labels.Selector.Matches: every requirement holds (NotIn and DoesNotExist hold for a missing key). */
export function matches(s: LabelSelector, labels: Readonly<Record<string, string>>): boolean {
  for (const k in s.matchLabels)
    if (!Object.hasOwn(labels, k) || labels[k] !== s.matchLabels[k]) return false;
  for (const e of s.matchExpressions) {
    const has = Object.hasOwn(labels, e.key);
    switch (e.operator) {
      case 'In':
        if (!has || !e.values.includes(labels[e.key]!)) return false;
        break;
      case 'NotIn':
        if (has && e.values.includes(labels[e.key]!)) return false;
        break;
      case 'Exists':
        if (!has) return false;
        break;
      case 'DoesNotExist':
        if (has) return false;
        break;
    }
  }
  return true;
}

/** `app=web,tier in (a,b)` for messages. */
export function selectorString(s: LabelSelector): string {
  const parts = Object.entries(s.matchLabels).map(([k, v]) => `${k}=${v}`);
  for (const e of s.matchExpressions)
    parts.push(
      e.operator === 'Exists'
        ? e.key
        : e.operator === 'DoesNotExist'
          ? `!${e.key}`
          : `${e.key} ${e.operator === 'In' ? 'in' : 'notin'} (${e.values.join(',')})`,
    );
  return parts.length ? parts.join(',') : '(all)';
}
