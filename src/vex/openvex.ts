/**
 * OpenVEX 0.2.0 (https://github.com/openvex/spec): read into statements, and written from them.
 * Products are purls: an image (`pkg:oci/...`) with its packages as subcomponents, or a package
 * on its own. A product named only by a CPE or a non-purl IRI cannot be matched to a finding and
 * is skipped with a warning; a statement left with no usable product is skipped, never widened
 * to every product.
 */
import { BulwarkError } from '../core/errors.js';
import { arr, isObj, ItemError, iso, str, warn, type Obj } from './common.js';
import {
  DEFAULT_VEX_LIMITS,
  JUSTIFICATIONS,
  VEX_STATUSES,
  type Justification,
  type VexDocument,
  type VexLimits,
  type VexProduct,
  type VexStatement,
  type VexStatus,
} from './types.js';

export const OPENVEX_CONTEXT = 'https://openvex.dev/ns/v0.2.0';

export function isOpenVex(doc: unknown): boolean {
  return (
    isObj(doc) && typeof doc['@context'] === 'string' && doc['@context'].startsWith('https://openvex.dev/ns')
  );
}

function purlOf(c: Obj, where: string): string | undefined {
  const ids = c.identifiers;
  if (isObj(ids)) {
    const p = str(ids, 'purl', where);
    if (p) return p;
  }
  const id = str(c, '@id', where);
  return id?.startsWith('pkg:') ? id : undefined;
}

function product(
  c: unknown,
  where: string,
  max: number,
  warnings: VexDocument['warnings'],
): VexProduct | undefined {
  if (!isObj(c)) throw new ItemError(`${where}: a product is not an object`);
  const purl = purlOf(c, where);
  if (!purl) {
    warn(
      warnings,
      'VEX_PRODUCT_UNUSABLE',
      `${where}: a product without a purl is skipped`,
      str(c, '@id', where),
    );
    return undefined;
  }
  const packages: string[] = [];
  for (const [i, s] of arr(c, 'subcomponents', where, max).entries()) {
    if (!isObj(s)) throw new ItemError(`${where}: subcomponent ${i} is not an object`);
    const p = purlOf(s, where);
    if (p) packages.push(p);
    else warn(warnings, 'VEX_PRODUCT_UNUSABLE', `${where}: subcomponent ${i} without a purl is skipped`);
  }
  // a product whose every subcomponent was unusable would otherwise mean "the whole product"
  if (packages.length === 0 && arr(c, 'subcomponents', where, max).length > 0) return undefined;
  return { purl, packages };
}

export function readOpenVex(doc: unknown, input: string, limits: VexLimits = {}): VexDocument {
  const lim = { ...DEFAULT_VEX_LIMITS, ...limits };
  if (!isOpenVex(doc))
    throw new BulwarkError('MALFORMED_INPUT', 'not an OpenVEX document (no openvex.dev @context)', { input });
  const d = doc as Obj;
  const statements = d.statements;
  if (!Array.isArray(statements))
    throw new BulwarkError('MALFORMED_INPUT', 'an OpenVEX document needs a statements array', { input });
  if (statements.length > lim.maxStatements)
    throw new BulwarkError(
      'LIMIT_EXCEEDED',
      `${statements.length} statements, more than ${lim.maxStatements}`,
      { input },
    );
  const out: VexDocument = { format: 'openvex', statements: [], warnings: [] };
  try {
    const id = str(d, '@id', 'document');
    const author = str(d, 'author', 'document');
    const ts = iso(str(d, 'timestamp', 'document'));
    if (id) out.id = id;
    if (author) out.author = author;
    if (ts) out.timestamp = ts;
  } catch (e) {
    throw new BulwarkError('MALFORMED_INPUT', (e as Error).message, { input });
  }
  for (const [i, raw] of statements.entries()) {
    const where = `statement ${i}`;
    try {
      if (!isObj(raw)) throw new ItemError(`${where} is not an object`);
      const v = raw.vulnerability;
      if (!isObj(v)) throw new ItemError(`${where}: no vulnerability object`);
      const vulnId = str(v, 'name', where) ?? str(v, '@id', where);
      if (!vulnId) throw new ItemError(`${where}: the vulnerability has no name`);
      const aliases = arr(v, 'aliases', where, lim.maxProducts).filter(
        (a): a is string => typeof a === 'string',
      );
      const status = str(raw, 'status', where) as VexStatus | undefined;
      if (!status || !VEX_STATUSES.includes(status))
        throw new ItemError(`${where}: unknown status ${String(status)}`);
      const justification = str(raw, 'justification', where) as Justification | undefined;
      if (justification && !JUSTIFICATIONS.includes(justification))
        throw new ItemError(`${where}: unknown justification ${justification}`);
      const impact = str(raw, 'impact_statement', where);
      if (status === 'not_affected' && !justification && !impact)
        throw new ItemError(`${where}: not_affected needs a justification or an impact_statement`);
      const action = str(raw, 'action_statement', where);
      if (status === 'affected' && !action)
        throw new ItemError(`${where}: affected needs an action_statement`);
      const rawProducts = arr(raw, 'products', where, lim.maxProducts);
      const products: VexProduct[] = [];
      for (const p of rawProducts) {
        const got = product(p, where, lim.maxProducts, out.warnings);
        if (got) products.push(got);
      }
      if (rawProducts.length > 0 && products.length === 0)
        throw new ItemError(`${where}: none of its products has a purl`);
      const s: VexStatement = { vulnId, aliases, status, products };
      if (justification) s.justification = justification;
      if (impact) s.impactStatement = impact;
      if (action) s.actionStatement = action;
      const notes = str(raw, 'status_notes', where);
      if (notes) s.statusNotes = notes;
      const ts = iso(str(raw, 'timestamp', where)) ?? out.timestamp;
      if (ts) s.timestamp = ts;
      out.statements.push(s);
    } catch (e) {
      if (!(e instanceof ItemError)) throw e;
      warn(out.warnings, 'VEX_STATEMENT_SKIPPED', e.message, input);
    }
  }
  return out;
}

export interface WriteVexOptions {
  /** the document's id (an IRI) */
  id: string;
  author: string;
  timestamp: string;
  tooling?: string;
}

/** An OpenVEX 0.2.0 document; statements keep their order (callers sort them). */
export function writeOpenVex(
  statements: readonly VexStatement[],
  o: WriteVexOptions,
): Record<string, unknown> {
  return {
    '@context': OPENVEX_CONTEXT,
    '@id': o.id,
    author: o.author,
    timestamp: o.timestamp,
    version: 1,
    ...(o.tooling ? { tooling: o.tooling } : {}),
    statements: statements.map((s) => ({
      vulnerability: { name: s.vulnId, ...(s.aliases.length ? { aliases: [...new Set(s.aliases)] } : {}) },
      ...(s.timestamp ? { timestamp: s.timestamp } : {}),
      ...(s.products.length
        ? {
            products: s.products.map((p) => ({
              '@id': p.purl,
              identifiers: { purl: p.purl },
              ...(p.packages.length
                ? { subcomponents: p.packages.map((q) => ({ '@id': q, identifiers: { purl: q } })) }
                : {}),
            })),
          }
        : {}),
      status: s.status,
      ...(s.justification ? { justification: s.justification } : {}),
      ...(s.impactStatement ? { impact_statement: s.impactStatement } : {}),
      ...(s.actionStatement ? { action_statement: s.actionStatement } : {}),
      ...(s.statusNotes ? { status_notes: s.statusNotes } : {}),
    })),
  };
}
