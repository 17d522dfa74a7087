import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { checkText } from '../../src/checks/engine.js';
import { family as compose } from '../../src/checks/rules/compose/index.js';
import { family as dockerfile } from '../../src/checks/rules/dockerfile/index.js';

// Large inputs shaped to make quadratic code explode (one huge instruction with
// many positions, long stage chains, huge comment blocks). They must finish; the generous timeout
// only turns a regression into a failure instead of a hang.
const opts = { timeout: 120_000 };
// 1 MiB keeps the suite fast while quadratic code would still need ~10^9 steps
const near = (unit: string, bytes = 1024 * 1024) => unit.repeat(Math.floor((bytes - 64) / unit.length));

describe('hostile Dockerfiles', () => {
  it('one RUN continued over ~40k lines', opts, () => {
    const text = `FROM debian:12\nRUN apt-get update \\\n${near(' && apt-get install x \\\n')} && true\n`;
    const r = checkText(text, 'Dockerfile', dockerfile);
    assert.ok(r.findings.filter((f) => f.ruleId === 'dockerfile/package-pin').length > 30_000);
    assert.equal(r.findings.filter((f) => f.ruleId === 'dockerfile/package-cache-cleanup').length, 1);
  });

  it('a chain of 24k stages copying from each other; more than 50k instructions is refused', opts, () => {
    const body = 'FROM s AS s\nCOPY --from=s / /\n'.repeat(24_000);
    const r = checkText(`FROM a:1 AS s\n${body}`, 'Dockerfile', dockerfile);
    assert.equal(r.findings.filter((f) => f.ruleId === 'dockerfile/duplicate-stage-name').length, 24_000);
    // with a label schema the missing-label rule walks the chain once, not once per stage
    const labelled = checkText(`FROM a:1 AS s\nLABEL v=1.0.0\n${body}`, 'Dockerfile', dockerfile, {
      settings: { 'dockerfile/label-missing': { labelSchema: { v: 'SemVer' } } },
    });
    assert.equal(labelled.findings.filter((f) => f.ruleId === 'dockerfile/label-missing').length, 0);
    assert.throws(() => checkText(`FROM a:1\n${'USER x\n'.repeat(50_001)}`, 'Dockerfile', dockerfile), {
      code: 'LIMIT_EXCEEDED',
    });
  });

  it('a RUN heredoc of ~170k lines and a huge comment block with suppressions', opts, () => {
    const heredoc = `FROM a:1\nRUN <<EOF\n${near('cd /x\n')}EOF\n`;
    assert.ok(checkText(heredoc, 'Dockerfile', dockerfile).findings.length > 0);
    const comments = `FROM a:1\n${near('# bulwark:ignore=x reason: y\n')}RUN ${'sudo x; '.repeat(5_000)}\n`;
    const r = checkText(comments, 'Dockerfile', dockerfile);
    assert.equal(r.findings.filter((f) => f.ruleId === 'dockerfile/sudo').length, 5_000);
  });

  it('a single 1 MB line', opts, () => {
    const r = checkText(`FROM a:1\nRUN echo ${'a'.repeat(1024 * 1024)}\n`, 'Dockerfile', dockerfile);
    assert.ok(Array.isArray(r.findings));
  });
});

describe('hostile compose files', () => {
  it('~20k services', opts, () => {
    const r = checkText(
      `services:\n${near('  s:\n    privileged: true\n').replace(/s:/g, () => `s${Math.random().toString(36).slice(2, 8)}:`)}`,
      'compose.yaml',
      compose,
    );
    assert.ok(r.findings.length > 5_000);
  });

  it('alias bombs and deep nesting are per-file errors', () => {
    const lines = ['a: &a [x, x, x, x, x, x, x, x, x, x]'];
    for (let k = 1; k < 10; k++)
      lines.push(
        `${'abcdefghij'[k]}: &${'abcdefghij'[k]} [${Array(10)
          .fill(`*${'abcdefghij'[k - 1]}`)
          .join(', ')}]`,
      );
    assert.throws(() => checkText(`services: {}\n${lines.join('\n')}\n`, 'compose.yaml', compose), {
      code: 'LIMIT_EXCEEDED',
      // named where the aliases are (the third anchor's list), not at the top of the file
      message: /^YAML alias expansion refused at line 4, column \d+: /,
    });
    assert.throws(
      () => checkText(`services:\n  x: ${'{a: '.repeat(500)}1${'}'.repeat(500)}\n`, 'compose.yaml', compose),
      {
        code: /LIMIT_EXCEEDED|MALFORMED_INPUT/,
      },
    );
  });
});
