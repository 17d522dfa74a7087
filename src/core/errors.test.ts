import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { BulwarkError, ERROR_CODES, toBulwarkError } from './errors.js';

describe('BulwarkError', () => {
  it('maps every code to a distinct exit code outside 0 and 1', () => {
    const codes = Object.values(ERROR_CODES);
    assert.equal(new Set(codes).size, codes.length);
    for (const c of codes) assert.ok(c >= 2, `exit code ${c} collides with success/findings`);
  });

  it('names the input in its display string', () => {
    const e = new BulwarkError('PATH_TRAVERSAL', 'entry escapes the root', {
      input: 'layer.tar:../etc/passwd',
    });
    assert.equal(e.exitCode, ERROR_CODES.PATH_TRAVERSAL);
    assert.equal(
      e.toDisplayString(),
      'error[PATH_TRAVERSAL] layer.tar:../etc/passwd: entry escapes the root',
    );
  });

  it('wraps foreign errors but keeps typed ones', () => {
    const typed = new BulwarkError('DATABASE', 'x');
    assert.equal(toBulwarkError(typed, 'INTERNAL'), typed);
    const wrapped = toBulwarkError(new Error('boom'), 'NETWORK', 'https://r');
    assert.equal(wrapped.code, 'NETWORK');
    assert.equal(wrapped.input, 'https://r');
  });
});
