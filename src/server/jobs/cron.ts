/** Cron expressions (croner): validated where they enter, so a bad one is a 400 or a usage error. */
import { Cron } from 'croner';
import { BulwarkError } from '../../core/errors.js';

/** 5 fields (minute…weekday) or 6 (with seconds first); UTC. Throws USAGE naming the expression. */
export function parseCron(expr: string, input = 'cron'): Cron {
  if (typeof expr !== 'string' || expr.length > 200 || !expr.trim())
    throw new BulwarkError('USAGE', `${input}: a cron expression (5 or 6 fields)`, {
      input: String(expr).slice(0, 200),
    });
  try {
    const c = new Cron(expr, { paused: true, timezone: 'UTC' });
    if (!c.nextRun()) throw new Error('it never fires');
    return c;
  } catch (e) {
    throw new BulwarkError('USAGE', `${input}: not a cron expression (${(e as Error).message})`, {
      input: expr,
    });
  }
}

/** The first time the expression fires after `after`. */
export function nextRun(expr: string, after: Date): Date {
  const next = parseCron(expr).nextRun(after);
  if (!next) throw new BulwarkError('USAGE', 'the cron expression never fires again', { input: expr });
  return next;
}
