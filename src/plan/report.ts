/**
 * Reads the JSON report `bulwark image -f json` writes (src/report/json.ts) into the engine's
 * input. Hostile input is bounded (size, counts, string lengths) and refused with a typed error
 * naming the input; a finding that does not read is skipped with a warning, the rest still count.
 */
import { z } from 'zod';
import { BulwarkError } from '../core/errors.js';
import type { PlanFinding, PlanInput } from './types.js';

export interface ReadLimits {
  /** largest report accepted, in bytes (default 64 MiB, the server's upload limit) */
  maxBytes?: number;
  /** most findings read (default 200,000) */
  maxFindings?: number;
  /** most layers (default 512, as for images) */
  maxLayers?: number;
}

export const DEFAULT_MAX_REPORT_BYTES = 64 * 1024 * 1024;
const DEFAULT_MAX_FINDINGS = 200_000;
const DEFAULT_MAX_LAYERS = 512;

const text = (max = 4096) => z.string().max(max);
const nullableText = (max = 4096) => text(max).nullable().optional();

const layerSchema = z.object({
  index: z.number().int().min(0).max(100_000),
  digest: text(200),
  diffId: text(200),
  createdBy: nullableText(65_536),
});

const findingSchema = z.object({
  id: text(256).min(1),
  aliases: z.array(text(256)).max(1000).optional(),
  severity: text(32),
  cvss: z
    .object({ score: z.number().min(0).max(10) })
    .nullable()
    .optional(),
  epss: z
    .object({ score: z.number().min(0).max(1) })
    .nullable()
    .optional(),
  kev: z.object({}).passthrough().nullable().optional(),
  risk: z.number().min(0).max(1000).optional(),
  fixedVersion: nullableText(256),
  fixedVersions: z.array(text(256)).max(1000).optional(),
  package: z.object({
    name: text(1024).min(1),
    version: text(256),
    ecosystem: text(128),
    type: text(32),
    purl: text(4096),
    location: text(4096),
    sourceName: nullableText(1024),
    sourceVersion: nullableText(256),
  }),
  matched: z.object({ ecosystem: text(128), name: text(1024), version: text(256) }).optional(),
  layer: z
    .object({ diffId: text(200) })
    .passthrough()
    .nullable()
    .optional(),
});

const reportSchema = z.object({
  kind: z.literal('scan'),
  createdAt: text(64).optional(),
  target: z.object({
    kind: text(16),
    name: text(4096),
    digest: nullableText(200),
    repoTags: z.array(text(1024)).max(1000).optional(),
    layers: z.array(z.unknown()).optional(),
  }),
  os: z
    .object({
      family: text(64),
      name: text(256),
      version: text(128),
      ecosystem: text(128),
      codename: nullableText(128),
    })
    .nullable()
    .optional(),
  findings: z.array(z.unknown()),
});

function issueText(e: z.ZodError): string {
  const i = e.issues[0];
  return i ? `${i.path.join('.') || '(root)'}: ${i.message}` : 'invalid';
}

/** Parses report text (a file's bytes) into the plan input. */
export function readPlanInput(body: string | Buffer, input: string, limits: ReadLimits = {}): PlanInput {
  const maxBytes = limits.maxBytes ?? DEFAULT_MAX_REPORT_BYTES;
  const size = typeof body === 'string' ? Buffer.byteLength(body) : body.length;
  if (size > maxBytes)
    throw new BulwarkError('LIMIT_EXCEEDED', `report larger than ${maxBytes} bytes`, { input });
  let doc: unknown;
  try {
    doc = JSON.parse(typeof body === 'string' ? body : body.toString('utf8'));
  } catch (e) {
    throw new BulwarkError('MALFORMED_INPUT', `not JSON: ${(e as Error).message}`, { input, cause: e });
  }
  return planInputOf(doc, input, limits);
}

/** The plan input of an already parsed report (the server's stored reports). */
export function planInputOf(doc: unknown, input: string, limits: ReadLimits = {}): PlanInput {
  if (doc === null || typeof doc !== 'object' || Array.isArray(doc))
    throw new BulwarkError('MALFORMED_INPUT', 'not a bulwark scan report (a JSON object)', { input });
  const kind = (doc as { kind?: unknown }).kind;
  if (kind !== 'scan')
    throw new BulwarkError(
      'UNSUPPORTED',
      `not a vulnerability scan report (kind ${JSON.stringify(kind ?? null)?.slice(0, 40)}); write one with bulwark image -f json`,
      { input },
    );
  const top = reportSchema.safeParse(doc);
  if (!top.success)
    throw new BulwarkError('MALFORMED_INPUT', `not a bulwark scan report: ${issueText(top.error)}`, {
      input,
    });
  const r = top.data;
  const maxFindings = limits.maxFindings ?? DEFAULT_MAX_FINDINGS;
  const maxLayers = limits.maxLayers ?? DEFAULT_MAX_LAYERS;
  if (r.findings.length > maxFindings)
    throw new BulwarkError('LIMIT_EXCEEDED', `more than ${maxFindings} findings`, { input });
  const rawLayers = r.target.layers ?? [];
  if (rawLayers.length > maxLayers)
    throw new BulwarkError('LIMIT_EXCEEDED', `more than ${maxLayers} layers`, { input });
  const warnings: PlanInput['warnings'] = [];
  const layers: PlanInput['layers'] = [];
  for (const [i, l] of rawLayers.entries()) {
    const p = layerSchema.safeParse(l);
    if (!p.success) {
      warnings.push({
        code: 'MALFORMED_INPUT',
        message: `layer ${i} skipped: ${issueText(p.error)}`,
        input: `${input}#target.layers[${i}]`,
      });
      continue;
    }
    layers.push({ ...p.data, createdBy: p.data.createdBy ?? null });
  }
  const findings: PlanFinding[] = [];
  for (const [i, f] of r.findings.entries()) {
    const p = findingSchema.safeParse(f);
    if (!p.success) {
      warnings.push({
        code: 'MALFORMED_INPUT',
        message: `finding ${i} skipped: ${issueText(p.error)}`,
        input: `${input}#findings[${i}]`,
      });
      continue;
    }
    const x = p.data;
    const fixes = x.fixedVersions ?? (x.fixedVersion ? [x.fixedVersion] : []);
    findings.push({
      id: x.id,
      aliases: x.aliases ?? [],
      severity: x.severity,
      cvss: x.cvss?.score ?? null,
      epss: x.epss?.score ?? null,
      kev: x.kev !== null && x.kev !== undefined,
      risk: x.risk ?? 0,
      fixedVersions: fixes,
      package: {
        name: x.package.name,
        version: x.package.version,
        ecosystem: x.package.ecosystem,
        type: x.package.type,
        purl: x.package.purl,
        location: x.package.location,
        sourceName: x.package.sourceName ?? null,
        sourceVersion: x.package.sourceVersion ?? null,
      },
      matched: x.matched ?? {
        ecosystem: x.package.ecosystem,
        name: x.package.name,
        version: x.package.version,
      },
      layerDiffId: x.layer?.diffId ?? null,
    });
  }
  return {
    name: r.target.name,
    digest: r.target.digest ?? null,
    repoTags: r.target.repoTags ?? [],
    createdAt: r.createdAt ?? null,
    os: r.os ? { ...r.os, codename: r.os.codename ?? null } : null,
    layers: layers.sort((a, b) => a.index - b.index),
    findings,
    warnings,
  };
}
