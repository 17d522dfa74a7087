import type { Expr, FuncDecl, GoFile, Stmt, TypeRef } from './go.js';
import { generateFromRegex, type Rng } from './regen.js';

/**
 * Evaluates gitleaks' rule generator functions over the parsed Go files. Values: strings,
 * numbers, booleans, null (nil), arrays (slices), Maps (maps, insertion order: Go's is random),
 * records (structs) and functions. Library calls are implemented here (`LIBRARY`).
 */
type Value = unknown;
type Native = (...args: Value[]) => Value;

class Tuple {
  constructor(readonly values: Value[]) {}
}
class Return {
  constructor(readonly value: Value) {}
}
const CONTINUE = Symbol('continue');
const BREAK = Symbol('break');

/** what a rule function hands to `utils.Validate` / `ValidateWithPaths` */
export interface Validated {
  rule: Record<string, Value>;
  tps: { text: string; path?: string }[];
  fps: { text: string; path?: string }[];
}

class Scope {
  private readonly vars = new Map<string, Value>();
  constructor(private readonly parent?: Scope) {}
  get(name: string): { found: boolean; value?: Value } {
    if (this.vars.has(name)) return { found: true, value: this.vars.get(name) };
    return this.parent ? this.parent.get(name) : { found: false };
  }
  define(name: string, v: Value): void {
    if (name !== '_') this.vars.set(name, v);
  }
  set(name: string, v: Value): void {
    if (name === '_') return;
    if (this.vars.has(name) || !this.parent) this.vars.set(name, v);
    else this.parent.set(name, v);
  }
}

function b64(s: string, url: boolean, pad: boolean): string {
  let out = Buffer.from(s, 'latin1').toString(url ? 'base64url' : 'base64');
  if (url && pad) while (out.length % 4) out += '=';
  if (!pad) out = out.replace(/=+$/, '');
  return out;
}

function sprintf(format: string, ...args: Value[]): string {
  let i = 0;
  return format.replace(/%([-+# 0]*\d*(?:\.\d+)?)([svdqxX%])/g, (_, _flags, verb: string) => {
    if (verb === '%') return '%';
    const a = args[i++];
    if (verb === 'q') return JSON.stringify(String(a));
    if (verb === 'x') return Buffer.from(String(a), 'latin1').toString('hex');
    return String(a);
  });
}

/** Go regexp source to a JS RegExp, for the few `MatchString` calls the files make */
function jsRegex(src: string): RegExp {
  let flags = '';
  const s = src.replace(/^\(\?i\)/, () => {
    flags = 'i';
    return '';
  });
  return new RegExp(s.replace(/\\z/g, '$'), flags);
}

export class Interpreter {
  /** package name -> its files' top-level functions and variables */
  private readonly funcs = new Map<string, Map<string, FuncDecl>>();
  private readonly varExprs = new Map<string, Map<string, Expr | undefined>>();
  private readonly varValues = new Map<string, Map<string, Value>>();
  private readonly imports = new Map<string, Map<string, string>>();
  rng!: Rng;

  constructor(files: GoFile[]) {
    for (const f of files) {
      const fs = this.funcs.get(f.pkg) ?? new Map<string, FuncDecl>();
      for (const fn of f.funcs) fs.set(fn.name, fn);
      this.funcs.set(f.pkg, fs);
      const vs = this.varExprs.get(f.pkg) ?? new Map<string, Expr | undefined>();
      for (const v of f.vars) vs.set(v.name, v.value);
      this.varExprs.set(f.pkg, vs);
      const im = this.imports.get(f.pkg) ?? new Map<string, string>();
      for (const [alias, path] of f.imports) im.set(alias, path);
      this.imports.set(f.pkg, im);
    }
  }

  ruleFunction(name: string): FuncDecl | undefined {
    return this.funcs.get('rules')?.get(name);
  }

  call(pkg: string, name: string, args: Value[] = []): Value {
    const fn = this.funcs.get(pkg)?.get(name);
    if (!fn) throw new Error(`no function ${pkg}.${name}`);
    return this.invoke(pkg, fn, args);
  }

  private invoke(pkg: string, fn: FuncDecl, args: Value[], closure?: Scope): Value {
    const scope = new Scope(closure);
    fn.params.forEach((p, i) =>
      scope.define(p, fn.variadic && i === fn.params.length - 1 ? args.slice(i) : args[i]),
    );
    const r = this.block(pkg, fn.body, scope);
    return r instanceof Return ? r.value : undefined;
  }

  private packageVar(pkg: string, name: string): { found: boolean; value?: Value } {
    const vals = this.varValues.get(pkg) ?? new Map<string, Value>();
    this.varValues.set(pkg, vals);
    if (vals.has(name)) return { found: true, value: vals.get(name) };
    const exprs = this.varExprs.get(pkg);
    if (!exprs?.has(name)) return { found: false };
    const e = exprs.get(name);
    const v = e ? this.eval(pkg, e, new Scope()) : null;
    vals.set(name, v);
    return { found: true, value: v };
  }

  private block(pkg: string, body: Stmt[], scope: Scope): Value {
    for (const s of body) {
      const r = this.stmt(pkg, s, scope);
      if (r !== undefined) return r;
    }
    return undefined;
  }

  private stmt(pkg: string, s: Stmt, scope: Scope): Value {
    switch (s.k) {
      case 'expr':
        this.eval(pkg, s.x, scope);
        return undefined;
      case 'var': {
        const vals = this.values(pkg, s.values, scope, s.names.length);
        s.names.forEach((n, i) => scope.define(n, vals[i] ?? null));
        return undefined;
      }
      case 'assign': {
        if (s.op === '+=' || s.op === '-=') {
          const cur = this.eval(pkg, s.lhs[0]!, scope) as string;
          this.assign(
            pkg,
            s.lhs[0]!,
            (cur as never) + (this.eval(pkg, s.rhs[0]!, scope) as never),
            scope,
            false,
          );
          return undefined;
        }
        const vals = this.values(pkg, s.rhs, scope, s.lhs.length);
        s.lhs.forEach((l, i) => this.assign(pkg, l, vals[i], scope, s.op === ':='));
        return undefined;
      }
      case 'incdec':
        this.assign(
          pkg,
          s.x,
          (this.eval(pkg, s.x, scope) as number) + (s.op === '++' ? 1 : -1),
          scope,
          false,
        );
        return undefined;
      case 'return': {
        const vals = this.values(pkg, s.values, scope, s.values.length);
        return new Return(vals.length === 1 ? vals[0] : new Tuple(vals));
      }
      case 'continue':
        return CONTINUE;
      case 'break':
        return BREAK;
      case 'if': {
        const inner = new Scope(scope);
        if (s.init) this.stmt(pkg, s.init, inner);
        if (this.eval(pkg, s.cond, inner)) return this.block(pkg, s.then, new Scope(inner));
        if (s.else) return this.block(pkg, s.else, new Scope(inner));
        return undefined;
      }
      case 'for': {
        const loop = (inner: Scope): Value => {
          const r = this.block(pkg, s.body, inner);
          if (r === CONTINUE) return undefined;
          return r;
        };
        if (s.range) {
          const coll = this.eval(pkg, s.range, scope);
          const entries: [Value, Value][] =
            coll instanceof Map
              ? [...coll.entries()]
              : Array.isArray(coll)
                ? coll.map((v, i) => [i, v])
                : typeof coll === 'number'
                  ? Array.from({ length: coll }, (_, i) => [i, i])
                  : [...String(coll)].map((v, i) => [i, v]);
          for (const [k, v] of entries) {
            const inner = new Scope(scope);
            if (s.key) inner.define(s.key, k);
            if (s.value) inner.define(s.value, v);
            const r = loop(inner);
            if (r === BREAK) break;
            if (r !== undefined) return r;
          }
          return undefined;
        }
        for (let guard = 0; ; guard++) {
          if (guard > 100000) throw new Error('loop does not end');
          if (s.cond && !this.eval(pkg, s.cond, scope)) return undefined;
          const r = loop(new Scope(scope));
          if (r === BREAK) return undefined;
          if (r !== undefined) return r;
        }
      }
    }
  }

  private values(pkg: string, exprs: Expr[], scope: Scope, want: number): Value[] {
    if (exprs.length === 1 && want > 1) {
      const v = this.eval(pkg, exprs[0]!, scope);
      if (v instanceof Tuple) return v.values;
      return [v];
    }
    return exprs.map((e) => {
      const v = this.eval(pkg, e, scope);
      return v instanceof Tuple ? v.values[0] : v;
    });
  }

  private assign(pkg: string, target: Expr, v: Value, scope: Scope, define: boolean): void {
    if (target.k === 'ident') {
      if (define) scope.define(target.name, v);
      else scope.set(target.name, v);
    } else if (target.k === 'index') {
      const coll = this.eval(pkg, target.x, scope);
      const key = this.eval(pkg, target.i, scope);
      if (coll instanceof Map) coll.set(key, v);
      else (coll as Value[])[key as number] = v;
    } else if (target.k === 'sel') {
      const obj = this.eval(pkg, target.x, scope) as Record<string, Value>;
      obj[target.name] = v;
    } else if (target.k === 'un') this.assign(pkg, target.x, v, scope, define);
    else throw new Error(`cannot assign to ${target.k}`);
  }

  private resolve(pkg: string, name: string, scope: Scope): Value {
    const local = scope.get(name);
    if (local.found) return local.value;
    const pv = this.packageVar(pkg, name);
    if (pv.found) return pv.value;
    const fn = this.funcs.get(pkg)?.get(name);
    if (fn) return (...args: Value[]) => this.invoke(pkg, fn, args);
    const path = this.imports.get(pkg)?.get(name);
    if (path) return { __package: path };
    if (name in GLOBALS) return GLOBALS[name];
    throw new Error(`unknown name ${name}`);
  }

  private member(pkg: string, x: Value, name: string): Value {
    if (x && typeof x === 'object' && '__package' in x) {
      const path = (x as { __package: string }).__package;
      const short = path.split('/').pop()!;
      const lib = LIBRARY[`${short}.${name}`];
      if (lib) return this.libraryCall(lib);
      // a package this interpreter reads itself (utils, secrets, base)
      if (this.funcs.get(short)?.has(name)) return (...args: Value[]) => this.call(short, name, args);
      const pv = this.packageVar(short, name);
      if (pv.found) return pv.value;
      throw new Error(`unknown ${short}.${name}`);
    }
    if (x && typeof x === 'object') return (x as Record<string, Value>)[name];
    throw new Error(`no member ${name} on ${String(x)}`);
  }

  private libraryCall(lib: (ctx: Interpreter) => Value): Value {
    return lib(this);
  }

  eval(pkg: string, e: Expr, scope: Scope): Value {
    switch (e.k) {
      case 'lit':
        return e.v;
      case 'ident':
        if (e.name === 'nil') return null;
        return this.resolve(pkg, e.name, scope);
      case 'sel':
        return this.member(pkg, this.eval(pkg, e.x, scope), e.name);
      case 'type':
        return { __type: e.type };
      case 'zero':
        return zeroValue(e.type);
      case 'func':
        return (...args: Value[]) => this.invoke(pkg, e.fn, args, scope);
      case 'index': {
        const coll = this.eval(pkg, e.x, scope);
        const key = this.eval(pkg, e.i, scope);
        if (coll instanceof Map) return coll.get(key);
        if (typeof coll === 'string') return coll.charCodeAt(key as number);
        return (coll as Value[])[key as number];
      }
      case 'slice': {
        const coll = this.eval(pkg, e.x, scope) as string | Value[];
        const lo = e.lo ? (this.eval(pkg, e.lo, scope) as number) : 0;
        const hi = e.hi ? (this.eval(pkg, e.hi, scope) as number) : coll.length;
        return coll.slice(lo, hi);
      }
      case 'un': {
        const v = this.eval(pkg, e.x, scope);
        if (e.op === '!') return !v;
        if (e.op === '-') return -(v as number);
        return v;
      }
      case 'bin': {
        if (e.op === '&&') return Boolean(this.eval(pkg, e.a, scope)) && Boolean(this.eval(pkg, e.b, scope));
        if (e.op === '||') return Boolean(this.eval(pkg, e.a, scope)) || Boolean(this.eval(pkg, e.b, scope));
        const a = this.eval(pkg, e.a, scope) as number;
        const b = this.eval(pkg, e.b, scope) as number;
        switch (e.op) {
          case '+':
            return a + b;
          case '-':
            return a - b;
          case '*':
            return a * b;
          case '/':
            return typeof a === 'number' ? Math.trunc(a / b) : NaN;
          case '%':
            return a % b;
          case '==':
            return a === b;
          case '!=':
            return a !== b;
          case '<':
            return a < b;
          case '<=':
            return a <= b;
          case '>':
            return a > b;
          case '>=':
            return a >= b;
        }
        throw new Error(`operator ${e.op}`);
      }
      case 'comp':
        return this.composite(pkg, e.type, e.elts, scope);
      case 'call': {
        // conversions: []byte(x), string(x), int(x)
        if (e.fn.k === 'type') return this.eval(pkg, e.args[0]!, scope);
        if (e.fn.k === 'ident' && ['string', 'int', 'byte', 'rune', 'float64'].includes(e.fn.name)) {
          const v = this.eval(pkg, e.args[0]!, scope);
          return e.fn.name === 'string' && typeof v === 'number' ? String.fromCharCode(v) : v;
        }
        const fn = this.eval(pkg, e.fn, scope);
        let args = e.args.map((a) => this.eval(pkg, a, scope));
        if (e.spread) args = [...args.slice(0, -1), ...(args[args.length - 1] as Value[])];
        if (typeof fn !== 'function') throw new Error(`not a function: ${JSON.stringify(e.fn)}`);
        return (fn as Native)(...args);
      }
    }
  }

  private composite(pkg: string, type: TypeRef, elts: { key?: Expr; value: Expr }[], scope: Scope): Value {
    const elemOf = (t: TypeRef): TypeRef => (t.t === 'slice' || t.t === 'map' || t.t === 'ptr' ? t.elem : t);
    const evalElt = (x: Expr, t: TypeRef): Value =>
      x.k === 'comp' && x.type.t === 'other'
        ? this.composite(pkg, elemOf(t), x.elts, scope)
        : this.eval(pkg, x, scope);
    if (type.t === 'slice') return elts.map((el) => evalElt(el.value, type.elem));
    if (type.t === 'map') {
      const m = new Map<Value, Value>();
      for (const el of elts) m.set(this.eval(pkg, el.key!, scope), evalElt(el.value, type.elem));
      return m;
    }
    const name =
      type.t === 'name' ? type.name : type.t === 'ptr' && type.elem.t === 'name' ? type.elem.name : '';
    const rec: Record<string, Value> = { __struct: name };
    for (const el of elts) {
      if (el.key?.k !== 'ident') continue;
      // a rule's regex and allow-lists are not needed, and may call what is not implemented here
      try {
        rec[el.key.name] = this.eval(pkg, el.value, scope);
      } catch {
        rec[el.key.name] = undefined;
      }
    }
    if (name === 'config.Allowlist') {
      const words = ((rec.StopWords as string[]) ?? []).map((w) => w.toLowerCase());
      rec.ContainsStopWord = (s: string) => {
        const low = s.toLowerCase();
        const w = words.find((x) => low.includes(x));
        return new Tuple([w !== undefined, w ?? '']);
      };
    }
    return rec;
  }
}

function zeroValue(t: TypeRef): Value {
  if (t.t !== 'name') return null;
  if (t.name === 'string') return '';
  if (t.name === 'bool') return false;
  if (/^(?:u?int\d*|float\d+|byte|rune)$/.test(t.name)) return 0;
  if (t.name === 'strings.Builder') {
    let buf = '';
    return {
      WriteString: (s: string) => {
        buf += s;
        return new Tuple([s.length, null]);
      },
      String: () => buf,
    };
  }
  return { __struct: t.name };
}

function replacer(...pairs: string[]) {
  return {
    Replace(s: string): string {
      let out = '';
      for (let i = 0; i < s.length;) {
        let hit = false;
        for (let p = 0; p < pairs.length; p += 2)
          if (pairs[p]!.length && s.startsWith(pairs[p]!, i)) {
            out += pairs[p + 1];
            i += pairs[p]!.length;
            hit = true;
            break;
          }
        if (!hit) out += s[i++];
      }
      return out;
    },
  };
}

function regexpObject(src: string) {
  const re = jsRegex(src);
  return { source: src, MatchString: (s: string) => re.test(s), String: () => src };
}

const GLOBALS: Record<string, Value> = {
  append: (slice: Value[] | null, ...items: Value[]) => [...(slice ?? []), ...items],
  len: (x: string | Value[] | Map<Value, Value>) => (x instanceof Map ? x.size : x ? x.length : 0),
  make: (t: { __type: TypeRef }) => (t.__type.t === 'map' ? new Map() : []),
  panic: (x: Value) => {
    throw new Error(`panic: ${String(x)}`);
  },
};

/** library functions the files call, by `<package>.<name>` */
const LIBRARY: Record<string, (ctx: Interpreter) => Value> = {
  'fmt.Sprintf': () => sprintf,
  'fmt.Sprint':
    () =>
    (...a: Value[]) =>
      a.map(String).join(''),
  'strings.Repeat': () => (s: string, n: number) => s.repeat(n),
  'strings.ToUpper': () => (s: string) => s.toUpperCase(),
  'strings.ToLower': () => (s: string) => s.toLowerCase(),
  'strings.Join': () => (a: string[], sep: string) => a.join(sep),
  'strings.Contains': () => (s: string, sub: string) => s.includes(sub),
  'strings.ReplaceAll': () => (s: string, a: string, b: string) => s.split(a).join(b),
  'strings.TrimSpace': () => (s: string) => s.trim(),
  'strings.NewReplacer': () => replacer,
  'regexp.MustCompile': () => regexpObject,
  'base64.StdEncoding': () => ({ EncodeToString: (s: string) => b64(s, false, true) }),
  'base64.RawStdEncoding': () => ({ EncodeToString: (s: string) => b64(s, false, false) }),
  'base64.URLEncoding': () => ({ EncodeToString: (s: string) => b64(s, true, true) }),
  'base64.RawURLEncoding': () => ({ EncodeToString: (s: string) => b64(s, true, false) }),
  'hex.EncodeToString': () => (s: string) => Buffer.from(s, 'latin1').toString('hex'),
  // the random secret generator (reggen at limit 1), seeded per rule function
  'secrets.NewSecret': (ctx) => (regex: string) => generateFromRegex(regex, ctx.rng),
  // what the rule functions hand over: their samples
  'utils.Validate': () => (rule: Record<string, Value>, tps: string[] | null, fps: string[] | null) =>
    ({
      rule,
      tps: (tps ?? []).map((text) => ({ text })),
      fps: (fps ?? []).map((text) => ({ text })),
    }) satisfies Validated,
  'utils.ValidateWithPaths':
    () => (rule: Record<string, Value>, tps: Map<string, string> | null, fps: Map<string, string> | null) =>
      ({
        rule,
        tps: [...(tps ?? new Map<string, string>())].map(([path, text]) => ({ text, path })),
        fps: [...(fps ?? new Map<string, string>())].map(([path, text]) => ({ text, path })),
      }) satisfies Validated,
};
