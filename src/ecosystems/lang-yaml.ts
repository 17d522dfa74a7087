import { CORE_SCHEMA, load, loadAll } from 'js-yaml';

const MAX_FLOW_DEPTH = 64;
const MAX_INDENT = 256;

/**
 * Why a text is too deeply nested for the YAML parser, or undefined. Lockfiles nest a handful of
 * levels; the parser's memory grows with nesting (megabytes of `[` exhaust the heap), so nesting is
 * measured first in one linear pass: flow brackets outside quoted scalars and comments, and
 * block indentation.
 */
export function yamlNestingProblem(text: string): string | undefined {
  let depth = 0;
  let quote = 0; // 0, 34 ("), 39 (')
  let lineStart = true;
  let indent = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 10) {
      lineStart = true;
      indent = 0;
      continue;
    }
    if (lineStart) {
      if (c === 32) {
        if (++indent > MAX_INDENT) return `indented deeper than ${MAX_INDENT} columns`;
        continue;
      }
      lineStart = false;
    }
    if (quote) {
      if (c === 92 && quote === 34)
        i++; // \" inside a double-quoted scalar
      else if (c === quote) quote = 0;
      continue;
    }
    if (c === 34 || c === 39) quote = c;
    else if (c === 35 && (i === 0 || text.charCodeAt(i - 1) === 32 || text.charCodeAt(i - 1) === 10)) {
      const nl = text.indexOf('\n', i);
      i = nl < 0 ? text.length : nl - 1;
    } else if (c === 91 || c === 123) {
      if (++depth > MAX_FLOW_DEPTH) return `flow collections nested deeper than ${MAX_FLOW_DEPTH}`;
    } else if ((c === 93 || c === 125) && depth > 0) depth--;
  }
  return undefined;
}

/** A YAML lockfile as a value, or undefined with a problem recorded. */
export function readYaml(text: string, problems: string[]): unknown {
  const nesting = yamlNestingProblem(text);
  if (nesting) {
    problems.push(`refused: ${nesting}`);
    return undefined;
  }
  try {
    // js-yaml rather than the project's `yaml`: on a 7 MiB pnpm lockfile it is 8x faster and needs a
    // fifth of the memory, which matters for lockfiles of tens of MiB. CORE_SCHEMA: no custom tags;
    // aliases are shared references, so they cannot multiply memory.
    return load(text, { schema: CORE_SCHEMA, json: true });
  } catch (e) {
    problems.push(`invalid YAML: ${(e as Error).message.split('\n')[0]}`);
    return undefined;
  }
}

/** Every document of a multi-document YAML text (`---` separated), or undefined with a problem recorded. */
export function readYamlDocuments(text: string, problems: string[]): unknown[] | undefined {
  const nesting = yamlNestingProblem(text);
  if (nesting) {
    problems.push(`refused: ${nesting}`);
    return undefined;
  }
  try {
    return loadAll(text, undefined, { schema: CORE_SCHEMA, json: true });
  } catch (e) {
    problems.push(`invalid YAML: ${(e as Error).message.split('\n')[0]}`);
    return undefined;
  }
}
