/**
 * The web dashboard: its overview API (aggregated and paged server-side, so the first page of a
 * portfolio of 10,000 images is one small answer) and the static files `vite build` wrote to
 * dist/dashboard, served at `/` with a CSP that allows only this origin. Any other path that is
 * not under /api/ gets index.html (the dashboard routes in the browser); a missing build answers
 * a plain 503 page that says how to build it.
 */
import { existsSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import fastifyStatic from '@fastify/static';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { AppContext } from '../app.js';
import { overview, type OverviewQuery } from '../store/dashboard.js';

/** Everything from this origin only: no inline script or style, no frames, no other hosts. */
export const DASHBOARD_CSP = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "font-src 'self'",
  "connect-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'self'",
  "frame-ancestors 'none'",
].join('; ');

/** dist/dashboard of the installed package: the nearest folder above this module holding one. */
export function defaultDashboardDir(from = path.dirname(fileURLToPath(import.meta.url))): string {
  for (let dir = from; ;) {
    if (existsSync(path.join(dir, 'package.json'))) return path.join(dir, 'dist', 'dashboard');
    const up = path.dirname(dir);
    if (up === dir) return path.resolve(from, '..', '..', '..', 'dist', 'dashboard');
    dir = up;
  }
}

const counts = {
  critical: { type: 'integer' },
  high: { type: 'integer' },
  medium: { type: 'integer' },
  low: { type: 'integer' },
  unknown: { type: 'integer' },
} as const;
const sev = ['critical', 'high', 'medium', 'low', 'unknown'] as const;

const overviewImage = {
  type: 'object',
  additionalProperties: false,
  required: [
    'id',
    'repository',
    'tag',
    'digest',
    'scans',
    'lastScanId',
    'lastScannedAt',
    ...sev,
    'kev',
    'fixable',
  ],
  properties: {
    id: { type: 'integer' },
    repository: { type: 'string' },
    tag: { type: 'string' },
    digest: { type: ['string', 'null'] },
    scans: { type: 'integer' },
    lastScanId: { type: 'integer' },
    lastScannedAt: { type: 'string' },
    ...counts,
    kev: { type: 'integer', description: 'findings in CISA KEV' },
    fixable: { type: 'integer', description: 'findings with a fixed version' },
  },
} as const;

const overviewSchema = {
  type: 'object',
  additionalProperties: false,
  required: ['totals', 'series', 'total', 'images'],
  properties: {
    totals: {
      type: 'object',
      additionalProperties: false,
      required: ['images', 'scans', ...sev, 'kev', 'fixable', 'imagesWithKev', 'imagesWithFixes'],
      properties: {
        images: { type: 'integer' },
        scans: { type: 'integer' },
        ...counts,
        kev: { type: 'integer' },
        fixable: { type: 'integer' },
        imagesWithKev: { type: 'integer' },
        imagesWithFixes: { type: 'integer' },
      },
    },
    series: {
      type: 'array',
      description:
        'per UTC day with a scan: the findings of every image as its latest scan up to then had them',
      items: {
        type: 'object',
        additionalProperties: false,
        required: ['date', ...sev],
        properties: { date: { type: 'string' }, ...counts },
      },
    },
    total: { type: 'integer', description: 'images matching the filter (all pages)' },
    images: { type: 'array', items: overviewImage },
  },
} as const;

export function dashboardApiRoutes(app: FastifyInstance, ctx: AppContext): void {
  app.get(
    '/api/v1/dashboard/overview',
    {
      config: { access: 'viewer' },
      schema: {
        summary:
          'portfolio overview: totals, findings by severity over time, one page of images with their latest scan counted',
        tags: ['dashboard'],
        querystring: {
          type: 'object',
          additionalProperties: false,
          properties: {
            repository: { type: 'string', maxLength: 512, description: 'substring of the repository' },
            sort: { enum: ['severity', 'name', 'recent'], default: 'severity' },
            days: { type: 'integer', minimum: 1, maximum: 3650, default: 90 },
            limit: { type: 'integer', minimum: 1, maximum: 500, default: 50 },
            offset: { type: 'integer', minimum: 0, maximum: 2147483647, default: 0 },
          },
        },
        response: { 200: overviewSchema },
      },
    },
    async (req) => overview(ctx.store, req.query as OverviewQuery),
  );
}

const MISSING_BUILD = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>bulwark: dashboard not built</title></head>
<body><h1>The dashboard is not built</h1>
<p>This server has no dashboard files. Build them with <code>npm run build:dashboard</code>
(or <code>npm run build</code>) and restart the server. The API under <code>/api/v1/</code> works without them.</p>
</body></html>
`;

export async function dashboardStaticRoutes(app: FastifyInstance, dir: string): Promise<void> {
  const index = path.join(dir, 'index.html');
  const built = () => existsSync(index);
  // serve: false: the routes are ours, so each declares its access level like every other route
  await app.register(fastifyStatic, { root: dir, serve: false, index: false, dotfiles: 'deny' });

  const notApi = (reply: FastifyReply, req: FastifyRequest) =>
    reply
      .status(404)
      .send({ error: { code: 'NOT_FOUND', message: `no route ${req.method} ${req.url.split('?')[0]}` } });

  const handler = async (req: FastifyRequest, reply: FastifyReply) => {
    const url = req.url.split('?')[0]!;
    if (url === '/api' || url.startsWith('/api/')) return notApi(reply, req);
    if (!built())
      return reply
        .status(503)
        .header('content-type', 'text/html; charset=utf-8')
        .header('content-security-policy', DASHBOARD_CSP)
        .header('cache-control', 'no-store')
        .send(MISSING_BUILD);
    reply.header('content-security-policy', DASHBOARD_CSP);
    let rel: string;
    try {
      rel = decodeURIComponent(url).replace(/^\/+/, '');
    } catch {
      rel = '';
    }
    // a file of the build (assets are content-hashed, so they may be cached for good)
    if (rel && !rel.split('/').some((p) => p === '..' || p.startsWith('.'))) {
      const file = path.join(dir, rel);
      if (file.startsWith(dir + path.sep) && existsSync(file) && statSync(file).isFile()) {
        const immutable = rel.startsWith('assets/');
        return reply.sendFile(rel, {
          cacheControl: true,
          immutable,
          maxAge: immutable ? 365 * 86400_000 : 0,
        });
      }
      // a missing asset is a 404, not the page (a stale tab would otherwise parse HTML as script)
      if (rel.startsWith('assets/') || /\.[a-z0-9]{1,8}$/i.test(rel))
        return reply.status(404).header('content-type', 'text/plain; charset=utf-8').send('not found\n');
    }
    return reply.header('cache-control', 'no-cache').sendFile('index.html', { cacheControl: false });
  };
  const opts = { config: { access: 'public' as const }, schema: { hide: true } as object };
  app.get('/', opts, handler);
  app.get('/*', opts, handler);
}
