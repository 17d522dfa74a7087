import type { Severity } from '../../core/types.js';
import { keyed, shaped } from '../patterns.js';
import type { SecretSpec } from '../types.js';

/** A UUID in any case (HubSpot, Heroku, Snyk and others issue them as keys) */
export const UUID = '[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}';

export interface RuleOptions extends Partial<Omit<SecretSpec, 'id' | 'title' | 'category' | 'references'>> {
  /** the key as a regex source when it is not the plain words (`linked[_-]?in`) */
  key?: string;
  /** regex flags (default `i`; `''` where the key's case tells it apart: `Etsy`, not `betsy`) */
  flags?: string;
}

function finish(
  category: string,
  id: string,
  title: string,
  regex: RegExp,
  keywords: string[],
  reference: string,
  o: RuleOptions,
): SecretSpec {
  const { key: _key, flags: _flags, ...rest } = o;
  void _key;
  void _flags;
  return {
    id,
    title,
    severity: 'HIGH' as Severity,
    aliases: [`gitleaks:${id}`],
    keywords,
    regex,
    secretGroup: 1,
    category,
    references: [reference],
    ...rest,
  };
}

const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/**
 * A credential recognised by the name it is assigned to: one of `keys` in the key, then the
 * value's own shape (`value`, a regex source matched case-insensitively), in any assignment syntax.
 */
export function byKey(
  category: string,
  id: string,
  title: string,
  keys: string[],
  value: string,
  reference: string,
  o: RuleOptions = {},
): SecretSpec {
  return finish(
    category,
    id,
    title,
    keyed(o.key ?? keys.map(escape).join('|'), value, o.flags),
    o.keywords ?? keys.map((k) => k.toLowerCase()),
    reference,
    o,
  );
}

/** A credential recognised by its own shape (a vendor prefix, a fixed layout), anywhere in text. */
export function byShape(
  category: string,
  id: string,
  title: string,
  body: string,
  keywords: string[],
  reference: string,
  o: RuleOptions = {},
): SecretSpec {
  return finish(category, id, title, shaped(body, o.flags), keywords, reference, o);
}

/** A rule family's constructors bound to its category. */
export function category(name: string) {
  return {
    key: (id: string, title: string, keys: string[], value: string, reference: string, o?: RuleOptions) =>
      byKey(name, id, title, keys, value, reference, o),
    shape: (
      id: string,
      title: string,
      body: string,
      keywords: string[],
      reference: string,
      o?: RuleOptions,
    ) => byShape(name, id, title, body, keywords, reference, o),
  };
}
