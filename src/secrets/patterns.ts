/**
 * Building blocks for rule regexes. All quantifiers are bounded so every rule stays linear-time
 * on hostile input (long runs of key or value characters).
 */

/** no identifier character before */
export const B = '(?<![A-Za-z0-9_])';
/** no identifier character after */
export const E = '(?![A-Za-z0-9_])';
/** no token character (identifier, `-`) after */
export const ET = '(?![A-Za-z0-9_-])';

/**
 * `<key>...<sep><value>` as written in env files, YAML, JSON, code and shell: the key (a regex
 * source, matched case-insensitively) may carry a short prefix/suffix (`AWS_`, `_ID`), then an
 * optional closing quote, `=` (not `==`), `:`, `:=` or `=>`, an optional opening quote, and the value, which
 * is capture group 1.
 */
export function assignment(key: string, value: string): RegExp {
  return new RegExp(
    `(?:${key})[A-Za-z0-9_.-]{0,20}["'\`]?[ \\t]{0,5}(?:=(?!=)|:=|:|=>)[ \\t]{0,5}["'\`]?(${value})${ET}`,
    'i',
  );
}

/** A rule that only recognises its own prefix: `ghp_` + 36 alphanumerics. */
export function prefixed(prefix: string, body: string, flags = ''): RegExp {
  return new RegExp(`${B}(${prefix}${body})${ET}`, flags);
}
