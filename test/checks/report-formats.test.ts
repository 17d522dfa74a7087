import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { before, describe, it } from 'node:test';
import AjvDraft04Module from 'ajv-draft-04';
import addFormatsModule from 'ajv-formats';
import {
  checkPaths,
  listRules,
  renderCheckJson,
  renderCheckSarif,
  renderCheckTable,
} from '../../src/checks/index.js';
import type { CheckResult } from '../../src/checks/index.js';

// Golden files for every output format of `bulwark config`, plus the official SARIF schema.
const AjvDraft04 = AjvDraft04Module as unknown as typeof AjvDraft04Module.default;
const addFormats = addFormatsModule as unknown as typeof addFormatsModule.default;
const FIXTURES = 'test/checks/__fixtures__';
const opts = { toolVersion: '0.0.0-test' };
let result: CheckResult;

function golden(name: string, actual: string): void {
  const file = path.join(FIXTURES, 'golden', name);
  if (process.env.BULWARK_UPDATE_GOLDEN === '1') writeFileSync(file, actual);
  assert.equal(actual, readFileSync(file, 'utf8'), `golden file ${name} differs`);
}

before(async () => {
  result = await checkPaths([path.join(FIXTURES, 'project')], { today: '2026-11-22' });
});

describe('bulwark config output formats', () => {
  it('json', () => {
    const text = renderCheckJson(result, opts);
    golden('project.json', text);
    const doc = JSON.parse(text);
    assert.deepEqual(
      doc.errors.map((e: { code: string }) => e.code),
      ['MALFORMED_INPUT'],
    );
  });

  it('table', () => golden('project.txt', renderCheckTable(result, opts)));

  it('sarif, valid against the SARIF 2.1.0 schema', async () => {
    const text = renderCheckSarif(
      result,
      (await listRules()).map((r) => r.meta),
      opts,
    );
    golden('project.sarif.json', text);
    const ajv = new AjvDraft04({ allErrors: true, strict: false });
    addFormats(ajv);
    const validate = ajv.compile(
      JSON.parse(readFileSync('test/fixtures/schemas/sarif-schema-2.1.0.json', 'utf8')) as object,
    );
    assert.equal(validate(JSON.parse(text)), true, JSON.stringify(validate.errors, null, 2));
  });
});
