/**
 * Notification channels: where events go (a signed webhook, a Slack-compatible incoming webhook,
 * email over SMTP) and which events they want. What is secret (the HMAC key, the Slack URL, the
 * SMTP password) is sealed with the server's secret box and never leaves the server again; the
 * rest is kept as JSON beside it.
 */
import type { Selectable } from 'kysely';
import type { Severity } from '../../core/types.js';
import type { SecretBox } from '../crypto/sealed.js';
import { HttpError } from '../errors.js';
import type { Store } from '../store/open.js';
import type { ChannelKind, NotificationChannelsTable } from '../store/schema.js';
import type { ChannelFilters, EventType } from './filter.js';

export type SmtpSecurity = 'tls' | 'starttls' | 'none';

export interface WebhookConfig {
  url: string;
}
export interface EmailConfig {
  host: string;
  port: number;
  /** `tls`: TLS from the start (port 465); `starttls`: STARTTLS required; `none`: plain SMTP */
  security: SmtpSecurity;
  username: string | null;
  from: string;
  to: string[];
  /** PEM certificates to trust for the SMTP server (a private CA), else the system's */
  ca: string | null;
}

export type ChannelConfig =
  | { kind: 'webhook'; webhook: WebhookConfig }
  | { kind: 'slack'; slack: Record<string, never> }
  | { kind: 'email'; email: EmailConfig };

/** The sealed part, by kind. */
export type ChannelSecret =
  | { kind: 'webhook'; key: string }
  | { kind: 'slack'; url: string }
  | { kind: 'email'; password: string | null };

export interface Channel {
  id: number;
  name: string;
  kind: ChannelKind;
  enabled: boolean;
  filters: ChannelFilters;
  config: ChannelConfig;
  createdAt: string;
  updatedAt: string;
}

/** What a sender needs: the channel with its secret opened. */
export type OpenChannel = Channel & { secret: ChannelSecret };

export const purposeOf = (kind: ChannelKind) => `notification-channel:${kind}`;

export function secretKeyMissing(): HttpError {
  return new HttpError(
    422,
    'SECRET_KEY_MISSING',
    'this server has no BULWARK_SECRET_KEY, so it cannot store notification secrets (they are never kept in the clear)',
  );
}

type Row = Selectable<NotificationChannelsTable>;

export function channelOfRow(r: Row): Channel {
  const cfg = JSON.parse(r.config) as Record<string, unknown>;
  const config = (
    r.kind === 'webhook'
      ? { kind: 'webhook', webhook: cfg as unknown as WebhookConfig }
      : r.kind === 'slack'
        ? { kind: 'slack', slack: {} }
        : { kind: 'email', email: cfg as unknown as EmailConfig }
  ) as ChannelConfig;
  return {
    id: r.id,
    name: r.name,
    kind: r.kind,
    enabled: r.enabled === 1,
    filters: {
      eventTypes: JSON.parse(r.event_types) as EventType[],
      minSeverity: r.min_severity as Severity | null,
      kevOnly: r.kev_only === 1,
    },
    config,
    createdAt: r.created_at,
    updatedAt: r.updated_at,
  };
}

export function openChannel(r: Row, box: SecretBox | undefined): OpenChannel {
  if (!box) throw secretKeyMissing();
  const secret = JSON.parse(box.open(r.secret, purposeOf(r.kind))) as ChannelSecret;
  return { ...channelOfRow(r), secret };
}

export function sealSecret(box: SecretBox | undefined, s: ChannelSecret): string {
  if (!box) throw secretKeyMissing();
  return box.seal(JSON.stringify(s), purposeOf(s.kind));
}

export async function getChannelRow(store: Store, id: number): Promise<Row | undefined> {
  return store.db
    .selectFrom('notification_channels')
    .selectAll()
    .where('id', '=', id)
    .where('deleted_at', 'is', null)
    .executeTakeFirst();
}

export async function listChannels(store: Store): Promise<Channel[]> {
  const rows = await store.db
    .selectFrom('notification_channels')
    .selectAll()
    .where('deleted_at', 'is', null)
    .orderBy('id')
    .execute();
  return rows.map(channelOfRow);
}

export async function insertChannel(
  store: Store,
  c: {
    name: string;
    enabled: boolean;
    filters: ChannelFilters;
    config: ChannelConfig;
    sealed: string;
    at: string;
  },
): Promise<number> {
  const row = await store.db
    .insertInto('notification_channels')
    .values({
      name: c.name,
      kind: c.config.kind,
      enabled: c.enabled ? 1 : 0,
      config: JSON.stringify(configJson(c.config)),
      secret: c.sealed,
      event_types: JSON.stringify([...c.filters.eventTypes].sort()),
      min_severity: c.filters.minSeverity,
      kev_only: c.filters.kevOnly ? 1 : 0,
      created_at: c.at,
      updated_at: c.at,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
}

export function configJson(c: ChannelConfig): Record<string, unknown> {
  return c.kind === 'webhook' ? { ...c.webhook } : c.kind === 'email' ? { ...c.email } : {};
}

/** Deliveries per status for some channels. */
export async function deliveryCounts(
  store: Store,
  ids: number[],
): Promise<Map<number, Record<'pending' | 'delivered' | 'failed', number>>> {
  const out = new Map<number, Record<'pending' | 'delivered' | 'failed', number>>();
  for (const id of ids) out.set(id, { pending: 0, delivered: 0, failed: 0 });
  if (!ids.length) return out;
  const rows = await store.db
    .selectFrom('deliveries')
    .select(['channel_id', 'status', (eb) => eb.fn.countAll<string | number>().as('n')])
    .where('channel_id', 'in', ids)
    .groupBy(['channel_id', 'status'])
    .execute();
  for (const r of rows) {
    const c = out.get(r.channel_id)!;
    const status = r.status === 'sending' ? 'pending' : r.status;
    if (status === 'pending' || status === 'delivered' || status === 'failed') c[status] += Number(r.n);
  }
  return out;
}
