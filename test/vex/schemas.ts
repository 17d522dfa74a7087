/** Validators for the two VEX formats: the published OpenVEX schema, CycloneDX's bundled one. */
import { readFileSync } from 'node:fs';
import { Spec, Validation } from '@cyclonedx/cyclonedx-library';
import { Ajv2020 } from 'ajv/dist/2020.js';
import addFormatsModule from 'ajv-formats';

const addFormats = addFormatsModule as unknown as typeof addFormatsModule.default;

let openvex: ((doc: unknown) => string | null) | undefined;

/** null when the document is valid OpenVEX 0.2.0, else the first errors. */
export function openVexErrors(doc: unknown): string | null {
  if (!openvex) {
    const schema = JSON.parse(
      readFileSync(new URL('../fixtures/schemas/openvex-0.2.0.schema.json', import.meta.url), 'utf8'),
    ) as object;
    const ajv = new Ajv2020({ strict: false, allErrors: true });
    addFormats(ajv);
    // RFC 3987 absolute IRI syntax (scheme ":" then no spaces or excluded characters).
    // ajv-formats-draft2019's `iri` also demands an IANA-registered scheme, which refuses purls
    // (`pkg:`), the very identifiers the OpenVEX spec's own examples use as product @ids.
    ajv.addFormat('iri', /^[A-Za-z][A-Za-z0-9+.-]*:[^\s<>"{}|\\^`]*$/);
    const v = ajv.compile(schema);
    openvex = (d) => (v(d) ? null : JSON.stringify(v.errors?.slice(0, 5)));
  }
  return openvex(doc);
}

/** null when the document is valid CycloneDX 1.6 (strict), else the library's error. */
export async function cycloneDxErrors(doc: unknown): Promise<string | null> {
  const v = new Validation.JsonStrictValidator(Spec.Version.v1dot6);
  const r = await v.validate(JSON.stringify(doc));
  return r === null ? null : JSON.stringify(r).slice(0, 2000);
}
