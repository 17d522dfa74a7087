/**
 * The outbox: deliveries were written with their events (store/events.ts); `drainOutbox` sends
 * the ones that are due. Each delivery is claimed first (an update that only one process can
 * win, which also sets a lease: a sender that dies mid-send leaves a claim that lapses and is
 * taken again), so a delivery is sent by one sender at a time and at most once per success:
 * at-least-once, idempotent per (event, channel) by the unique row and by the event id the
 * receiver sees. A failure is retried with exponential backoff and jitter until `maxAttempts`,
 * then the delivery is `failed`. Deliveries of a channel deleted or disabled meanwhile are
 * `cancelled`.
 *
 * There is no job queue here on purpose: the server runs this from a timer (`--notify-interval`);
 * a queue worker can call the same function.
 */
import type { SecretBox } from '../crypto/sealed.js';
import { eventView } from '../store/events.js';
import type { Store } from '../store/open.js';
import { openChannel } from './channels.js';
import { sendEvent, type SendResult } from './send.js';

export interface DrainOptions {
  /** opens the channels' secrets; without one every delivery fails with SECRET_KEY_MISSING */
  box: SecretBox | undefined;
  version?: string;
  /** attempts before a delivery is `failed` (default 8) */
  maxAttempts?: number;
  /** first retry after about this long, doubling each time (default 30 s) */
  baseDelayMs?: number;
  /** no retry waits longer (default 1 h) */
  maxDelayMs?: number;
  /** a claim lapses after this long (default 5 min) */
  leaseMs?: number;
  /** deliveries per call (default 100) */
  limit?: number;
  timeoutMs?: number;
  /** deliveries sent at the same time (default 4) */
  concurrency?: number;
  /** [0, 1), for the jitter (tests pin it) */
  random?: () => number;
  /** the sender (tests never replace it; the receivers are real) */
  send?: typeof sendEvent;
}

export interface DrainResult {
  delivered: number;
  retried: number;
  failed: number;
  cancelled: number;
}

/**
 * The wait before attempt `attempts + 1`: base·2^(attempts−1), at most max, of which the upper
 * half is random ("equal jitter"), so retries from many deliveries spread out but never come
 * sooner than half the nominal wait.
 */
export function retryDelay(attempts: number, base: number, max: number, random: () => number): number {
  const nominal = Math.min(max, base * 2 ** Math.max(0, attempts - 1));
  return Math.round(nominal / 2 + random() * (nominal / 2));
}

export async function drainOutbox(store: Store, now: Date, o: DrainOptions): Promise<DrainResult> {
  const maxAttempts = o.maxAttempts ?? 8;
  const base = o.baseDelayMs ?? 30_000;
  const max = o.maxDelayMs ?? 3600_000;
  const lease = o.leaseMs ?? 300_000;
  const random = o.random ?? Math.random;
  const send = o.send ?? sendEvent;
  const at = now.toISOString();
  const out: DrainResult = { delivered: 0, retried: 0, failed: 0, cancelled: 0 };

  const due = await store.db
    .selectFrom('deliveries')
    .select(['id', 'event_id', 'channel_id', 'status', 'attempts', 'next_attempt_at'])
    .where('status', 'in', ['pending', 'sending'])
    .where('next_attempt_at', '<=', at)
    .orderBy('next_attempt_at')
    .orderBy('id')
    .limit(o.limit ?? 100)
    .execute();

  if (!due.length) return out;
  // the round's channels and events, read once (a channel changed during the round is seen next round)
  const channels = new Map(
    (
      await store.db
        .selectFrom('notification_channels')
        .selectAll()
        .where('id', 'in', [...new Set(due.map((d) => d.channel_id))])
        .execute()
    ).map((c) => [c.id, c]),
  );
  const events = new Map(
    (
      await store.db
        .selectFrom('events')
        .selectAll()
        .where('id', 'in', [...new Set(due.map((d) => d.event_id))])
        .execute()
    ).map((e) => [e.id, e]),
  );
  const opened = new Map<number, ReturnType<typeof openChannel>>();

  const one = async (d: (typeof due)[number]): Promise<void> => {
    const claim = await store.db
      .updateTable('deliveries')
      .set({
        status: 'sending',
        next_attempt_at: new Date(now.getTime() + lease).toISOString(),
        updated_at: at,
      })
      .where('id', '=', d.id)
      .where('status', '=', d.status)
      .where('next_attempt_at', '=', d.next_attempt_at)
      .executeTakeFirst();
    if (Number(claim.numUpdatedRows) !== 1) return; // another sender has it

    const channel = channels.get(d.channel_id)!;
    if (channel.deleted_at !== null || channel.enabled !== 1) {
      await store.db
        .updateTable('deliveries')
        .set({ status: 'cancelled', updated_at: at, last_error: 'the channel was deleted or disabled' })
        .where('id', '=', d.id)
        .execute();
      out.cancelled++;
      return;
    }
    const event = events.get(d.event_id)!;

    let result: SendResult;
    try {
      let open = opened.get(channel.id);
      if (!open) opened.set(channel.id, (open = openChannel(channel, o.box)));
      result = await send(open, eventView(event), {
        now,
        version: o.version ?? 'unknown',
        ...(o.timeoutMs ? { timeoutMs: o.timeoutMs } : {}),
      });
    } catch (e) {
      // the secret would not open (no key, another key): a failed attempt like any other, so a
      // restart with the right key still delivers
      const x = e as Error & { code?: string };
      result = { ok: false, status: null, error: `${x.code ?? 'ERROR'}: ${x.message}` };
    }
    const attempts = d.attempts + 1;
    if (result.ok) {
      await store.db
        .updateTable('deliveries')
        .set({
          status: 'delivered',
          attempts,
          delivered_at: at,
          last_status: result.status,
          last_error: null,
          updated_at: at,
        })
        .where('id', '=', d.id)
        .execute();
      out.delivered++;
    } else if (attempts >= maxAttempts) {
      await store.db
        .updateTable('deliveries')
        .set({
          status: 'failed',
          attempts,
          last_status: result.status,
          last_error: result.error,
          updated_at: at,
        })
        .where('id', '=', d.id)
        .execute();
      out.failed++;
    } else {
      const next = new Date(now.getTime() + retryDelay(attempts, base, max, random)).toISOString();
      await store.db
        .updateTable('deliveries')
        .set({
          status: 'pending',
          attempts,
          next_attempt_at: next,
          last_status: result.status,
          last_error: result.error,
          updated_at: at,
        })
        .where('id', '=', d.id)
        .execute();
      out.retried++;
    }
  };
  // a few sends at once, so one slow receiver (up to its timeout) does not hold up the rest
  let next = 0;
  const worker = async () => {
    while (next < due.length) await one(due[next++]!);
  };
  await Promise.all(Array.from({ length: Math.min(o.concurrency ?? 4, due.length) }, worker));
  return out;
}
