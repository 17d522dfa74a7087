/**
 * One AdmissionReview (admission.k8s.io/v1) in, one out, decided by the policy evaluator every
 * other entry point uses. Workloads of every kind are reviewed through their pod templates;
 * other objects, DELETE and CONNECT are allowed untouched. Facts that are not cached are fetched
 * for at most the review's budget; what is still missing follows the policy's missingFacts.
 * A failure to evaluate follows the webhook's failure policy (open: allow with a warning; closed:
 * deny), so a broken webhook never fails silently.
 */
import { z } from 'zod';
import { evaluatePolicy, type PolicyDecision } from '../policy/evaluate.js';
import type { SignatureFact } from '../policy/facts.js';
import type { Policy } from '../policy/schema.js';
import { subjectFromObject } from '../policy/subject.js';
import { parseReference } from '../registry/reference.js';
import { factsFor, type AdmissionFacts } from './facts.js';

const reviewSchema = z.object({
  apiVersion: z.literal('admission.k8s.io/v1'),
  kind: z.literal('AdmissionReview'),
  request: z.object({
    uid: z.string().min(1).max(256),
    kind: z.object({ group: z.string(), version: z.string(), kind: z.string() }).optional(),
    namespace: z.string().optional(),
    name: z.string().optional(),
    operation: z.string(),
    object: z.record(z.string(), z.unknown()).nullable().optional(),
    dryRun: z.boolean().optional(),
  }),
});

export interface ReviewOptions {
  policy: Policy;
  facts: AdmissionFacts;
  /** the mutating endpoint: pin tags to digests with a JSONPatch */
  mutate: boolean;
  failurePolicy: 'open' | 'closed';
  /** how long a review may wait for facts that are not cached, ms */
  budgetMs: number;
  now?: () => Date;
}

export interface AdmissionResponse {
  uid: string;
  allowed: boolean;
  status?: { code: number; reason?: string; message: string };
  warnings?: string[];
  patchType?: 'JSONPatch';
  patch?: string;
}

export interface AdmissionReviewOut {
  apiVersion: 'admission.k8s.io/v1';
  kind: 'AdmissionReview';
  response: AdmissionResponse;
}

export interface ReviewOutcome {
  review: AdmissionReviewOut;
  decision?: PolicyDecision;
  /** what to log: allowed, denied, audit, error, skipped */
  verdict: 'allowed' | 'denied' | 'audit' | 'error' | 'skipped';
}

/** A malformed AdmissionReview (HTTP 400: the API server applies its own failure policy). */
export class BadReview extends Error {}

// Kubernetes truncates long and many warnings; keep each readable and the list short
const MAX_WARNING = 256;
const MAX_WARNINGS = 20;

function out(response: AdmissionResponse): AdmissionReviewOut {
  return { apiVersion: 'admission.k8s.io/v1', kind: 'AdmissionReview', response };
}

function pointer(path: readonly (string | number)[]): string {
  return `/${path.map((p) => String(p).replace(/~/g, '~0').replace(/\//g, '~1')).join('/')}`;
}

function clip(warnings: string[]): string[] | undefined {
  const list = [...new Set(warnings)]
    .slice(0, MAX_WARNINGS)
    .map((w) => (w.length > MAX_WARNING ? `${w.slice(0, MAX_WARNING - 1)}…` : w));
  return list.length ? list : undefined;
}

function describe(d: PolicyDecision): string {
  const ns = d.subject.namespace ? `${d.subject.namespace}/` : '';
  return `${d.subject.kind} ${ns}${d.subject.name}`;
}

export function parseReview(body: unknown): z.infer<typeof reviewSchema> {
  const r = reviewSchema.safeParse(body);
  if (!r.success) {
    const issue = r.error.issues[0];
    throw new BadReview(
      `not an admission.k8s.io/v1 AdmissionReview: ${issue?.path.join('.') || '(root)'}: ${issue?.message}`,
    );
  }
  return r.data;
}

export async function reviewAdmission(body: unknown, opts: ReviewOptions): Promise<ReviewOutcome> {
  const start = Date.now();
  const { request } = parseReview(body);
  const uid = request.uid;
  try {
    if ((request.operation !== 'CREATE' && request.operation !== 'UPDATE') || !request.object)
      return { review: out({ uid, allowed: true }), verdict: 'skipped' };
    const subject = subjectFromObject(
      request.object,
      request.namespace ? { namespace: request.namespace } : {},
    );
    if (!subject) return { review: out({ uid, allowed: true }), verdict: 'skipped' };

    const images = [...new Set(subject.containers.map((c) => c.image).filter(Boolean))];
    const left = () => Math.max(0, opts.budgetMs - (Date.now() - start));
    const signatures = new Map<string, SignatureFact | undefined>();
    const digests = new Map<string, string | undefined>();
    await Promise.all([
      ...(opts.policy.spec.signatures && opts.facts.signatures
        ? images.map(async (i) => signatures.set(i, await opts.facts.signatures!.get(i, left())))
        : []),
      ...(opts.mutate && opts.facts.digests
        ? images
            .filter((i) => !i.includes('@') && !opts.facts.reports.get(i)?.digest)
            .map(async (i) => digests.set(i, await opts.facts.digests!.get(i, left())))
        : []),
    ]);

    const decision = evaluatePolicy(
      opts.policy,
      subject,
      (image) => factsFor(image, opts.facts.reports, signatures.get(image)),
      opts.now ? { now: opts.now() } : {},
    );
    const warnings = [...decision.warnings];
    if (decision.admit && !decision.allowed)
      for (const v of decision.violations) warnings.push(`[audit] ${v.rule}: ${v.message}`);
    if (!decision.admit) {
      const reasons = decision.violations.map((v) => `${v.rule}: ${v.message}`);
      return {
        review: out({
          uid,
          allowed: false,
          status: {
            code: 403,
            reason: 'Forbidden',
            message: `bulwark policy "${decision.policy}" denied ${describe(decision)}: ${reasons.join('; ')}`,
          },
          ...(clip(warnings) ? { warnings: clip(warnings)! } : {}),
        }),
        decision,
        verdict: 'denied',
      };
    }
    const patch: { op: 'replace'; path: string; value: string }[] = [];
    if (opts.mutate) {
      for (const c of subject.containers) {
        if (!c.image || c.image.includes('@')) continue;
        const digest = opts.facts.reports.get(c.image)?.digest ?? digests.get(c.image);
        if (!digest) {
          warnings.push(
            `image "${c.image}" of container "${c.name}" was not pinned: its digest is not known yet`,
          );
          continue;
        }
        try {
          parseReference(c.image);
        } catch {
          continue; // the policy already reported it; never patch in a reference that does not parse
        }
        patch.push({ op: 'replace', path: pointer([...c.path, 'image']), value: `${c.image}@${digest}` });
      }
    }
    return {
      review: out({
        uid,
        allowed: true,
        ...(clip(warnings) ? { warnings: clip(warnings)! } : {}),
        ...(patch.length
          ? { patchType: 'JSONPatch' as const, patch: Buffer.from(JSON.stringify(patch)).toString('base64') }
          : {}),
      }),
      decision,
      verdict: decision.allowed ? 'allowed' : 'audit',
    };
  } catch (e) {
    const message = `bulwark could not evaluate the request: ${(e as Error).message}`;
    return {
      review: out(
        opts.failurePolicy === 'open'
          ? { uid, allowed: true, warnings: [`${message} (failure policy: open)`] }
          : { uid, allowed: false, status: { code: 500, reason: 'InternalError', message } },
      ),
      verdict: 'error',
    };
  }
}
