#!/usr/bin/env node
// Transcribes hadolint's rule specs (test/Hadolint/Rule/DL*Spec.hs, Haskell hspec) into DATA:
// the Dockerfile text of each assertion and the verdict hadolint expects, as JSON. No hadolint
// code is copied or run; only the test inputs and expected outcomes are read.
//
//   node scripts/extract-hadolint-cases.mjs --git-dir /work/.mirror/hadolint+hadolint/repo \
//     [--rev HEAD] > test/fixtures/hadolint/cases.json
//
// Understood forms (every other assertion is counted in `skipped` with its reason):
//   ruleCatches / ruleCatchesNot / onBuildRuleCatches / onBuildRuleCatchesNot CODE EXPR
//   assertChecks / assertOnBuildChecks EXPR (failsWith N CODE)
// where EXPR is a string literal (escapes and gaps), a list, `Text.unlines X`,
// `Text.intercalate S X`, `a <> b`, parentheses, `$`, or a name bound by `let name = EXPR`.
// `let ?config = def { allowedRegistries = [...], labelSchema = Map.fromList [...] }` sets the
// configuration of the assertions in its block.
import { execFileSync } from 'node:child_process';

function args() {
  const out = { gitDir: '', rev: 'HEAD' };
  const a = process.argv.slice(2);
  for (let i = 0; i < a.length; i++) {
    if (a[i] === '--git-dir') out.gitDir = a[++i];
    else if (a[i] === '--rev') out.rev = a[++i];
    else throw new Error(`unknown argument ${a[i]}`);
  }
  if (!out.gitDir) throw new Error('usage: extract-hadolint-cases.mjs --git-dir DIR [--rev REV]');
  return out;
}

const git = (gitDir, ...cmd) =>
  execFileSync('git', ['--git-dir', gitDir, ...cmd], { encoding: 'utf8', maxBuffer: 1 << 26 });

// ---- tokenizer for the subset of Haskell the specs use ----
const OP = '!#$%&*+./<=>?@\\^|-~:';
function tokenize(src) {
  const toks = [];
  let i = 0;
  let line = 1;
  let lineStart = 0;
  let firstOnLine = true;
  let tokLine = 1;
  let tokLineStart = 0;
  const push = (type, value, start) => {
    toks.push({ type, value, line: tokLine, col: start - tokLineStart + 1, first: firstOnLine });
    firstOnLine = false;
  };
  while (i < src.length) {
    const ch = src[i];
    if (ch === '\n') {
      i++;
      line++;
      lineStart = i;
      firstOnLine = true;
      continue;
    }
    if (ch === ' ' || ch === '\t' || ch === '\r') {
      i++;
      continue;
    }
    tokLine = line;
    tokLineStart = lineStart;
    if (src.startsWith('--', i) && !OP.includes(src[i + 2] ?? ' ')) {
      while (i < src.length && src[i] !== '\n') i++;
      continue;
    }
    if (src.startsWith('{-', i)) {
      const end = src.indexOf('-}', i + 2);
      const stop = end < 0 ? src.length : end + 2;
      for (let j = i; j < stop; j++)
        if (src[j] === '\n') {
          line++;
          lineStart = j + 1;
        }
      i = stop;
      continue;
    }
    const start = i;
    if (ch === '"') {
      let s = '';
      i++;
      for (;;) {
        const c = src[i];
        if (c === undefined) throw new Error(`unterminated string at line ${tokLine}`);
        if (c === '"') {
          i++;
          break;
        }
        if (c === '\\') {
          const n = src[i + 1];
          if (n === ' ' || n === '\n' || n === '\t' || n === '\r') {
            // string gap: backslash, white space, backslash
            i++;
            while (src[i] !== '\\') {
              if (src[i] === '\n') {
                line++;
                lineStart = i + 1;
              }
              i++;
            }
            i++;
            continue;
          }
          const simple = {
            n: '\n',
            t: '\t',
            '\\': '\\',
            '"': '"',
            "'": "'",
            r: '\r',
            a: '\x07',
            b: '\b',
            f: '\f',
            v: '\v',
            '&': '',
          };
          if (n in simple) {
            s += simple[n];
            i += 2;
            continue;
          }
          const num = /^\d+/.exec(src.slice(i + 1, i + 8));
          if (num) {
            s += String.fromCodePoint(Number(num[0]));
            i += 1 + num[0].length;
            continue;
          }
          throw new Error(`unknown escape \\${n} at line ${tokLine}`);
        }
        s += c;
        i++;
      }
      push('str', s, start);
      continue;
    }
    if (/[A-Za-z_]/.test(ch)) {
      let j = i + 1;
      // qualified names: Text.unlines, Map.fromList, Rule.Spdx
      while (j < src.length && /[A-Za-z0-9_'.]/.test(src[j])) j++;
      let word = src.slice(i, j);
      while (word.endsWith('.')) word = word.slice(0, -1);
      i += word.length;
      push('id', word, start);
      continue;
    }
    if (/\d/.test(ch)) {
      let j = i + 1;
      while (j < src.length && /\d/.test(src[j])) j++;
      push('num', Number(src.slice(i, j)), start);
      i = j;
      continue;
    }
    if (ch === "'" && src[i + 2] === "'") {
      push('str', src[i + 1], start);
      i += 3;
      continue;
    }
    if (OP.includes(ch)) {
      let j = i + 1;
      while (j < src.length && OP.includes(src[j])) j++;
      push('op', src.slice(i, j), start);
      i = j;
      continue;
    }
    push('sym', ch, start);
    i++;
  }
  return toks;
}

// ---- evaluator for spec expressions ----
const CALLS = {
  ruleCatches: { expect: 'catches', onbuild: false },
  ruleCatchesNot: { expect: 'catchesNot', onbuild: false },
  onBuildRuleCatches: { expect: 'catches', onbuild: true },
  onBuildRuleCatchesNot: { expect: 'catchesNot', onbuild: true },
};
const ASSERTS = { assertChecks: false, assertOnBuildChecks: true };

function extractFile(src, file) {
  const toks = tokenize(src);
  let p = 0;
  const env = new Map();
  const configs = [{ col: 0, config: {} }];
  const cases = [];
  const skipped = [];
  let describe = '';
  let it = '';
  const peek = (k = 0) => toks[p + k];
  const is = (t, type, value) =>
    t !== undefined && t.type === type && (value === undefined || t.value === value);

  function atom() {
    const t = peek();
    if (!t) return undefined;
    if (t.type === 'str') {
      p++;
      return t.value;
    }
    if (is(t, 'sym', '[')) {
      p++;
      const items = [];
      if (is(peek(), 'sym', ']')) {
        p++;
        return items;
      }
      for (;;) {
        const v = expr();
        if (v === undefined) return undefined;
        items.push(v);
        if (is(peek(), 'sym', ',')) {
          p++;
          continue;
        }
        if (is(peek(), 'sym', ']')) {
          p++;
          return items;
        }
        return undefined;
      }
    }
    if (is(t, 'sym', '(')) {
      p++;
      const v = expr();
      if (!is(peek(), 'sym', ')')) return undefined;
      p++;
      return v;
    }
    if (t.type === 'id' && env.has(t.value)) {
      p++;
      return env.get(t.value);
    }
    return undefined;
  }
  function arg() {
    if (is(peek(), 'op', '$')) {
      p++;
      return expr();
    }
    return atom();
  }
  function app() {
    const t = peek();
    if (t?.type === 'id' && /(^|\.)unlines$/.test(t.value)) {
      p++;
      const xs = arg();
      return Array.isArray(xs) ? xs.map((x) => `${x}\n`).join('') : undefined;
    }
    if (t?.type === 'id' && /(^|\.)intercalate$/.test(t.value)) {
      p++;
      const sep = atom();
      const xs = arg();
      return typeof sep === 'string' && Array.isArray(xs) ? xs.join(sep) : undefined;
    }
    if (t?.type === 'id' && /(^|\.)(concat|mconcat)$/.test(t.value)) {
      p++;
      const xs = arg();
      return Array.isArray(xs) ? xs.join('') : undefined;
    }
    return atom();
  }
  function expr() {
    let v = app();
    while (v !== undefined && is(peek(), 'op', '<>')) {
      p++;
      const r = app();
      v = typeof v === 'string' && typeof r === 'string' ? v + r : undefined;
    }
    return v;
  }
  function config() {
    // after `let ?config =`: def | def { field = value, ... }
    const out = {};
    if (!is(peek(), 'id', 'def')) return undefined;
    p++;
    if (!is(peek(), 'sym', '{')) return out;
    p++;
    while (!is(peek(), 'sym', '}')) {
      const field = peek();
      if (field?.type !== 'id' || !is(peek(1), 'op', '=')) return undefined;
      p += 2;
      if (field.value === 'allowedRegistries') out.allowedRegistries = atom();
      else if (field.value === 'labelSchema') {
        if (!is(peek(), 'id', 'Map.fromList')) return undefined;
        p++;
        if (!is(peek(), 'sym', '[')) return undefined;
        p++;
        const schema = {};
        while (is(peek(), 'sym', '(')) {
          const k = peek(1);
          const ty = peek(3);
          if (k?.type !== 'str' || ty?.type !== 'id' || !is(peek(4), 'sym', ')')) return undefined;
          schema[k.value] = ty.value.replace(/^Rule\./, '');
          p += 5;
          if (is(peek(), 'sym', ',')) p++;
        }
        if (!is(peek(), 'sym', ']')) return undefined;
        p++;
        out.labelSchema = schema;
      } else if (field.value === 'strictLabels' && peek()?.type === 'id') {
        out.strictLabels = peek().value === 'True';
        p++;
      } else return undefined;
      if (is(peek(), 'sym', ',')) p++;
    }
    p++;
    return out;
  }
  const currentConfig = () => configs[configs.length - 1].config;

  while (p < toks.length) {
    const t = peek();
    if (t.first) while (configs.length > 1 && configs[configs.length - 1].col > t.col) configs.pop();
    if (t.type === 'id' && (t.value === 'describe' || t.value === 'it') && is(peek(1), 'str')) {
      if (t.value === 'describe') describe = peek(1).value;
      else it = peek(1).value;
      p += 2;
      continue;
    }
    if (
      is(t, 'id', 'let') &&
      is(peek(1), 'op', '?') &&
      is(peek(2), 'id', 'config') &&
      is(peek(3), 'op', '=')
    ) {
      p += 4;
      const c = config();
      if (c === undefined) throw new Error(`${file}:${t.line}: unsupported ?config`);
      configs.push({ col: t.col, config: c });
      continue;
    }
    if (is(t, 'id', 'let') && peek(1)?.type === 'id' && is(peek(2), 'op', '=')) {
      // one binding, or a layout block of them (`let` NEWLINE `a = ...` NEWLINE `b = ...`)
      p++;
      while (peek()?.type === 'id' && is(peek(1), 'op', '=')) {
        const name = peek().value;
        p += 2;
        const v = expr();
        if (v === undefined) env.delete(name);
        else env.set(name, v);
      }
      continue;
    }
    if (t.type === 'id' && t.value in CALLS) {
      p++;
      const codeTok = peek();
      let code;
      if (codeTok?.type === 'str') code = codeTok.value;
      else if (codeTok?.type === 'id' && typeof env.get(codeTok.value) === 'string')
        code = env.get(codeTok.value);
      if (code === undefined) {
        skipped.push({ file, line: t.line, reason: 'rule code is not a literal or bound name' });
        continue;
      }
      p++;
      const text = arg();
      if (!/^DL\d+$/.test(code)) {
        skipped.push({
          file,
          line: t.line,
          code,
          reason: 'the spec passes something other than a rule code as the code',
        });
        continue;
      }
      if (typeof text !== 'string') {
        skipped.push({ file, line: t.line, code, reason: 'Dockerfile expression not understood' });
        continue;
      }
      cases.push({
        code,
        ...CALLS[t.value],
        file,
        line: t.line,
        describe,
        it,
        config: currentConfig(),
        dockerfile: text,
      });
      continue;
    }
    if (t.type === 'id' && t.value in ASSERTS) {
      p++;
      const text = arg();
      const m = [peek(), peek(1), peek(2), peek(3), peek(4)];
      if (
        typeof text === 'string' &&
        is(m[0], 'sym', '(') &&
        is(m[1], 'id', 'failsWith') &&
        m[2]?.type === 'num' &&
        m[3]?.type === 'str' &&
        is(m[4], 'sym', ')')
      ) {
        p += 5;
        cases.push({
          code: m[3].value,
          expect: 'count',
          count: m[2].value,
          onbuild: ASSERTS[t.value],
          file,
          line: t.line,
          describe,
          it,
          config: currentConfig(),
          dockerfile: text,
        });
      } else skipped.push({ file, line: t.line, reason: 'assertion other than failsWith N CODE' });
      continue;
    }
    p++;
  }
  return { cases, skipped };
}

const { gitDir, rev } = args();
const commit = git(gitDir, 'rev-parse', `${rev}^{commit}`).trim();
const describeRev = git(gitDir, 'describe', '--tags', commit).trim();
const files = git(gitDir, 'ls-tree', '--name-only', commit, 'test/Hadolint/Rule/')
  .split('\n')
  .filter((f) => /\/DL\d+Spec\.hs$/.test(f))
  .sort();
const cases = [];
const skipped = [];
for (const f of files) {
  const r = extractFile(git(gitDir, 'show', `${commit}:${f}`), f);
  cases.push(...r.cases);
  skipped.push(...r.skipped);
}
const out = {
  source: {
    repository: 'https://github.com/hadolint/hadolint',
    commit,
    describe: describeRev,
    paths: 'test/Hadolint/Rule/DL*Spec.hs',
    licence: 'GPL-3.0 (hadolint); only test inputs and expected verdicts are transcribed, as test data',
    extractedBy: 'scripts/extract-hadolint-cases.mjs',
  },
  cases,
  skipped,
};
process.stdout.write(`${JSON.stringify(out, null, 1)}\n`);
