/**
 * Sends one event to one channel and says how it went; never throws. Webhooks are signed with
 * HMAC-SHA256 over the exact body (`X-Bulwark-Signature: sha256=<hex>`); the body carries the
 * event id and the send time, which are also in `X-Bulwark-Event-Id` and `X-Bulwark-Timestamp`,
 * so a receiver can refuse replays (docs/notifications.md has the recipe).
 */
import { createHmac } from 'node:crypto';
import type { EventView } from '../store/events.js';
import type { OpenChannel } from './channels.js';
import { emailMessage, slackMessage, webhookBody } from './render.js';

export interface SendResult {
  ok: boolean;
  /** the HTTP status or SMTP reply code, when there was one */
  status: number | null;
  error: string | null;
}

export interface SendOptions {
  now: Date;
  /** bulwark's version, for the User-Agent */
  version: string;
  /** per attempt (default 10 s) */
  timeoutMs?: number;
}

/** `sha256=<hex>` of HMAC-SHA256(key, body): what X-Bulwark-Signature holds. */
export function signature(key: string, body: string | Buffer): string {
  return `sha256=${createHmac('sha256', key).update(body).digest('hex')}`;
}

const MAX_ERROR_BODY = 2048;

/** Reads at most a little of a response (for the error message) and drops the rest. */
async function readSome(res: Response): Promise<string> {
  if (!res.body) return '';
  const reader = res.body.getReader();
  const chunks: Uint8Array[] = [];
  let n = 0;
  try {
    while (n < MAX_ERROR_BODY) {
      const { done, value } = await reader.read();
      if (done) break;
      chunks.push(value);
      n += value.length;
    }
  } finally {
    await reader.cancel().catch(() => undefined);
  }
  return Buffer.concat(chunks).toString('utf8').slice(0, MAX_ERROR_BODY);
}

async function post(
  url: string,
  body: string,
  headers: Record<string, string>,
  timeoutMs: number,
): Promise<SendResult> {
  let res: Response;
  try {
    res = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...headers },
      body,
      // a redirect could send the signed body somewhere the admin never named
      redirect: 'manual',
      signal: AbortSignal.timeout(timeoutMs),
    });
  } catch (e) {
    const err = e as Error & { cause?: { code?: string; message?: string } };
    return {
      ok: false,
      status: null,
      error: `${err.name}: ${err.cause?.code ?? err.cause?.message ?? err.message}`,
    };
  }
  const text = await readSome(res).catch(() => '');
  if (res.status >= 200 && res.status < 300) return { ok: true, status: res.status, error: null };
  const why = res.status >= 300 && res.status < 400 ? 'redirect refused' : text.replace(/\s+/g, ' ').trim();
  return { ok: false, status: res.status, error: `HTTP ${res.status}${why ? `: ${why.slice(0, 300)}` : ''}` };
}

export async function sendEvent(ch: OpenChannel, e: EventView, o: SendOptions): Promise<SendResult> {
  const timeoutMs = o.timeoutMs ?? 10_000;
  const ua = `bulwark/${o.version}`;
  if (ch.config.kind === 'webhook' && ch.secret.kind === 'webhook') {
    const ts = Math.floor(o.now.getTime() / 1000);
    const body = webhookBody(e, ts);
    return post(
      ch.config.webhook.url,
      body,
      {
        'user-agent': ua,
        'x-bulwark-event': e.type,
        'x-bulwark-event-id': e.eventId,
        'x-bulwark-timestamp': String(ts),
        'x-bulwark-signature': signature(ch.secret.key, body),
      },
      timeoutMs,
    );
  }
  if (ch.config.kind === 'slack' && ch.secret.kind === 'slack')
    return post(ch.secret.url, JSON.stringify(slackMessage(e)), { 'user-agent': ua }, timeoutMs);
  if (ch.config.kind === 'email' && ch.secret.kind === 'email') {
    const m = ch.config.email;
    const { default: nodemailer } = await import('nodemailer');
    const transport = nodemailer.createTransport({
      host: m.host,
      port: m.port,
      secure: m.security === 'tls',
      requireTLS: m.security === 'starttls',
      ignoreTLS: m.security === 'none',
      ...(m.username ? { auth: { user: m.username, pass: ch.secret.password ?? '' } } : {}),
      ...(m.ca ? { tls: { ca: m.ca } } : {}),
      connectionTimeout: timeoutMs,
      greetingTimeout: timeoutMs,
      socketTimeout: timeoutMs * 2,
    });
    const msg = emailMessage(e);
    try {
      await transport.sendMail({
        from: m.from,
        to: m.to,
        subject: msg.subject,
        text: msg.text,
        headers: { 'X-Bulwark-Event-Id': e.eventId, 'X-Bulwark-Event': e.type },
      });
      return { ok: true, status: 250, error: null };
    } catch (err) {
      const x = err as Error & { responseCode?: number; code?: string };
      return {
        ok: false,
        status: x.responseCode ?? null,
        error: `${x.code ?? 'SMTP'}: ${x.message.replace(/\s+/g, ' ').slice(0, 300)}`,
      };
    } finally {
      transport.close();
    }
  }
  return { ok: false, status: null, error: 'the channel’s secret does not fit its kind' };
}
