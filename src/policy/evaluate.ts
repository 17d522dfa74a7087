/**
 * The one policy evaluator. CI (`bulwark policy check`), the admission webhook and the server
 * call this function with a subject (a workload or an image) and the facts known about its
 * images; it does no I/O, so the same policy gives the same verdict everywhere.
 *
 * Order, documented in docs/policy.md: exceptions are split into active and expired (an entry
 * applies through the whole of its `expires` day, UTC); `ignoreUnfixed` drops unfixed findings;
 * each rule collects what offends it; exceptions scoped to finding ids waive those findings
 * (the rest still offend); exceptions without ids waive a whole violation of their rules; what
 * is left denies (mode enforce) or is only reported (mode audit). Missing facts follow
 * `missingFacts`: deny (a violation), warn, or allow.
 */
import { evaluatePod } from '../checks/pss/evaluate.js';
import type { Severity } from '../core/types.js';
import { parseReference } from '../registry/reference.js';
import { exploitProbability, type ImageFacts, type VulnFact } from './facts.js';
import { globMatch, imageMatches } from './patterns.js';
import type { Policy, PolicyException, PolicyRuleId } from './schema.js';
import type { PolicySubject } from './subject.js';

export interface PolicyViolation {
  rule: PolicyRuleId;
  message: string;
  /** the image the violation is about */
  image?: string;
  /** the containers (by name) that run it or that offend */
  containers?: string[];
  /** offending field (dotted, from the pod or object root) */
  field?: string;
  /** Pod Security Admission's check id, for `policy/pod-security` */
  control?: string;
  /** offending finding ids, for vulnerability rules */
  findings?: string[];
}

export interface AppliedException {
  name?: string;
  reason: string;
  expires: string;
}

export interface ExceptedViolation extends PolicyViolation {
  exception: AppliedException;
}

export interface PolicyDecision {
  subject: { kind: string; name: string; namespace?: string; origin?: string; line?: number };
  policy: string;
  mode: 'enforce' | 'audit';
  /** no violation is left */
  allowed: boolean;
  /** what admission does: allowed, or the policy only audits */
  admit: boolean;
  violations: PolicyViolation[];
  warnings: string[];
  excepted: ExceptedViolation[];
  /** exceptions in scope of this subject whose expiry has passed: they no longer apply */
  expiredExceptions: AppliedException[];
}

export type FactsLookup = (image: string) => ImageFacts | undefined;

export interface EvaluateOptions {
  /** the time of the decision (exception expiry, finding ages); default now */
  now?: Date;
}

const SEVERITY_RANK: Record<Severity, number> = { CRITICAL: 4, HIGH: 3, MEDIUM: 2, LOW: 1, UNKNOWN: 0 };
const DAY_MS = 86_400_000;

function exceptionInfo(e: PolicyException): AppliedException {
  return { ...(e.name ? { name: e.name } : {}), reason: e.reason, expires: e.expires };
}

/** True when the exception's namespace and label scope covers the subject. */
function inScope(e: PolicyException, s: PolicySubject): boolean {
  if (e.namespaces && !e.namespaces.some((p) => globMatch(p, s.namespace ?? ''))) return false;
  if (e.labels) for (const [k, v] of Object.entries(e.labels)) if (s.labels[k] !== v) return false;
  return true;
}

function coversRule(e: PolicyException, rule: PolicyRuleId): boolean {
  return e.rules.includes('*') || e.rules.includes(rule);
}

function coversImage(e: PolicyException, image: string | undefined): boolean {
  if (!e.images) return true;
  return image !== undefined && e.images.some((p) => imageMatches(p, image) || globMatch(p, image));
}

function findingNamed(f: VulnFact, ids: readonly string[]): boolean {
  return ids.includes(f.id) || f.aliases.some((a) => ids.includes(a));
}

function shortList(ids: string[], max = 5): string {
  const head = ids.slice(0, max).join(', ');
  return ids.length > max ? `${head} and ${ids.length - max} more` : head;
}

function tagOf(image: string): { tag?: string; digest?: string } | undefined {
  try {
    const r = parseReference(image);
    return { ...(r.tag ? { tag: r.tag } : {}), ...(r.digest ? { digest: r.digest } : {}) };
  } catch {
    return undefined;
  }
}

export function evaluatePolicy(
  policy: Policy,
  subject: PolicySubject,
  facts: FactsLookup,
  opts: EvaluateOptions = {},
): PolicyDecision {
  const now = opts.now ?? new Date();
  const today = now.toISOString().slice(0, 10);
  const spec = policy.spec;
  const scoped = spec.exceptions.filter((e) => inScope(e, subject));
  const active = scoped.filter((e) => e.expires >= today);
  const expired = scoped.filter((e) => e.expires < today);

  const violations: PolicyViolation[] = [];
  const excepted: ExceptedViolation[] = [];
  const warnings: string[] = [];

  // --- Pod Security Standards, through bulwark's PSS engine
  if (spec.podSecurity && subject.pod) {
    const r = evaluatePod(subject.pod, spec.podSecurity.level, spec.podSecurity.version);
    for (const v of r.violations)
      violations.push({
        rule: 'policy/pod-security',
        message: `Pod Security "${spec.podSecurity.level}" (${r.version}): ${v.reason}: ${v.detail}`,
        control: v.control,
        ...(v.field ? { field: v.field } : {}),
      });
  }

  // --- resources (workload containers; ephemeral containers cannot set resources)
  const res = spec.resources;
  if (res && subject.pod) {
    for (const c of subject.containers) {
      if (c.kind === 'ephemeralContainers') continue;
      for (const [what, needed] of [
        ['limits', res.limits],
        ['requests', res.requests],
      ] as const) {
        const missing = (needed ?? []).filter((r) => c.resources[what][r] === undefined);
        if (missing.length)
          violations.push({
            rule: 'policy/resource-limits',
            message: `container "${c.name}" sets no resource ${what} for ${missing.join(', ')}`,
            containers: [c.name],
            field: `${c.field}.resources.${what}`,
          });
      }
    }
  }

  // --- image rules, once per distinct image
  const byImage = new Map<string, string[]>();
  for (const c of subject.containers) byImage.set(c.image, [...(byImage.get(c.image) ?? []), c.name]);
  for (const [image, containers] of byImage) {
    const where = { image, ...(subject.kind === 'Image' ? {} : { containers }) };
    const ref = tagOf(image);
    if (!image || !ref) {
      violations.push({
        rule: 'policy/allowed-registries',
        message: image ? `image reference "${image}" does not parse` : 'container has no image',
        ...where,
      });
      continue;
    }
    const imgs = spec.images;
    if (imgs?.allowedRegistries && !imgs.allowedRegistries.some((p) => imageMatches(p, image)))
      violations.push({
        rule: 'policy/allowed-registries',
        message: `image "${image}" is not from an allowed registry (${imgs.allowedRegistries.join(', ')})`,
        ...where,
      });
    if (imgs && !ref.digest) {
      if (imgs.requireDigest)
        violations.push({
          rule: 'policy/mutable-tag',
          message: `image "${image}" is not pinned by digest`,
          ...where,
        });
      else if (ref.tag && imgs.disallowTags.includes(ref.tag))
        violations.push({
          rule: 'policy/mutable-tag',
          message: `image "${image}" uses the mutable tag "${ref.tag}" without a digest`,
          ...where,
        });
    }

    const f = facts(image);
    const missing: string[] = [];
    if (spec.signatures) {
      if (!f?.signature) missing.push('signature check');
      else if (!f.signature.verified)
        violations.push({
          rule: 'policy/signature-required',
          message: `image "${image}" has no signature that verifies: ${f.signature.message}`,
          ...where,
        });
    }
    const vp = spec.vulnerabilities;
    const vulnRules =
      vp && (vp.maxSeverity || vp.maxRisk !== undefined || vp.noKev || vp.maxFixAgeDays !== undefined);
    if (vp && vulnRules) {
      if (!f?.vulnerabilities) missing.push('vulnerability scan');
      else {
        const open = vp.ignoreUnfixed ? f.vulnerabilities.filter((v) => v.fixedVersion) : f.vulnerabilities;
        /** removes findings waived by id-scoped exceptions, recording them; returns the rest */
        const waive = (rule: PolicyRuleId, list: VulnFact[]): VulnFact[] => {
          const left: VulnFact[] = [];
          const waived = new Map<PolicyException, string[]>();
          for (const v of list) {
            const e = active.find(
              (x) => x.ids && coversRule(x, rule) && coversImage(x, image) && findingNamed(v, x.ids),
            );
            if (e) waived.set(e, [...(waived.get(e) ?? []), v.id]);
            else left.push(v);
          }
          for (const [e, ids] of waived)
            excepted.push({
              rule,
              message: `${ids.length} finding(s) waived: ${shortList(ids)}`,
              ...where,
              findings: ids,
              exception: exceptionInfo(e),
            });
          return left;
        };
        const offend = (rule: PolicyRuleId, list: VulnFact[], say: (ids: string) => string) => {
          const left = waive(rule, list);
          if (!left.length) return;
          const ids = [...new Set(left.map((v) => v.id))];
          violations.push({ rule, message: say(shortList(ids)), ...where, findings: ids });
        };
        if (vp.maxSeverity) {
          const max = SEVERITY_RANK[vp.maxSeverity];
          offend(
            'policy/max-severity',
            open.filter((v) => SEVERITY_RANK[v.severity] > max),
            (ids) => `image "${image}" has findings above ${vp.maxSeverity}: ${ids}`,
          );
        }
        if (vp.noKev)
          offend(
            'policy/kev',
            open.filter((v) => v.kev),
            (ids) =>
              `image "${image}" has findings in CISA's Known Exploited Vulnerabilities catalog: ${ids}`,
          );
        if (vp.maxFixAgeDays !== undefined) {
          const limit = vp.maxFixAgeDays;
          offend(
            'policy/fix-age',
            open.filter((v) => {
              const since = v.firstSeen ?? v.published;
              const t = since ? Date.parse(since) : NaN;
              return v.fixedVersion !== null && !Number.isNaN(t) && (now.getTime() - t) / DAY_MS > limit;
            }),
            (ids) => `image "${image}" has findings with a fix available for more than ${limit} days: ${ids}`,
          );
        }
        if (vp.maxRisk !== undefined) {
          const left = waive('policy/max-risk', open);
          const p = exploitProbability(left);
          if (p > vp.maxRisk) {
            const top = [...left]
              .sort((a, b) => (b.kev ? 1 : (b.epss ?? 0)) - (a.kev ? 1 : (a.epss ?? 0)))
              .slice(0, 3)
              .map((v) => `${v.id} (${v.kev ? 'KEV' : `EPSS ${(v.epss ?? 0).toFixed(3)}`})`);
            violations.push({
              rule: 'policy/max-risk',
              message: `image "${image}" has exploit probability ${p.toFixed(3)} above ${vp.maxRisk}; most from ${top.join(', ')}`,
              ...where,
              findings: top.map((t) => t.split(' ')[0]!),
            });
          }
        }
      }
    }
    if (missing.length) {
      const say = `no ${missing.join(' and no ')} known for image "${image}"`;
      if (spec.missingFacts === 'deny')
        violations.push({ rule: 'policy/missing-facts', message: `${say} (missingFacts: deny)`, ...where });
      else if (spec.missingFacts === 'warn') warnings.push(`${say}; allowed (missingFacts: warn)`);
    }
  }

  // --- exceptions without ids waive whole violations of their rules
  const left: PolicyViolation[] = [];
  for (const v of violations) {
    const e = active.find((x) => !x.ids && coversRule(x, v.rule) && coversImage(x, v.image));
    if (e) excepted.push({ ...v, exception: exceptionInfo(e) });
    else left.push(v);
  }
  for (const e of expired)
    warnings.push(
      `exception ${e.name ? `"${e.name}" ` : ''}(${e.rules.join(', ')}) expired on ${e.expires}; it no longer applies`,
    );

  const allowed = left.length === 0;
  return {
    subject: {
      kind: subject.kind,
      name: subject.name,
      ...(subject.namespace ? { namespace: subject.namespace } : {}),
      ...(subject.origin ? { origin: subject.origin } : {}),
      ...(subject.line !== undefined ? { line: subject.line } : {}),
    },
    policy: policy.metadata.name,
    mode: spec.mode,
    allowed,
    admit: allowed || spec.mode === 'audit',
    violations: left,
    warnings,
    excepted,
    expiredExceptions: expired.map(exceptionInfo),
  };
}
