/** The append-only audit log: every change and every sign-in (and refused sign-in). */
import type { Store } from '../store/open.js';

export interface AuditEntry {
  actorId: number | null;
  actor: string;
  action: string;
  target?: string | null;
  detail?: Record<string, unknown>;
  ip?: string | null;
  outcome?: 'ok' | 'denied' | 'failed';
}

export async function audit(store: Store, e: AuditEntry, now = new Date()): Promise<void> {
  await store.db
    .insertInto('audit_log')
    .values({
      at: now.toISOString(),
      actor_id: e.actorId,
      actor: e.actor,
      action: e.action,
      target: e.target ?? null,
      detail: JSON.stringify(e.detail ?? {}),
      ip: e.ip ?? null,
      outcome: e.outcome ?? 'ok',
    })
    .execute();
}
