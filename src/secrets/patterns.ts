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

/** where a value ends: a quote, space, separator, a closing bracket or tag, an escaped newline, the end */
export const VALUE_END = '(?=[\\s"\'`;,)\\]}<>|&]|\\\\[nrt]|$)';

/**
 * `<key>...<op><value>` in any syntax users write credentials in: env and INI (`K=v`, `K = "v"`),
 * YAML and JSON (`k: v`, `"k": "v"`), code (`k := "v"`, `var k string = "v"`, `$k .= "v"`,
 * `"k" => "v"`, `setProperty("K", "v")`), Makefiles (`:=`, `::=`, `?=`) and XML elements
 * (`<k>\n  v\n</k>`; YAML's `k:\n  v`, but never `K=` then the next line). An argument list's `,` counts
 * between a quoted key and a quoted value only (`setProperty("K", "v")`, not
 * `--mount=type=secret,id=x`), and not at all with `argumentList` false: for a generic name
 * (`argon2id('password', 'saltsalt')`, `path.join(dir, 'secret', x)`) an argument list says
 * nothing. The key (regex source, matched case-insensitively) may be the middle of a
 * longer name (`MY_ADAFRUIT_API_KEY`); the value is capture group 1 and must end where a literal
 * ends. Every repetition is bounded, so one attempt costs at most a few hundred steps.
 */
export function keyed(key: string, value: string, flags = 'i', argumentList = true): RegExp {
  const comma = argumentList ? '|(?<=["\'`]),(?=[ \\t]{0,5}["\'`])' : '';
  return new RegExp(
    `(?:${key})[A-Za-z0-9_.-]{0,30}["'\`]{0,2}(?:[ \\t]{1,3}(?:string|String|str|const|var))?[ \\t]{0,5}` +
      `(?:(?:=(?![=~])|=>|:{1,3}=|\\?=|\\.=|\\|\\|=?${comma})[ \\t]{0,5}|(?::(?!:)|>)[ \\t]{0,5}(?:\\r?\\n[ \\t]{0,40})?)["'\`]?(${value})${VALUE_END}`,
    flags,
  );
}

/** a token recognised by its own shape: not glued to identifier characters before, a literal's end after */
export function shaped(body: string, flags = ''): RegExp {
  return new RegExp(`${B}(${body})${VALUE_END}`, flags);
}

/** a regex source matching `words` in any case, for the case-insensitive part of a case-sensitive pattern */
export function anyCase(words: string): string {
  return words.replace(/[a-z]/gi, (c) => `[${c.toLowerCase()}${c.toUpperCase()}]`);
}
