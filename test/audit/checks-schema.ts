// The `checks` JSON report's schema, for the audit command's report and its JSON Lines findings.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { Ajv } from 'ajv';
import { REPO } from '../cli/helpers.js';

const checksSchema = JSON.parse(
  readFileSync(path.join(REPO, 'src/report/schema/checks.schema.json'), 'utf8'),
) as {
  properties: { findings: { items: object } };
};
export const validateReport = new Ajv({ allErrors: true, strict: false }).compile(checksSchema);
/** One finding of the report, as --follow --format json writes a line. */
export const validateFinding = new Ajv({ allErrors: true, strict: false }).compile(
  checksSchema.properties.findings.items,
);
