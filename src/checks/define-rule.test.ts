import assert from 'node:assert/strict';
import { it } from 'node:test';
import { defineRule, formatMessage } from './define-rule.js';

const meta = {
  id: 'dockerfile/example',
  aliases: [],
  title: 'example',
  severity: 'LOW' as const,
  category: 'test',
  references: ['https://example.invalid/'],
  remediation: 'nothing to remediate',
  appliesTo: ['dockerfile' as const],
  messages: { found: 'found {{what}}' },
};

it('accepts declared message ids and rejects others at compile time', () => {
  const ok = defineRule({
    meta,
    check: (input: string[]) =>
      input.map((_, i) => ({ messageId: 'found' as const, line: i + 1, column: 1 })),
  });
  assert.equal(ok.check(['a'], { file: 'f', settings: {} })[0]?.messageId, 'found');
  defineRule({
    meta,
    // @ts-expect-error 'other' is not a declared message id
    check: () => [{ messageId: 'other', line: 1, column: 1 }],
  });
});

it('fills placeholders and leaves unknown ones visible', () => {
  assert.equal(formatMessage('a {{x}} {{ y }} {{z}}', { x: 1, y: 'b' }), 'a 1 b {{z}}');
});
