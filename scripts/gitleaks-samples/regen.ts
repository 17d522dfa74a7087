/**
 * Generates one string matching a Go (RE2 syntax) regular expression, from a seeded generator:
 * what gitleaks' `secrets.NewSecret(regex)` does with github.com/lucasjones/reggen at limit 1
 * (`*` and `?` repeat 0 or 1 times, `+` once, `{n,}` n or n+1 times, `{n,m}` n..m times; a
 * character class picks uniformly among its characters; `.` and negated classes pick printable
 * ASCII). The random choices differ from Go's, the character classes and lengths are the same.
 */

export class Rng {
  private s: number;
  constructor(seed: number) {
    this.s = seed >>> 0 || 0x9e3779b9;
  }
  /** integer in [0, n) (xorshift32) */
  int(n: number): number {
    let s = this.s;
    s ^= s << 13;
    s ^= s >>> 17;
    s ^= s << 5;
    this.s = s >>> 0;
    return Math.floor((this.s / 0x100000000) * n);
  }
}

/** FNV-1a of a string: a stable seed per rule function */
export function seedOf(name: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < name.length; i++) {
    h ^= name.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h;
}

type Node =
  | { k: 'chars'; set: string[] }
  | { k: 'lit'; s: string }
  | { k: 'seq'; items: Node[] }
  | { k: 'alt'; alts: Node[] }
  | { k: 'rep'; x: Node; min: number; max: number }
  | { k: 'empty' };

const PRINTABLE = Array.from({ length: 95 }, (_, i) => String.fromCharCode(32 + i));
const range = (a: string, b: string) =>
  Array.from({ length: b.charCodeAt(0) - a.charCodeAt(0) + 1 }, (_, i) =>
    String.fromCharCode(a.charCodeAt(0) + i),
  );
const DIGIT = range('0', '9');
const WORD = [...range('0', '9'), ...range('A', 'Z'), '_', ...range('a', 'z')];
const SPACE = ['\t', '\n', '\f', '\r', ' '];

class RegexParser {
  private i = 0;
  private fold = false;
  constructor(private readonly src: string) {}

  parse(): Node {
    const n = this.alt();
    if (this.i < this.src.length) throw new Error(`regex ${this.src}: unexpected ) at ${this.i}`);
    return n;
  }

  private alt(): Node {
    const alts = [this.seq()];
    while (this.src[this.i] === '|') {
      this.i++;
      alts.push(this.seq());
    }
    return alts.length === 1 ? alts[0]! : { k: 'alt', alts };
  }

  private seq(): Node {
    const items: Node[] = [];
    const outerFold = this.fold;
    while (this.i < this.src.length && this.src[this.i] !== '|' && this.src[this.i] !== ')') {
      let atom = this.atom();
      if (!atom) continue;
      atom = this.quantified(atom);
      items.push(atom);
    }
    // a `(?i)` inside a group ends with the group
    if (this.src[this.i] === ')') this.fold = outerFold;
    return { k: 'seq', items };
  }

  private quantified(atom: Node): Node {
    const c = this.src[this.i];
    let min: number;
    let max: number;
    if (c === '*') [min, max] = [0, 1];
    else if (c === '+') [min, max] = [1, 1];
    else if (c === '?') [min, max] = [0, 1];
    else if (c === '{') {
      const m = /^\{(\d+)(,(\d*))?\}/.exec(this.src.slice(this.i));
      if (!m) return atom;
      min = Number(m[1]);
      max = m[2] === undefined ? min : m[3] === '' ? min + 1 : Number(m[3]);
      this.i += m[0].length - 1;
    } else return atom;
    this.i++;
    if (this.src[this.i] === '?') this.i++;
    return this.quantified({ k: 'rep', x: atom, min, max });
  }

  private folded(set: string[]): string[] {
    if (!this.fold) return set;
    const out = new Set(set);
    for (const ch of set) {
      out.add(ch.toLowerCase());
      out.add(ch.toUpperCase());
    }
    return [...out];
  }

  private atom(): Node | undefined {
    const c = this.src[this.i++]!;
    if (c === '(') {
      if (this.src[this.i] === '?') {
        const flags = /^\?([a-zA-Z-]*)(\)|:)/.exec(this.src.slice(this.i));
        const named = /^\?P?<[A-Za-z0-9_]+>/.exec(this.src.slice(this.i));
        if (flags) {
          this.i += flags[0].length;
          const on = !flags[1]!.startsWith('-') && flags[1]!.includes('i');
          const off = flags[1]!.includes('-i') || (flags[1]!.startsWith('-') && flags[1]!.includes('i'));
          if (flags[2] === ')') {
            if (on) this.fold = true;
            if (off) this.fold = false;
            return undefined;
          }
          const saved = this.fold;
          if (on) this.fold = true;
          if (off) this.fold = false;
          const n = this.alt();
          this.fold = saved;
          this.i++;
          return n;
        }
        if (named) this.i += named[0].length;
      }
      const saved = this.fold;
      const n = this.alt();
      this.fold = saved;
      if (this.src[this.i] !== ')') throw new Error(`regex ${this.src}: missing )`);
      this.i++;
      return n;
    }
    if (c === '[') return { k: 'chars', set: this.folded(this.klass()) };
    if (c === '.') return { k: 'chars', set: PRINTABLE };
    if (c === '^' || c === '$') return { k: 'empty' };
    if (c === '\\') {
      const e = this.escape();
      if (e === undefined) return { k: 'empty' };
      return typeof e === 'string' ? { k: 'lit', s: e } : { k: 'chars', set: this.folded(e) };
    }
    return { k: 'lit', s: c };
  }

  /** after a backslash: a character, a set, or undefined for an assertion */
  private escape(): string | string[] | undefined {
    const c = this.src[this.i++]!;
    switch (c) {
      case 'd':
        return DIGIT;
      case 'w':
        return WORD;
      case 's':
        return SPACE;
      case 'D':
        return PRINTABLE.filter((x) => !DIGIT.includes(x));
      case 'W':
        return PRINTABLE.filter((x) => !WORD.includes(x));
      case 'S':
        return PRINTABLE.filter((x) => !SPACE.includes(x));
      case 'b':
      case 'B':
      case 'A':
      case 'z':
        return undefined;
      case 'n':
        return '\n';
      case 'r':
        return '\r';
      case 't':
        return '\t';
      case 'f':
        return '\f';
      case 'x': {
        const h = /^\{([0-9a-fA-F]+)\}|^([0-9a-fA-F]{2})/.exec(this.src.slice(this.i))!;
        this.i += h[0].length;
        return String.fromCodePoint(parseInt(h[1] ?? h[2]!, 16));
      }
      default:
        return c;
    }
  }

  private klass(): string[] {
    let negate = false;
    if (this.src[this.i] === '^') {
      negate = true;
      this.i++;
    }
    const set = new Set<string>();
    let first = true;
    while (this.src[this.i] !== ']' || first) {
      first = false;
      const posix = /^\[:(\^?)([a-z]+):\]/.exec(this.src.slice(this.i));
      if (posix) {
        this.i += posix[0].length;
        const named: Record<string, string[]> = {
          alpha: [...range('A', 'Z'), ...range('a', 'z')],
          alnum: [...range('0', '9'), ...range('A', 'Z'), ...range('a', 'z')],
          digit: DIGIT,
          upper: range('A', 'Z'),
          lower: range('a', 'z'),
          xdigit: [...DIGIT, ...range('A', 'F'), ...range('a', 'f')],
          space: SPACE,
        };
        for (const ch of named[posix[2]!] ?? []) set.add(ch);
        continue;
      }
      let lo: string | string[] | undefined;
      const c = this.src[this.i++]!;
      if (c === '\\') lo = this.escape();
      else lo = c;
      if (Array.isArray(lo)) {
        for (const ch of lo) set.add(ch);
        continue;
      }
      if (lo === undefined) continue;
      if (this.src[this.i] === '-' && this.src[this.i + 1] !== ']') {
        this.i++;
        let hi: string | string[] | undefined;
        const d = this.src[this.i++]!;
        if (d === '\\') hi = this.escape();
        else hi = d;
        if (typeof hi !== 'string') throw new Error(`regex ${this.src}: bad range`);
        for (const ch of range(lo, hi)) set.add(ch);
      } else set.add(lo);
    }
    this.i++;
    const out = [...set];
    return negate ? PRINTABLE.filter((x) => !set.has(x)) : out;
  }
}

function gen(n: Node, rng: Rng): string {
  switch (n.k) {
    case 'chars':
      return n.set[rng.int(n.set.length)]!;
    case 'lit':
      return n.s;
    case 'empty':
      return '';
    case 'seq':
      return n.items.map((x) => gen(x, rng)).join('');
    case 'alt':
      return gen(n.alts[rng.int(n.alts.length)]!, rng);
    case 'rep': {
      const count = n.min + rng.int(n.max - n.min + 1);
      let s = '';
      for (let i = 0; i < count; i++) s += gen(n.x, rng);
      return s;
    }
  }
}

export function generateFromRegex(regex: string, rng: Rng): string {
  return gen(new RegexParser(regex).parse(), rng);
}
