/**
 * The HTTP application: fastify with helmet, cookies, rate limits, one access check for every
 * route, typed error bodies, and the OpenAPI document built from the routes themselves.
 */
import path from 'node:path';
import cookie from '@fastify/cookie';
import helmet from '@fastify/helmet';
import rateLimit from '@fastify/rate-limit';
import Fastify, { type FastifyInstance, type FastifyServerOptions } from 'fastify';
import { BulwarkError } from '../core/errors.js';
import { accessHook } from './auth/access.js';
import type { SecretBox } from './crypto/sealed.js';
import { HttpError } from './errors.js';
import { OpenApiBuilder } from './openapi.js';
import { authRoutes } from './routes/auth.js';
import { eventRoutes } from './routes/events.js';
import { dashboardApiRoutes, dashboardStaticRoutes, defaultDashboardDir } from './routes/dashboard.js';
import { healthRoutes } from './routes/health.js';
import { notificationRoutes } from './routes/notifications.js';
import { historyRoutes } from './routes/history.js';
import { jobRoutes } from './routes/jobs.js';
import type { JobQueue } from './queue/index.js';
import { registryRoutes } from './routes/registries.js';
import { scanRoutes } from './routes/scans.js';
import { scheduleRoutes } from './routes/schedules.js';
import { rematchRoutes } from './routes/rematch.js';
import { reportRoutes } from './routes/reports.js';
import { triageRoutes } from './routes/triage.js';
import { triageOpenFilter } from './routes/triage-findings.js';
import { vexRoutes } from './routes/vex.js';
import { riskRoutes } from './routes/risk.js';
import { sbomRoutes } from './routes/sboms.js';
import { metricsRoutes } from './routes/metrics.js';
import { seriesRoutes } from './routes/series.js';
import { Metrics, observeRequests } from './metrics.js';
import { userRoutes } from './routes/users.js';
import type { Store } from './store/open.js';
import { requestValidatorCompiler } from './validation.js';

export interface AppOptions {
  store: Store;
  version: string;
  /** pino options, `false` for none (tests), or a stream: logs are JSON lines */
  logger?: FastifyServerOptions['logger'];
  /** TLS key and certificate (PEM): cookies are then `Secure` */
  tls?: { key: string | Buffer; cert: string | Buffer };
  /** largest report upload in bytes (default 64 MiB) */
  maxReportBytes?: number;
  /** sign-in attempts per client address per window (default 10 per minute) */
  loginRateLimit?: { max: number; windowMs: number };
  /** failed sign-ins before a user is locked out, and for how long (default 5, 15 minutes) */
  lockout?: { failures: number; minutes: number };
  /** session lifetime in hours (default 12) */
  sessionHours?: number;
  /** the vulnerability database re-matches use (`bulwark db update` writes it) */
  vulnDbPath?: string;
  /** the clock (tests move it) */
  clock?: () => Date;
  /** the job queue (re-match with ?async=true, scans by reference, schedules) */
  queue?: JobQueue;
  /** seals stored secrets (registry credentials, notification keys; crypto/sealed.ts, from BULWARK_SECRET_KEY); without it none can be stored */
  secretBox?: SecretBox;
  /** the dashboard's built files (default: dist/dashboard of this package); `false` serves none */
  dashboardDir?: string | false;
}

export interface AppContext {
  store: Store;
  clock: () => Date;
  secure: boolean;
  maxReportBytes: number;
  loginRateLimit: { max: number; windowMs: number };
  lockout: { failures: number; minutes: number };
  sessionHours: number;
  openapi: OpenApiBuilder;
  version: string;
  vulnDbPath: string | undefined;
  queue: JobQueue | undefined;
  secretBox: SecretBox | undefined;
  /** Prometheus counters (GET /metrics); a job queue sets `metrics.queueDepth` */
  metrics: Metrics;
}

export const DEFAULT_MAX_REPORT_BYTES = 64 * 1024 * 1024;

export async function buildApp(opts: AppOptions): Promise<FastifyInstance> {
  const ctx: AppContext = {
    store: opts.store,
    clock: opts.clock ?? (() => new Date()),
    secure: Boolean(opts.tls),
    maxReportBytes: opts.maxReportBytes ?? DEFAULT_MAX_REPORT_BYTES,
    loginRateLimit: opts.loginRateLimit ?? { max: 10, windowMs: 60_000 },
    lockout: opts.lockout ?? { failures: 5, minutes: 15 },
    sessionHours: opts.sessionHours ?? 12,
    openapi: new OpenApiBuilder(),
    version: opts.version,
    vulnDbPath: opts.vulnDbPath,
    queue: opts.queue,
    secretBox: opts.secretBox,
    metrics: new Metrics(),
  };
  const app = Fastify({
    logger: opts.logger ?? false,
    ...(opts.tls ? { https: { key: opts.tls.key, cert: opts.tls.cert } } : {}),
    // small by default; the report upload route raises its own limit
    bodyLimit: 1024 * 1024,
    // one line per answered request with route, status, duration and user (src/server/metrics.ts)
    disableRequestLogging: true,
    ajv: {
      // refuse what the schemas do not allow rather than silently dropping it
      customOptions: { removeAdditional: false, coerceTypes: 'array', useDefaults: true, allErrors: false },
    },
  }) as unknown as FastifyInstance;

  // responses are what the handlers built, as JSON: the tests check them against the OpenAPI
  // document, which a schema-driven serializer would hide by dropping or coercing fields
  app.setSerializerCompiler(() => (data) => JSON.stringify(data));
  // querystrings and parameters are coerced from text, bodies never (src/server/validation.ts)
  app.setValidatorCompiler(requestValidatorCompiler());
  app.addHook('onRoute', (route) => ctx.openapi.add(route));

  await app.register(helmet, { global: true });
  await app.register(cookie);
  await app.register(rateLimit, {
    global: false,
    errorResponseBuilder: (_req, c) =>
      new HttpError(429, 'RATE_LIMITED', `too many requests; try again in ${Math.ceil(c.ttl / 1000)} s`),
  });
  app.addHook('onRequest', accessHook(ctx.store, ctx.clock));
  observeRequests(app, ctx.metrics);

  app.setErrorHandler((err: unknown, req, reply) => {
    const e = err as Error & {
      statusCode?: number;
      code?: string;
      validation?: unknown[];
      validationContext?: string;
    };
    if (err instanceof HttpError) {
      if (err.status >= 500) req.log.error({ err }, 'request failed');
      return reply.status(err.status).send({
        error: { code: err.code, message: err.message, ...(err.details ? { details: err.details } : {}) },
      });
    }
    if (e.validation) {
      const code =
        req.routeOptions.url === '/api/v1/reports' && e.validationContext === 'body'
          ? 'INVALID_REPORT'
          : 'INVALID_REQUEST';
      return reply
        .status(400)
        .send({ error: { code, message: e.message, details: e.validation.slice(0, 20) } });
    }
    if (e.code === 'FST_ERR_CTP_BODY_TOO_LARGE')
      return reply.status(413).send({ error: { code: 'PAYLOAD_TOO_LARGE', message: e.message } });
    if (e.code === 'FST_ERR_CTP_INVALID_MEDIA_TYPE')
      return reply.status(415).send({ error: { code: 'UNSUPPORTED_MEDIA_TYPE', message: e.message } });
    if (err instanceof BulwarkError)
      return reply
        .status(err.code === 'UNSUPPORTED' ? 422 : 400)
        .send({ error: { code: err.code, message: err.message } });
    if (e.statusCode && e.statusCode >= 400 && e.statusCode < 500)
      return reply
        .status(e.statusCode)
        .send({ error: { code: e.code ?? 'BAD_REQUEST', message: e.message } });
    req.log.error({ err }, 'request failed');
    return reply
      .status(500)
      .send({ error: { code: 'INTERNAL', message: 'internal error (see the server log)' } });
  });
  app.setNotFoundHandler((req, reply) =>
    reply
      .status(404)
      .send({ error: { code: 'NOT_FOUND', message: `no route ${req.method} ${req.url.split('?')[0]}` } }),
  );

  await app.register(async (scope) => {
    healthRoutes(scope, ctx);
    reportRoutes(scope, ctx);
    historyRoutes(scope, ctx);
    rematchRoutes(scope, ctx);
    riskRoutes(scope, ctx, { openFilter: (store, imageId) => triageOpenFilter(store, imageId, ctx.clock()) });
    authRoutes(scope, ctx);
    userRoutes(scope, ctx);
    eventRoutes(scope, ctx);
    notificationRoutes(scope, ctx, opts.secretBox);
    jobRoutes(scope, ctx);
    registryRoutes(scope, ctx);
    scanRoutes(scope, ctx);
    scheduleRoutes(scope, ctx);
    triageRoutes(scope, ctx);
    vexRoutes(scope, ctx);
    await scope.register(async (sboms) => sbomRoutes(sboms, ctx));
    metricsRoutes(scope, ctx, ctx.metrics);
    seriesRoutes(scope, ctx);
    dashboardApiRoutes(scope, ctx);
    if (opts.dashboardDir !== false)
      await dashboardStaticRoutes(scope, path.resolve(opts.dashboardDir ?? defaultDashboardDir()));
    scope.get('/openapi.json', { config: { access: 'public' }, schema: { hide: true } as object }, async () =>
      ctx.openapi.document(ctx.version),
    );
  });
  return app;
}
