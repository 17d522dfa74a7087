/**
 * Local receivers for notification tests, all real servers on 127.0.0.1: a webhook receiver that
 * verifies the signature with the recipe in docs/notifications.md, a Slack-shaped receiver, and an
 * SMTP server (the `smtp-server` package) with STARTTLS and AUTH.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { SMTPServer } from 'smtp-server';

async function listen(server: Server): Promise<string> {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

async function rawBody(req: IncomingMessage, max = 4 * 1024 * 1024): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let n = 0;
  for await (const c of req) {
    n += (c as Buffer).length;
    if (n > max) throw new Error('body too large');
    chunks.push(c as Buffer);
  }
  return Buffer.concat(chunks);
}

// --- the recipe of docs/notifications.md, as a receiver would write it ---------------------------
/**
 * Verifies a bulwark webhook: the HMAC over the exact raw body, then the signed timestamp (within
 * five minutes) and the signed event id (not seen before). Returns the event or why it is refused.
 */
export function verifyBulwarkWebhook(
  body: Buffer,
  headers: Record<string, string | string[] | undefined>,
  key: string,
  seen: Set<string>,
  nowSeconds = Math.floor(Date.now() / 1000),
):
  | { ok: true; event: { id: string; type: string; timestamp: number } & Record<string, unknown> }
  | { ok: false; why: string } {
  const expected = Buffer.from(`sha256=${createHmac('sha256', key).update(body).digest('hex')}`);
  const got = Buffer.from(String(headers['x-bulwark-signature'] ?? ''));
  if (got.length !== expected.length || !timingSafeEqual(got, expected))
    return { ok: false, why: 'signature' };
  const event = JSON.parse(body.toString('utf8')) as { id: string; type: string; timestamp: number };
  if (String(event.timestamp) !== headers['x-bulwark-timestamp'])
    return { ok: false, why: 'timestamp header' };
  if (Math.abs(nowSeconds - event.timestamp) > 300) return { ok: false, why: 'too old' };
  if (event.id !== headers['x-bulwark-event-id']) return { ok: false, why: 'event id header' };
  if (seen.has(event.id)) return { ok: false, why: 'replay' };
  seen.add(event.id);
  return { ok: true, event };
}
// ---------------------------------------------------------------------------------------------------

export interface WebhookReceiver {
  url: string;
  /** every request, in order, with how it was judged */
  requests: { body: Buffer; headers: IncomingMessage['headers']; verdict: string; answered: number }[];
  /** the verified events (accepted with 200) */
  events: Record<string, unknown>[];
  close(): Promise<void>;
}

/**
 * Answers the first `failFirst` well-signed requests 500 (so they are retried), then 200; a
 * request that fails verification gets 401 (bad signature, stale) or 409 (replay).
 */
export async function webhookReceiver(
  key: string,
  opts: { failFirst?: number; nowSeconds?: () => number } = {},
): Promise<WebhookReceiver> {
  let failures = opts.failFirst ?? 0;
  const seen = new Set<string>();
  const r: WebhookReceiver = { url: '', requests: [], events: [], close: async () => undefined };
  const server = createServer((req, res) => {
    void rawBody(req).then((body) => {
      let status: number;
      let verdict: string;
      if (failures > 0) {
        // judge the signature without spending the event id: the retry must still be accepted
        const v = verifyBulwarkWebhook(body, req.headers, key, new Set(seen), opts.nowSeconds?.());
        verdict = v.ok ? 'failed on purpose' : v.why;
        status = v.ok ? 500 : 401;
        if (v.ok) failures--;
      } else {
        const v = verifyBulwarkWebhook(body, req.headers, key, seen, opts.nowSeconds?.());
        verdict = v.ok ? 'ok' : v.why;
        status = v.ok ? 200 : v.why === 'replay' ? 409 : 401;
        if (v.ok) r.events.push(v.event);
      }
      r.requests.push({ body, headers: req.headers, verdict, answered: status });
      res
        .writeHead(status, { 'content-type': 'text/plain' })
        .end(status === 500 ? 'try again later' : verdict);
    });
  });
  r.url = `${await listen(server)}/hooks/bulwark`;
  r.close = () => new Promise((resolve) => server.close(() => resolve()));
  return r;
}

export interface SlackReceiver {
  url: string;
  messages: { text: string; blocks: { type: string; text?: { text: string } }[] }[];
  refused: number;
  close(): Promise<void>;
}

/** Like Slack's incoming webhooks: a JSON body with `text` (and optional `blocks`), answered `ok`. */
export async function slackReceiver(): Promise<SlackReceiver> {
  const r: SlackReceiver = { url: '', messages: [], refused: 0, close: async () => undefined };
  const server = createServer((req, res) => {
    void rawBody(req).then((body) => {
      let m: SlackReceiver['messages'][number] | undefined;
      try {
        m = JSON.parse(body.toString('utf8')) as SlackReceiver['messages'][number];
      } catch {
        m = undefined;
      }
      if (
        req.method !== 'POST' ||
        !req.headers['content-type']?.startsWith('application/json') ||
        !m ||
        typeof m.text !== 'string' ||
        !m.text ||
        (m.blocks !== undefined && !Array.isArray(m.blocks))
      ) {
        r.refused++;
        res.writeHead(400, { 'content-type': 'text/plain' }).end('invalid_payload');
        return;
      }
      r.messages.push(m);
      res.writeHead(200, { 'content-type': 'text/plain' }).end('ok');
    });
  });
  r.url = `${await listen(server)}/services/T000/B000/XXXXXXXX`;
  r.close = () => new Promise((resolve) => server.close(() => resolve()));
  return r;
}

export interface SmtpReceiver {
  port: number;
  mails: {
    from: string;
    to: string[];
    raw: string;
    subject: string;
    text: string;
    secure: boolean;
    user: string;
  }[];
  authFailures: number;
  close(): Promise<void>;
}

/** Unfolds headers and decodes a quoted-printable or 7bit text body (what nodemailer sends). */
function parseMail(raw: string): { subject: string; text: string } {
  const split = raw.indexOf('\r\n\r\n');
  const head = raw.slice(0, split).replace(/\r\n[ \t]+/g, ' ');
  let body = raw.slice(split + 4);
  const header = (name: string) => new RegExp(`^${name}:\\s*(.*)$`, 'im').exec(head)?.[1]?.trim() ?? '';
  if (/quoted-printable/i.test(header('Content-Transfer-Encoding')))
    body = Buffer.from(
      body
        .replace(/=\r\n/g, '')
        .replace(/=([0-9A-F]{2})/g, (_m, h: string) => String.fromCharCode(parseInt(h, 16))),
      'latin1',
    ).toString('utf8');
  let subject = header('Subject');
  // RFC 2047 encoded words, should the subject need them
  subject = subject.replace(/=\?utf-8\?([QB])\?([^?]*)\?=/gi, (_m, enc: string, t: string) =>
    enc.toUpperCase() === 'B'
      ? Buffer.from(t, 'base64').toString('utf8')
      : Buffer.from(
          t
            .replace(/_/g, ' ')
            .replace(/=([0-9A-F]{2})/gi, (_x, h: string) => String.fromCharCode(parseInt(h, 16))),
          'latin1',
        ).toString('utf8'),
  );
  return { subject, text: body.replace(/\r\n/g, '\n') };
}

/** An SMTP server on 127.0.0.1 that offers STARTTLS (with `tls`) and requires AUTH. */
export async function smtpReceiver(opts: {
  user: string;
  pass: string;
  tls: { key: Buffer; cert: Buffer };
}): Promise<SmtpReceiver> {
  const r: SmtpReceiver = { port: 0, mails: [], authFailures: 0, close: async () => undefined };
  const server = new SMTPServer({
    key: opts.tls.key,
    cert: opts.tls.cert,
    authMethods: ['PLAIN', 'LOGIN'],
    authOptional: false,
    // AUTH only after STARTTLS (the default refuses it in the clear)
    allowInsecureAuth: false,
    size: 10 * 1024 * 1024,
    logger: false,
    onAuth(auth, _session, cb) {
      if (auth.username === opts.user && auth.password === opts.pass)
        return cb(null, { user: auth.username });
      r.authFailures++;
      return cb(new Error('Invalid username or password'));
    },
    onData(stream, session, cb) {
      const chunks: Buffer[] = [];
      stream.on('data', (c: Buffer) => chunks.push(c));
      stream.on('end', () => {
        const raw = Buffer.concat(chunks).toString('utf8');
        r.mails.push({
          from: session.envelope.mailFrom ? session.envelope.mailFrom.address : '',
          to: session.envelope.rcptTo.map((a) => a.address),
          raw,
          ...parseMail(raw),
          secure: session.secure,
          user: String(session.user ?? ''),
        });
        cb();
      });
    },
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  r.port = (server.server.address() as AddressInfo).port;
  r.close = () => new Promise((resolve) => server.close(() => resolve()));
  return r;
}
