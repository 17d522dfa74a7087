/** Registry credentials (admin): the secret is sealed at rest and never answered. */
import type { FastifyInstance } from 'fastify';
import type { AppContext } from '../app.js';
import { audit } from '../auth/audit.js';
import { HttpError, notFound } from '../errors.js';
import { deleteRegistry, listRegistries, putRegistry } from '../store/registries.js';
import { idParams } from './schemas.js';

const registry = {
  type: 'object',
  required: ['id', 'host', 'username', 'kind', 'createdAt'],
  additionalProperties: false,
  properties: {
    id: { type: 'integer' },
    host: { type: 'string' },
    username: { type: ['string', 'null'] },
    kind: { enum: ['password', 'token'] },
    createdAt: { type: 'string' },
  },
} as const;

const secretKeyMissing = () =>
  new HttpError(
    422,
    'SECRET_KEY_MISSING',
    'this server has no BULWARK_SECRET_KEY: registry credentials are never stored in the clear',
  );

export function registryRoutes(app: FastifyInstance, ctx: AppContext): void {
  app.post(
    '/api/v1/registries',
    {
      config: { access: 'admin' },
      schema: {
        summary: 'store (or replace) the credentials of a registry host, sealed',
        tags: ['registries'],
        body: {
          type: 'object',
          required: ['host'],
          additionalProperties: false,
          properties: {
            host: {
              type: 'string',
              minLength: 1,
              maxLength: 255,
              pattern: '^(https?://)?[A-Za-z0-9.-]+(:[0-9]{1,5})?/?$',
              description: 'as image references name it: `registry.example:5000`',
            },
            username: { type: 'string', minLength: 1, maxLength: 255 },
            password: { type: 'string', minLength: 1, maxLength: 4096 },
            token: { type: 'string', minLength: 1, maxLength: 8192 },
          },
          oneOf: [{ required: ['password'] }, { required: ['token'] }],
        },
        response: { 201: registry, 200: registry },
      },
    },
    async (req, reply) => {
      if (!ctx.secretBox) throw secretKeyMissing();
      const p = req.principal!;
      const b = req.body as { host: string; username?: string; password?: string; token?: string };
      if (b.password !== undefined && !b.username)
        throw new HttpError(400, 'INVALID_REQUEST', 'a password needs a username');
      const { view, replaced } = await putRegistry(ctx.store, ctx.secretBox, {
        ...b,
        by: p.userId,
        now: ctx.clock(),
      });
      await audit(ctx.store, {
        actorId: p.userId,
        actor: p.username,
        action: replaced ? 'registry.replace' : 'registry.create',
        target: `registry:${view.host}`,
        detail: { kind: view.kind, username: view.username },
        ip: req.ip,
      });
      return reply.status(replaced ? 200 : 201).send(view);
    },
  );

  app.get(
    '/api/v1/registries',
    {
      config: { access: 'admin' },
      schema: {
        summary: 'registry hosts with stored credentials (never the secret)',
        tags: ['registries'],
        response: {
          200: {
            type: 'object',
            required: ['registries'],
            additionalProperties: false,
            properties: { registries: { type: 'array', items: registry } },
          },
        },
      },
    },
    async () => ({ registries: await listRegistries(ctx.store) }),
  );

  app.delete(
    '/api/v1/registries/:id',
    {
      config: { access: 'admin' },
      schema: {
        summary: 'forget the credentials of a registry host',
        tags: ['registries'],
        params: idParams,
        response: { 200: registry },
      },
    },
    async (req) => {
      const p = req.principal!;
      const gone = await deleteRegistry(ctx.store, (req.params as { id: number }).id);
      if (!gone) throw notFound('registry');
      await audit(ctx.store, {
        actorId: p.userId,
        actor: p.username,
        action: 'registry.delete',
        target: `registry:${gone.host}`,
        ip: req.ip,
      });
      return gone;
    },
  );
}
