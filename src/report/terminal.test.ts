import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { renderCheckTable } from '../checks/render.js';
import type { CheckFinding } from '../checks/types.js';
import { fitColumns, lineColumn } from './terminal.js';

function finding(ruleId: string, line: number): CheckFinding {
  return {
    ruleId,
    aliases: ['DL3015', 'AVD-DS-0029'],
    severity: 'LOW',
    title: 't',
    message: 'apt-get install without --no-install-recommends adds packages nobody asked for '.repeat(3),
    remediation: '',
    references: [],
    file: 'Dockerfile',
    line,
    column: line ? 3 : 0,
    target: 'dockerfile',
  };
}

describe('tables', () => {
  it('fit columns take their longest cell, the rest column what is left', () => {
    const rows = [
      ['a', 'x'.repeat(50), 'm'],
      ['bbb', 'y', 'm'],
    ];
    assert.deepEqual(fitColumns(rows, ['fit', 'fit', 'rest'], 100), [5, 52, 100 - 5 - 52 - 4]);
    assert.deepEqual(
      fitColumns(rows, [10, 'fit', 'rest'], 40),
      [10, 52, 32],
      'the rest column keeps a minimum',
    );
  });

  it('a rule id is never cut, on narrow or wide terminals', () => {
    const id = 'dockerfile/apt-no-install-recommends-and-a-much-longer-name';
    for (const width of [60, 120, 200]) {
      const text = renderCheckTable(
        {
          files: [{ file: 'Dockerfile', family: 'dockerfile' }],
          findings: [finding(id, 2)],
          suppressed: [],
          errors: [],
          warnings: [],
        },
        { toolVersion: 't', width },
      );
      assert.ok(text.includes(id), `width ${width}:\n${text}`);
      assert.ok(!text.includes('…'));
    }
  });

  it('a finding about a whole file shows no 0:0 position', () => {
    assert.equal(lineColumn({ line: 0, column: 0 }), '-');
    assert.equal(lineColumn({ line: 12, column: 4 }), '12:4');
    const text = renderCheckTable(
      {
        files: [{ file: 'daemon.json', family: 'daemon' }],
        findings: [{ ...finding('daemon/x', 0), file: 'daemon.json' }],
        suppressed: [],
        errors: [],
        warnings: [],
      },
      { toolVersion: 't' },
    );
    assert.doesNotMatch(text, /0:0/);
    assert.match(text, /│ - +│ LOW/);
  });
});
