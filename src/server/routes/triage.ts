/**
 * Triage routes: decisions (VEX status or accepted risk) and their comment threads. Analysts
 * write, viewers read; every change is in the audit log. Precedence between decisions is decided
 * in store/triage.ts (resolveTriage), nowhere else.
 */
import type { FastifyInstance } from 'fastify';
import type { AppContext } from '../app.js';
import { audit } from '../auth/audit.js';
import { badRequest, notFound } from '../errors.js';
import { getImage } from '../store/queries.js';
import type { TriageScope, TriageStatus } from '../store/schema.js';
import {
  addComment,
  createDecision,
  deleteDecision,
  getDecision,
  isExpired,
  JUSTIFICATIONS,
  listComments,
  listDecisions,
  TRIAGE_STATUSES,
  updateDecision,
  type Decision,
  type DecisionInput,
} from '../store/triage.js';
import { idParams, nullableString, paging } from './schemas.js';

const text = (max: number) => ({ type: 'string', minLength: 1, maxLength: max }) as const;

export const triageDecisionSchema = {
  type: 'object',
  required: [
    'id',
    'vulnId',
    'packageName',
    'purl',
    'scope',
    'imageId',
    'repository',
    'status',
    'justification',
    'impactStatement',
    'actionStatement',
    'owner',
    'reason',
    'expiresAt',
    'expired',
    'author',
    'createdAt',
    'updatedAt',
  ],
  additionalProperties: false,
  properties: {
    id: { type: 'integer' },
    vulnId: { type: 'string' },
    packageName: nullableString,
    purl: nullableString,
    scope: { enum: ['image', 'repository', 'everywhere'] },
    imageId: { type: ['integer', 'null'] },
    repository: nullableString,
    status: { enum: TRIAGE_STATUSES },
    justification: { enum: [...JUSTIFICATIONS, null] },
    impactStatement: nullableString,
    actionStatement: nullableString,
    owner: nullableString,
    reason: nullableString,
    expiresAt: nullableString,
    expired: { type: 'boolean', description: 'an accepted risk past its expiry: the finding is open again' },
    author: { type: 'string' },
    createdAt: { type: 'string' },
    updatedAt: { type: 'string' },
  },
} as const;

const commentSchema = {
  type: 'object',
  required: ['id', 'decisionId', 'author', 'body', 'createdAt'],
  additionalProperties: false,
  properties: {
    id: { type: 'integer' },
    decisionId: { type: 'integer' },
    author: { type: 'string' },
    body: { type: 'string' },
    createdAt: { type: 'string' },
  },
} as const;

const decisionFields = {
  packageName: text(512),
  purl: { type: 'string', minLength: 5, maxLength: 2048, pattern: '^pkg:[A-Za-z][A-Za-z0-9.+-]*/' },
  scope: { enum: ['image', 'repository', 'everywhere'] },
  imageId: { type: 'integer', minimum: 1, maximum: 2147483647 },
  repository: text(512),
  status: { enum: TRIAGE_STATUSES },
  justification: { enum: JUSTIFICATIONS },
  impactStatement: text(4096),
  actionStatement: text(4096),
  owner: text(256),
  reason: text(4096),
  expiresAt: { type: 'string', format: 'date-time', maxLength: 64 },
} as const;

export interface DecisionBody {
  vulnId?: string;
  packageName?: string | null;
  purl?: string | null;
  scope?: TriageScope;
  imageId?: number | null;
  repository?: string | null;
  status?: TriageStatus;
  justification?: string | null;
  impactStatement?: string | null;
  actionStatement?: string | null;
  owner?: string | null;
  reason?: string | null;
  expiresAt?: string | null;
}

export function decisionView(d: Decision, now: Date) {
  return {
    id: d.id,
    ...bodyOf(d),
    expired: isExpired(d, now),
    author: d.author,
    createdAt: d.created_at,
    updatedAt: d.updated_at,
  };
}

/**
 * Checks a whole decision (a new one, or a stored one with a patch applied) and answers the row:
 * the status's required fields are present, fields of other statuses absent, the scope names its
 * target. Throws a typed 400 naming the field.
 */
export async function checkDecision(ctx: AppContext, b: DecisionBody): Promise<DecisionInput> {
  const bad = (code: string, m: string) => badRequest(code, m);
  if (!b.vulnId) throw bad('INVALID_REQUEST', 'vulnId is required');
  const status = b.status!;
  const scope = b.scope ?? 'everywhere';
  if (status === 'not_affected' && !b.justification)
    throw bad('JUSTIFICATION_REQUIRED', `not_affected needs a justification (${JUSTIFICATIONS.join(', ')})`);
  if (status !== 'not_affected' && b.justification)
    throw bad('INVALID_REQUEST', 'a justification belongs to status not_affected only');
  if (status === 'affected' && !b.actionStatement)
    throw bad('ACTION_REQUIRED', 'affected needs an actionStatement (what to do about it)');
  if (status === 'accepted_risk') {
    if (!b.owner || !b.reason || !b.expiresAt)
      throw bad('ACCEPTANCE_INCOMPLETE', 'an accepted risk needs an owner, a reason and expiresAt');
  } else if (b.expiresAt || b.owner) {
    throw bad('INVALID_REQUEST', 'owner and expiresAt belong to status accepted_risk only');
  }
  let expiresAt: string | null = null;
  if (b.expiresAt) {
    const t = Date.parse(b.expiresAt);
    if (!Number.isFinite(t)) throw bad('INVALID_REQUEST', 'expiresAt is no date-time');
    expiresAt = new Date(t).toISOString();
  }
  let imageId: number | null = null;
  let repository: string | null = null;
  if (scope === 'image') {
    if (!b.imageId) throw bad('SCOPE_TARGET', 'scope image needs an imageId');
    if (b.repository) throw bad('SCOPE_TARGET', 'scope image takes an imageId, not a repository');
    if (!(await getImage(ctx.store, b.imageId))) throw bad('UNKNOWN_IMAGE', `no image ${b.imageId}`);
    imageId = b.imageId;
  } else if (scope === 'repository') {
    if (!b.repository) throw bad('SCOPE_TARGET', 'scope repository needs a repository');
    if (b.imageId) throw bad('SCOPE_TARGET', 'scope repository takes a repository, not an imageId');
    repository = b.repository;
  } else if (b.imageId || b.repository) {
    throw bad('SCOPE_TARGET', 'scope everywhere takes neither an imageId nor a repository');
  }
  return {
    vuln_id: b.vulnId,
    package_name: b.packageName ?? null,
    purl: b.purl ?? null,
    scope,
    image_id: imageId,
    repository,
    status,
    justification: b.justification ?? null,
    impact_statement: b.impactStatement ?? null,
    action_statement: b.actionStatement ?? null,
    owner: b.owner ?? null,
    reason: b.reason ?? null,
    expires_at: expiresAt,
  };
}

function bodyOf(d: Decision): DecisionBody {
  return {
    vulnId: d.vuln_id,
    packageName: d.package_name,
    purl: d.purl,
    scope: d.scope,
    imageId: d.image_id,
    repository: d.repository,
    status: d.status,
    justification: d.justification,
    impactStatement: d.impact_statement,
    actionStatement: d.action_statement,
    owner: d.owner,
    reason: d.reason,
    expiresAt: d.expires_at,
  };
}

const STATUS_ONLY: (keyof DecisionBody)[] = [
  'justification',
  'impactStatement',
  'actionStatement',
  'owner',
  'reason',
  'expiresAt',
];

export function triageRoutes(app: FastifyInstance, ctx: AppContext): void {
  const { store } = ctx;

  app.get(
    '/api/v1/triage',
    {
      config: { access: 'viewer' },
      schema: {
        summary: 'triage decisions (VEX statuses and accepted risks)',
        tags: ['triage'],
        querystring: {
          type: 'object',
          additionalProperties: false,
          properties: {
            vulnId: text(256),
            imageId: decisionFields.imageId,
            repository: decisionFields.repository,
            status: decisionFields.status,
            ...paging,
          },
        },
        response: {
          200: {
            type: 'object',
            required: ['decisions'],
            additionalProperties: false,
            properties: { decisions: { type: 'array', items: triageDecisionSchema } },
          },
        },
      },
    },
    async (req) => {
      const q = req.query as {
        vulnId?: string;
        imageId?: number;
        repository?: string;
        status?: TriageStatus;
        limit: number;
        offset: number;
      };
      const now = ctx.clock();
      return { decisions: (await listDecisions(store, q)).map((d) => decisionView(d, now)) };
    },
  );

  app.get(
    '/api/v1/triage/:id',
    {
      config: { access: 'viewer' },
      schema: {
        summary: 'one triage decision',
        tags: ['triage'],
        params: idParams,
        response: { 200: triageDecisionSchema },
      },
    },
    async (req) => {
      const d = await getDecision(store, (req.params as { id: number }).id);
      if (!d) throw notFound('triage decision');
      return decisionView(d, ctx.clock());
    },
  );

  app.post(
    '/api/v1/triage',
    {
      config: { access: 'analyst' },
      schema: {
        summary: 'record a triage decision',
        description:
          'not_affected needs a justification, affected an actionStatement, accepted_risk an owner, ' +
          'a reason and expiresAt. The most specific scope wins: image > repository > everywhere.',
        tags: ['triage'],
        body: {
          type: 'object',
          required: ['vulnId', 'status'],
          additionalProperties: false,
          properties: {
            vulnId: text(256),
            ...decisionFields,
            comment: text(16384),
          },
        },
        response: { 201: triageDecisionSchema },
      },
    },
    async (req, reply) => {
      const p = req.principal!;
      const b = req.body as DecisionBody & { comment?: string };
      const now = ctx.clock();
      const row = await checkDecision(ctx, b);
      if (row.status === 'accepted_risk' && row.expires_at! <= now.toISOString())
        throw badRequest('EXPIRY_PAST', 'expiresAt must be in the future');
      const by = { userId: p.userId, author: p.username };
      const d = await createDecision(store, row, by, now);
      if (b.comment) await addComment(store, d.id, by, b.comment, now);
      await audit(
        store,
        {
          actorId: p.userId,
          actor: p.username,
          action: 'triage.create',
          target: `triage:${d.id}`,
          detail: { ...decisionView(d, now), comment: Boolean(b.comment) },
          ip: req.ip,
        },
        now,
      );
      return reply.status(201).send(decisionView(d, now));
    },
  );

  app.patch(
    '/api/v1/triage/:id',
    {
      config: { access: 'analyst' },
      schema: {
        summary: 'change a triage decision (status, justification, scope, expiry, ...)',
        description:
          'A changed status drops the fields of the old status that the new one does not take; ' +
          'null clears an optional field.',
        tags: ['triage'],
        params: idParams,
        body: {
          type: 'object',
          additionalProperties: false,
          minProperties: 1,
          properties: Object.fromEntries(
            Object.entries(decisionFields).map(([k, v]) => [
              k,
              k === 'scope' || k === 'status' ? v : { anyOf: [v, { type: 'null' }] },
            ]),
          ),
        },
        response: { 200: triageDecisionSchema },
      },
    },
    async (req) => {
      const p = req.principal!;
      const { id } = req.params as { id: number };
      const patch = req.body as DecisionBody;
      const old = await getDecision(store, id);
      if (!old) throw notFound('triage decision');
      const now = ctx.clock();
      const merged: DecisionBody = { ...bodyOf(old) };
      if (patch.status && patch.status !== old.status) for (const k of STATUS_ONLY) delete merged[k];
      if (patch.scope && patch.scope !== old.scope) {
        delete merged.imageId;
        delete merged.repository;
      }
      Object.assign(merged, patch);
      const row = await checkDecision(ctx, merged);
      if (row.status === 'accepted_risk' && patch.expiresAt && row.expires_at! <= now.toISOString())
        throw badRequest('EXPIRY_PAST', 'expiresAt must be in the future');
      const d = (await updateDecision(store, id, row, now))!;
      const before = decisionView(old, now);
      const after = decisionView(d, now);
      const changed = Object.fromEntries(
        Object.entries(after)
          .filter(([k, v]) => k !== 'updatedAt' && before[k as keyof typeof before] !== v)
          .map(([k, v]) => [k, { from: before[k as keyof typeof before], to: v }]),
      );
      await audit(
        store,
        {
          actorId: p.userId,
          actor: p.username,
          action: 'triage.update',
          target: `triage:${id}`,
          detail: changed,
          ip: req.ip,
        },
        now,
      );
      return after;
    },
  );

  app.delete(
    '/api/v1/triage/:id',
    {
      config: { access: 'analyst' },
      schema: {
        summary: 'withdraw a triage decision (its findings are untriaged again; the comments stay)',
        tags: ['triage'],
        params: idParams,
        response: { 200: triageDecisionSchema },
      },
    },
    async (req) => {
      const p = req.principal!;
      const { id } = req.params as { id: number };
      const now = ctx.clock();
      const old = await getDecision(store, id);
      if (!old || !(await deleteDecision(store, id, now))) throw notFound('triage decision');
      await audit(
        store,
        {
          actorId: p.userId,
          actor: p.username,
          action: 'triage.delete',
          target: `triage:${id}`,
          detail: decisionView(old, now),
          ip: req.ip,
        },
        now,
      );
      return decisionView(old, now);
    },
  );

  app.get(
    '/api/v1/triage/:id/comments',
    {
      config: { access: 'viewer' },
      schema: {
        summary: 'the comment thread of a triage decision, oldest first',
        tags: ['triage'],
        params: idParams,
        response: {
          200: {
            type: 'object',
            required: ['comments'],
            additionalProperties: false,
            properties: { comments: { type: 'array', items: commentSchema } },
          },
        },
      },
    },
    async (req) => {
      const { id } = req.params as { id: number };
      if (!(await getDecision(store, id))) throw notFound('triage decision');
      const rows = await listComments(store, id);
      return {
        comments: rows.map((c) => ({
          id: c.id,
          decisionId: c.decision_id,
          author: c.author,
          body: c.body,
          createdAt: c.created_at,
        })),
      };
    },
  );

  app.post(
    '/api/v1/triage/:id/comments',
    {
      config: { access: 'analyst' },
      schema: {
        summary: 'add a comment to a triage decision (comments are never edited or deleted)',
        tags: ['triage'],
        params: idParams,
        body: {
          type: 'object',
          required: ['body'],
          additionalProperties: false,
          properties: { body: text(16384) },
        },
        response: { 201: commentSchema },
      },
    },
    async (req, reply) => {
      const p = req.principal!;
      const { id } = req.params as { id: number };
      const { body } = req.body as { body: string };
      if (!(await getDecision(store, id))) throw notFound('triage decision');
      const now = ctx.clock();
      const c = await addComment(store, id, { userId: p.userId, author: p.username }, body, now);
      await audit(
        store,
        {
          actorId: p.userId,
          actor: p.username,
          action: 'triage.comment',
          target: `triage:${id}`,
          detail: { commentId: c.id, length: body.length },
          ip: req.ip,
        },
        now,
      );
      return reply.status(201).send({
        id: c.id,
        decisionId: c.decision_id,
        author: c.author,
        body: c.body,
        createdAt: c.created_at,
      });
    },
  );
}
