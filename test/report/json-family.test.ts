import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, describe, it } from 'node:test';
import { Ajv } from 'ajv';
import addFormatsModule from 'ajv-formats';
import { JSON_SCHEMA_VERSION } from '../../src/core/report-envelope.js';
import { REPO, runCli } from '../cli/helpers.js';

const addFormats = addFormatsModule as unknown as (ajv: Ajv) => Ajv;
const cache = mkdtempSync(path.join(os.tmpdir(), 'bulwark-family-'));
after(() => rmSync(cache, { recursive: true, force: true }));

function validator(kind: string) {
  const file = path.join(REPO, 'src/report/schema', `${kind === 'scan' ? 'report' : kind}.schema.json`);
  const ajv = new Ajv({ allErrors: true, strict: true });
  addFormats(ajv);
  return ajv.compile(JSON.parse(readFileSync(file, 'utf8')) as object);
}

// Each kind produced for real by its command, on inputs that exercise findings, suppressions,
// per-file errors and warnings where the kind has them.
const RUNS: { kind: string; args: string[] }[] = [
  { kind: 'scan', args: ['image', '--format', 'json'] },
  { kind: 'checks', args: ['config', 'test/checks/__fixtures__/project', '--format', 'json'] },
  { kind: 'secrets', args: ['secrets', 'test/secrets', '--format', 'json'] },
  {
    kind: 'pss',
    args: ['pss', '--level', 'restricted', 'test/checks/kubernetes/__fixtures__/deploy', '--format', 'json'],
  },
  {
    kind: 'policy',
    args: [
      'policy',
      'check',
      '-p',
      'examples/policy/policy.yaml',
      'examples/policy/deploy.yaml',
      '--format',
      'json',
    ],
  },
];

describe('JSON reports are one family, versioned one way', () => {
  for (const { kind, args } of RUNS) {
    it(`bulwark ${args[0]}: kind ${kind}, schemaVersion ${JSON_SCHEMA_VERSION}, valid against its schema`, async () => {
      const run = await runCli(args, { BULWARK_CACHE_DIR: cache });
      const doc = JSON.parse(run.stdout) as Record<string, unknown>;
      assert.equal(doc.schemaVersion, JSON_SCHEMA_VERSION);
      assert.equal(doc.kind, kind);
      assert.deepEqual(Object.keys(doc).slice(0, 3), ['schemaVersion', 'kind', 'tool']);
      const validate = validator(kind);
      assert.ok(validate(doc), JSON.stringify(validate.errors, null, 2));
      const items = (doc.findings ?? doc.objects ?? doc.decisions) as unknown[];
      assert.ok(items.length > 0, 'the input exercises the findings part of the schema');
    });
  }

  it('each schema rejects a document of another kind', async () => {
    const run = await runCli(RUNS[1]!.args, { BULWARK_CACHE_DIR: cache });
    const doc = JSON.parse(run.stdout) as object;
    for (const kind of ['scan', 'secrets', 'pss', 'policy']) assert.equal(validator(kind)(doc), false, kind);
  });
});
