/**
 * CycloneDX 1.6 VEX: a BOM whose `vulnerabilities` carry an `analysis` and `affects` references
 * to components of the same BOM. Images are `container` components (purl `pkg:oci/...`) with
 * their packages nested inside them; a package on its own is a top-level component. States and
 * justifications map to OpenVEX's by the table below (CycloneDX has more justifications than
 * OpenVEX, so several read as one). A reference to no component of this BOM is skipped with a
 * warning; a statement left without any is skipped, never widened to every product.
 */
import { BulwarkError } from '../core/errors.js';
import { arr, isObj, ItemError, iso, str, warn, type Obj } from './common.js';
import { isOciPurl } from './purl.js';
import type { WriteVexOptions } from './openvex.js';
import {
  DEFAULT_VEX_LIMITS,
  type Justification,
  type VexDocument,
  type VexLimits,
  type VexProduct,
  type VexStatement,
  type VexStatus,
} from './types.js';

const STATE_TO_STATUS: Record<string, VexStatus> = {
  not_affected: 'not_affected',
  false_positive: 'not_affected',
  resolved: 'fixed',
  resolved_with_pedigree: 'fixed',
  exploitable: 'affected',
  in_triage: 'under_investigation',
};
const STATUS_TO_STATE: Record<VexStatus, string> = {
  not_affected: 'not_affected',
  fixed: 'resolved',
  affected: 'exploitable',
  under_investigation: 'in_triage',
};
const CDX_TO_OPENVEX: Record<string, Justification> = {
  code_not_present: 'vulnerable_code_not_present',
  code_not_reachable: 'vulnerable_code_not_in_execute_path',
  requires_configuration: 'vulnerable_code_cannot_be_controlled_by_adversary',
  requires_dependency: 'component_not_present',
  requires_environment: 'vulnerable_code_cannot_be_controlled_by_adversary',
  protected_by_compiler: 'inline_mitigations_already_exist',
  protected_at_runtime: 'inline_mitigations_already_exist',
  protected_at_perimeter: 'inline_mitigations_already_exist',
  protected_by_mitigating_control: 'inline_mitigations_already_exist',
};
const OPENVEX_TO_CDX: Record<Justification, string> = {
  vulnerable_code_not_present: 'code_not_present',
  vulnerable_code_not_in_execute_path: 'code_not_reachable',
  vulnerable_code_cannot_be_controlled_by_adversary: 'requires_environment',
  component_not_present: 'requires_dependency',
  inline_mitigations_already_exist: 'protected_by_mitigating_control',
};

export function isCycloneDxVex(doc: unknown): boolean {
  return isObj(doc) && doc.bomFormat === 'CycloneDX' && Array.isArray(doc.vulnerabilities);
}

interface Component {
  purl?: string;
  /** the container this component is nested in */
  parent?: Component;
  container: boolean;
}

function indexComponents(bom: Obj, input: string, max: number): Map<string, Component> {
  const refs = new Map<string, Component>();
  let seen = 0;
  // iterative walk: a deeply nested BOM cannot overflow the stack
  const stack: { list: unknown; parent?: Component }[] = [{ list: bom.components }];
  if (isObj(bom.metadata) && isObj(bom.metadata.component)) stack.push({ list: [bom.metadata.component] });
  while (stack.length) {
    const { list, parent } = stack.pop()!;
    if (!Array.isArray(list)) continue;
    for (const c of list) {
      if (++seen > max * 100)
        throw new BulwarkError('LIMIT_EXCEEDED', `more than ${max * 100} components`, { input });
      if (!isObj(c)) continue;
      const purl = typeof c.purl === 'string' && c.purl.length < 16_384 ? c.purl : undefined;
      const container = c.type === 'container' || (purl !== undefined && isOciPurl(purl));
      const comp: Component = { container, ...(purl ? { purl } : {}), ...(parent ? { parent } : {}) };
      if (typeof c['bom-ref'] === 'string') refs.set(c['bom-ref'], comp);
      if (Array.isArray(c.components)) stack.push({ list: c.components, parent: container ? comp : parent });
    }
  }
  return refs;
}

export function readCycloneDxVex(doc: unknown, input: string, limits: VexLimits = {}): VexDocument {
  const lim = { ...DEFAULT_VEX_LIMITS, ...limits };
  if (!isCycloneDxVex(doc))
    throw new BulwarkError(
      'MALFORMED_INPUT',
      'not a CycloneDX VEX document (bomFormat and vulnerabilities)',
      {
        input,
      },
    );
  const bom = doc as Obj;
  const vulns = bom.vulnerabilities as unknown[];
  if (vulns.length > lim.maxStatements)
    throw new BulwarkError(
      'LIMIT_EXCEEDED',
      `${vulns.length} vulnerabilities, more than ${lim.maxStatements}`,
      {
        input,
      },
    );
  const refs = indexComponents(bom, input, lim.maxProducts);
  const out: VexDocument = { format: 'cyclonedx', statements: [], warnings: [] };
  if (typeof bom.serialNumber === 'string' && bom.serialNumber.length < 256) out.id = bom.serialNumber;
  if (isObj(bom.metadata)) {
    const ts = iso(typeof bom.metadata.timestamp === 'string' ? bom.metadata.timestamp : undefined);
    if (ts) out.timestamp = ts;
  }
  for (const [i, raw] of vulns.entries()) {
    const where = `vulnerability ${i}`;
    try {
      if (!isObj(raw)) throw new ItemError(`${where} is not an object`);
      const vulnId = str(raw, 'id', where);
      if (!vulnId) throw new ItemError(`${where}: no id`);
      const a = raw.analysis;
      if (!isObj(a)) throw new ItemError(`${where} (${vulnId}): no analysis, so no VEX statement`);
      const state = str(a, 'state', where);
      const status = state ? STATE_TO_STATUS[state] : undefined;
      if (!status) throw new ItemError(`${where} (${vulnId}): unknown analysis state ${String(state)}`);
      const cdxJust = str(a, 'justification', where);
      let justification: Justification | undefined;
      if (cdxJust) {
        justification = CDX_TO_OPENVEX[cdxJust];
        if (!justification) throw new ItemError(`${where} (${vulnId}): unknown justification ${cdxJust}`);
      }
      const detail = str(a, 'detail', where);
      const response = arr(a, 'response', where, 10).filter((r): r is string => typeof r === 'string');
      const s: VexStatement = { vulnId, aliases: [], status, products: [] };
      for (const r of arr(raw, 'references', where, lim.maxProducts))
        if (isObj(r) && typeof r.id === 'string' && r.id.length < 256) s.aliases.push(r.id);
      if (status === 'not_affected') {
        if (state === 'false_positive' && !justification) justification = 'vulnerable_code_not_present';
        if (justification) s.justification = justification;
        const impact = [state === 'false_positive' ? 'CycloneDX: false positive' : '', detail ?? '']
          .filter(Boolean)
          .join('; ');
        if (impact) s.impactStatement = impact;
        if (!s.justification && !s.impactStatement)
          throw new ItemError(`${where} (${vulnId}): not_affected without a justification or detail`);
      } else if (status === 'affected') {
        s.actionStatement = detail ?? (response.length ? `response: ${response.join(', ')}` : 'none given');
      } else if (detail) {
        s.statusNotes = detail;
      }
      const ts = iso(str(a, 'lastUpdated', where) ?? str(a, 'firstIssued', where)) ?? out.timestamp;
      if (ts) s.timestamp = ts;
      const affects = arr(raw, 'affects', where, lim.maxProducts);
      const byImage = new Map<string, VexProduct>();
      for (const af of affects) {
        const ref = isObj(af) && typeof af.ref === 'string' ? af.ref : undefined;
        // a BOM-Link (urn:cdx:serial/version#ref) to this BOM names a component by its fragment
        const local = ref?.startsWith('urn:cdx:') ? ref.slice(ref.indexOf('#') + 1) : ref;
        const c = local !== undefined ? refs.get(local) : undefined;
        if (!c?.purl) {
          warn(
            out.warnings,
            'VEX_PRODUCT_UNUSABLE',
            `${where} (${vulnId}): ref ${String(ref)} names no component with a purl`,
            input,
          );
          continue;
        }
        if (c.container) {
          const p = byImage.get(c.purl) ?? { purl: c.purl, packages: [] };
          byImage.set(c.purl, p);
          s.products.push(p);
        } else if (c.parent?.purl) {
          const p = byImage.get(c.parent.purl) ?? { purl: c.parent.purl, packages: [] };
          if (!byImage.has(c.parent.purl)) {
            byImage.set(c.parent.purl, p);
            s.products.push(p);
          }
          p.packages.push(c.purl);
        } else {
          s.products.push({ purl: c.purl, packages: [] });
        }
      }
      // a container named both whole and through one of its packages means the whole container
      s.products = [...new Set(s.products)];
      if (affects.length > 0 && s.products.length === 0)
        throw new ItemError(`${where} (${vulnId}): none of its affects names a component with a purl`);
      out.statements.push(s);
    } catch (e) {
      if (!(e instanceof ItemError)) throw e;
      warn(out.warnings, 'VEX_STATEMENT_SKIPPED', e.message, input);
    }
  }
  return out;
}

/** A CycloneDX 1.6 VEX BOM; every statement gets its own components (bom-refs `s<n>-…`). */
export function writeCycloneDxVex(
  statements: readonly VexStatement[],
  o: WriteVexOptions & { serialNumber: string },
): Record<string, unknown> {
  const components: Record<string, unknown>[] = [];
  const vulnerabilities = statements.map((s, n) => {
    const affects: { ref: string }[] = [];
    s.products.forEach((p, k) => {
      const ref = `s${n}-p${k}`;
      const oci = isOciPurl(p.purl);
      const nested = p.packages.map((q, j) => {
        const r = `${ref}-c${j}`;
        affects.push({ ref: r });
        return { type: 'library', 'bom-ref': r, name: nameOf(q), purl: q };
      });
      if (!nested.length) affects.push({ ref });
      components.push({
        type: oci ? 'container' : 'library',
        'bom-ref': ref,
        name: nameOf(p.purl),
        purl: p.purl,
        ...(nested.length ? { components: nested } : {}),
      });
    });
    const state = STATUS_TO_STATE[s.status];
    const detail = s.actionStatement ?? s.impactStatement ?? s.statusNotes;
    return {
      id: s.vulnId,
      ...(s.aliases.length ? { references: s.aliases.map((id) => ({ id, source: { name: 'alias' } })) } : {}),
      analysis: {
        state,
        ...(s.justification ? { justification: OPENVEX_TO_CDX[s.justification] } : {}),
        ...(detail ? { detail } : {}),
        ...(s.timestamp ? { firstIssued: s.timestamp, lastUpdated: s.timestamp } : {}),
      },
      ...(affects.length ? { affects } : {}),
    };
  });
  return {
    bomFormat: 'CycloneDX',
    specVersion: '1.6',
    serialNumber: o.serialNumber,
    version: 1,
    metadata: {
      timestamp: o.timestamp,
      ...(o.tooling ? { tools: { components: [{ type: 'application', name: o.tooling }] } } : {}),
      authors: [{ name: o.author }],
    },
    components,
    vulnerabilities,
  };
}

function nameOf(purl: string): string {
  const base = purl.replace(/[@?#].*$/, '');
  try {
    return decodeURIComponent(base.slice(base.lastIndexOf('/') + 1)) || purl;
  } catch {
    return purl;
  }
}
