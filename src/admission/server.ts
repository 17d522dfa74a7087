/**
 * `bulwark admission serve`: the webhook over HTTPS (certificate files), on node:https directly:
 * a review is one small JSON body in and out, and the framework-free path keeps p99 in the
 * low milliseconds (npm run bench -- admission). Routes: POST /validate, POST /mutate,
 * GET /healthz, GET /readyz, GET /metrics (Prometheus text).
 */
import { createServer, type Server } from 'node:https';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Policy } from '../policy/schema.js';
import type { AdmissionFacts } from './facts.js';
import { BadReview, reviewAdmission, type ReviewOutcome } from './review.js';

export interface AdmissionServerOptions {
  cert: string | Buffer;
  key: string | Buffer;
  policy: Policy;
  facts: AdmissionFacts;
  failurePolicy: 'open' | 'closed';
  budgetMs: number;
  /** largest request body, bytes (default 3 MiB: the API server's own request limit) */
  maxBodyBytes?: number;
  /** one JSON line per denial, error and audit violation */
  log?: (entry: Record<string, unknown>) => void;
  now?: () => Date;
}

export interface RunningAdmissionServer {
  server: Server;
  url: string;
  close(): Promise<void>;
  /** swaps the facts (a reloaded report directory) without a restart */
  setFacts(facts: AdmissionFacts): void;
}

const COUNTERS = ['allowed', 'denied', 'audit', 'error', 'skipped', 'bad_request'] as const;

export async function startAdmissionServer(
  host: string,
  port: number,
  opts: AdmissionServerOptions,
): Promise<RunningAdmissionServer> {
  const maxBody = opts.maxBodyBytes ?? 3 * 1024 * 1024;
  let facts = opts.facts;
  const counts = Object.fromEntries(COUNTERS.map((c) => [c, 0])) as Record<(typeof COUNTERS)[number], number>;
  let seconds = 0;

  const send = (res: ServerResponse, status: number, body: string, type = 'application/json') => {
    res.writeHead(status, { 'content-type': type, 'content-length': Buffer.byteLength(body) });
    res.end(body);
  };

  const readBody = (req: IncomingMessage): Promise<Buffer | undefined> =>
    new Promise((resolve, reject) => {
      const declared = Number(req.headers['content-length'] ?? 0);
      if (declared > maxBody) return resolve(undefined);
      const chunks: Buffer[] = [];
      let size = 0;
      req.on('data', (c: Buffer) => {
        size += c.length;
        if (size > maxBody) {
          req.destroy();
          resolve(undefined);
        } else chunks.push(c);
      });
      req.on('end', () => resolve(Buffer.concat(chunks)));
      req.on('error', reject);
    });

  const handle = async (req: IncomingMessage, res: ServerResponse) => {
    const url = (req.url ?? '/').split('?')[0];
    if (req.method === 'GET' && (url === '/healthz' || url === '/readyz'))
      return send(res, 200, 'ok\n', 'text/plain');
    if (req.method === 'GET' && url === '/metrics') {
      const lines = [
        '# HELP bulwark_admission_reviews_total Admission reviews by verdict.',
        '# TYPE bulwark_admission_reviews_total counter',
        ...COUNTERS.map((c) => `bulwark_admission_reviews_total{verdict="${c}"} ${counts[c]}`),
        '# HELP bulwark_admission_review_seconds_total Time spent reviewing.',
        '# TYPE bulwark_admission_review_seconds_total counter',
        `bulwark_admission_review_seconds_total ${seconds.toFixed(6)}`,
      ];
      return send(res, 200, `${lines.join('\n')}\n`, 'text/plain; version=0.0.4');
    }
    if (req.method !== 'POST' || (url !== '/validate' && url !== '/mutate'))
      return send(res, 404, JSON.stringify({ error: 'not found' }));
    const t0 = process.hrtime.bigint();
    const body = await readBody(req);
    if (!body) {
      counts.bad_request++;
      return send(res, 413, JSON.stringify({ error: `request body larger than ${maxBody} bytes` }));
    }
    let outcome: ReviewOutcome;
    try {
      outcome = await reviewAdmission(JSON.parse(body.toString('utf8')) as unknown, {
        policy: opts.policy,
        facts,
        mutate: url === '/mutate',
        failurePolicy: opts.failurePolicy,
        budgetMs: opts.budgetMs,
        ...(opts.now ? { now: opts.now } : {}),
      });
    } catch (e) {
      counts.bad_request++;
      const message = e instanceof BadReview || e instanceof SyntaxError ? e.message : 'internal error';
      return send(res, 400, JSON.stringify({ error: message }));
    }
    counts[outcome.verdict]++;
    seconds += Number(process.hrtime.bigint() - t0) / 1e9;
    if (
      opts.log &&
      (outcome.verdict === 'denied' || outcome.verdict === 'error' || outcome.verdict === 'audit')
    ) {
      const d = outcome.decision;
      opts.log({
        msg: `admission ${outcome.verdict}`,
        uid: outcome.review.response.uid,
        ...(d
          ? {
              subject: d.subject,
              violations: d.violations.map((v) => ({ rule: v.rule, message: v.message })),
            }
          : {}),
        ...(outcome.review.response.status ? { status: outcome.review.response.status } : {}),
      });
    }
    send(res, 200, JSON.stringify(outcome.review));
  };

  const server = createServer({ cert: opts.cert, key: opts.key, minVersion: 'TLSv1.2' }, (req, res) => {
    handle(req, res).catch(() => {
      if (!res.headersSent) send(res, 500, JSON.stringify({ error: 'internal error' }));
    });
  });
  server.keepAliveTimeout = 60_000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => resolve());
  });
  const addr = server.address() as AddressInfo;
  const shown = addr.family === 'IPv6' ? `[${addr.address}]` : addr.address;
  return {
    server,
    url: `https://${shown}:${addr.port}`,
    setFacts(f) {
      facts = f;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
