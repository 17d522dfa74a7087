import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { withOfflineHint } from '../../src/cli/commands/db.js';
import { BulwarkError } from '../../src/core/errors.js';
import { UPDATE_HINT } from '../../src/vulndb/index.js';

const unreachable = () =>
  Promise.reject(
    new BulwarkError(
      'NETWORK',
      'ENOTFOUND: getaddrinfo ENOTFOUND osv-vulnerabilities.storage.googleapis.com',
      {
        input: 'https://osv-vulnerabilities.storage.googleapis.com/ecosystems.txt',
      },
    ),
  );

describe('offline, the messages show the ways that work offline', () => {
  it('db update that cannot reach the public feeds names --mirror and db import', async () => {
    await assert.rejects(withOfflineHint(false, unreachable()), (e: unknown) => {
      assert.ok(e instanceof BulwarkError);
      assert.equal(e.code, 'NETWORK');
      assert.equal(e.input, 'https://osv-vulnerabilities.storage.googleapis.com/ecosystems.txt');
      assert.match(e.message, /ENOTFOUND/);
      assert.match(e.message, /--mirror DIR\|URL/);
      assert.match(e.message, /db import FILE/);
      return true;
    });
  });

  it('a mirror that fails is reported as it is (the user already chose the offline way)', async () => {
    await assert.rejects(withOfflineHint(true, unreachable()), (e: unknown) => {
      assert.ok(e instanceof BulwarkError);
      assert.doesNotMatch(e.message, /--mirror/);
      return true;
    });
  });

  it('stale and outdated database warnings carry the offline ways too', () => {
    assert.match(UPDATE_HINT, /bulwark db update --mirror DIR\|URL/);
    assert.match(UPDATE_HINT, /bulwark db import FILE/);
  });
});
