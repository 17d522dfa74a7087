/**
 * Notification channels (admin only): signed webhooks, Slack-compatible incoming webhooks and
 * email over SMTP, each with filters (event types, minimum severity, KEV only). Secrets go in
 * and never come out: the answers say only that one is set.
 */
import { randomBytes } from 'node:crypto';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { SEVERITIES, type Severity } from '../../core/types.js';
import type { AppContext } from '../app.js';
import { audit } from '../auth/audit.js';
import type { SecretBox } from '../crypto/sealed.js';
import { badRequest, notFound } from '../errors.js';
import {
  channelOfRow,
  configJson,
  deliveryCounts,
  getChannelRow,
  insertChannel,
  listChannels,
  openChannel,
  sealSecret,
  secretKeyMissing,
  type Channel,
  type ChannelConfig,
  type ChannelSecret,
  type EmailConfig,
} from '../notify/channels.js';
import { EVENT_TYPES, type ChannelFilters, type EventType } from '../notify/filter.js';
import { sendEvent } from '../notify/send.js';
import type { ChannelKind } from '../store/schema.js';
import { idParams, paging } from './schemas.js';

const urlSchema = {
  type: 'string',
  minLength: 8,
  maxLength: 2048,
  pattern: '^[Hh][Tt][Tt][Pp][Ss]?://',
} as const;
const address = {
  type: 'string',
  minLength: 3,
  maxLength: 254,
  pattern: '^[^\\s@<>,;"()\\[\\]\\\\]+@[^\\s@<>,;"()\\[\\]\\\\]+$',
} as const;

const filterProps = {
  eventTypes: {
    type: 'array',
    maxItems: EVENT_TYPES.length,
    uniqueItems: true,
    items: { enum: [...EVENT_TYPES] },
  },
  minSeverity: { enum: [...SEVERITIES, null] },
  kevOnly: { type: 'boolean' },
} as const;

const kindInputs = {
  webhook: {
    type: 'object',
    additionalProperties: false,
    properties: {
      url: urlSchema,
      secret: { type: 'string', minLength: 16, maxLength: 512, description: 'the HMAC-SHA256 key' },
    },
  },
  slack: {
    type: 'object',
    additionalProperties: false,
    properties: { url: { ...urlSchema, description: 'the incoming-webhook URL (a secret)' } },
  },
  email: {
    type: 'object',
    additionalProperties: false,
    properties: {
      host: { type: 'string', minLength: 1, maxLength: 255, pattern: '^[A-Za-z0-9.:_\\[\\]-]+$' },
      port: { type: 'integer', minimum: 1, maximum: 65535 },
      security: { enum: ['tls', 'starttls', 'none'] },
      username: { type: ['string', 'null'], minLength: 1, maxLength: 255 },
      password: { type: ['string', 'null'], maxLength: 1024 },
      from: address,
      to: { type: 'array', minItems: 1, maxItems: 50, items: address },
      ca: { type: ['string', 'null'], maxLength: 65536, description: 'PEM certificates to trust' },
    },
  },
} as const;

const createBody = {
  type: 'object',
  required: ['name', 'kind'],
  additionalProperties: false,
  properties: {
    name: { type: 'string', minLength: 1, maxLength: 100 },
    kind: { enum: ['webhook', 'slack', 'email'] },
    enabled: { type: 'boolean' },
    ...filterProps,
    ...kindInputs,
  },
} as const;

const patchBody = {
  type: 'object',
  additionalProperties: false,
  properties: {
    name: { type: 'string', minLength: 1, maxLength: 100 },
    enabled: { type: 'boolean' },
    ...filterProps,
    ...kindInputs,
  },
} as const;

const channelSchema = {
  type: 'object',
  required: [
    'id',
    'name',
    'kind',
    'enabled',
    'eventTypes',
    'minSeverity',
    'kevOnly',
    'secretSet',
    'createdAt',
    'updatedAt',
    'deliveries',
  ],
  additionalProperties: false,
  properties: {
    id: { type: 'integer' },
    name: { type: 'string' },
    kind: { enum: ['webhook', 'slack', 'email'] },
    enabled: { type: 'boolean' },
    eventTypes: { type: 'array', items: { enum: [...EVENT_TYPES] } },
    minSeverity: { enum: [...SEVERITIES, null] },
    kevOnly: { type: 'boolean' },
    /** the HMAC key, Slack URL or SMTP password is stored (sealed); it is never answered */
    secretSet: { type: 'boolean' },
    webhook: {
      type: 'object',
      required: ['url'],
      additionalProperties: false,
      properties: { url: { type: 'string' } },
    },
    email: {
      type: 'object',
      required: ['host', 'port', 'security', 'username', 'from', 'to', 'caSet'],
      additionalProperties: false,
      properties: {
        host: { type: 'string' },
        port: { type: 'integer' },
        security: { enum: ['tls', 'starttls', 'none'] },
        username: { type: ['string', 'null'] },
        from: { type: 'string' },
        to: { type: 'array', items: { type: 'string' } },
        caSet: { type: 'boolean' },
      },
    },
    createdAt: { type: 'string' },
    updatedAt: { type: 'string' },
    deliveries: {
      type: 'object',
      required: ['pending', 'delivered', 'failed'],
      additionalProperties: false,
      properties: {
        pending: { type: 'integer' },
        delivered: { type: 'integer' },
        failed: { type: 'integer' },
      },
    },
  },
} as const;

const sendResultSchema = {
  type: 'object',
  required: ['ok', 'status', 'error'],
  additionalProperties: false,
  properties: {
    ok: { type: 'boolean' },
    status: { type: ['integer', 'null'] },
    error: { type: ['string', 'null'] },
  },
} as const;

const deliverySchema = {
  type: 'object',
  required: [
    'id',
    'eventId',
    'eventType',
    'status',
    'attempts',
    'nextAttemptAt',
    'lastStatus',
    'lastError',
    'deliveredAt',
    'createdAt',
  ],
  additionalProperties: false,
  properties: {
    id: { type: 'integer' },
    eventId: { type: 'string' },
    eventType: { type: 'string' },
    status: { enum: ['pending', 'sending', 'delivered', 'failed', 'cancelled'] },
    attempts: { type: 'integer' },
    nextAttemptAt: { type: 'string' },
    lastStatus: { type: ['integer', 'null'] },
    lastError: { type: ['string', 'null'] },
    deliveredAt: { type: ['string', 'null'] },
    createdAt: { type: 'string' },
  },
} as const;

interface EmailIn {
  host?: string;
  port?: number;
  security?: 'tls' | 'starttls' | 'none';
  username?: string | null;
  password?: string | null;
  from?: string;
  to?: string[];
  ca?: string | null;
}
interface ChannelIn {
  name?: string;
  kind?: ChannelKind;
  enabled?: boolean;
  eventTypes?: EventType[];
  minSeverity?: Severity | null;
  kevOnly?: boolean;
  webhook?: { url?: string; secret?: string };
  slack?: { url?: string };
  email?: EmailIn;
}

/** An http(s) URL; a webhook's is stored in the clear, so it may carry no user or password. */
function checkUrl(value: string, field: string, allowCredentials: boolean): string {
  let u: URL;
  try {
    u = new URL(value);
  } catch {
    throw badRequest('INVALID_REQUEST', `${field} is not a URL`);
  }
  if (u.protocol !== 'http:' && u.protocol !== 'https:')
    throw badRequest('INVALID_REQUEST', `${field} must be http:// or https://`);
  if (!allowCredentials && (u.username || u.password))
    throw badRequest(
      'INVALID_REQUEST',
      `${field} must not carry a user or password (it is stored in the clear; the HMAC key authenticates)`,
    );
  return u.toString();
}

function otherKinds(body: ChannelIn, kind: ChannelKind): void {
  for (const k of ['webhook', 'slack', 'email'] as const)
    if (k !== kind && body[k] !== undefined)
      throw badRequest('INVALID_REQUEST', `a ${kind} channel takes no \`${k}\` settings`);
}

function emailConfig(e: EmailIn, base?: EmailConfig): EmailConfig {
  const merged = {
    host: e.host ?? base?.host,
    port: e.port ?? base?.port,
    security: e.security ?? base?.security,
    username: e.username !== undefined ? e.username : (base?.username ?? null),
    from: e.from ?? base?.from,
    to: e.to ?? base?.to,
    ca: e.ca !== undefined ? e.ca : (base?.ca ?? null),
  };
  for (const k of ['host', 'port', 'security', 'from', 'to'] as const)
    if (merged[k] === undefined) throw badRequest('INVALID_REQUEST', `an email channel needs \`email.${k}\``);
  if (merged.ca !== null && !merged.ca.includes('-----BEGIN CERTIFICATE-----'))
    throw badRequest('INVALID_REQUEST', '`email.ca` takes PEM certificates');
  return merged as EmailConfig;
}

function filtersOf(body: ChannelIn, base?: ChannelFilters): ChannelFilters {
  return {
    eventTypes: body.eventTypes ?? base?.eventTypes ?? [],
    minSeverity: body.minSeverity !== undefined ? body.minSeverity : (base?.minSeverity ?? null),
    kevOnly: body.kevOnly ?? base?.kevOnly ?? false,
  };
}

function view(c: Channel, counts: Record<'pending' | 'delivered' | 'failed', number>) {
  return {
    id: c.id,
    name: c.name,
    kind: c.kind,
    enabled: c.enabled,
    eventTypes: [...c.filters.eventTypes],
    minSeverity: c.filters.minSeverity,
    kevOnly: c.filters.kevOnly,
    secretSet: true,
    ...(c.config.kind === 'webhook' ? { webhook: { url: c.config.webhook.url } } : {}),
    ...(c.config.kind === 'email'
      ? {
          email: {
            host: c.config.email.host,
            port: c.config.email.port,
            security: c.config.email.security,
            username: c.config.email.username,
            from: c.config.email.from,
            to: c.config.email.to,
            caSet: c.config.email.ca !== null,
          },
        }
      : {}),
    createdAt: c.createdAt,
    updatedAt: c.updatedAt,
    deliveries: counts,
  };
}

export function notificationRoutes(app: FastifyInstance, ctx: AppContext, box: SecretBox | undefined): void {
  const auditOf = (req: FastifyRequest, action: string, target: string, detail: Record<string, unknown>) =>
    audit(
      ctx.store,
      {
        actorId: req.principal!.userId,
        actor: req.principal!.username,
        action,
        target,
        detail,
        ip: req.ip,
      },
      ctx.clock(),
    );
  const one = async (id: number) => {
    const row = await getChannelRow(ctx.store, id);
    if (!row) throw notFound('notification channel');
    return row;
  };
  const viewOf = async (id: number) => {
    const row = await one(id);
    return view(channelOfRow(row), (await deliveryCounts(ctx.store, [id])).get(id)!);
  };
  const tags = ['notifications'];

  app.get(
    '/api/v1/notifications',
    {
      config: { access: 'admin' },
      schema: {
        summary: 'notification channels (their secrets are never answered)',
        tags,
        response: {
          200: {
            type: 'object',
            required: ['channels'],
            additionalProperties: false,
            properties: { channels: { type: 'array', items: channelSchema } },
          },
        },
      },
    },
    async () => {
      const channels = await listChannels(ctx.store);
      const counts = await deliveryCounts(
        ctx.store,
        channels.map((c) => c.id),
      );
      return { channels: channels.map((c) => view(c, counts.get(c.id)!)) };
    },
  );

  app.post(
    '/api/v1/notifications',
    {
      config: { access: 'admin' },
      schema: {
        summary: 'add a notification channel: webhook (HMAC-signed), slack or email',
        description:
          'The kind’s settings go in the object of that name. The webhook `secret`, the Slack `url` and the SMTP `password` are sealed with BULWARK_SECRET_KEY (422 SECRET_KEY_MISSING without it) and never answered.',
        tags,
        body: createBody,
        response: { 201: channelSchema },
      },
    },
    async (req, reply) => {
      const body = req.body as ChannelIn;
      const kind = body.kind!;
      otherKinds(body, kind);
      if (!box) throw secretKeyMissing();
      let config: ChannelConfig;
      let secret: ChannelSecret;
      if (kind === 'webhook') {
        if (!body.webhook?.url || !body.webhook.secret)
          throw badRequest('INVALID_REQUEST', 'a webhook channel needs `webhook.url` and `webhook.secret`');
        config = { kind, webhook: { url: checkUrl(body.webhook.url, 'webhook.url', false) } };
        secret = { kind, key: body.webhook.secret };
      } else if (kind === 'slack') {
        if (!body.slack?.url) throw badRequest('INVALID_REQUEST', 'a slack channel needs `slack.url`');
        config = { kind, slack: {} };
        secret = { kind, url: checkUrl(body.slack.url, 'slack.url', true) };
      } else {
        if (!body.email) throw badRequest('INVALID_REQUEST', 'an email channel needs `email` settings');
        config = { kind, email: emailConfig(body.email) };
        secret = { kind, password: body.email.password ?? null };
      }
      const id = await insertChannel(ctx.store, {
        name: body.name!,
        enabled: body.enabled ?? true,
        filters: filtersOf(body),
        config,
        sealed: sealSecret(box, secret),
        at: ctx.clock().toISOString(),
      });
      await auditOf(req, 'notification.create', `notification:${id}`, {
        name: body.name,
        kind,
        ...configJson(config),
      });
      return reply.status(201).send(await viewOf(id));
    },
  );

  app.get(
    '/api/v1/notifications/:id',
    {
      config: { access: 'admin' },
      schema: {
        summary: 'one notification channel',
        tags,
        params: idParams,
        response: { 200: channelSchema },
      },
    },
    async (req) => viewOf((req.params as { id: number }).id),
  );

  app.patch(
    '/api/v1/notifications/:id',
    {
      config: { access: 'admin' },
      schema: {
        summary: 'change a channel: name, enabled, filters, its kind’s settings (a secret given is replaced)',
        tags,
        params: idParams,
        body: patchBody,
        response: { 200: channelSchema },
      },
    },
    async (req) => {
      const { id } = req.params as { id: number };
      const body = req.body as ChannelIn;
      const row = await one(id);
      const current = channelOfRow(row);
      otherKinds(body, row.kind);
      let config = current.config;
      let sealed = row.secret;
      const changed: string[] = Object.keys(body).filter((k) => body[k as keyof ChannelIn] !== undefined);
      if (body.webhook || body.slack || body.email) {
        if (!box) throw secretKeyMissing();
        const secret = openChannel(row, box).secret;
        if (config.kind === 'webhook' && body.webhook && secret.kind === 'webhook') {
          if (body.webhook.url)
            config = { kind: 'webhook', webhook: { url: checkUrl(body.webhook.url, 'webhook.url', false) } };
          if (body.webhook.secret) sealed = sealSecret(box, { kind: 'webhook', key: body.webhook.secret });
        } else if (config.kind === 'slack' && body.slack?.url) {
          sealed = sealSecret(box, { kind: 'slack', url: checkUrl(body.slack.url, 'slack.url', true) });
        } else if (config.kind === 'email' && body.email && secret.kind === 'email') {
          config = { kind: 'email', email: emailConfig(body.email, config.email) };
          if (body.email.password !== undefined)
            sealed = sealSecret(box, { kind: 'email', password: body.email.password });
        }
      }
      const filters = filtersOf(body, current.filters);
      const at = ctx.clock().toISOString();
      await ctx.store.db
        .updateTable('notification_channels')
        .set({
          name: body.name ?? current.name,
          enabled: (body.enabled ?? current.enabled) ? 1 : 0,
          config: JSON.stringify(configJson(config)),
          secret: sealed,
          event_types: JSON.stringify([...filters.eventTypes].sort()),
          min_severity: filters.minSeverity,
          kev_only: filters.kevOnly ? 1 : 0,
          updated_at: at,
        })
        .where('id', '=', id)
        .execute();
      await auditOf(req, 'notification.update', `notification:${id}`, { changed: changed.sort() });
      return viewOf(id);
    },
  );

  app.delete(
    '/api/v1/notifications/:id',
    {
      config: { access: 'admin' },
      schema: {
        summary: 'delete a channel; its pending deliveries are cancelled',
        tags,
        params: idParams,
        response: {
          200: {
            type: 'object',
            required: ['id', 'deleted', 'cancelled'],
            additionalProperties: false,
            properties: {
              id: { type: 'integer' },
              deleted: { type: 'boolean' },
              cancelled: { type: 'integer' },
            },
          },
        },
      },
    },
    async (req) => {
      const { id } = req.params as { id: number };
      await one(id);
      const at = ctx.clock().toISOString();
      const cancelled = await ctx.store.db.transaction().execute(async (trx) => {
        await trx
          .updateTable('notification_channels')
          .set({ deleted_at: at, updated_at: at })
          .where('id', '=', id)
          .execute();
        const r = await trx
          .updateTable('deliveries')
          .set({ status: 'cancelled', updated_at: at, last_error: 'the channel was deleted' })
          .where('channel_id', '=', id)
          .where('status', 'in', ['pending', 'sending'])
          .executeTakeFirst();
        return Number(r.numUpdatedRows);
      });
      await auditOf(req, 'notification.delete', `notification:${id}`, { cancelled });
      return { id, deleted: true, cancelled };
    },
  );

  app.post(
    '/api/v1/notifications/:id/test',
    {
      config: { access: 'admin' },
      schema: {
        summary: 'send a `notification.test` event to the channel now and answer how it went',
        description: 'Not stored as an event and not retried: the answer is the one attempt.',
        tags,
        params: idParams,
        response: { 200: sendResultSchema },
      },
    },
    async (req) => {
      const { id } = req.params as { id: number };
      const row = await one(id);
      const ch = openChannel(row, box);
      const now = ctx.clock();
      const result = await sendEvent(
        ch,
        {
          id: 0,
          eventId: `evt_${randomBytes(16).toString('hex')}`,
          type: 'notification.test',
          at: now.toISOString(),
          severity: 'UNKNOWN',
          kev: false,
          summary: `bulwark test notification for channel ${ch.name}`,
          payload: { channel: { id: ch.id, name: ch.name, kind: ch.kind } },
        },
        { now, version: ctx.version },
      );
      await auditOf(req, 'notification.test', `notification:${id}`, { ...result });
      return result;
    },
  );

  app.get(
    '/api/v1/notifications/:id/deliveries',
    {
      config: { access: 'admin' },
      schema: {
        summary: 'the channel’s deliveries, newest first: status, attempts, the last error',
        tags,
        params: idParams,
        querystring: {
          type: 'object',
          additionalProperties: false,
          properties: {
            status: { enum: ['pending', 'sending', 'delivered', 'failed', 'cancelled'] },
            ...paging,
          },
        },
        response: {
          200: {
            type: 'object',
            required: ['deliveries'],
            additionalProperties: false,
            properties: { deliveries: { type: 'array', items: deliverySchema } },
          },
        },
      },
    },
    async (req) => {
      const { id } = req.params as { id: number };
      const q = req.query as { status?: string; limit: number; offset: number };
      await one(id);
      let s = ctx.store.db
        .selectFrom('deliveries as d')
        .innerJoin('events as e', 'e.id', 'd.event_id')
        .select([
          'd.id',
          'e.uid',
          'e.type',
          'd.status',
          'd.attempts',
          'd.next_attempt_at',
          'd.last_status',
          'd.last_error',
          'd.delivered_at',
          'd.created_at',
        ])
        .where('d.channel_id', '=', id);
      if (q.status) s = s.where('d.status', '=', q.status as 'pending');
      const rows = await s.orderBy('d.id', 'desc').limit(q.limit).offset(q.offset).execute();
      return {
        deliveries: rows.map((r) => ({
          id: r.id,
          eventId: r.uid,
          eventType: r.type,
          status: r.status,
          attempts: r.attempts,
          nextAttemptAt: r.next_attempt_at,
          lastStatus: r.last_status,
          lastError: r.last_error,
          deliveredAt: r.delivered_at,
          createdAt: r.created_at,
        })),
      };
    },
  );
}
