import { parsePssVersion } from '../pss/evaluate.js';
import { PSS_CHECKS, versionOf } from '../pss/registry.js';
import { dotted } from '../pss/helpers.js';
import type { FieldPath } from '../pss/types.js';
import type { RuleContext, RuleMeta } from '../types.js';
import { podOf } from './pod.js';
import type { K8sObject } from './types.js';

export type Json = Record<string, unknown>;

export function isObj(v: unknown): v is Json {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

export function at(value: unknown, path: FieldPath): unknown {
  let v = value;
  for (const step of path) {
    if (v === null || typeof v !== 'object') return undefined;
    v = (v as Record<string | number, unknown>)[step];
  }
  return v;
}

/** A report located at a field of a Kubernetes object. */
export function located(obj: K8sObject, path: FieldPath) {
  const p = obj.positionOf(path);
  return { line: p.line, column: p.column, field: dotted(path), object: obj.label };
}

export interface ContainerRef {
  name: string;
  c: Json;
  /** path from the object root */
  path: FieldPath;
  kind: 'initContainers' | 'containers' | 'ephemeralContainers';
}

/** Every container of a workload's pod template, init and ephemeral containers included. */
export function containersOf(obj: K8sObject): ContainerRef[] {
  if (!obj.podTemplatePath) return [];
  const spec = at(obj.object, [...obj.podTemplatePath, 'spec']);
  if (!isObj(spec)) return [];
  const out: ContainerRef[] = [];
  for (const kind of ['initContainers', 'containers', 'ephemeralContainers'] as const) {
    const list = spec[kind];
    if (!Array.isArray(list)) continue;
    list.forEach((c, i) => {
      if (isObj(c))
        out.push({
          name: typeof c.name === 'string' ? c.name : '',
          c,
          path: [...obj.podTemplatePath!, 'spec', kind, i],
          kind,
        });
    });
  }
  return out;
}

/** The policy version rules evaluate PSS controls at: setting `pssVersion`, default latest. */
export function pssVersionOf(ctx: RuleContext): number {
  const v = ctx.settings.pssVersion;
  return parsePssVersion(typeof v === 'string' ? v : 'latest');
}

/** Findings of one Pod Security Admission check on a workload, one per offending field. */
export function pssReports(obj: K8sObject, checkId: string, ctx: RuleContext) {
  const pod = podOf(obj);
  const check = PSS_CHECKS.find((c) => c.id === checkId);
  if (!pod || !check) return [];
  const versioned = versionOf(check, pssVersionOf(ctx));
  const r = versioned?.check(pod);
  if (!r) return [];
  const seen = new Set<string>();
  const out = [];
  for (const p of r.paths) {
    const loc = located(obj, [...obj.podTemplatePath!, ...p]);
    const key = `${loc.line}:${loc.column}`;
    if (seen.has(key)) continue;
    seen.add(key);
    out.push({
      ...loc,
      data: { object: obj.label, control: checkId, level: check.level, reason: r.reason, detail: r.detail },
    });
  }
  return out;
}

export interface PssRuleSpec {
  check: string;
  id: string;
  aliases: string[];
  title: string;
  severity: RuleMeta['severity'];
  remediation: string;
}

const PSS_REFERENCE = 'https://kubernetes.io/docs/concepts/security/pod-security-standards/';

/** Metadata of a rule that reports one Pod Security Standards control. */
export function pssMeta(spec: PssRuleSpec): RuleMeta<'violation'> {
  return {
    id: spec.id,
    aliases: [spec.check, ...spec.aliases],
    title: spec.title,
    severity: spec.severity,
    category: 'pod-security-standards',
    references: [PSS_REFERENCE, 'https://kubernetes.io/docs/concepts/security/pod-security-admission/'],
    remediation: spec.remediation,
    appliesTo: ['kubernetes'],
    messages: {
      violation: '{{object}} violates Pod Security Standards {{level}} control {{control}}: {{detail}}',
    },
  };
}
