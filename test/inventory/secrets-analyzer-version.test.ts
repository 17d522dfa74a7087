/**
 * Layers are cached by diffID and analyzer version: when the secret rules change, the secrets
 * analyzer's version must change too, or a rescan answers with the old rules' findings. The
 * fingerprint of the rule set is pinned per version here, so changing a rule without a bump fails.
 */
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { describe, it } from 'node:test';
import { secretsAnalyzer } from '../../src/inventory/analyzers/secrets.js';
import { ANALYZER_INFO } from '../../src/inventory/versions.js';
import { SECRET_RULES } from '../../src/secrets/index.js';

/** version → fingerprint of the rule set it was released with */
const RELEASED: Record<number, string> = {
  2: 'd46d51dfbe9fc512df44ca0b389466ce2f5227d182bced1ef01aea8a538054c7',
};

function fingerprint(): string {
  const text = JSON.stringify(SECRET_RULES, (_k, v: unknown) =>
    v instanceof RegExp ? `/${v.source}/${v.flags}` : typeof v === 'function' ? v.toString() : v,
  );
  return createHash('sha256').update(text).digest('hex');
}

describe('secrets analyzer version', () => {
  it('changes whenever the secret rules do', () => {
    assert.equal(ANALYZER_INFO.secrets?.version, secretsAnalyzer.version);
    assert.equal(
      fingerprint(),
      RELEASED[secretsAnalyzer.version],
      'the secret rules changed: bump secretsAnalyzer.version (and ANALYZER_INFO) and pin the new fingerprint here',
    );
  });

  it('sees a changed rule', () => {
    const before = fingerprint();
    const rule = SECRET_RULES[0] as { keywords: string[] };
    rule.keywords.push('changed-for-the-test');
    try {
      assert.notEqual(fingerprint(), before);
    } finally {
      rule.keywords.pop();
    }
  });
});
