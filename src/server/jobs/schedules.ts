/**
 * Scan schedules: a cron expression per image reference, or per registry repository with `tags`
 * ("all", a glob such as `v1.*`, or `/regex/`). A due schedule queues scan jobs (their singleton key
 * is the reference, so a scan still waiting from the last run is not doubled) and moves its next
 * run; the move is a compare-and-set on `next_run_at`, so of several server processes on one
 * PostgreSQL only one queues a due run.
 */
import { BulwarkError } from '../../core/errors.js';
import { parseReference, RegistryClient } from '../../registry/index.js';
import type { SecretBox } from '../crypto/sealed.js';
import type { JobQueue } from '../queue/index.js';
import type { Store } from '../store/open.js';
import { storedCredentials } from '../store/registries.js';
import { nextRun } from './cron.js';
import type { ScanJobData } from './scan.js';

const MAX_PATTERN = 128;

/** A tag filter: "all", a glob (`*`, `?`), or `/regex/`; nested quantifiers are refused (ReDoS). */
export function tagMatcher(pattern: string): (tag: string) => boolean {
  if (pattern.length > MAX_PATTERN)
    throw new BulwarkError('USAGE', `a tag pattern has at most ${MAX_PATTERN} characters`, {
      input: pattern.slice(0, 40),
    });
  if (pattern === 'all') return () => true;
  let re: RegExp;
  const m = /^\/(.+)\/$/.exec(pattern);
  if (m) {
    // (a+)+, (a*)*, (a|aa)+ … backtrack exponentially on a short tag: refuse quantified groups that hold a quantifier
    if (/\([^)]*[+*}][^)]*\)\s*[+*{]/.test(m[1]!) || /\\[1-9]/.test(m[1]!))
      throw new BulwarkError('USAGE', 'a tag regex may not repeat a group that itself repeats', {
        input: pattern,
      });
    try {
      re = new RegExp(`^(?:${m[1]})$`);
    } catch (e) {
      throw new BulwarkError('USAGE', `not a regular expression: ${(e as Error).message}`, {
        input: pattern,
      });
    }
  } else {
    if (!/^[A-Za-z0-9_.*?-]+$/.test(pattern))
      throw new BulwarkError('USAGE', 'a tag glob has letters, digits, _ . - and the wildcards * ?', {
        input: pattern,
      });
    re = new RegExp(`^${pattern.replace(/[.-]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.')}$`);
  }
  return (tag) => tag.length <= 128 && re.test(tag);
}

export interface ScheduleContext {
  store: Store;
  queue: JobQueue;
  secretBox?: SecretBox;
  clock?: () => Date;
  /** the registry client repository schedules list tags with (tests pass one; default: a new one per run) */
  registryClient?: (store: Store, box: SecretBox | undefined) => RegistryClient;
  log?: (e: Record<string, unknown>) => void;
}

export interface ScheduleRun {
  scheduleId: number;
  queued: string[];
  /** references whose scan was still waiting from an earlier run */
  skipped: string[];
  error?: string;
}

/** Runs every due schedule once; answers what each queued. */
export async function runDueSchedules(ctx: ScheduleContext): Promise<ScheduleRun[]> {
  const now = (ctx.clock ?? (() => new Date()))();
  const due = await ctx.store.db
    .selectFrom('scan_schedules')
    .selectAll()
    .where('next_run_at', '<=', now.toISOString())
    .orderBy('id')
    .execute();
  const runs: ScheduleRun[] = [];
  for (const s of due) {
    const next = nextRun(s.cron, now).toISOString();
    const claimed = await ctx.store.db
      .updateTable('scan_schedules')
      .set({ next_run_at: next, last_run_at: now.toISOString() })
      .where('id', '=', s.id)
      .where('next_run_at', '=', s.next_run_at)
      .executeTakeFirst();
    if (Number(claimed.numUpdatedRows) !== 1) continue; // another process took this run
    const run: ScheduleRun = { scheduleId: s.id, queued: [], skipped: [] };
    try {
      let refs: string[];
      if (s.kind === 'image') refs = [s.reference];
      else {
        const client =
          ctx.registryClient?.(ctx.store, ctx.secretBox) ??
          new RegistryClient({ credentials: storedCredentials(ctx.store, ctx.secretBox) });
        try {
          const match = tagMatcher(s.tags ?? 'all');
          const tags = (await client.listTags(s.reference)).filter(match).sort();
          refs = tags.map((t) => `${s.reference}:${t}`);
        } finally {
          if (!ctx.registryClient) client.close();
        }
      }
      for (const reference of refs) {
        const r = parseReference(reference);
        const key = `scan:${r.domain}/${r.repository}${r.tag ? `:${r.tag}` : ''}${r.digest ? `@${r.digest}` : ''}`;
        const id = await ctx.queue.enqueue(
          'scan',
          { reference, requestedBy: s.created_by, scheduleId: s.id } satisfies ScanJobData,
          { singletonKey: key },
        );
        if (id) run.queued.push(id);
        else run.skipped.push(reference);
      }
    } catch (e) {
      run.error = (e as Error).message;
    }
    ctx.log?.({
      event: 'schedule',
      scheduleId: s.id,
      queued: run.queued.length,
      skipped: run.skipped.length,
      ...(run.error ? { error: run.error } : {}),
    });
    runs.push(run);
  }
  return runs;
}

/** Looks for due schedules every `everyMs` (default 15 s) until stopped. */
export function startScheduler(ctx: ScheduleContext, everyMs = 15_000): { stop(): void } {
  let busy = false;
  const t = setInterval(() => {
    if (busy) return;
    busy = true;
    void runDueSchedules(ctx)
      .catch((e: unknown) => ctx.log?.({ event: 'schedule', error: (e as Error).message }))
      .finally(() => (busy = false));
  }, everyMs);
  t.unref();
  return { stop: () => clearInterval(t) };
}
