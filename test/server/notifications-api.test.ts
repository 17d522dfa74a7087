import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { secretBox } from '../../src/server/crypto/sealed.js';
import { demoReport } from './fixtures.js';
import { TestServer } from './harness.js';
import { slackReceiver, webhookReceiver, type SlackReceiver, type WebhookReceiver } from './receivers.js';

const KEY = 'the webhook signing key';
const SLACK_SECRET_PATH = '/services/T000/B000/XXXXXXXX';

describe('notification channels API', () => {
  let s: TestServer;
  let hook: WebhookReceiver;
  let slack: SlackReceiver;
  before(async () => {
    s = await TestServer.start({ kind: 'sqlite' }, { secretBox: secretBox(randomBytes(32)) });
    hook = await webhookReceiver(KEY, { nowSeconds: () => Math.floor(s.now / 1000) });
    slack = await slackReceiver();
  });
  after(async () => {
    await Promise.all([hook.close(), slack.close()]);
    await s.close();
  });

  it('adds, lists, changes and deletes channels; secrets are sealed and never answered', async () => {
    const a = await s.admin();
    const created = await s.request('POST', '/api/v1/notifications', {
      ...a,
      body: {
        name: 'ops',
        kind: 'webhook',
        minSeverity: 'HIGH',
        kevOnly: true,
        webhook: { url: hook.url, secret: KEY },
      },
    });
    assert.equal(created.status, 201, created.text);
    const ch = created.body as {
      id: number;
      webhook: { url: string };
      minSeverity: string;
      kevOnly: boolean;
    };
    assert.equal(ch.webhook.url, hook.url);
    assert.deepEqual([ch.minSeverity, ch.kevOnly], ['HIGH', true]);
    const sl = await s.request('POST', '/api/v1/notifications', {
      ...a,
      body: { name: 'chat', kind: 'slack', eventTypes: ['vulnerability.new'], slack: { url: slack.url } },
    });
    assert.equal(sl.status, 201, sl.text);
    const mail = await s.request('POST', '/api/v1/notifications', {
      ...a,
      body: {
        name: 'mail',
        kind: 'email',
        email: {
          host: 'smtp.example.test',
          port: 587,
          security: 'starttls',
          username: 'u',
          password: 'the smtp password',
          from: 'b@example.test',
          to: ['x@example.test'],
        },
      },
    });
    assert.equal(mail.status, 201, mail.text);

    const all = await s.request('GET', '/api/v1/notifications', a);
    assert.equal(all.status, 200);
    for (const secret of [KEY, SLACK_SECRET_PATH, 'the smtp password'])
      assert.ok(!all.text.includes(secret), `the list answers a secret: ${secret}`);
    const rows = await s.store.db.selectFrom('notification_channels').select(['secret', 'config']).execute();
    for (const r of rows) {
      assert.match(r.secret, /^v1:/);
      for (const secret of [KEY, SLACK_SECRET_PATH, 'the smtp password'])
        assert.ok(!r.secret.includes(secret) && !r.config.includes(secret), 'a secret stored in the clear');
    }

    // change the filters and the key: the new key signs from now on
    const patched = await s.request('PATCH', `/api/v1/notifications/${ch.id}`, {
      ...a,
      body: { kevOnly: false, minSeverity: null, webhook: { secret: 'another key, long enough' } },
    });
    assert.equal(patched.status, 200, patched.text);
    assert.deepEqual(
      [(patched.body as { kevOnly: boolean }).kevOnly, (patched.body as { minSeverity: null }).minSeverity],
      [false, null],
    );
    const test1 = await s.request('POST', `/api/v1/notifications/${ch.id}/test`, a);
    assert.equal(test1.status, 200);
    assert.equal((test1.body as { ok: boolean }).ok, false, 'the receiver knows the old key only');
    assert.equal((test1.body as { status: number }).status, 401);
    await s.request('PATCH', `/api/v1/notifications/${ch.id}`, { ...a, body: { webhook: { secret: KEY } } });
    const test2 = await s.request('POST', `/api/v1/notifications/${ch.id}/test`, a);
    assert.deepEqual(test2.body, { ok: true, status: 200, error: null });
    assert.equal(hook.events.at(-1)!.type, 'notification.test');
    const slackId = (sl.body as { id: number }).id;
    const test3 = await s.request('POST', `/api/v1/notifications/${slackId}/test`, a);
    assert.deepEqual(test3.body, { ok: true, status: 200, error: null });
    assert.match(slack.messages.at(-1)!.text, /test notification for channel chat/);

    // an upload makes a pending delivery for the catch-all webhook; deleting cancels it
    const analyst = await s.userWithToken('analyst');
    await s.request('POST', '/api/v1/reports', { token: analyst.token, body: await demoReport() });
    const one = await s.request('GET', `/api/v1/notifications/${ch.id}`, a);
    assert.equal((one.body as { deliveries: { pending: number } }).deliveries.pending, 1);
    const del = await s.request('DELETE', `/api/v1/notifications/${ch.id}`, a);
    assert.deepEqual(del.body, { id: ch.id, deleted: true, cancelled: 1 });
    assert.equal((await s.request('GET', `/api/v1/notifications/${ch.id}`, a)).status, 404);
    assert.equal((await s.request('DELETE', `/api/v1/notifications/${ch.id}`, a)).status, 404);

    const audit = await s.request('GET', '/api/v1/audit?action=notification.create', a);
    const entries = (audit.body as { entries: { detail: unknown }[] }).entries;
    assert.equal(entries.length, 3);
    assert.ok(!JSON.stringify(entries).includes(KEY) && !JSON.stringify(entries).includes('smtp password'));
    const changes = await s.request('GET', '/api/v1/audit?action=notification.update', a);
    assert.equal((changes.body as { entries: unknown[] }).entries.length, 2);
  });

  it('refuses bad channels with 400, and viewers and analysts with 403', async () => {
    const a = await s.admin();
    const bad: Record<string, unknown>[] = [
      { name: 'x', kind: 'webhook', webhook: { url: hook.url } },
      { name: 'x', kind: 'webhook', webhook: { url: 'ftp://example.test/x', secret: KEY } },
      { name: 'x', kind: 'webhook', webhook: { url: 'http://user:pw@127.0.0.1/x', secret: KEY } },
      { name: 'x', kind: 'webhook', webhook: { url: hook.url, secret: 'short' } },
      { name: 'x', kind: 'webhook', webhook: { url: hook.url, secret: KEY }, slack: { url: slack.url } },
      { name: 'x', kind: 'slack' },
      { name: 'x', kind: 'email', email: { host: 'h', port: 25, security: 'none', from: 'a@b.c' } },
      {
        name: 'x',
        kind: 'email',
        email: { host: 'h', port: 25, security: 'none', from: 'a@b.c', to: ['x@y.z\r\nBcc: evil@e.test'] },
      },
      {
        name: 'x',
        kind: 'email',
        email: { host: 'h', port: 25, security: 'none', from: 'a@b.c', to: ['x@y.z'], ca: 'x' },
      },
      { name: 'x', kind: 'slack', slack: { url: slack.url }, eventTypes: ['nope'] },
      { name: 'x', kind: 'slack', slack: { url: slack.url }, minSeverity: 'SEVERE' },
      { name: 'x', kind: 'pager', slack: { url: slack.url } },
    ];
    for (const body of bad) {
      const r = await s.request('POST', '/api/v1/notifications', { ...a, body });
      assert.equal(r.status, 400, `${JSON.stringify(body)}: ${r.status} ${r.text}`);
    }
    const analyst = await s.userWithToken('analyst');
    assert.equal((await s.request('GET', '/api/v1/notifications', { token: analyst.token })).status, 403);
    assert.equal(
      (
        await s.request('POST', '/api/v1/notifications', {
          token: analyst.token,
          body: { name: 'x', kind: 'slack', slack: { url: slack.url } },
        })
      ).status,
      403,
    );
  });

  it('stores no secret without BULWARK_SECRET_KEY (422)', async () => {
    const bare = await TestServer.start({ kind: 'sqlite' });
    try {
      const a = await bare.admin();
      const r = await bare.request('POST', '/api/v1/notifications', {
        ...a,
        body: { name: 'x', kind: 'slack', slack: { url: slack.url } },
      });
      assert.equal(r.status, 422);
      assert.equal((r.body as { error: { code: string } }).error.code, 'SECRET_KEY_MISSING');
      assert.equal((await bare.store.db.selectFrom('notification_channels').selectAll().execute()).length, 0);
    } finally {
      await bare.close();
    }
  });
});
