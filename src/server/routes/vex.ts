/**
 * VEX export and import: triage decisions as OpenVEX 0.2.0 or CycloneDX 1.6 VEX, and VEX
 * documents of either format as decisions. The formats are read and written by src/vex (the
 * CLI's `--vex` reads them with the same code); this file only maps decisions to products.
 */
import { createHash } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import { BulwarkError } from '../../core/errors.js';
import {
  isOciPurl,
  ociPurl,
  ociTarget,
  purlBase,
  readVex,
  writeCycloneDxVex,
  writeOpenVex,
  type VexDocument,
  type VexStatement,
  type VexWarning,
} from '../../vex/index.js';
import type { AppContext } from '../app.js';
import { audit } from '../auth/audit.js';
import { badRequest, HttpError, notFound } from '../errors.js';
import type { Store } from '../store/open.js';
import { findingStates, getImage } from '../store/queries.js';
import {
  addComment,
  createDecision,
  decisionsForImage,
  findingPackages,
  findSameDecision,
  imagesByDigest,
  listDecisions,
  purlsOfPackage,
  resolveTriage,
  updateDecision,
  type Decision,
  type DecisionInput,
} from '../store/triage.js';

/** Most decisions one import may create or change. */
export const MAX_IMPORT_DECISIONS = 10_000;
/** Largest VEX document the import takes. */
export const MAX_VEX_BYTES = 16 * 1024 * 1024;

function statementOf(d: Decision, now: Date): Omit<VexStatement, 'products'> {
  const base = { vulnId: d.vuln_id, aliases: [], timestamp: d.updated_at };
  if (d.status === 'accepted_risk') {
    const expired = d.expires_at !== null && d.expires_at <= now.toISOString();
    // OpenVEX has no accepted risk: the vulnerability affects the product, and this is the action
    return {
      ...base,
      status: 'affected',
      actionStatement: `risk accepted by ${d.owner} until ${d.expires_at}${expired ? ' (expired)' : ''}: ${d.reason}`,
      statusNotes: `bulwark triage ${d.id}: accepted_risk`,
    };
  }
  return {
    ...base,
    status: d.status,
    ...(d.justification ? { justification: d.justification as VexStatement['justification'] } : {}),
    ...(d.impact_statement ? { impactStatement: d.impact_statement } : {}),
    ...(d.action_statement ? { actionStatement: d.action_statement } : {}),
    statusNotes: `bulwark triage ${d.id}`,
  };
}

/** Every live decision in its own scope. A name-only decision names the purls findings had. */
async function allStatements(store: Store, now: Date): Promise<VexStatement[]> {
  const out: VexStatement[] = [];
  const images = new Map<number, { repository: string; digest: string | null; tag: string }>();
  for (const d of await listDecisions(store)) {
    let packages: string[] = [];
    if (d.purl) packages = [d.purl];
    else if (d.package_name) {
      packages = await purlsOfPackage(store, d.vuln_id, d.package_name);
      // a package never seen has no purl to name it by: leaving it out would widen the statement
      if (!packages.length) continue;
    }
    let products: VexStatement['products'];
    if (d.scope === 'image') {
      let img = images.get(d.image_id!);
      if (!img) {
        img = await getImage(store, d.image_id!);
        if (!img) continue;
        images.set(d.image_id!, img);
      }
      products = [{ purl: ociPurl(img.repository, img.digest, img.tag || undefined), packages }];
    } else if (d.scope === 'repository') {
      products = [{ purl: ociPurl(d.repository!), packages }];
    } else {
      products = packages.map((p) => ({ purl: p, packages: [] }));
    }
    out.push({ ...statementOf(d, now), products });
  }
  return out;
}

/** The decisions that apply to an image's open findings, with the image and exact package purls. */
async function imageStatements(store: Store, imageId: number, now: Date): Promise<VexStatement[]> {
  const image = await getImage(store, imageId);
  if (!image) throw notFound('image');
  const decisions = await decisionsForImage(store, image);
  if (!decisions.length) return [];
  const packages = await findingPackages(store, imageId);
  const product = ociPurl(image.repository, image.digest, image.tag || undefined);
  const byDecision = new Map<string, { d: Decision; vuln: string; purls: Set<string> }>();
  for (const r of await findingStates(store, imageId)) {
    if (r.fixed_at !== null) continue;
    const p = packages.get(`${r.vuln_id}\u0000${r.package_key}`);
    if (!p) continue;
    const d = resolveTriage(decisions, { vulnId: r.vuln_id, packageName: p.name, purl: p.purl });
    if (!d) continue;
    const key = `${d.id}\u0000${r.vuln_id}`;
    const e = byDecision.get(key) ?? { d, vuln: r.vuln_id, purls: new Set<string>() };
    e.purls.add(p.purl);
    byDecision.set(key, e);
  }
  return [...byDecision.values()].map((e) => ({
    ...statementOf(e.d, now),
    vulnId: e.vuln,
    products: [{ purl: product, packages: [...e.purls].sort() }],
  }));
}

/** The package name of a purl (its last path segment), as findings name packages. */
function purlName(purl: string): string {
  const base = purlBase(purl);
  try {
    return decodeURIComponent(base.slice(base.lastIndexOf('/') + 1));
  } catch {
    return base;
  }
}

function uuidOf(text: string): string {
  const h = createHash('sha256').update(text).digest('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-5${h.slice(13, 16)}-${((parseInt(h[16]!, 16) & 3) | 8).toString(16)}${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

interface Target {
  scope: DecisionInput['scope'];
  image_id: number | null;
  repository: string | null;
  purl: string | null;
}

/** Where a statement's products point: stored images by digest, repositories, packages. */
async function targetsOf(
  store: Store,
  s: VexStatement,
  imageId: number | undefined,
  warnings: VexWarning[],
): Promise<Target[]> {
  const fallback = (purl: string | null): Target =>
    imageId
      ? { scope: 'image', image_id: imageId, repository: null, purl }
      : { scope: 'everywhere', image_id: null, repository: null, purl };
  if (!s.products.length) return [fallback(null)];
  const out: Target[] = [];
  for (const p of s.products) {
    const pkgs: (string | null)[] = p.packages.length ? p.packages : [null];
    if (!isOciPurl(p.purl)) {
      out.push(fallback(p.purl));
      continue;
    }
    const t = ociTarget(p.purl);
    if (t.digest) {
      const images = await imagesByDigest(store, t.digest);
      if (!images.length) {
        if (warnings.length < 1000)
          warnings.push({
            code: 'VEX_PRODUCT_UNKNOWN',
            message: `${s.vulnId}: no stored image has the digest of ${p.purl}`,
            input: p.purl,
          });
        continue;
      }
      for (const img of images)
        for (const purl of pkgs) out.push({ scope: 'image', image_id: img.id, repository: null, purl });
    } else {
      for (const purl of pkgs)
        out.push({ scope: 'repository', image_id: null, repository: t.repository, purl });
    }
  }
  return out;
}

function decisionOf(s: VexStatement, t: Target): DecisionInput | string {
  if (s.status === 'not_affected' && !s.justification)
    return `${s.vulnId}: not_affected without a justification (an impact statement alone) is not stored`;
  return {
    vuln_id: s.vulnId,
    package_name: null,
    purl: t.purl,
    scope: t.scope,
    image_id: t.image_id,
    repository: t.repository,
    status: s.status,
    justification: s.justification ?? null,
    impact_statement: s.impactStatement ?? null,
    action_statement: s.status === 'affected' ? (s.actionStatement ?? null) : null,
    owner: null,
    reason: null,
    expires_at: null,
  };
}

const SAME_FIELDS: (keyof DecisionInput)[] = [
  'status',
  'justification',
  'impact_statement',
  'action_statement',
];

export function vexRoutes(app: FastifyInstance, ctx: AppContext): void {
  const { store } = ctx;

  app.get(
    '/api/v1/vex',
    {
      config: { access: 'viewer' },
      schema: {
        summary: 'triage decisions as a VEX document (OpenVEX 0.2.0 or CycloneDX 1.6 VEX)',
        description:
          'Without `image`: every decision in its own scope (an image by its digest, a repository, ' +
          'or packages everywhere). With `image`: the decision that applies to each open finding of ' +
          'that image, with the image and the exact package purls. An accepted risk is exported as ' +
          '`affected` with the acceptance as the action statement.',
        tags: ['triage'],
        querystring: {
          type: 'object',
          additionalProperties: false,
          properties: {
            format: { enum: ['openvex', 'cyclonedx'], default: 'openvex' },
            image: { type: 'integer', minimum: 1, maximum: 2147483647 },
          },
        },
        response: {
          200: {
            type: 'object',
            description:
              'an OpenVEX or a CycloneDX document (validated against their own schemas in the tests)',
          },
        },
      },
    },
    async (req) => {
      const q = req.query as { format: 'openvex' | 'cyclonedx'; image?: number };
      const now = ctx.clock();
      const statements =
        q.image !== undefined ? await imageStatements(store, q.image, now) : await allStatements(store, now);
      // identical statements (two decisions saying the same) are one: the schemas want unique items
      const unique = [...new Map(statements.map((s) => [JSON.stringify(s), s])).values()];
      const id = uuidOf(JSON.stringify(unique));
      const meta = {
        author: `bulwark server (${req.principal!.username})`,
        timestamp: now.toISOString(),
        tooling: `bulwark ${ctx.version}`,
      };
      return q.format === 'cyclonedx'
        ? writeCycloneDxVex(unique, { ...meta, id: `urn:uuid:${id}`, serialNumber: `urn:uuid:${id}` })
        : writeOpenVex(unique, { ...meta, id: `urn:uuid:${id}` });
    },
  );

  app.post(
    '/api/v1/vex',
    {
      config: { access: 'analyst' },
      bodyLimit: MAX_VEX_BYTES,
      schema: {
        summary: 'import an OpenVEX or CycloneDX VEX document as triage decisions',
        description:
          'Products map by purl: an OCI image purl with a digest to the stored images with that ' +
          'digest, one without a version to its repository, any other purl to that package ' +
          'everywhere (or on `image`, when given). A decision with the same target is updated, not ' +
          'duplicated. Statements that cannot be used are skipped and listed in `warnings`.',
        tags: ['triage'],
        querystring: {
          type: 'object',
          additionalProperties: false,
          properties: { image: { type: 'integer', minimum: 1, maximum: 2147483647 } },
        },
        body: { type: 'object' },
        response: {
          200: {
            type: 'object',
            required: ['format', 'statements', 'created', 'updated', 'unchanged', 'skipped', 'warnings'],
            additionalProperties: false,
            properties: {
              format: { enum: ['openvex', 'cyclonedx'] },
              statements: { type: 'integer' },
              created: { type: 'array', items: { type: 'integer' } },
              updated: { type: 'array', items: { type: 'integer' } },
              unchanged: { type: 'integer' },
              skipped: { type: 'integer' },
              warnings: {
                type: 'array',
                items: {
                  type: 'object',
                  required: ['code', 'message'],
                  additionalProperties: false,
                  properties: {
                    code: { type: 'string' },
                    message: { type: 'string' },
                    input: { type: 'string' },
                  },
                },
              },
            },
          },
        },
      },
    },
    async (req) => {
      const p = req.principal!;
      const { image } = req.query as { image?: number };
      if (image !== undefined && !(await getImage(store, image)))
        throw badRequest('UNKNOWN_IMAGE', `no image ${image}`);
      let doc: VexDocument;
      try {
        doc = readVex(req.body, 'request body');
      } catch (e) {
        if (e instanceof BulwarkError)
          throw new HttpError(
            e.code === 'LIMIT_EXCEEDED' ? 413 : 400,
            e.code === 'LIMIT_EXCEEDED' ? 'PAYLOAD_TOO_LARGE' : 'INVALID_VEX',
            e.message,
          );
        throw e;
      }
      const now = ctx.clock();
      const warnings = [...doc.warnings];
      let skipped = warnings.filter((w) => w.code === 'VEX_STATEMENT_SKIPPED').length;
      const plan: DecisionInput[] = [];
      for (const s of doc.statements) {
        const targets = await targetsOf(store, s, image, warnings);
        if (!targets.length) skipped++;
        for (const t of targets) {
          const d = decisionOf(s, t);
          if (typeof d === 'string') {
            if (warnings.length < 1000) warnings.push({ code: 'VEX_STATEMENT_SKIPPED', message: d });
            skipped++;
            break;
          }
          plan.push(d);
          if (plan.length > MAX_IMPORT_DECISIONS)
            throw new HttpError(
              413,
              'PAYLOAD_TOO_LARGE',
              `the document makes more than ${MAX_IMPORT_DECISIONS} decisions; split it`,
            );
        }
      }
      const by = { userId: p.userId, author: p.username };
      const note = `imported from ${doc.format === 'openvex' ? 'OpenVEX' : 'CycloneDX VEX'} document ${doc.id ?? '(no id)'}${doc.author ? ` by ${doc.author}` : ''}`;
      const result = await store.db.transaction().execute(async (trx) => {
        const ts: Store = { ...store, db: trx };
        const created: number[] = [];
        const updated: number[] = [];
        let unchanged = 0;
        for (const d of plan) {
          // a decision by package name is exported as the purls its findings had: the same target
          const old =
            (await findSameDecision(ts, d)) ??
            (d.purl && !d.purl.includes('@')
              ? await findSameDecision(ts, { ...d, purl: null, package_name: purlName(d.purl) })
              : undefined);
          if (!old) {
            const n = await createDecision(ts, d, by, now);
            await addComment(ts, n.id, by, note, now);
            created.push(n.id);
          } else if (
            (SAME_FIELDS.every((k) => old[k] === d[k]) && old.status !== 'accepted_risk') ||
            // a local acceptance already says "affected, and we live with it": an affected statement
            // (our own export of it, too) must not silently drop the owner and the expiry
            (old.status === 'accepted_risk' && d.status === 'affected')
          ) {
            unchanged++;
          } else {
            // the target stays as it was stored; the statement changes the status and its fields
            const patch = Object.fromEntries(SAME_FIELDS.map((k) => [k, d[k]]));
            await updateDecision(ts, old.id, { ...patch, owner: null, reason: null, expires_at: null }, now);
            await addComment(ts, old.id, by, note, now);
            updated.push(old.id);
          }
        }
        await audit(
          ts,
          {
            actorId: p.userId,
            actor: p.username,
            action: 'vex.import',
            target: doc.id ?? null,
            detail: {
              format: doc.format,
              statements: doc.statements.length,
              created,
              updated,
              unchanged,
              skipped,
            },
            ip: req.ip,
          },
          now,
        );
        return { created, updated, unchanged };
      });
      return {
        format: doc.format,
        statements: doc.statements.length,
        ...result,
        skipped,
        warnings: warnings.slice(0, 1000),
      };
    },
  );
}
