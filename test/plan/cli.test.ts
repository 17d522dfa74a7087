import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm, truncate, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { Ajv } from 'ajv';
import addFormatsModule from 'ajv-formats';
import { hasStackTrace, REPO, runCli } from '../cli/helpers.js';

const addFormats = addFormatsModule as unknown as (ajv: Ajv) => Ajv;

interface PlanDoc {
  kind: string;
  basis: string;
  db: { builtAt: string } | null;
  risk: {
    probability: number;
    base: { method: string; baseLayers: number };
    contributors: { layer: { origin: string } }[];
  };
  plan: { steps: { name: string; target: string; command: string }[]; unfixable: unknown[] };
}

describe('bulwark plan (end to end, on a real scan of the demo image)', () => {
  let dir: string;
  let env: Record<string, string>;
  let reportPath: string;
  let dbPath: string;
  before(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'bw-plan-'));
    env = { XDG_CACHE_HOME: path.join(dir, 'cache') };
    reportPath = path.join(dir, 'demo.json');
    const scan = await runCli(['image', '--format', 'json', '-o', reportPath], env);
    assert.equal(scan.code, 0, scan.stderr);
    // the database the demo scan used (bulwark image builds it on first use)
    dbPath = path.join(dir, 'cache', 'bulwark', 'demo', 'bulwark-demo.db');
  });
  after(async () => rm(dir, { recursive: true, force: true }));

  it('writes a JSON plan valid against its schema, checked against the database', async () => {
    const run = await runCli(['plan', reportPath, '--db', dbPath, '-f', 'json'], env);
    assert.equal(run.code, 0, run.stderr);
    const doc = JSON.parse(run.stdout) as PlanDoc;
    const ajv = new Ajv({ allErrors: true, strict: true });
    addFormats(ajv);
    const validate = ajv.compile(
      JSON.parse(await readFile(path.join(REPO, 'src/report/schema/plan.schema.json'), 'utf8')) as object,
    );
    assert.ok(validate(doc), JSON.stringify(validate.errors?.slice(0, 5)));
    assert.equal(doc.kind, 'plan');
    assert.equal(doc.basis, 'database');
    assert.ok(doc.db?.builtAt);
    assert.equal(doc.risk.probability, 1, 'two CISA KEV entries (Log4Shell)');
    const first = doc.plan.steps[0]!;
    assert.deepEqual(
      [first.name, first.target, first.command],
      ['apache-log4j2', '2.17.0-1~deb11u1', 'apt-get install liblog4j2-java=2.17.0-1~deb11u1'],
    );
    assert.equal(doc.plan.steps.length, 14);
    assert.equal(doc.risk.base.method, 'none');
    assert.ok(doc.risk.contributors.every((c) => c.layer.origin === 'unknown'));
  });

  it('renders a table and markdown, and exits with --exit-code when there are upgrades', async () => {
    const table = await runCli(['plan', reportPath, '--db', dbPath], env);
    assert.equal(table.code, 0, table.stderr);
    assert.match(table.stdout, /Exploit probability: 100\.0% over 37 open findings \(2 in CISA KEV/);
    assert.match(table.stdout, /apt-get install curl=7\.74\.0-1\.3\+deb11u7 libcurl4=7\.74\.0-1\.3\+deb11u7/);
    const mdRun = await runCli(
      ['plan', reportPath, '--db', dbPath, '-f', 'markdown', '--exit-code', '3'],
      env,
    );
    assert.equal(mdRun.code, 3);
    assert.match(mdRun.stdout, /^## Patch plan for /);
    assert.match(mdRun.stdout, /\| 1 \| apache-log4j2 \| 2\.13\.3-1 \| 2\.17\.0-1~deb11u1 \|/);
    const help = await runCli(['plan', '--help'], env);
    assert.equal(help.code, 0);
    assert.match(help.stdout, /Exit codes/);
  });

  it('plans from the report alone without a database, and refuses a --db that is not there', async () => {
    const run = await runCli(['plan', reportPath, '-f', 'json'], env);
    assert.equal(run.code, 0, run.stderr);
    assert.equal((JSON.parse(run.stdout) as PlanDoc).basis, 'report');
    assert.match(run.stderr, /from the report alone/);
    const only = await runCli(['plan', reportPath, '--report-only', '-f', 'json'], env);
    assert.equal(only.stderr, '');
    const missing = await runCli(['plan', reportPath, '--db', path.join(dir, 'nope.db')], env);
    assert.equal(missing.code, 13);
    assert.match(missing.stderr, /^error\[DATABASE\]/);
  });

  it("tells the base image's layers from the image's own with --base-report", async () => {
    const base = JSON.parse(await readFile(reportPath, 'utf8')) as {
      target: { name: string; digest: string; layers: unknown[] };
    };
    // the demo's first layer is its Debian base (ADD rootfs.tar): a report of that base alone
    base.target.layers = base.target.layers.slice(0, 1);
    base.target.name = 'debian:11-slim';
    const basePath = path.join(dir, 'base.json');
    await writeFile(basePath, JSON.stringify(base));
    const run = await runCli(
      ['plan', reportPath, '--db', dbPath, '--base-report', basePath, '-f', 'json', '--top', '50'],
      env,
    );
    assert.equal(run.code, 0, run.stderr);
    const doc = JSON.parse(run.stdout) as {
      risk: {
        base: unknown;
        contributors: { id: string; package: { name: string }; layer: { origin: string } }[];
      };
    };
    assert.deepEqual(doc.risk.base, {
      method: 'base-report',
      baseLayers: 1,
      baseName: 'debian:11-slim',
      baseDigest: base.target.digest,
    });
    const origin = (name: string) => doc.risk.contributors.find((c) => c.package.name === name)!.layer.origin;
    assert.equal(origin('dpkg'), 'base');
    assert.equal(origin('lodash'), 'own');
    assert.equal(origin('curl'), 'own');
  });

  it('refuses hostile and wrong input with a typed error and no stack trace', async () => {
    const cases: [string, string | null, number, string][] = [
      ['missing.json', null, 4, 'INPUT_NOT_FOUND'],
      ['bad.json', '{"kind": "scan", ', 5, 'MALFORMED_INPUT'],
      ['policy.json', '{"schemaVersion":"1.1.0","kind":"policy","tool":{}}', 16, 'UNSUPPORTED'],
      ['deep.json', `${'['.repeat(100_000)}${']'.repeat(100_000)}`, 5, 'MALFORMED_INPUT'],
      ['huge.json', '', 7, 'LIMIT_EXCEEDED'],
    ];
    for (const [name, body, code, err] of cases) {
      const f = path.join(dir, name);
      if (body !== null) await writeFile(f, body);
      if (name === 'huge.json') await truncate(f, 65 * 1024 * 1024); // sparse: no disk used
      const run = await runCli(['plan', f, '--report-only'], env);
      assert.equal(run.code, code, `${name}: ${run.stderr}`);
      assert.match(
        run.stderr,
        new RegExp(`^error\\[${err}\\] ${f.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}`, 'm'),
      );
      assert.ok(!hasStackTrace(run.stderr), run.stderr);
    }
  });
});
