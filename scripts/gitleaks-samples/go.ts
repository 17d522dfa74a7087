/**
 * A small interpreter for the subset of Go that gitleaks' rule generator files use to build their
 * sample secrets (string literals and concatenation, slices, maps, composite literals, `:=`, `=`,
 * `append`, `for ... range`, `if`, `for {}` with `continue`/`return`, calls between functions of
 * the interpreted packages). It reads those files as data: nothing of gitleaks is compiled or run.
 * Library calls the files make (fmt, strings, base64, regexp, the sample generator) are
 * implemented in `builtins.ts`.
 */

// ---------------------------------------------------------------- tokens

type TokKind = 'ident' | 'string' | 'number' | 'char' | 'op' | ';' | 'eof';
interface Tok {
  kind: TokKind;
  value: string;
  line: number;
}

const OPS = [
  '...',
  ':::=',
  '::=',
  '&&',
  '||',
  '==',
  '!=',
  '<=',
  '>=',
  ':=',
  '+=',
  '-=',
  '++',
  '--',
  '<-',
  '&^',
  '<<',
  '>>',
];

function unquote(body: string, line: number): string {
  let out = '';
  for (let i = 0; i < body.length; i++) {
    const ch = body[i]!;
    if (ch !== '\\') {
      out += ch;
      continue;
    }
    const n = body[++i]!;
    const simple: Record<string, string> = {
      n: '\n',
      t: '\t',
      r: '\r',
      '\\': '\\',
      '"': '"',
      "'": "'",
      a: '\x07',
      b: '\b',
      f: '\f',
      v: '\v',
    };
    if (n in simple) out += simple[n];
    else if (n === 'x') {
      out += String.fromCharCode(parseInt(body.slice(i + 1, i + 3), 16));
      i += 2;
    } else if (n === 'u') {
      out += String.fromCodePoint(parseInt(body.slice(i + 1, i + 5), 16));
      i += 4;
    } else if (n === 'U') {
      out += String.fromCodePoint(parseInt(body.slice(i + 1, i + 9), 16));
      i += 8;
    } else if (/[0-7]/.test(n)) {
      out += String.fromCharCode(parseInt(body.slice(i, i + 3), 8));
      i += 2;
    } else throw new Error(`line ${line}: unknown escape \\${n}`);
  }
  return out;
}

export function tokenize(src: string): Tok[] {
  const toks: Tok[] = [];
  let line = 1;
  let i = 0;
  const needsSemi = () => {
    const t = toks[toks.length - 1];
    if (!t) return false;
    if (t.kind === 'ident')
      return !['package', 'import', 'func', 'var', 'const', 'type', 'if', 'for', 'else', 'range'].includes(
        t.value,
      );
    if (t.kind === 'string' || t.kind === 'number' || t.kind === 'char') return true;
    return t.kind === 'op' && [')', ']', '}', '++', '--'].includes(t.value);
  };
  while (i < src.length) {
    const ch = src[i]!;
    if (ch === '\n') {
      if (needsSemi()) toks.push({ kind: ';', value: '\n', line });
      line++;
      i++;
    } else if (ch === ' ' || ch === '\t' || ch === '\r') i++;
    else if (src.startsWith('//', i)) {
      while (i < src.length && src[i] !== '\n') i++;
    } else if (src.startsWith('/*', i)) {
      const end = src.indexOf('*/', i + 2);
      for (let j = i; j < end; j++) if (src[j] === '\n') line++;
      i = end + 2;
    } else if (ch === '`') {
      const end = src.indexOf('`', i + 1);
      const raw = src.slice(i + 1, end).replace(/\r/g, '');
      toks.push({ kind: 'string', value: raw, line });
      for (const c of raw) if (c === '\n') line++;
      i = end + 1;
    } else if (ch === '"' || ch === "'") {
      let j = i + 1;
      while (src[j] !== ch) j += src[j] === '\\' ? 2 : 1;
      const v = unquote(src.slice(i + 1, j), line);
      toks.push({ kind: ch === '"' ? 'string' : 'char', value: v, line });
      i = j + 1;
    } else if (/[A-Za-z_]/.test(ch)) {
      let j = i;
      while (j < src.length && /[A-Za-z0-9_]/.test(src[j]!)) j++;
      toks.push({ kind: 'ident', value: src.slice(i, j), line });
      i = j;
    } else if (/[0-9]/.test(ch)) {
      let j = i;
      while (j < src.length && /[0-9a-fA-FxX._]/.test(src[j]!)) j++;
      toks.push({ kind: 'number', value: src.slice(i, j), line });
      i = j;
    } else {
      const op = OPS.find((o) => src.startsWith(o, i)) ?? ch;
      toks.push({ kind: 'op', value: op, line });
      i += op.length;
    }
  }
  if (needsSemi()) toks.push({ kind: ';', value: '\n', line });
  toks.push({ kind: 'eof', value: '', line });
  return toks;
}

// ---------------------------------------------------------------- syntax

export type Expr =
  | { k: 'lit'; v: string | number | boolean }
  | { k: 'ident'; name: string }
  | { k: 'sel'; x: Expr; name: string }
  | { k: 'call'; fn: Expr; args: Expr[]; spread: boolean }
  | { k: 'index'; x: Expr; i: Expr }
  | { k: 'slice'; x: Expr; lo?: Expr; hi?: Expr }
  | { k: 'bin'; op: string; a: Expr; b: Expr }
  | { k: 'un'; op: string; x: Expr }
  | { k: 'comp'; type: TypeRef; elts: { key?: Expr; value: Expr }[] }
  | { k: 'type'; type: TypeRef }
  | { k: 'zero'; type: TypeRef }
  | { k: 'func'; fn: FuncDecl };

export type TypeRef =
  | { t: 'name'; name: string }
  | { t: 'slice'; elem: TypeRef }
  | { t: 'map'; key: TypeRef; elem: TypeRef }
  | { t: 'ptr'; elem: TypeRef }
  | { t: 'other' };

export type Stmt =
  | { k: 'expr'; x: Expr }
  | { k: 'assign'; op: string; lhs: Expr[]; rhs: Expr[] }
  | { k: 'var'; names: string[]; values: Expr[] }
  | { k: 'if'; init?: Stmt; cond: Expr; then: Stmt[]; else?: Stmt[] }
  | { k: 'for'; key?: string; value?: string; range?: Expr; cond?: Expr; body: Stmt[] }
  | { k: 'return'; values: Expr[] }
  | { k: 'continue' }
  | { k: 'break' }
  | { k: 'incdec'; x: Expr; op: string };

export interface FuncDecl {
  name: string;
  params: string[];
  variadic: boolean;
  /** the first result type, as text (`*config.Rule`) */
  result: string;
  body: Stmt[];
}

export interface GoFile {
  pkg: string;
  /** import alias -> path */
  imports: Map<string, string>;
  vars: { name: string; value?: Expr }[];
  funcs: FuncDecl[];
}

const PREC: Record<string, number> = {
  '||': 1,
  '&&': 2,
  '==': 3,
  '!=': 3,
  '<': 3,
  '<=': 3,
  '>': 3,
  '>=': 3,
  '+': 4,
  '-': 4,
  '|': 4,
  '^': 4,
  '*': 5,
  '/': 5,
  '%': 5,
  '<<': 5,
  '>>': 5,
  '&': 5,
  '&^': 5,
};

export class Parser {
  private p = 0;
  /** composite literals are not allowed in `if`/`for` headers (Go's own rule) */
  private noLit = 0;
  constructor(private readonly toks: Tok[]) {}

  private get t(): Tok {
    return this.toks[this.p]!;
  }
  /** the current token's kind (a call, so the compiler does not narrow it across loops) */
  private kind(): TokKind {
    return this.toks[this.p]!.kind;
  }
  private is(v: string): boolean {
    return (this.t.kind === 'op' || this.t.kind === 'ident') && this.t.value === v;
  }
  private eat(v: string): boolean {
    if (this.is(v)) {
      this.p++;
      return true;
    }
    return false;
  }
  private expect(v: string): void {
    if (!this.eat(v)) throw new Error(`line ${this.t.line}: expected ${v}, got ${this.t.value}`);
  }
  private semis(): void {
    while (this.t.kind === ';' || this.is(';')) this.p++;
  }
  private ident(): string {
    if (this.t.kind !== 'ident') throw new Error(`line ${this.t.line}: expected a name, got ${this.t.value}`);
    return this.toks[this.p++]!.value;
  }

  file(): GoFile {
    const f: GoFile = { pkg: '', imports: new Map(), vars: [], funcs: [] };
    this.semis();
    this.expect('package');
    f.pkg = this.ident();
    this.semis();
    while (this.t.kind !== 'eof') {
      if (this.eat('import')) {
        const one = () => {
          const alias = this.t.kind === 'ident' ? this.ident() : undefined;
          const path = this.toks[this.p++]!.value;
          f.imports.set(alias ?? path.split('/').pop()!, path);
        };
        if (this.eat('(')) {
          this.semis();
          while (!this.eat(')')) {
            one();
            this.semis();
          }
        } else one();
      } else if (this.is('var') || this.is('const')) {
        this.p++;
        const one = () => {
          const s = this.varSpec();
          s.names.forEach((name, i) => f.vars.push({ name, value: s.values[i] }));
        };
        if (this.eat('(')) {
          this.semis();
          while (!this.eat(')')) {
            one();
            this.semis();
          }
        } else one();
      } else if (this.eat('func')) {
        if (this.is('(')) {
          // a method: skip its receiver, keep the method under its name
          this.skipBalanced('(', ')');
        }
        f.funcs.push(this.funcRest(this.ident()));
      } else if (this.eat('type')) {
        for (;;) {
          const kind = this.kind();
          if (kind === ';' || kind === 'eof') break;
          if (this.is('{')) this.skipBalanced('{', '}');
          else this.p++;
        }
      } else throw new Error(`line ${this.t.line}: unexpected ${this.t.value}`);
      this.semis();
    }
    return f;
  }

  private skipBalanced(open: string, close: string): void {
    let depth = 0;
    do {
      if (this.is(open)) depth++;
      else if (this.is(close)) depth--;
      this.p++;
    } while (depth > 0);
  }

  private funcRest(name: string): FuncDecl {
    this.expect('(');
    const params: string[] = [];
    let variadic = false;
    const pending: string[] = [];
    while (!this.eat(')')) {
      const n = this.ident();
      if (this.is(',') || this.is(')')) pending.push(n);
      else {
        if (this.eat('...')) variadic = true;
        this.type();
        params.push(...pending, n);
        pending.length = 0;
      }
      this.eat(',');
    }
    params.push(...pending);
    let result = '';
    const start = this.p;
    if (this.is('(')) this.skipBalanced('(', ')');
    else if (!this.is('{')) this.type();
    result = this.toks
      .slice(start, this.p)
      .map((t) => t.value)
      .join('');
    return { name, params, variadic, result, body: this.block() };
  }

  private varSpec(): { names: string[]; values: Expr[] } {
    const names = [this.ident()];
    while (this.eat(',')) names.push(this.ident());
    const type = this.is('=') ? undefined : this.type();
    const values: Expr[] = [];
    if (this.eat('=')) values.push(...this.exprList());
    // no value: the type's zero value
    else if (type) for (const _ of names) values.push({ k: 'zero', type });
    return { names, values };
  }

  type(): TypeRef {
    if (this.eat('[')) {
      if (!this.eat(']')) {
        this.expr();
        this.expect(']');
      }
      return { t: 'slice', elem: this.type() };
    }
    if (this.eat('map')) {
      this.expect('[');
      const key = this.type();
      this.expect(']');
      return { t: 'map', key, elem: this.type() };
    }
    if (this.eat('*')) return { t: 'ptr', elem: this.type() };
    if (this.eat('func')) {
      this.skipBalanced('(', ')');
      if (this.is('(')) this.skipBalanced('(', ')');
      else if (this.t.kind === 'ident' || this.is('[') || this.is('*')) this.type();
      return { t: 'other' };
    }
    if (this.is('struct') || this.is('interface')) {
      this.p++;
      this.skipBalanced('{', '}');
      return { t: 'other' };
    }
    let name = this.ident();
    if (this.eat('.')) name += `.${this.ident()}`;
    return { t: 'name', name };
  }

  block(): Stmt[] {
    this.expect('{');
    const out: Stmt[] = [];
    this.semis();
    while (!this.eat('}')) {
      out.push(this.stmt());
      this.semis();
    }
    return out;
  }

  private stmt(): Stmt {
    if (this.eat('var')) {
      if (!this.eat('(')) {
        const s = this.varSpec();
        return { k: 'var', names: s.names, values: s.values };
      }
      const names: string[] = [];
      const values: Expr[] = [];
      this.semis();
      while (!this.eat(')')) {
        const s = this.varSpec();
        // one spec a line: pad missing values so names and values stay aligned
        s.names.forEach((n, i) => {
          names.push(n);
          values.push(s.values[i] ?? { k: 'ident', name: 'nil' });
        });
        this.semis();
      }
      return { k: 'var', names, values };
    }
    if (this.eat('return')) {
      const values = this.t.kind === ';' || this.is('}') ? [] : this.exprList();
      return { k: 'return', values };
    }
    if (this.eat('continue')) return { k: 'continue' };
    if (this.eat('break')) return { k: 'break' };
    if (this.eat('if')) return this.ifRest();
    if (this.eat('for')) {
      this.noLit++;
      try {
        if (this.is('{')) {
          this.noLit--;
          return { k: 'for', body: this.blockLit() };
        }
        // for k, v := range x  |  for range x  |  for cond
        const save = this.p;
        let key: string | undefined;
        let value: string | undefined;
        if (this.t.kind === 'ident' && !this.is('range')) {
          key = this.ident();
          if (this.eat(',')) value = this.ident();
          if (!this.eat(':=') && !this.eat('=')) {
            this.p = save;
            key = value = undefined;
          }
        }
        if (this.eat('range')) {
          const range = this.expr();
          this.noLit--;
          return { k: 'for', key, value, range, body: this.blockLit() };
        }
        this.p = save;
        const cond = this.expr();
        this.noLit--;
        return { k: 'for', cond, body: this.blockLit() };
      } catch (e) {
        this.noLit = 0;
        throw e;
      }
    }
    return this.simple();
  }

  private blockLit(): Stmt[] {
    const saved = this.noLit;
    this.noLit = 0;
    try {
      return this.block();
    } finally {
      this.noLit = saved;
    }
  }

  private ifRest(): Stmt {
    this.noLit++;
    let init: Stmt | undefined;
    let s = this.simple();
    if (this.t.kind === ';' || this.is(';')) {
      this.p++;
      init = s;
      s = this.simple();
    }
    this.noLit--;
    if (s.k !== 'expr') throw new Error(`line ${this.t.line}: if needs a condition`);
    const then = this.blockLit();
    let els: Stmt[] | undefined;
    if (this.eat('else')) els = this.eat('if') ? [this.ifRest()] : this.blockLit();
    return { k: 'if', init, cond: s.x, then, else: els };
  }

  private simple(): Stmt {
    const lhs = this.exprList();
    for (const op of [':=', '=', '+=', '-='])
      if (this.eat(op)) return { k: 'assign', op, lhs, rhs: this.exprList() };
    if (this.is('++') || this.is('--')) return { k: 'incdec', x: lhs[0]!, op: this.toks[this.p++]!.value };
    return { k: 'expr', x: lhs[0]! };
  }

  exprList(): Expr[] {
    const out = [this.expr()];
    while (this.eat(',')) out.push(this.expr());
    return out;
  }

  expr(minPrec = 1): Expr {
    let a = this.unary();
    for (;;) {
      const op = this.t.kind === 'op' ? this.t.value : '';
      const prec = PREC[op];
      if (prec === undefined || prec < minPrec) return a;
      this.p++;
      const b = this.expr(prec + 1);
      a = { k: 'bin', op, a, b };
    }
  }

  private unary(): Expr {
    for (const op of ['!', '-', '&', '*', '^', '+'])
      if (this.is(op) && this.t.kind === 'op') {
        this.p++;
        return { k: 'un', op, x: this.unary() };
      }
    return this.primary();
  }

  private primary(): Expr {
    let x = this.operand();
    for (;;) {
      if (this.eat('.')) {
        if (this.eat('(')) {
          // type assertion x.(T)
          this.type();
          this.expect(')');
          continue;
        }
        x = { k: 'sel', x, name: this.ident() };
      } else if (this.eat('(')) {
        const args: Expr[] = [];
        let spread = false;
        this.semis();
        while (!this.eat(')')) {
          args.push(this.expr());
          if (this.eat('...')) spread = true;
          this.eat(',');
          this.semis();
        }
        x = { k: 'call', fn: x, args, spread };
      } else if (this.eat('[')) {
        let lo: Expr | undefined;
        if (!this.is(':')) lo = this.expr();
        if (this.eat(':')) {
          const hi = this.is(']') ? undefined : this.expr();
          this.expect(']');
          x = { k: 'slice', x, lo, hi };
        } else {
          this.expect(']');
          x = { k: 'index', x, i: lo! };
        }
      } else if (this.is('{') && this.noLit === 0 && isTypeLike(x)) {
        x = { k: 'comp', type: exprToType(x), elts: this.elements() };
      } else return x;
    }
  }

  private operand(): Expr {
    const t = this.t;
    if (t.kind === 'string' || t.kind === 'char') {
      this.p++;
      return { k: 'lit', v: t.value };
    }
    if (t.kind === 'number') {
      this.p++;
      return { k: 'lit', v: Number(t.value.replace(/_/g, '')) };
    }
    if (this.eat('(')) {
      const saved = this.noLit;
      this.noLit = 0;
      const x = this.expr();
      this.noLit = saved;
      this.expect(')');
      return x;
    }
    if (this.is('[') || this.is('map') || this.is('struct')) {
      const type = this.type();
      if (this.is('{')) return { k: 'comp', type, elts: this.elements() };
      return { k: 'type', type };
    }
    if (this.eat('func')) return { k: 'func', fn: this.funcRest('<literal>') };
    if (t.kind === 'ident') {
      this.p++;
      if (t.value === 'true' || t.value === 'false') return { k: 'lit', v: t.value === 'true' };
      return { k: 'ident', name: t.value };
    }
    throw new Error(`line ${t.line}: unexpected ${t.value}`);
  }

  private elements(): { key?: Expr; value: Expr }[] {
    const saved = this.noLit;
    this.noLit = 0;
    this.expect('{');
    const out: { key?: Expr; value: Expr }[] = [];
    this.semis();
    const elem = (): Expr =>
      this.is('{') ? { k: 'comp', type: { t: 'other' }, elts: this.elements() } : this.expr();
    while (!this.eat('}')) {
      const first = elem();
      if (this.eat(':')) out.push({ key: first, value: elem() });
      else out.push({ value: first });
      this.eat(',');
      this.semis();
    }
    this.noLit = saved;
    return out;
  }
}

function isTypeLike(x: Expr): boolean {
  return x.k === 'ident' || (x.k === 'sel' && x.x.k === 'ident') || x.k === 'type';
}

function exprToType(x: Expr): TypeRef {
  if (x.k === 'type') return x.type;
  if (x.k === 'ident') return { t: 'name', name: x.name };
  if (x.k === 'sel' && x.x.k === 'ident') return { t: 'name', name: `${x.x.name}.${x.name}` };
  return { t: 'other' };
}

export function parseGo(src: string): GoFile {
  return new Parser(tokenize(src)).file();
}
