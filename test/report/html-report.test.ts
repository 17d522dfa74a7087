import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { pathToFileURL } from 'node:url';
import type { Browser, Page } from 'playwright-core';
import { exploitProbability, renderHtml, type ScanReport } from '../../src/report/index.js';
import { launchChromium } from '../helpers/browser.js';
import { scanDemoImage } from '../helpers/demo-scan.js';

// The HTML report of a real scan (the bundled demo image against its database), opened in Debian's
// Chromium: hostile text from the scan must stay text, sorting and filtering must work, offline.
const tmp = mkdtempSync(path.join(os.tmpdir(), 'bulwark-html-'));
const HOSTILE = '<script>window.__pwned=1</script><img src=x onerror="window.__pwned=2">';
let report: ScanReport;
let browser: Browser;
let page: Page;
const pageErrors: string[] = [];
const requests: string[] = [];

before(async () => {
  report = await scanDemoImage(tmp, ['vuln', 'misconfig']);
  // an attacker controls package names, advisory titles, references and layer commands
  const f = report.findings[0]!;
  report.findings[0] = {
    ...f,
    package: {
      ...f.package,
      name: `evil${HOSTILE}`,
      layer: { ...f.package.layer!, createdBy: `</code>${HOSTILE}` },
    },
    summary: `"><svg onload="window.__pwned=3">${HOSTILE}`,
    references: ['javascript:window.__pwned=4', ...f.references],
  };
  report.target = { ...report.target, name: `img${HOSTILE}` };
  const file = path.join(tmp, 'report.html');
  writeFileSync(file, renderHtml(report));
  browser = await launchChromium();
  page = await browser.newPage();
  page.on('pageerror', (e) => pageErrors.push(String(e)));
  page.on('dialog', (d) => {
    pageErrors.push(`dialog ${d.message()}`);
    void d.dismiss();
  });
  page.on('request', (r) => {
    if (!r.url().startsWith('file:')) requests.push(r.url());
  });
  await page.goto(pathToFileURL(file).href);
});

after(async () => {
  await browser?.close();
  rmSync(tmp, { recursive: true, force: true });
});

const shown = () => page.locator('#findings tbody tr:not([hidden])').count();

describe('HTML report in a real browser', () => {
  it('runs nothing injected through the scan: no script, handler or javascript: link gets in', async () => {
    assert.equal(await page.evaluate(() => (globalThis as { __pwned?: number }).__pwned), undefined);
    assert.equal(await page.locator('script').count(), 1, 'only the report’s own script');
    assert.equal(await page.locator('img, svg[onload], [onerror], [onload]').count(), 0);
    assert.equal(await page.locator('a[href^="javascript:"]').count(), 0);
    // the hostile text is shown as text, where it was
    const text = await page.locator('#findings tbody').innerText();
    assert.ok(text.includes(`evil${HOSTILE}`), text.slice(0, 300));
    assert.ok((await page.locator('h1').innerText()).includes(HOSTILE));
    assert.deepEqual(pageErrors, []);
  });

  it('is self-contained: nothing is fetched from the network', () => {
    assert.deepEqual(requests, []);
  });

  it('shows the summary, the exploit probability and every layer', async () => {
    const summary = await page.locator('#sum-h + .summary').innerText();
    assert.match(
      summary,
      new RegExp(`${report.findings.length} vulnerabilities in ${report.packages.length} packages`),
    );
    const risk = await page.locator('section[aria-labelledby=risk-h]').innerText();
    assert.ok(risk.includes(`${(exploitProbability(report.findings) * 100).toFixed(1)}%`), risk);
    const layers = await page.locator('section[aria-labelledby=layers-h] tbody tr').count();
    assert.equal(layers, report.target.layers!.length);
    assert.ok((await page.locator('section[aria-labelledby=mis-h] tbody tr').count()) > 0);
  });

  it('sorts by a column with the mouse and with the keyboard', async () => {
    const risks = async () =>
      (await page.locator('#findings tbody tr td:nth-child(7)').allInnerTexts()).map(Number);
    await page.getByRole('button', { name: 'Risk' }).click();
    const asc = await risks();
    assert.deepEqual(
      asc,
      [...asc].sort((a, b) => a - b),
    );
    assert.equal(await page.locator('th:has(button:text-is("Risk"))').getAttribute('aria-sort'), 'ascending');
    await page.getByRole('button', { name: 'Risk' }).focus();
    await page.keyboard.press('Enter');
    const desc = await risks();
    assert.deepEqual(
      desc,
      [...desc].sort((a, b) => b - a),
    );
  });

  it('filters by severity, known exploitation, fix and text', async () => {
    const all = report.findings.length;
    assert.equal(await shown(), all);
    await page.getByRole('checkbox', { name: 'UNKNOWN' }).uncheck();
    assert.equal(await shown(), report.findings.filter((f) => f.severity !== 'UNKNOWN').length);
    await page.getByRole('checkbox', { name: 'UNKNOWN' }).check();
    await page.getByLabel('Known exploited only').check();
    assert.equal(await shown(), report.findings.filter((f) => f.kev).length);
    await page.getByLabel('Known exploited only').uncheck();
    await page.getByRole('searchbox', { name: 'Search' }).fill('lodash');
    assert.equal(await shown(), report.findings.filter((f) => f.package.name === 'lodash').length);
    assert.match(await page.locator('#shown').innerText(), new RegExp(`of ${all} shown`));
  });
});

// an image name ends at the first space, so the Dockerfile's hostile text has none
const NOSPACE = '<script>window.__pwned=1</script><img/src=x/onerror=window.__pwned=2>';

describe('HTML report of configuration checks in a real browser', () => {
  it('shows rule findings as text, sortable, with only its own script', async () => {
    const { checkPaths, renderCheckHtml } = await import('../../src/checks/index.js');
    const dir = path.join(tmp, 'project');
    mkdirSync(dir, { recursive: true });
    writeFileSync(
      path.join(dir, 'Dockerfile'),
      `FROM evil${NOSPACE}:latest\nRUN apt-get install -y curl\nADD https://example.com/a.tgz /a/\n`,
    );
    const result = await checkPaths([dir]);
    assert.ok(result.findings.length >= 3);
    const file = path.join(tmp, 'config.html');
    writeFileSync(file, renderCheckHtml(result, { toolVersion: '0.1.0' }));
    const p = await browser.newPage();
    const errors: string[] = [];
    p.on('pageerror', (e) => errors.push(String(e)));
    await p.goto(pathToFileURL(file).href);
    assert.equal(await p.evaluate(() => (globalThis as { __pwned?: number }).__pwned), undefined);
    assert.equal(await p.locator('script').count(), 1);
    assert.equal(await p.locator('img, [onerror]').count(), 0);
    assert.ok((await p.locator('#findings tbody').innerText()).includes(`evil${NOSPACE}`));
    await p.getByRole('button', { name: 'Line' }).click();
    const lines = (await p.locator('#findings tbody tr td:nth-child(4)').allInnerTexts()).map((t) =>
      Number(t.split(':')[0]),
    );
    assert.deepEqual(
      lines,
      [...lines].sort((a, b) => a - b),
    );
    assert.equal(await p.locator('#findings tbody tr').count(), result.findings.length);
    assert.deepEqual(errors, []);
    await p.close();
  });
});
