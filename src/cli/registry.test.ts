import assert from 'node:assert/strict';
import { readdirSync } from 'node:fs';
import { describe, it } from 'node:test';
import { Command } from 'commander';
import { createContext } from './context.js';
import { buildProgram } from './main.js';
import { COMMANDS } from './registry.js';

const files = readdirSync(new URL('./commands/', import.meta.url))
  .filter((f) => f.endsWith('.ts') && !f.endsWith('.test.ts'))
  .map((f) => f.slice(0, -3))
  .sort();

describe('command registry', () => {
  it('is sorted and lists every command file exactly once', () => {
    const names = Object.keys(COMMANDS);
    assert.deepEqual(names, [...names].sort());
    assert.deepEqual(names, files);
  });

  it('registers a command of the same name with a description, --help and a json format', async () => {
    for (const [name, load] of Object.entries(COMMANDS)) {
      const program = new Command('bulwark');
      (await load()).register(program, createContext());
      const cmd = program.commands.find((c) => c.name() === name);
      assert.ok(cmd, `${name} registers a command named ${name}`);
      assert.ok(cmd.description().length > 10, `${name} has a description`);
      const withFormat = [cmd, ...cmd.commands].filter((c) => c.commands.length === 0);
      for (const leaf of withFormat) {
        const format = leaf.options.find((o) => o.long === '--format');
        assert.ok(format, `${name} ${leaf.name()} has --format`);
        assert.ok(format.argChoices?.includes('json') ?? true, `${name} ${leaf.name()} offers json`);
      }
    }
  });

  it('a run loads only the command it names; program help and unknown names load them all', async () => {
    const one = await buildProgram('rootfs');
    assert.deepEqual(
      one.commands.map((c) => c.name()),
      ['rootfs'],
    );
    const all = await buildProgram();
    assert.deepEqual(
      all.commands.map((c) => c.name()),
      Object.keys(COMMANDS).sort(),
    );
    assert.equal((await buildProgram('no-such-command')).commands.length, Object.keys(COMMANDS).length);
  });

  it('scan commands offer exactly the report formats the report module renders', async () => {
    const { SCAN_FORMATS } = await import('./scan-common.js');
    const { REPORT_FORMATS } = await import('../report/index.js');
    assert.deepEqual([...SCAN_FORMATS], [...REPORT_FORMATS]);
  });
});
