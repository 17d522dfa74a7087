import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { renderReport, renderTable } from '../../src/report/index.js';
import { assertGolden, sampleInventory, sampleReport } from './sample.js';

describe('table report', () => {
  const report = sampleReport();

  it('shows a title, a summary per severity and one row per finding, without colour by default', () => {
    const text = renderTable(report);
    assert.ok(!text.includes('\x1b['), 'no ANSI escapes unless asked');
    const lines = text.split('\n');
    assert.equal(lines[0], 'registry.test/shop/api:1.4.2 (Debian GNU/Linux 10)');
    assert.equal(lines[2], 'Total: 4 (CRITICAL: 1, HIGH: 1, MEDIUM: 0, LOW: 0, UNKNOWN: 2)');
    assert.equal(lines[3], 'Known exploited (CISA KEV): 1');
    assert.equal(lines[4], 'Suppressed: 1 (ignore file)');
    const kevRow = lines.find((l) => l.includes('CVE-2021-44228'));
    assert.match(kevRow ?? '', /CRITICAL KEV/);
    for (const f of report.findings) assert.ok(text.includes(f.id), f.id);
    assertGolden('report.table.txt', text);
  });

  it('colours severities only when asked', async () => {
    const text = await renderReport('table', report, { color: true });
    assert.ok(text.includes('\x1b[31m'));
  });

  it('groups several targets, one block each', () => {
    const other = sampleReport({
      ...sampleInventory(),
      target: { kind: 'rootfs', name: '/srv/rootfs' },
      packages: [],
    });
    const text = renderTable([report, other]);
    const blocks = text.trimEnd().split('\n\n');
    assert.equal(blocks.length, 2);
    assert.ok(blocks[1]!.startsWith('/srv/rootfs (Debian GNU/Linux 10)\n'));
    assert.ok(blocks[1]!.includes('Total: 0 (CRITICAL: 0, HIGH: 0, MEDIUM: 0, LOW: 0, UNKNOWN: 0)'));
  });

  it('neutralises control characters from hostile package data', () => {
    const hostile = sampleReport();
    const f = hostile.findings[0]!;
    hostile.findings = [
      { ...f, summary: 'evil\x1b[2J\rsummary', package: { ...f.package, name: 'pkg\nname' } },
    ];
    const text = renderTable(hostile);
    assert.ok(!text.includes('\x1b'));
    assert.ok(text.includes('evil [2J summary'));
  });
});
