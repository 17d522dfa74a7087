import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { MAX_CONTAINERS, objectPositions, parseInspect } from '../../../src/checks/docker/inspect.js';
import { BulwarkError } from '../../../src/core/errors.js';

const c = (id: string, extra: Record<string, unknown> = {}) => ({
  Id: id,
  Name: `/${id}`,
  HostConfig: {},
  ...extra,
});

describe('parseInspect', () => {
  it('finds each container object line and column, whatever its strings hold', () => {
    const text = `[\n  ${JSON.stringify(c('a', { Config: { Cmd: ['sh', '-c', 'echo "{[}" \\\\ }'] } }))},\n\n    ${JSON.stringify(c('b'))}\n]`;
    const got = parseInspect(text, 'x.json').map((x) => [x.name, x.line, x.column]);
    assert.deepEqual(got, [
      ['a', 2, 3],
      ['b', 4, 5],
    ]);
  });

  it('accepts one object, compact JSON, CRLF and a byte-order mark', () => {
    assert.deepEqual(
      parseInspect(`\uFEFF${JSON.stringify(c('solo'))}`, 'x').map((x) => [x.line, x.column]),
      [[1, 1]],
    );
    const compact = JSON.stringify([c('a'), c('b')]);
    assert.deepEqual(objectPositions(compact, true), [
      { line: 1, column: 2 },
      { line: 1, column: compact.indexOf(',{"Id":"b"') + 2 },
    ]);
    assert.deepEqual(
      parseInspect(`[\r\n${JSON.stringify(c('a'))}\r\n]`, 'x').map((x) => x.line),
      [2],
    );
  });

  it('rejects what is not docker inspect output with MALFORMED_INPUT naming the input', () => {
    for (const bad of [
      '',
      'null',
      '[1]',
      '[{"Name": "/x"}]',
      '{"Id": 5, "HostConfig": {}}',
      '[{"Id":"a","HostConfig":{}}',
      'Error: No such object: web',
    ])
      assert.throws(
        () => parseInspect(bad, 'in.json'),
        (e: unknown) => e instanceof BulwarkError && e.code === 'MALFORMED_INPUT' && e.input === 'in.json',
        bad,
      );
  });

  it('bounds the container count and survives deep nesting', () => {
    const many = JSON.stringify(Array.from({ length: MAX_CONTAINERS + 1 }, (_, i) => c(`c${i}`)));
    assert.throws(() => parseInspect(many, 'many.json'), { code: 'LIMIT_EXCEEDED' });
    const deep = `[{"Id":"d","HostConfig":{},"Labels":${'['.repeat(5000)}${']'.repeat(5000)}}]`;
    assert.deepEqual(
      parseInspect(deep, 'deep.json').map((x) => x.line),
      [1],
    );
  });

  it('an empty list is no containers, not an error', () => {
    assert.deepEqual(parseInspect('[]', 'x'), []);
  });
});

describe('readInputText', () => {
  it('bounds stdin and files, and rejects invalid UTF-8', async () => {
    const { Readable } = await import('node:stream');
    const { readInputText } = await import('../../../src/checks/docker/index.js');
    assert.equal(await readInputText('-', 100, Readable.from([Buffer.from('[]')])), '[]');
    await assert.rejects(readInputText('-', 10, Readable.from([Buffer.alloc(6), Buffer.alloc(6)])), {
      code: 'LIMIT_EXCEEDED',
    });
    await assert.rejects(readInputText('-', 10, Readable.from([Buffer.from([0xff, 0xfe])])), {
      code: 'MALFORMED_INPUT',
    });
    await assert.rejects(readInputText('/nonexistent/inspect.json', 10), { code: 'INPUT_NOT_FOUND' });
    await assert.rejects(readInputText('/', 10), { code: 'INPUT_NOT_FOUND' });
  });
});
