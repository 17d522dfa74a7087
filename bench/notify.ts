/**
 * `npm run bench -- notify`: what events and the outbox cost.
 *
 * 1. Ingest with events: the same 300 uploads (30 images, each uploaded 10 times with findings
 *    coming and going, three channels that want everything) into a fresh SQLite store with the
 *    events hook and with a hook that records nothing; ratio = with / without.
 * 2. Drain: 600 deliveries sent by drainOutbox to a local webhook receiver, against the same
 *    number of signed POSTs sent straight with fetch (four at a time, as the drain does); ratio =
 *    drain / bare (the receiver runs in this process, so both sides count in both).
 *
 * Times are CPU time of the process, the better of two interleaved runs for the ingest.
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { secretBox } from '../src/server/crypto/sealed.js';
import { drainOutbox, signature } from '../src/server/notify/index.js';
import { sealSecret } from '../src/server/notify/channels.js';
import { webhookBody } from '../src/server/notify/render.js';
import { eventView } from '../src/server/store/events.js';
import { ingestReport } from '../src/server/store/ingest.js';
import { openStore, type Store } from '../src/server/store/open.js';
import type { JsonReport } from '../src/report/index.js';
import { demoReport } from '../test/server/fixtures.js';
import { webhookReceiver } from '../test/server/receivers.js';
import type { BenchResult } from './run.js';

/** CPU time of this process (user + system): with eight jobs on two cores, wall time measures the wait for a core. */
const cpuMs = () => {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
};

const IMAGES = 30;
const ROUNDS = 10;
const MAX_INGEST_RATIO = 1.5;
const MAX_DRAIN_RATIO = 3;

const UPLOADS = IMAGES * ROUNDS;

/** Upload `n` (made when needed: 300 reports held at once would make the bench measure the GC). */
function upload(base: JsonReport, n: number): JsonReport {
  const round = Math.floor(n / IMAGES);
  const i = n % IMAGES;
  const r = structuredClone(base);
  r.target.repoTags = [`bench/app-${i}:1`];
  r.createdAt = new Date(Date.parse('2026-12-01T00:00:00Z') + round * 3600_000).toISOString();
  // every other round drops a third of the findings, so findings are fixed and come back
  r.findings = r.findings.filter((_f, k) => round % 2 === 0 || k % 3 !== i % 3);
  r.summary.findings = r.findings.length;
  return r;
}

async function addChannels(s: Store, url: string, key: string, box: ReturnType<typeof secretBox>, n: number) {
  const at = new Date().toISOString();
  for (let i = 0; i < n; i++)
    await s.db
      .insertInto('notification_channels')
      .values({
        name: `c${i}`,
        kind: 'webhook',
        enabled: 1,
        config: JSON.stringify({ url }),
        secret: sealSecret(box, { kind: 'webhook', key }),
        event_types: '[]',
        min_severity: null,
        kev_only: 0,
        created_at: at,
        updated_at: at,
      })
      .execute();
}

async function timeIngest(
  base: JsonReport,
  count: number,
  events: boolean,
  box: ReturnType<typeof secretBox>,
) {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'bulwark-bench-notify-'));
  const s = await openStore({ sqlitePath: path.join(dir, 'server.db') });
  try {
    await addChannels(s, 'http://127.0.0.1:9/', 'bench key of some length', box, 3);
    let ms = 0;
    for (let n = 0; n < count; n++) {
      const r = upload(base, n);
      const t0 = cpuMs();
      await ingestReport(s, r, events ? {} : { events: async () => undefined });
      ms += cpuMs() - t0;
    }
    const n = Number(
      (
        await s.db
          .selectFrom('events')
          .select((eb) => eb.fn.countAll<number>().as('n'))
          .executeTakeFirstOrThrow()
      ).n,
    );
    return { ms, events: n };
  } finally {
    await s.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

export async function benchNotify(): Promise<BenchResult[]> {
  const box = secretBox(randomBytes(32));
  const base = await demoReport();
  // warm-up, then the better of two interleaved runs each
  await timeIngest(base, 30, true, box);
  const runs = { with: [] as number[], without: [] as number[] };
  let eventCount = 0;
  for (let i = 0; i < 2; i++) {
    const a = await timeIngest(base, UPLOADS, true, box);
    eventCount = a.events;
    runs.with.push(a.ms);
    runs.without.push((await timeIngest(base, UPLOADS, false, box)).ms);
  }
  const withMs = Math.min(...runs.with);
  const withoutMs = Math.min(...runs.without);

  // the drain against a bare sender
  const key = 'bench key of some length';
  const hook = await webhookReceiver(key);
  const dir = mkdtempSync(path.join(os.tmpdir(), 'bulwark-bench-drain-'));
  const s = await openStore({ sqlitePath: path.join(dir, 'server.db') });
  let drainMs = 0;
  let bareMs = 0;
  let delivered = 0;
  try {
    await addChannels(s, hook.url, key, box, 1);
    for (let n = 0; n < UPLOADS; n++) await ingestReport(s, upload(base, n));
    const total = Number(
      (
        await s.db
          .selectFrom('deliveries')
          .select((eb) => eb.fn.countAll<number>().as('n'))
          .executeTakeFirstOrThrow()
      ).n,
    );
    const t0 = cpuMs();
    for (;;) {
      const r = await drainOutbox(s, new Date(Date.now() + 1000), { box, version: 'bench' });
      delivered += r.delivered;
      if (r.delivered + r.retried + r.failed === 0) break;
    }
    drainMs = cpuMs() - t0;
    if (delivered !== total) throw new Error(`delivered ${delivered} of ${total}`);
    // the same bodies and headers the drain sent (the receiver verifies them fully, then finds
    // the event ids seen and answers 409)
    const ts = Math.floor(Date.now() / 1000);
    const bodies = (await s.db.selectFrom('events').selectAll().execute()).map((e) => {
      const v = eventView(e);
      return { body: webhookBody(v, ts), id: v.eventId, type: v.type };
    });
    const t1 = cpuMs();
    let next = 0;
    const worker = async () => {
      while (next < delivered) {
        const b = bodies[next++ % bodies.length]!;
        const res = await fetch(hook.url, {
          method: 'POST',
          headers: {
            'content-type': 'application/json',
            'user-agent': 'bulwark/bench',
            'x-bulwark-event': b.type,
            'x-bulwark-event-id': b.id,
            'x-bulwark-timestamp': String(ts),
            'x-bulwark-signature': signature(key, b.body),
          },
          body: b.body,
        });
        await res.arrayBuffer();
      }
    };
    await Promise.all([worker(), worker(), worker(), worker()]);
    bareMs = cpuMs() - t1;
  } finally {
    await s.close();
    await hook.close();
    rmSync(dir, { recursive: true, force: true });
  }
  return [
    {
      name: 'notify',
      metric: `${UPLOADS} uploads with events and outbox rows (3 channels) / without`,
      value: withMs,
      baseline: withoutMs,
      ratio: withMs / withoutMs,
      target: MAX_INGEST_RATIO,
      unit: 'ms CPU',
      pass: withMs / withoutMs <= MAX_INGEST_RATIO,
      notes: `${eventCount} events; ${Math.round((UPLOADS / withMs) * 1000)} uploads per CPU-second with, ${Math.round((UPLOADS / withoutMs) * 1000)} without`,
    },
    {
      name: 'notify',
      metric: `${delivered} webhook deliveries through drainOutbox / the same number of bare signed POSTs`,
      value: drainMs,
      baseline: bareMs,
      ratio: drainMs / bareMs,
      target: MAX_DRAIN_RATIO,
      unit: 'ms CPU',
      pass: drainMs / bareMs <= MAX_DRAIN_RATIO,
      notes: `${Math.round((delivered / drainMs) * 1000)} deliveries per CPU-second (sender and receiver)`,
    },
  ];
}
