/**
 * The dashboard in a real browser: Debian's Chromium (headless, through playwright-core) against a
 * real server (buildApp on 127.0.0.1 over SQLite) holding real scans of the bundled demo image,
 * with the dashboard built by vite from web/ for this run. Every page is checked with axe-core (no
 * serious or critical violation) and photographed into .bulwark-test-artifacts/dashboard/.
 */
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { Secret, TOTP } from 'otpauth';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { build } from 'vite';
import type { JsonReport } from '../../src/report/index.js';
import { audit } from '../../src/server/auth/audit.js';
import { seriousViolations } from '../helpers/axe.js';
import { launchChromium } from '../helpers/browser.js';
import { asImage, demoReport, laterScan } from '../server/fixtures.js';
import { ADMIN_PASSWORD, TestServer } from '../server/harness.js';

const ROOT = path.resolve(import.meta.dirname, '..', '..');
export const ARTIFACTS = process.env.BULWARK_ARTIFACTS
  ? path.resolve(process.env.BULWARK_ARTIFACTS, 'dashboard')
  : path.join(ROOT, '.bulwark-test-artifacts', 'dashboard');

/** Builds web/ into a temporary folder with the project's own vite config. */
export async function buildDashboard(): Promise<string> {
  const out = mkdtempSync(path.join(os.tmpdir(), 'bulwark-dashboard-build-'));
  await build({
    configFile: path.join(ROOT, 'web', 'vite.config.ts'),
    logLevel: 'warn',
    build: { outDir: out, emptyOutDir: true },
  });
  return out;
}

function totpCode(secret: string, at: number): string {
  return new TOTP({ secret: Secret.fromBase32(secret), digits: 6, period: 30 }).generate({ timestamp: at });
}

describe('dashboard in Chromium', () => {
  let s: TestServer;
  let dir: string;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  let first: JsonReport;
  let later: JsonReport;
  let totpSecret = '';
  let recoveryCodes: string[] = [];
  const problems: string[] = [];

  before(async () => {
    dir = await buildDashboard();
    mkdirSync(ARTIFACTS, { recursive: true });
    s = await TestServer.start({ kind: 'sqlite' }, { dashboardDir: dir, maxReportBytes: 8 * 1024 * 1024 });
    // the browser keeps the session cookie by its own clock: the server's must be the real time
    s.now = Date.now();
    const analyst = await s.userWithToken('analyst');
    first = await demoReport();
    first.createdAt = '2026-11-20T10:00:00Z';
    later = laterScan(first, '2026-11-24T10:00:00Z', (f) => f.fixedVersion !== null && f.package.name < 'm');
    const other = asImage(first, 'registry.local/team/api:1.4');
    other.createdAt = '2026-11-22T09:00:00Z';
    for (const r of [first, later, other]) {
      const up = await s.request('POST', '/api/v1/reports', { token: analyst.token, body: r });
      assert.equal(up.status, 201, up.text);
    }
    browser = await launchChromium();
    context = await browser.newContext({ viewport: { width: 1366, height: 768 } });
    context.setDefaultTimeout(15_000);
    page = await context.newPage();
    page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
    page.on('console', (m) => {
      // a 401 is how the page learns nobody is signed in; anything else is a fault
      if (m.type() === 'error' && !/status of 401/.test(m.text())) problems.push(`console: ${m.text()}`);
    });
  });
  after(async () => {
    await browser?.close();
    await s?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  async function check(name: string) {
    // no tooltip or hover state in the picture
    await page.mouse.move(0, 0);
    await page.screenshot({ path: path.join(ARTIFACTS, `${name}.png`), fullPage: true });
    const v = await seriousViolations(page);
    assert.deepEqual(v, [], `${name}: axe found ${JSON.stringify(v, null, 1)}`);
    assert.deepEqual(problems, [], `${name}: ${problems.join('\n')}`);
  }

  it('signs in with a password', async () => {
    await page.goto(`${s.url}/`);
    await page.getByLabel('User name').waitFor();
    await check('sign-in');
    await page.getByLabel('User name').fill('admin');
    await page.getByLabel('Password').fill('wrong password here');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('alert').filter({ hasText: 'BAD_CREDENTIALS' }).waitFor();
    await page.getByLabel('Password').fill(ADMIN_PASSWORD);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('heading', { name: 'Portfolio overview' }).waitFor();
  });

  it('shows the portfolio: totals, the chart from scan history, the images ranked', async () => {
    await page.locator('#images tbody tr').first().waitFor();
    await page.locator('.chart .recharts-line-curve').first().waitFor();
    assert.equal(await page.locator('.chart .recharts-line-curve').count(), 5);
    const rows = await page.locator('#images tbody tr').count();
    assert.equal(rows, 2);
    // the image with the fixable findings still open ranks first
    assert.match(
      (await page.locator('#images tbody tr').first().textContent()) ?? '',
      /registry\.local\/team\/api:1\.4/,
    );
    const cards = (await page.locator('.cards').textContent()) ?? '';
    assert.match(cards, /2 images/);
    assert.match(cards, /3 scans/);
    const kev = later.findings.filter((f) => f.kev).length + first.findings.filter((f) => f.kev).length;
    assert.match(cards, new RegExp(`${kev} known exploited`));
    await check('overview');
  });

  it('opens an image: layers, findings filtered by severity, fix, package and layer, history', async () => {
    // the second row: the demo image under its own name, scanned twice
    await page.locator('#images tbody tr').nth(1).getByRole('link').click();
    await page.locator('#layers tbody tr').first().waitFor();
    const layerRows = await page.locator('#layers tbody tr').count();
    assert.equal(layerRows, later.target.layers.length);
    const all = later.findings.length;
    const count = async () => page.locator('#findings tbody tr').count();
    assert.equal(await count(), all);
    // only HIGH and CRITICAL
    for (const sev of ['medium', 'low', 'unknown'])
      await page.getByRole('checkbox', { name: sev, exact: true }).uncheck();
    const highOrCritical = later.findings.filter(
      (f) => f.severity === 'HIGH' || f.severity === 'CRITICAL',
    ).length;
    assert.equal(await count(), highOrCritical);
    for (const sev of ['medium', 'low', 'unknown'])
      await page.getByRole('checkbox', { name: sev, exact: true }).check();
    await page.getByLabel('Fix available only').check();
    assert.equal(await count(), later.findings.filter((f) => f.fixedVersion).length);
    await page.getByLabel('Fix available only').uncheck();
    await page.getByLabel('Known exploited only').check();
    assert.equal(await count(), later.findings.filter((f) => f.kev).length);
    await page.getByLabel('Known exploited only').uncheck();
    const pkg = later.findings[0]!.package.name;
    await page.getByLabel('Package').fill(pkg);
    assert.equal(await count(), later.findings.filter((f) => f.package.name.includes(pkg)).length);
    await page.getByLabel('Package').fill('');
    const layer = later.findings.find((f) => f.layer)!.layer!;
    await page.getByLabel('Layer', { exact: true }).selectOption(layer.diffId);
    assert.equal(await count(), later.findings.filter((f) => f.layer?.diffId === layer.diffId).length);
    await page.getByLabel('Layer', { exact: true }).selectOption('');
    assert.equal(await page.locator('#scans tbody tr').count(), 2);
    await check('image');
  });

  it('opens the diff between the two scans', async () => {
    await page.getByRole('link', { name: /changes since/ }).click();
    await page.getByRole('heading', { name: /Changes from scan/ }).waitFor();
    const dropped = first.findings.length - later.findings.length;
    assert.ok(dropped > 0);
    assert.equal(await page.locator('#diff-fixed tbody tr').count(), dropped);
    assert.equal(await page.locator('#diff-new tbody tr').count(), 0);
    await check('diff');
  });

  it('enrols two-factor authentication through the page: QR code, code, recovery codes', async () => {
    await page.getByRole('link', { name: 'Two-factor' }).click();
    await page.getByRole('button', { name: 'Set up an authenticator app' }).click();
    await page.locator('.qr svg').waitFor();
    totpSecret = ((await page.locator('#totp-secret').textContent()) ?? '').trim();
    assert.match(totpSecret, /^[A-Z2-7]{32}$/);
    await check('totp-enrol');
    await page.getByLabel('Code shown by the app').fill(totpCode(totpSecret, s.now));
    await page.getByRole('button', { name: 'Turn on two-factor' }).click();
    await page.locator('#recovery-codes li').first().waitFor();
    assert.equal(await page.locator('#recovery-codes li').count(), 10);
    recoveryCodes = (await page.locator('#recovery-codes li').allTextContents()).map((c) => c.trim());
    await check('totp-codes');
  });

  it('signs in again with the password and a TOTP code', async () => {
    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.getByLabel('User name').fill('admin');
    await page.getByLabel('Password').fill(ADMIN_PASSWORD);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByLabel('Authentication code').waitFor();
    await check('sign-in-totp');
    // the next time step: the code used for enrolment may not be replayed
    s.now += 30_000;
    await page.getByLabel('Authentication code').fill(totpCode(totpSecret, s.now));
    await page.getByRole('button', { name: 'Verify' }).click();
    await page.getByRole('heading', { name: 'Portfolio overview' }).waitFor();
  });

  it('signs in with a recovery code instead, which works once', async () => {
    await page.getByRole('button', { name: 'Sign out' }).click();
    const signIn = async () => {
      await page.getByLabel('User name').fill('admin');
      await page.getByLabel('Password').fill(ADMIN_PASSWORD);
      await page.getByRole('button', { name: 'Sign in' }).click();
      await page.getByRole('button', { name: 'Use a recovery code instead' }).click();
      await page.getByLabel('Recovery code').fill(recoveryCodes[0]!);
      await page.getByRole('button', { name: 'Verify' }).click();
    };
    await signIn();
    await page.getByRole('heading', { name: 'Portfolio overview' }).waitFor();
    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.goto(`${s.url}/`);
    await signIn();
    await page.getByRole('alert').filter({ hasText: 'TOTP_INVALID' }).waitFor();
    // back in with a fresh TOTP code for the rest
    await page.getByRole('button', { name: 'Use an authentication code instead' }).click();
    s.now += 30_000;
    await page.getByLabel('Authentication code').fill(totpCode(totpSecret, s.now));
    await page.getByRole('button', { name: 'Verify' }).click();
    await page.getByRole('heading', { name: 'Portfolio overview' }).waitFor();
  });

  it('makes an API token shown once, which works until it is revoked', async () => {
    await page.getByRole('link', { name: 'API tokens' }).click();
    await page.getByLabel('Name').fill('ci upload');
    await page.getByRole('button', { name: 'Make token' }).click();
    const secret = await page.getByLabel('Token secret').inputValue();
    assert.match(secret, /^bwk_/);
    assert.equal((await s.request('GET', '/api/v1/images', { token: secret })).status, 200);
    await check('tokens');
    await page.getByRole('button', { name: 'Revoke token ci upload' }).click();
    await page.getByRole('status').filter({ hasText: 'revoked' }).waitFor();
    assert.equal((await s.request('GET', '/api/v1/images', { token: secret })).status, 401);
    // shown once: after a reload the page has no secret to show
    await page.reload();
    await page.locator('#tokens tbody tr').first().waitFor();
    assert.equal(await page.getByLabel('Token secret').count(), 0);
  });

  it('adds a user, changes the role, disables them', async () => {
    await page.getByRole('link', { name: 'Users' }).click();
    await page.getByLabel('User name').fill('dora');
    await page.getByLabel('Password (at least 12 characters)').fill('dora has a long password');
    await page.getByLabel('Role', { exact: true }).selectOption('viewer');
    await page.getByRole('button', { name: 'Add user' }).click();
    await page.getByRole('status').filter({ hasText: 'dora created' }).waitFor();
    await page.getByLabel('Role of dora').selectOption('analyst');
    await page.getByRole('status').filter({ hasText: 'dora is now analyst' }).waitFor();
    await page.getByRole('button', { name: 'Disable dora' }).click();
    await page.getByRole('button', { name: 'Enable dora' }).waitFor();
    const dora = await s.store.db
      .selectFrom('users')
      .selectAll()
      .where('username', '=', 'dora')
      .executeTakeFirstOrThrow();
    assert.equal(dora.role, 'analyst');
    assert.equal(dora.disabled, 1);
    await check('users');
  });

  it('shows every one of those actions in the audit log, a page at a time', async () => {
    await page.getByRole('link', { name: 'Audit log' }).click();
    await page.locator('#audit tbody tr').first().waitFor();
    const text = (await page.locator('#audit').textContent()) ?? '';
    for (const a of [
      'token.create',
      'token.revoke',
      'totp.enable',
      'user.create',
      'user.update',
      'session.create',
    ])
      assert.match(text, new RegExp(a.replace('.', '\\.')), a);
    // a page at a time: 50 newest, then older ones
    for (let i = 0; i < 60; i++)
      await audit(s.store, { actorId: null, actor: 'bench', action: 'paging.test', target: `n:${i}` });
    await page.reload();
    await page.locator('#audit[aria-busy="false"]').waitFor();
    assert.equal(await page.locator('#audit tbody tr').count(), 50);
    const firstTarget = () => page.locator('#audit tbody tr').first().locator('td').nth(2).textContent();
    assert.equal(await firstTarget(), 'n:59');
    await page.getByRole('button', { name: 'Older' }).click();
    await page.waitForURL(/offset=50/);
    await page.locator('#audit[aria-busy="false"]').waitFor();
    assert.equal(await firstTarget(), 'n:9');
    await page.getByRole('button', { name: 'Newer' }).click();
    await page.waitForURL((u) => !u.search.includes('offset'));
    await page.getByLabel('Action').fill('token.revoke');
    await page.getByRole('button', { name: 'Filter' }).click();
    await page.waitForURL(/action=token\.revoke/);
    await page.locator('#audit[aria-busy="false"]').waitFor();
    assert.equal(await page.locator('#audit tbody tr').count(), 1);
    await check('audit');
  });

  it('is usable from the keyboard with a visible focus', async () => {
    await page.goto(`${s.url}/`);
    await page.getByRole('heading', { name: 'Portfolio overview' }).waitFor();
    await page.keyboard.press('Tab');
    // page code as text: the test's own TypeScript has no DOM library
    assert.equal(await page.evaluate('document.activeElement?.textContent'), 'Skip to content');
    await page.keyboard.press('Tab');
    const outline = (await page.evaluate(`(() => {
      const el = document.activeElement;
      const st = getComputedStyle(el);
      return { text: el.textContent, style: st.outlineStyle, width: st.outlineWidth };
    })()`)) as { text: string; style: string; width: string };
    assert.equal(outline.text, 'Overview');
    assert.equal(outline.style, 'solid');
    assert.notEqual(outline.width, '0px');
    // Enter on a focused link routes like a click
    await page.keyboard.press('Tab');
    await page.keyboard.press('Enter');
    await page.getByRole('heading', { name: 'API tokens' }).waitFor();
    // nothing is wider than a laptop screen
    const wide = (await page.evaluate('document.documentElement.scrollWidth')) as number;
    assert.ok(wide <= 1366, `page is ${wide}px wide`);
  });
});
