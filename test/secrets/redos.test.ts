import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { SECRET_RULES, SecretScanner } from '../../src/secrets/index.js';

// Catastrophic-backtracking guard: every rule runs alone on ~100 KB inputs made of its own
// keywords and the characters its pattern consumes (long runs, repeated near-matches, one huge
// line). A linear pattern takes well under a millisecond per input; a quadratic or exponential
// one takes seconds. The bound is CPU time, generous enough for a loaded machine.
const SIZE = 100 * 1024;
const BOUND_MS = 200;

function fill(unit: string): string {
  return unit.repeat(Math.ceil(SIZE / unit.length)).slice(0, SIZE);
}

function adversarial(keyword: string): string[] {
  const k = keyword;
  return [
    fill(k),
    k + fill('a'),
    k + fill('A0'),
    k + fill('/+='),
    k + fill('-_.'),
    fill(`${k}=${'aB3'.repeat(12)} `),
    fill(`${k}: "${'x9'.repeat(30)}`),
    fill(`${k}://u:${'p'.repeat(20)}`),
    fill(`${k}\n${'A'.repeat(64)}\n`),
    fill(`${k}\\n`),
  ];
}

const PEM_ISH = [
  fill('-----BEGIN RSA PRIVATE KEY-----\n'),
  fill('eyJ' + 'a'.repeat(20) + '.'),
  fill('postgres://a:b'),
];

describe('secret rules are safe against catastrophic backtracking', () => {
  for (const spec of SECRET_RULES) {
    it(`secrets/${spec.id}`, () => {
      const scanner = new SecretScanner([spec]);
      let worst = 0;
      let worstInput = '';
      for (const input of [...spec.keywords.flatMap(adversarial), ...PEM_ISH]) {
        const before = process.cpuUsage();
        scanner.scan(input, { maxBytes: 4 * SIZE });
        const used = process.cpuUsage(before);
        const ms = (used.user + used.system) / 1000;
        if (ms > worst) {
          worst = ms;
          worstInput = input.slice(0, 40);
        }
      }
      assert.ok(
        worst < BOUND_MS,
        `secrets/${spec.id}: ${worst.toFixed(1)} ms on ${JSON.stringify(worstInput)}`,
      );
    });
  }
});
