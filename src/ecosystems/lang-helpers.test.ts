import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { cappedProblems, finishPackages, MAX_PROBLEMS } from './lang-types.js';
import { readYaml, yamlNestingProblem } from './lang-yaml.js';

describe('language parser helpers', () => {
  it('caps problems per file and says so once, staying a plain array', () => {
    const p = cappedProblems();
    for (let i = 0; i < 10_000; i++) p.push(`problem ${i}`);
    assert.equal(p.length, MAX_PROBLEMS + 1);
    assert.equal(p.at(-1), 'further problems in this file not reported');
    assert.deepEqual(cappedProblems(), []);
    assert.equal(Object.getPrototypeOf(p), Array.prototype);
  });

  it('measures YAML nesting outside quotes and comments', () => {
    assert.equal(
      yamlNestingProblem('a: "[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[["'),
      undefined,
    );
    assert.equal(yamlNestingProblem(`a: '${'{'.repeat(100)}'`), undefined);
    assert.equal(yamlNestingProblem(`# ${'['.repeat(100)}\na: 1`), undefined);
    assert.match(yamlNestingProblem(`a: ${'['.repeat(65)}`) ?? '', /flow/);
    assert.match(yamlNestingProblem(`a:\n${' '.repeat(300)}b: 1`) ?? '', /indented/);
    const problems: string[] = [];
    assert.equal(readYaml(`a: ${'{'.repeat(1000)}`, problems), undefined);
    assert.equal(problems.length, 1);
  });

  it('reads duplicate keys as the last one instead of failing the file', () => {
    const problems: string[] = [];
    assert.deepEqual(readYaml('a: 1\na: 2\n', problems), { a: 2 });
    assert.deepEqual(problems, []);
  });

  it('merges duplicates by purl: production wins over dev, graphs are joined', () => {
    const out = finishPackages([
      { name: 'b', version: '1', purl: 'pkg:npm/b@1', dev: true, dependsOn: ['pkg:npm/x@1'] },
      { name: 'a', version: '1', purl: 'pkg:npm/a@1' },
      { name: 'b', version: '1', purl: 'pkg:npm/b@1', dependsOn: ['pkg:npm/c@1'] },
    ]);
    assert.deepEqual(out, [
      { name: 'a', version: '1', purl: 'pkg:npm/a@1' },
      { name: 'b', version: '1', purl: 'pkg:npm/b@1', dependsOn: ['pkg:npm/c@1', 'pkg:npm/x@1'] },
    ]);
  });
});
