import parse from 'spdx-expression-parse';

/** Licence strings split into what SPDX recognises and what it does not. */
export interface LicenseSplit {
  /** the valid SPDX expressions, each as written */
  expressions: string[];
  /** everything else (`BSD`, `see LICENSE`, `Apache 2`) */
  names: string[];
}

const cache = new Map<string, boolean>();

/** True when `s` is a valid SPDX licence expression (ids from the SPDX list, LicenseRef-, WITH, AND/OR). */
export function isSpdxExpression(s: string): boolean {
  let ok = cache.get(s);
  if (ok === undefined) {
    try {
      parse(s);
      ok = true;
    } catch {
      ok = false;
    }
    if (cache.size < 10_000) cache.set(s, ok);
  }
  return ok;
}

/** True when `s` is one licence id (no operators): CycloneDX writes it as `license.id`. */
export function isSingleLicenseId(s: string): boolean {
  try {
    const node = parse(s);
    return 'license' in node && !('exception' in node && node.exception) && !node.plus;
  } catch {
    return false;
  }
}

export function splitLicenses(licenses: readonly string[] | undefined): LicenseSplit {
  const expressions: string[] = [];
  const names: string[] = [];
  for (const raw of licenses ?? []) {
    const l = raw.trim();
    if (!l) continue;
    (isSpdxExpression(l) ? expressions : names).push(l);
  }
  return { expressions: [...new Set(expressions)], names: [...new Set(names)] };
}

/** Several expressions that all apply to one package, combined with AND. */
export function conjunction(expressions: readonly string[]): string | undefined {
  if (expressions.length === 0) return undefined;
  if (expressions.length === 1) return expressions[0];
  return expressions.map((e) => (/\s/.test(e) ? `(${e})` : e)).join(' AND ');
}
