import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { secretBox, type SecretBox } from '../../src/server/crypto/sealed.js';
import { drainOutbox, retryDelay } from '../../src/server/notify/index.js';
import { LOOPBACK_SAN, selfSignedCert } from '../helpers/tls.js';
import { startPostgres, type PostgresCluster } from '../helpers/postgres.js';
import { asImage, demoDbPath, demoReport } from './fixtures.js';
import { TestServer, type Backend } from './harness.js';
import {
  slackReceiver,
  smtpReceiver,
  webhookReceiver,
  type SlackReceiver,
  type SmtpReceiver,
  type WebhookReceiver,
} from './receivers.js';

const HMAC_KEY = 'a webhook key of some length';
const SMTP_USER = 'bulwark-mailer';
const SMTP_PASS = 'smtp password 1234';
// the jitter pinned to its middle: every wait is 3/4 of the nominal one
const half = () => 0.5;

describe('retry delays', () => {
  it('double from the base, stay within the cap, and jitter within the upper half', () => {
    assert.equal(
      retryDelay(1, 1000, 60_000, () => 0),
      500,
    );
    assert.equal(
      retryDelay(1, 1000, 60_000, () => 0.999999),
      1000,
    );
    assert.equal(retryDelay(2, 1000, 60_000, half), 1500);
    assert.equal(retryDelay(3, 1000, 60_000, half), 3000);
    assert.equal(
      retryDelay(20, 1000, 60_000, () => 1),
      60_000,
    );
    assert.equal(
      retryDelay(20, 1000, 60_000, () => 0),
      30_000,
    );
  });
});

function deliverySuite(name: string, backend: () => Promise<{ b: Backend; done: () => Promise<void> }>) {
  describe(`notifications delivered on ${name}`, () => {
    let s: TestServer;
    let done: () => Promise<void>;
    let box: SecretBox;
    let hook: WebhookReceiver;
    let slack: SlackReceiver;
    let smtp: SmtpReceiver;
    let ca: string;
    let dir: string;
    // the receivers' clock: the time of the round that sends (timestamps older than 5 min are refused)
    let wire = 0;
    const wireSeconds = () => Math.floor(wire / 1000);
    before(async () => {
      const be = await backend();
      done = be.done;
      box = secretBox(randomBytes(32));
      s = await TestServer.start(be.b, { secretBox: box, vulnDbPath: await demoDbPath() });
      dir = mkdtempSync(path.join(os.tmpdir(), 'bulwark-smtp-'));
      const cert = await selfSignedCert(dir, '/CN=127.0.0.1', LOOPBACK_SAN);
      ca = readFileSync(cert.cert, 'utf8');
      hook = await webhookReceiver(HMAC_KEY, { failFirst: 2, nowSeconds: wireSeconds });
      slack = await slackReceiver();
      smtp = await smtpReceiver({
        user: SMTP_USER,
        pass: SMTP_PASS,
        tls: { key: readFileSync(cert.key), cert: readFileSync(cert.cert) },
      });
    });
    after(async () => {
      await Promise.all([hook.close(), slack.close(), smtp.close()]);
      await s.close();
      rmSync(dir, { recursive: true, force: true });
      await done();
    });

    const drain = (at: number, extra: Partial<Parameters<typeof drainOutbox>[2]> = {}) => {
      wire = at;
      return drainOutbox(s.store, new Date(at), {
        box,
        version: 'test',
        baseDelayMs: 60_000,
        random: half,
        ...extra,
      });
    };

    it('re-match → one grouped vulnerability.new → a signed webhook (after two 500s), Slack and email', async () => {
      const analyst = await s.userWithToken('analyst');
      const a = await s.admin();
      // two images scanned with an older database: one vulnerability missing from both
      const base = await demoReport();
      const missing = base.findings[0]!;
      for (const tag of ['older:1', 'older:2']) {
        const r = asImage(base, tag);
        r.findings = r.findings.filter((f) => f.id !== missing.id);
        assert.equal(
          (await s.request('POST', '/api/v1/reports', { token: analyst.token, body: r })).status,
          201,
        );
      }
      const only = { eventTypes: ['vulnerability.new'] };
      const mk = async (body: Record<string, unknown>) => {
        const r = await s.request('POST', '/api/v1/notifications', { ...a, body: { ...only, ...body } });
        assert.equal(r.status, 201, r.text);
        return (r.body as { id: number }).id;
      };
      const hookId = await mk({
        name: 'hook',
        kind: 'webhook',
        webhook: { url: hook.url, secret: HMAC_KEY },
      });
      await mk({ name: 'slack', kind: 'slack', slack: { url: slack.url } });
      await mk({
        name: 'mail',
        kind: 'email',
        email: {
          host: '127.0.0.1',
          port: smtp.port,
          security: 'starttls',
          username: SMTP_USER,
          password: SMTP_PASS,
          from: 'bulwark@example.test',
          to: ['secops@example.test', 'oncall@example.test'],
          ca,
        },
      });

      // nothing in the database changed for the channels yet: the uploads' events predate them
      assert.deepEqual(await drain(s.now), { delivered: 0, retried: 0, failed: 0, cancelled: 0 });

      s.now += 60_000;
      const rm = await s.request('POST', '/api/v1/rematch', { token: analyst.token, body: {} });
      assert.equal(rm.status, 200, rm.text);
      const since = new Date(s.now).toISOString();
      const ev = await s.request('GET', `/api/v1/events?since=${since}`, { token: analyst.token });
      const events = (ev.body as { events: { eventId: string; type: string; summary: string }[] }).events;
      assert.deepEqual(
        events.map((e) => e.type),
        ['vulnerability.new'],
        'one event for the vulnerability, however many images',
      );
      const event = events[0]!;
      assert.match(event.summary, new RegExp(`^${missing.id} now affects 2 images \\(`));

      // first round: Slack and email delivered, the webhook answered 500
      let t = s.now;
      assert.deepEqual(await drain(t), { delivered: 2, retried: 1, failed: 0, cancelled: 0 });
      // nothing is due again before the backoff (60 s · 3/4)
      assert.deepEqual(await drain(t + 44_000), { delivered: 0, retried: 0, failed: 0, cancelled: 0 });
      t += 45_000;
      assert.deepEqual(await drain(t), { delivered: 0, retried: 1, failed: 0, cancelled: 0 });
      // the second wait doubles (120 s · 3/4)
      assert.deepEqual(await drain(t + 89_000), { delivered: 0, retried: 0, failed: 0, cancelled: 0 });
      t += 90_000;
      assert.deepEqual(await drain(t), { delivered: 1, retried: 0, failed: 0, cancelled: 0 });
      // delivered once: later rounds send nothing again
      assert.deepEqual(await drain(t + 86400_000), { delivered: 0, retried: 0, failed: 0, cancelled: 0 });

      // the webhook: three signed attempts of the same event, the last one accepted
      assert.deepEqual(
        hook.requests.map((r) => [r.answered, r.verdict]),
        [
          [500, 'failed on purpose'],
          [500, 'failed on purpose'],
          [200, 'ok'],
        ],
      );
      assert.ok(hook.requests.every((r) => r.headers['x-bulwark-event-id'] === event.eventId));
      const got = hook.events[0] as { type: string; data: { images: { tag: string }[]; imageCount: number } };
      assert.equal(got.type, 'vulnerability.new');
      assert.equal(got.data.imageCount, 2);
      assert.deepEqual(got.data.images.map((i) => i.tag).sort(), ['1', '2']);
      const deliveries = await s.request('GET', `/api/v1/notifications/${hookId}/deliveries`, a);
      const [d] = (
        deliveries.body as { deliveries: { attempts: number; status: string; lastStatus: number }[] }
      ).deliveries;
      assert.deepEqual([d!.status, d!.attempts, d!.lastStatus], ['delivered', 3, 200]);

      // the recipe refuses a replay of the accepted request and a tampered body
      const last = hook.requests[2]!;
      // at once: the timestamp still holds, the event id was seen
      wire = t;
      const replay = await fetch(hook.url, {
        method: 'POST',
        headers: Object.fromEntries(
          Object.entries(last.headers).filter(([k]) => k.startsWith('x-bulwark') || k === 'content-type'),
        ) as Record<string, string>,
        body: last.body,
      });
      assert.equal(replay.status, 409);
      const tampered = Buffer.from(last.body.toString('utf8').replace('"imageCount":2', '"imageCount":3'));
      const forged = await fetch(hook.url, {
        method: 'POST',
        headers: { 'x-bulwark-signature': String(last.headers['x-bulwark-signature']) },
        body: tampered,
      });
      assert.equal(forged.status, 401);
      // a day later the same request is refused by its signed timestamp alone
      wire = t + 86400_000;
      const stale = await fetch(hook.url, {
        method: 'POST',
        headers: Object.fromEntries(
          Object.entries(last.headers).filter(([k]) => k.startsWith('x-bulwark') || k === 'content-type'),
        ) as Record<string, string>,
        body: last.body,
      });
      assert.equal(stale.status, 401);
      assert.equal(hook.requests.at(-1)!.verdict, 'too old');

      // Slack: one message in Slack's shape naming the vulnerability
      assert.equal(slack.messages.length, 1);
      assert.equal(slack.refused, 0);
      assert.equal(slack.messages[0]!.text, event.summary);
      assert.ok(slack.messages[0]!.blocks.some((b) => b.text?.text.includes('older:1')));

      // email over STARTTLS with AUTH: subject and body name the vulnerability and the images
      assert.equal(smtp.mails.length, 1);
      const mail = smtp.mails[0]!;
      assert.equal(mail.secure, true);
      assert.equal(mail.user, SMTP_USER);
      assert.deepEqual(mail.to.sort(), ['oncall@example.test', 'secops@example.test']);
      assert.equal(mail.subject, `[bulwark] ${event.summary}`);
      assert.ok(mail.text.includes(missing.id), mail.text);
      assert.ok(mail.text.includes('older:1') && mail.text.includes('older:2'), mail.text);
      assert.ok(mail.text.includes(missing.package.name), mail.text);
    });

    it('gives up after the last attempt, and two senders at once send each delivery once', async () => {
      const a = await s.admin();
      const down = await webhookReceiver(HMAC_KEY, { failFirst: 1000, nowSeconds: wireSeconds });
      const up = await webhookReceiver(HMAC_KEY, { nowSeconds: wireSeconds });
      try {
        const mk = async (url: string) =>
          (
            (
              await s.request('POST', '/api/v1/notifications', {
                ...a,
                body: {
                  name: 'x',
                  kind: 'webhook',
                  eventTypes: ['scan.completed'],
                  webhook: { url, secret: HMAC_KEY },
                },
              })
            ).body as { id: number }
          ).id;
        const downId = await mk(down.url);
        await mk(up.url);
        const analyst = await s.userWithToken('analyst');
        s.now += 3600_000;
        for (const tag of ['burst:1', 'burst:2', 'burst:3'])
          await s.request('POST', '/api/v1/reports', {
            token: analyst.token,
            body: asImage(await demoReport(), tag),
          });
        let t = s.now;
        const [x, y] = await Promise.all([drain(t, { maxAttempts: 3 }), drain(t, { maxAttempts: 3 })]);
        assert.equal(x.delivered + y.delivered, 3);
        assert.equal(x.retried + y.retried, 3);
        assert.equal(up.events.length, 3, 'each event once');
        for (let i = 0; i < 2; i++) {
          t += 3600_000;
          await drain(t, { maxAttempts: 3 });
        }
        assert.equal(down.requests.length, 9, 'three attempts for each of three events');
        const list = await s.request('GET', `/api/v1/notifications/${downId}/deliveries?status=failed`, a);
        const failed = (list.body as { deliveries: { attempts: number; lastError: string }[] }).deliveries;
        assert.equal(failed.length, 3);
        assert.ok(failed.every((f) => f.attempts === 3 && f.lastError.startsWith('HTTP 500')));
        assert.deepEqual(await drain(t + 86400_000 * 30, { maxAttempts: 3 }), {
          delivered: 0,
          retried: 0,
          failed: 0,
          cancelled: 0,
        });
      } finally {
        await Promise.all([down.close(), up.close()]);
      }
    });
  });
}

deliverySuite('SQLite', async () => ({ b: { kind: 'sqlite' }, done: async () => undefined }));

deliverySuite('PostgreSQL', async () => {
  const cluster: PostgresCluster = await startPostgres();
  return { b: { kind: 'postgres', url: await cluster.newDatabase() }, done: () => cluster.stop() };
});
