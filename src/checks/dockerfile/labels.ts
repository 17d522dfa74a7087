import parseSpdx from 'spdx-expression-parse';
import semver from 'semver';
import { effective, keyValues } from './helpers.js';
import type { Dockerfile, Instruction, Stage } from './types.js';

/**
 * The label schema of the `labelSchema` setting (hadolint's `label-schema`): label name -> value
 * type. Type names are hadolint's (`RawText`, `Url`, `Rfc3339`, `SemVer`, `Spdx`, `GitHash`,
 * `Email`), case-insensitive; `text` and `hash` are accepted as short forms.
 */
export type LabelType = 'text' | 'url' | 'rfc3339' | 'semver' | 'spdx' | 'hash' | 'email';

const TYPES: Record<string, LabelType> = {
  rawtext: 'text',
  text: 'text',
  url: 'url',
  rfc3339: 'rfc3339',
  semver: 'semver',
  spdx: 'spdx',
  githash: 'hash',
  hash: 'hash',
  email: 'email',
};

export function labelSchema(settings: Readonly<Record<string, unknown>>): Map<string, LabelType> {
  const out = new Map<string, LabelType>();
  const s = settings.labelSchema;
  if (!s || typeof s !== 'object' || Array.isArray(s)) return out;
  for (const [name, type] of Object.entries(s))
    out.set(name, (typeof type === 'string' && TYPES[type.toLowerCase()]) || 'text');
  return out;
}

/** The LABEL pairs of instructions (ONBUILD LABEL included), with positions. */
export function labelPairs(instructions: readonly Instruction[]) {
  return instructions.flatMap((raw) => {
    const ins = effective(raw);
    return ins?.keyword === 'LABEL' ? keyValues(ins).map((kv) => ({ ...kv, value: kv.value ?? '' })) : [];
  });
}

const RFC3339 = /^(\d{4})-(\d{2})-(\d{2})[Tt ](\d{2}):(\d{2}):(\d{2})(\.\d+)?([Zz]|[+-]\d{2}:\d{2})$/;

/** Whether a non-empty label value has its schema type. */
export function validLabelValue(type: LabelType, v: string): boolean {
  switch (type) {
    case 'text':
      return true;
    case 'url':
      try {
        new URL(v);
        return true;
      } catch {
        return false;
      }
    case 'rfc3339': {
      const m = RFC3339.exec(v);
      if (!m) return false;
      const [mo, d, h, mi, s] = [m[2], m[3], m[4], m[5], m[6]].map(Number) as [
        number,
        number,
        number,
        number,
        number,
      ];
      return mo >= 1 && mo <= 12 && d >= 1 && d <= 31 && h <= 23 && mi <= 59 && s <= 60;
    }
    case 'semver':
      return semver.valid(v) === v;
    case 'spdx':
      try {
        parseSpdx(v);
        return true;
      } catch {
        return false;
      }
    case 'hash':
      return /^([0-9a-f]{7}|[0-9a-f]{40})$/.test(v);
    case 'email':
      return /^[^\s@"<>()[\],;:]+@[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?)+$/.test(
        v,
      );
  }
}

/**
 * For one label, the stages that carry it: set in the stage itself or in a stage it is built FROM
 * (computed once, in stage order, so a chain of thousands of stages costs one pass).
 */
export function stagesWithLabel(df: Dockerfile, label: string): { own: Set<Stage>; carried: Set<Stage> } {
  const own = new Set<Stage>();
  const carried = new Set<Stage>();
  const byName = new Map<string, Stage>();
  for (const s of df.stages) {
    if (labelPairs(s.instructions).some((p) => p.key === label)) own.add(s);
    const parent = s.fromStage ? byName.get(s.image.toLowerCase()) : undefined;
    if (own.has(s) || (parent && carried.has(parent))) carried.add(s);
    if (s.name && !byName.has(s.name)) byName.set(s.name, s);
  }
  return { own, carried };
}
