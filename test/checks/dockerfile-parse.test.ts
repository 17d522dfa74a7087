import assert from 'node:assert/strict';
import { it } from 'node:test';
import { expandVars } from '../../src/checks/dockerfile/expand.js';
import { parseDockerfile } from '../../src/checks/dockerfile/parse.js';

it('handles the escape directive, continuations with comments, exec form and stages', () => {
  const df = parseDockerfile(
    '# syntax=docker/dockerfile:1\n# escape=`\nARG V=3.20\nFROM alpine:${V} AS base\nRUN echo a `\n# comment inside\n    && echo b\nCMD ["a b", "c"]\nFROM base\nCOPY --from=base /x /y\n',
  );
  assert.equal(df.escape, '`');
  assert.equal(df.syntax, 'docker/dockerfile:1');
  assert.equal(df.stages.length, 2);
  assert.equal(df.stages[0]!.image, 'alpine:3.20');
  assert.equal(df.stages[0]!.name, 'base');
  assert.equal(df.stages[1]!.fromStage, true);
  const run = df.instructions.find((i) => i.keyword === 'RUN')!;
  assert.equal(run.line, 5);
  assert.equal(run.endLine, 7);
  assert.deepEqual(run.at(run.text.indexOf('&&')), { line: 7, column: 5 });
  const cmd = df.instructions.find((i) => i.keyword === 'CMD')!;
  assert.equal(cmd.json, true);
  assert.deepEqual(cmd.args, [
    { value: 'a b', line: 8, column: 6 },
    { value: 'c', line: 8, column: 13 },
  ]);
  const copy = df.instructions.at(-1)!;
  assert.deepEqual(
    copy.flags.map((f) => [f.name, f.flagValue, f.column]),
    [['from', 'base', 6]],
  );
});

it('reads heredocs, including <<- and quoted delimiters, and continues after them', () => {
  const df = parseDockerfile(
    'FROM a:1\nRUN <<-"EOT" bash\n\techo $HOME\n\tEOT\nCOPY <<A <<B /dst/\nalpha\nA\nbeta\nB\nUSER app\n',
  );
  const [, run, copy, user] = df.instructions;
  assert.deepEqual(run!.heredocs, [
    { name: 'EOT', stripTabs: true, quoted: true, body: 'echo $HOME', line: 3 },
  ]);
  assert.deepEqual(
    copy!.heredocs.map((h) => [h.name, h.body, h.line]),
    [
      ['A', 'alpha', 6],
      ['B', 'beta', 8],
    ],
  );
  assert.equal(user!.line, 10);
});

it('expands ARG/ENV forms', () => {
  const vars = new Map<string, string | undefined>([
    ['A', 'x'],
    ['E', ''],
  ]);
  assert.deepEqual(expandVars('${A:-d}-${E:-d}-${E-d}-${A:+y}-${N:+y}-$A', vars), {
    value: 'x-d--y--x',
    unresolved: false,
  });
  assert.equal(expandVars('${N}', vars).unresolved, true);
  assert.equal(expandVars('\\$A', vars).value, '$A');
});

it('recognises Dockerfiles by name, but not source files named after them', async () => {
  const { family } = await import('../../src/checks/rules/dockerfile/index.js');
  const yes = [
    'Dockerfile',
    'dockerfile',
    'Dockerfile.dev',
    'Dockerfile-alpine',
    'api.Dockerfile',
    'Containerfile',
    'x.containerfile',
  ];
  const no = [
    'dockerfile-rules.test.ts',
    'Dockerfile.md',
    'dockerfile.yaml',
    'Dockerfiles',
    'my-dockerfile.txt',
  ];
  assert.deepEqual(
    yes.map((n) => family.matchName(n)),
    yes.map(() => 'yes'),
  );
  assert.deepEqual(
    no.map((n) => family.matchName(n)),
    no.map(() => 'no'),
  );
  assert.equal(family.matchContent('# syntax=docker/dockerfile:1\nARG X=1\n\nFROM alpine:3\n'), true);
  assert.equal(family.matchContent('services:\n  a: {}\n'), false);
});
