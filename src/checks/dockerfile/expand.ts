/**
 * Dockerfile variable substitution (`$VAR`, `${VAR}`, `${VAR:-default}`, `${VAR-default}`,
 * `${VAR:+alt}`, `${VAR+alt}`), as BuildKit applies it to FROM, ENV, ARG, USER, WORKDIR, ...
 * `unresolved` tells a rule that an unknown variable was used, so it can stay silent rather than
 * guess.
 */
export interface Expanded {
  value: string;
  unresolved: boolean;
}

/** What expansion reads: a Map, or a stage Scope. */
export interface VarLookup {
  has(name: string): boolean;
  get(name: string): string | undefined;
}

export function expandVars(input: string, vars: VarLookup, escape = '\\'): Expanded {
  let out = '';
  let unresolved = false;
  let i = 0;
  while (i < input.length) {
    const c = input[i]!;
    if (c === escape && input[i + 1] === '$') {
      out += '$';
      i += 2;
      continue;
    }
    if (c !== '$') {
      out += c;
      i++;
      continue;
    }
    const next = input[i + 1];
    if (next === '{') {
      const close = matchingBrace(input, i + 1);
      if (close < 0) {
        out += input.slice(i);
        break;
      }
      const body = input.slice(i + 2, close);
      const m = /^([A-Za-z_][A-Za-z0-9_]*)(?:(:?[-+])([\s\S]*))?$/.exec(body);
      if (!m) {
        out += input.slice(i, close + 1);
        unresolved = true;
      } else {
        const name = m[1]!;
        const op = m[2];
        const set = vars.has(name) && vars.get(name) !== undefined;
        const val = set ? vars.get(name)! : '';
        if (!op) {
          if (!set) unresolved = true;
          out += val;
        } else {
          const word = expandVars(m[3] ?? '', vars, escape);
          const present = op.startsWith(':') ? set && val !== '' : set;
          if (op.endsWith('-')) {
            if (present) out += val;
            else {
              out += word.value;
              unresolved ||= word.unresolved;
            }
          } else if (present) {
            out += word.value;
            unresolved ||= word.unresolved;
          }
        }
      }
      i = close + 1;
      continue;
    }
    const m = /^[A-Za-z_][A-Za-z0-9_]*/.exec(input.slice(i + 1));
    if (!m) {
      out += '$';
      i++;
      continue;
    }
    const name = m[0];
    const val = vars.get(name);
    if (val === undefined) unresolved = true;
    out += val ?? '';
    i += 1 + name.length;
  }
  return { value: out, unresolved };
}

function matchingBrace(s: string, open: number): number {
  let depth = 0;
  for (let j = open; j < s.length; j++) {
    if (s[j] === '{') depth++;
    else if (s[j] === '}' && --depth === 0) return j;
  }
  return -1;
}
