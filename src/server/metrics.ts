/**
 * Prometheus metrics in the text exposition format (version 0.0.4), kept by hand: a few counters
 * and one histogram do not need a client library. Requests are counted by route pattern (never
 * the raw URL, so ids do not explode the series) and status; latency is a histogram per route;
 * ingests by kind and outcome; stored images and scans are counted at scrape time; the queue depth
 * comes from whatever queue the server runs (a hook: none in this tree yet).
 */
import type { FastifyInstance } from 'fastify';
import type { Store } from './store/open.js';

export const LATENCY_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

/** Label values escaped as the format says: backslash, double quote, newline. */
const esc = (v: string) => v.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n');
const labels = (l: Record<string, string>) =>
  `{${Object.entries(l)
    .map(([k, v]) => `${k}="${esc(v)}"`)
    .join(',')}}`;

interface Histogram {
  counts: number[];
  sum: number;
  count: number;
}

export class Metrics {
  private requests = new Map<string, { route: string; method: string; status: string; n: number }>();
  private latency = new Map<string, { route: string; method: string; h: Histogram }>();
  private ingests = new Map<string, { kind: string; outcome: string; n: number }>();
  /** the job queue's depth, when a queue exists (set by whoever starts it) */
  queueDepth?: () => Promise<number>;

  observe(route: string, method: string, status: number, seconds: number): void {
    const key = `${method} ${route} ${status}`;
    const r = this.requests.get(key) ?? { route, method, status: String(status), n: 0 };
    r.n++;
    this.requests.set(key, r);
    const lk = `${method} ${route}`;
    const l = this.latency.get(lk) ?? {
      route,
      method,
      h: { counts: LATENCY_BUCKETS.map(() => 0), sum: 0, count: 0 },
    };
    for (let i = 0; i < LATENCY_BUCKETS.length; i++) if (seconds <= LATENCY_BUCKETS[i]!) l.h.counts[i]!++;
    l.h.sum += seconds;
    l.h.count++;
    this.latency.set(lk, l);
    // an ingest is an answered upload: 201 stored, 200 the same upload again
    const kind = INGEST_ROUTES[`${method} ${route}`];
    if (kind && (status === 200 || status === 201)) {
      const outcome = status === 201 ? 'stored' : 'duplicate';
      const ik = `${kind} ${outcome}`;
      const i = this.ingests.get(ik) ?? { kind, outcome, n: 0 };
      i.n++;
      this.ingests.set(ik, i);
    }
  }

  async render(store: Store): Promise<string> {
    const out: string[] = [];
    out.push(
      '# HELP bulwark_http_requests_total HTTP requests answered, by route pattern, method and status.',
    );
    out.push('# TYPE bulwark_http_requests_total counter');
    for (const r of sorted(this.requests))
      out.push(
        `bulwark_http_requests_total${labels({ route: r.route, method: r.method, status: r.status })} ${r.n}`,
      );
    out.push(
      '# HELP bulwark_http_request_duration_seconds Time to answer a request, by route pattern and method.',
    );
    out.push('# TYPE bulwark_http_request_duration_seconds histogram');
    for (const { route, method, h } of sorted(this.latency)) {
      LATENCY_BUCKETS.forEach((b, i) =>
        out.push(
          `bulwark_http_request_duration_seconds_bucket${labels({ route, method, le: String(b) })} ${h.counts[i]}`,
        ),
      );
      out.push(
        `bulwark_http_request_duration_seconds_bucket${labels({ route, method, le: '+Inf' })} ${h.count}`,
      );
      out.push(`bulwark_http_request_duration_seconds_sum${labels({ route, method })} ${h.sum}`);
      out.push(`bulwark_http_request_duration_seconds_count${labels({ route, method })} ${h.count}`);
    }
    out.push(
      '# HELP bulwark_ingests_total Uploads answered, by kind (report, sbom) and outcome (stored, duplicate).',
    );
    out.push('# TYPE bulwark_ingests_total counter');
    for (const i of sorted(this.ingests))
      out.push(`bulwark_ingests_total${labels({ kind: i.kind, outcome: i.outcome })} ${i.n}`);
    const count = async (t: 'images' | 'scans') =>
      Number(
        (
          await store.db
            .selectFrom(t)
            .select((eb) => eb.fn.countAll().as('n'))
            .executeTakeFirstOrThrow()
        ).n,
      );
    out.push('# HELP bulwark_images Tracked images (repository and tag) in the store.');
    out.push('# TYPE bulwark_images gauge');
    out.push(`bulwark_images ${await count('images')}`);
    out.push('# HELP bulwark_scans Stored scans.');
    out.push('# TYPE bulwark_scans gauge');
    out.push(`bulwark_scans ${await count('scans')}`);
    if (this.queueDepth) {
      out.push('# HELP bulwark_queue_depth Jobs waiting in the job queue.');
      out.push('# TYPE bulwark_queue_depth gauge');
      out.push(`bulwark_queue_depth ${await this.queueDepth()}`);
    }
    return `${out.join('\n')}\n`;
  }
}

const INGEST_ROUTES: Record<string, string> = {
  'POST /api/v1/reports': 'report',
  'POST /api/v1/sboms': 'sbom',
};

function sorted<T>(m: Map<string, T>): T[] {
  return [...m.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([, v]) => v);
}

/**
 * One JSON log line per answered request with what an operator filters on: route pattern,
 * status, duration, user (never headers, never the query, which may name images). Replaces
 * fastify's own request/response lines, which name neither the route nor the user.
 */
export function observeRequests(app: FastifyInstance, metrics: Metrics): void {
  app.addHook('onResponse', async (req, reply) => {
    const route = req.routeOptions.url ?? 'unmatched';
    const seconds = reply.elapsedTime / 1000;
    metrics.observe(route, req.method, reply.statusCode, seconds);
    req.log.info(
      {
        method: req.method,
        route,
        status: reply.statusCode,
        durationMs: Math.round(reply.elapsedTime * 100) / 100,
        user: req.principal?.username ?? null,
        via: req.principal?.via ?? null,
      },
      'request',
    );
  });
}
