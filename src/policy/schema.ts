/**
 * The policy file: one YAML document that CI (`bulwark policy check`), admission control and the
 * server evaluate with one function (evaluate.ts). Validated at the boundary with zod; every
 * error names the file and the line of the offending field (load.ts).
 */
import { z } from 'zod';
import { expiryDay } from '../core/ignore-file.js';
import { SEVERITIES, type Severity } from '../core/types.js';

/** Every rule a policy can apply; exceptions name these ids (or `*`). */
export const POLICY_RULES = [
  'policy/pod-security',
  'policy/signature-required',
  'policy/allowed-registries',
  'policy/mutable-tag',
  'policy/max-severity',
  'policy/max-risk',
  'policy/kev',
  'policy/fix-age',
  'policy/resource-limits',
  'policy/missing-facts',
] as const;

export type PolicyRuleId = (typeof POLICY_RULES)[number];

const day = expiryDay;

const nonEmpty = z.string().trim().min(1);

const certificateSchema = z.strictObject({
  /** PEM file with the trusted root certificate(s), relative to the policy file */
  roots: nonEmpty,
  /** PEM file with intermediate certificates */
  intermediates: nonEmpty.optional(),
  /** required subject alternative name (e-mail, URI), as cosign's --certificate-identity */
  identity: nonEmpty.optional(),
  identityRegexp: nonEmpty.optional(),
  /** required OIDC issuer (Fulcio extension), as cosign's --certificate-oidc-issuer */
  issuer: nonEmpty.optional(),
  issuerRegexp: nonEmpty.optional(),
});

const resourceNames = z.array(z.enum(['cpu', 'memory', 'ephemeral-storage'])).min(1);

const exceptionSchema = z.strictObject({
  /** a short name shown in reports */
  name: nonEmpty.optional(),
  /** rule ids this exception waives, or `*` for all */
  rules: z.array(z.union([z.enum(POLICY_RULES), z.literal('*')])).min(1),
  /** namespace patterns (`*` wildcard); omitted = any */
  namespaces: z.array(nonEmpty).min(1).optional(),
  /** labels the workload must carry, all of them; omitted = any */
  labels: z.record(z.string(), z.string()).optional(),
  /** image patterns (`registry/repo/*`, `**`); omitted = any */
  images: z.array(nonEmpty).min(1).optional(),
  /** for vulnerability rules: waive only these finding ids (CVE, GHSA, ... or an alias) */
  ids: z.array(nonEmpty).min(1).optional(),
  reason: nonEmpty,
  expires: day,
});

export const policySchema = z.strictObject({
  apiVersion: z.literal('bulwark.dev/v1'),
  kind: z.literal('Policy'),
  metadata: z.strictObject({
    name: nonEmpty,
    description: z.string().optional(),
  }),
  spec: z.strictObject({
    /** enforce: violations deny; audit: violations are reported, nothing is denied */
    mode: z.enum(['enforce', 'audit']).default('enforce'),
    /** Pod Security Standards level every workload must meet (bulwark's PSS engine, PSA semantics) */
    podSecurity: z
      .strictObject({
        level: z.enum(['baseline', 'restricted']),
        version: z
          .string()
          .regex(/^(latest|v?1\.\d{1,3})$/, 'want v1.N or latest')
          .default('latest'),
      })
      .optional(),
    /** cosign signatures every image must carry; either a key or a certificate suffices */
    signatures: z
      .strictObject({
        keys: z.array(nonEmpty).default([]),
        certificates: z.array(certificateSchema).default([]),
        /** annotations every accepted signature's payload must carry */
        annotations: z.record(z.string(), z.string()).optional(),
      })
      .refine((s) => s.keys.length + s.certificates.length > 0, {
        message: 'name at least one key or certificate',
      })
      .optional(),
    images: z
      .strictObject({
        /** registry/repository patterns images must come from (`ghcr.io/acme/**`, `docker.io/library/*`) */
        allowedRegistries: z.array(nonEmpty).min(1).optional(),
        /** every image must be pinned by digest (`name@sha256:...`) */
        requireDigest: z.boolean().default(false),
        /** tags that are refused unless pinned by digest (an image without a tag is `latest`) */
        disallowTags: z.array(nonEmpty).default([]),
      })
      .optional(),
    vulnerabilities: z
      .strictObject({
        /** the highest severity allowed; a finding above it violates (UNKNOWN is below LOW) */
        maxSeverity: z.enum(SEVERITIES as [Severity, ...Severity[]]).optional(),
        /** the highest allowed probability that at least one open finding is exploited, 0..1 */
        maxRisk: z.number().min(0).max(1).optional(),
        /** no finding listed in CISA's Known Exploited Vulnerabilities catalog */
        noKev: z.boolean().default(false),
        /** no finding with a fix available older than this many days (first seen, else published) */
        maxFixAgeDays: z.number().int().min(0).optional(),
        /** findings with no fix are left out of every vulnerability rule */
        ignoreUnfixed: z.boolean().default(false),
      })
      .optional(),
    resources: z
      .strictObject({
        /** resource limits every container must set */
        limits: resourceNames.optional(),
        /** resource requests every container must set */
        requests: resourceNames.optional(),
      })
      .optional(),
    /** what to do when an image has no scan or signature facts: deny, allow with a warning, allow */
    missingFacts: z.enum(['deny', 'warn', 'allow']).default('warn'),
    exceptions: z.array(exceptionSchema).default([]),
  }),
});

export type Policy = z.infer<typeof policySchema>;
export type PolicyException = Policy['spec']['exceptions'][number];
export type CertificateRequirement = z.infer<typeof certificateSchema>;
