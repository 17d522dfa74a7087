// Policy files: valid ones load with defaults; every mistake is a CONFIG error naming the file
// and the line of the field at fault; hostile YAML is bounded.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { BulwarkError } from '../../src/core/errors.js';
import { parsePolicy } from '../../src/policy/index.js';

const HEAD = 'apiVersion: bulwark.dev/v1\nkind: Policy\nmetadata:\n  name: t\nspec:\n';

function fails(text: string, re: RegExp): void {
  assert.throws(
    () => parsePolicy(text, 'policy.yaml'),
    (e: unknown) => {
      assert.ok(e instanceof BulwarkError, String(e));
      assert.equal(e.input, 'policy.yaml');
      assert.match(e.message, re);
      return true;
    },
  );
}

describe('policy files', () => {
  it('loads with defaults', () => {
    const p = parsePolicy(`${HEAD}  podSecurity: {level: baseline}\n`, 'policy.yaml');
    assert.equal(p.spec.mode, 'enforce');
    assert.equal(p.spec.missingFacts, 'warn');
    assert.equal(p.spec.podSecurity?.version, 'latest');
    assert.deepEqual(p.spec.exceptions, []);
  });

  it('names the line of a bad value, an unknown key and a missing reason', () => {
    fails(
      `${HEAD}  vulnerabilities:\n    noKev: true\n    maxSeverity: SEVERE\n`,
      /^line 8: spec\.vulnerabilities\.maxSeverity: /,
    );
    fails(`${HEAD}  podSecurity: {level: baseline}\n  typo: 1\n`, /^line 7: spec: Unrecognized key: "typo"/);
    fails(
      `${HEAD}  exceptions:\n    - rules: [policy/kev]\n      expires: 2027-01-01\n`,
      /^line 7: spec\.exceptions\.0\.reason: /,
    );
    fails(
      `${HEAD}  exceptions:\n    - rules: [policy/nope]\n      reason: r\n      expires: 2027-01-01\n`,
      /^line 7: spec\.exceptions\.0\.rules\.0: /,
    );
    fails(
      `${HEAD}  exceptions:\n    - {rules: ['*'], reason: r, expires: 2027-02-30}\n`,
      /not a calendar date/,
    );
    fails(
      `${HEAD}  signatures: {keys: []}\n`,
      /^line 6: spec\.signatures: name at least one key or certificate/,
    );
    fails('apiVersion: v1\nkind: Policy\n', /^line 1: apiVersion: /);
  });

  it('reports YAML errors with their line, refuses alias bombs and huge files', () => {
    fails(`${HEAD}  podSecurity: {level: baseline\n`, /^line \d+: invalid YAML/);
    fails(`${HEAD}  mode: enforce\n  mode: audit\n`, /^line 7: invalid YAML: Map keys must be unique/);
    const bomb = ['a: &a [x, x, x, x, x, x, x, x, x, x]'];
    for (let i = 0; i < 8; i++)
      bomb.push(
        `${String.fromCharCode(98 + i)}: &${String.fromCharCode(98 + i)} [*${String.fromCharCode(97 + i)}, *${String.fromCharCode(97 + i)}, *${String.fromCharCode(97 + i)}, *${String.fromCharCode(97 + i)}, *${String.fromCharCode(97 + i)}, *${String.fromCharCode(97 + i)}, *${String.fromCharCode(97 + i)}, *${String.fromCharCode(97 + i)}, *${String.fromCharCode(97 + i)}, *${String.fromCharCode(97 + i)}, *${String.fromCharCode(97 + i)}, *${String.fromCharCode(97 + i)}]`,
      );
    fails(`${bomb.join('\n')}\n`, /invalid YAML: .*alias/i);
    assert.throws(
      () => parsePolicy(`${HEAD}#${'x'.repeat(2 * 1024 * 1024)}\n`, 'policy.yaml'),
      (e: unknown) => e instanceof BulwarkError && e.code === 'LIMIT_EXCEEDED',
    );
  });
});
