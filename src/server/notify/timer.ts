/**
 * The notifier of a server process: every interval, the re-match changes a crashed run left
 * behind are grouped into events and the due deliveries are sent. One round at a time (a slow
 * receiver delays the next round, it does not stack rounds). At merge with the job queue, a
 * recurring job calls `notifyRound` instead of this timer.
 */
import type { SecretBox } from '../crypto/sealed.js';
import { groupStaleRematchChanges } from '../store/events.js';
import type { Store } from '../store/open.js';
import { drainOutbox, type DrainResult } from './outbox.js';

export interface NotifierOptions {
  intervalMs: number;
  box: SecretBox | undefined;
  version: string;
  clock?: () => Date;
  onError?: (e: unknown) => void;
  onRound?: (r: DrainResult & { grouped: number }) => void;
}

/** One round: stale re-match changes grouped, then the outbox drained until nothing is due. */
export async function notifyRound(
  store: Store,
  now: Date,
  o: { box: SecretBox | undefined; version: string },
): Promise<DrainResult & { grouped: number }> {
  const grouped = await groupStaleRematchChanges(store, now);
  const total: DrainResult = { delivered: 0, retried: 0, failed: 0, cancelled: 0 };
  for (let i = 0; i < 50; i++) {
    const r = await drainOutbox(store, now, { box: o.box, version: o.version });
    total.delivered += r.delivered;
    total.retried += r.retried;
    total.failed += r.failed;
    total.cancelled += r.cancelled;
    if (r.delivered + r.retried + r.failed + r.cancelled < 100) break;
  }
  return { ...total, grouped };
}

export function startNotifier(store: Store, o: NotifierOptions): { stop(): Promise<void> } {
  let running: Promise<void> | undefined;
  let stopped = false;
  const tick = () => {
    if (running || stopped) return;
    running = notifyRound(store, (o.clock ?? (() => new Date()))(), o)
      .then((r) => o.onRound?.(r))
      .catch((e: unknown) => o.onError?.(e))
      .finally(() => {
        running = undefined;
      });
  };
  const timer = setInterval(tick, o.intervalMs);
  timer.unref();
  tick();
  return {
    async stop() {
      stopped = true;
      clearInterval(timer);
      await running;
    },
  };
}
