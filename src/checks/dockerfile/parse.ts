import { BulwarkError } from '../../core/errors.js';
import { expandVars } from './expand.js';
import { lastAtOrBefore } from './positions.js';
import type { Dockerfile, Flag, Heredoc, Instruction, Located, Stage } from './types.js';

/**
 * A Dockerfile parser that keeps exact positions: directives (`# escape=`, `# syntax=`), line
 * continuations (with comment and blank lines inside them dropped, as BuildKit does), heredocs
 * (`<<EOF`, `<<-EOF`, quoted delimiters, several per instruction), exec (JSON) and shell forms,
 * flags, ONBUILD, stages with ARG expansion in FROM.
 */

interface Segment {
  start: number;
  line: number;
  column: number;
}

const HEREDOC_INSTRUCTIONS = new Set(['RUN', 'COPY', 'ADD']);
const FLAG_INSTRUCTIONS = new Set(['FROM', 'RUN', 'COPY', 'ADD', 'HEALTHCHECK']);
const HEREDOC_RE = /<<(-?)(["']?)([A-Za-z_][A-Za-z0-9_.-]*)\2/g;
const MAX_INSTRUCTIONS = 50_000;

export function parseDockerfile(source: string, file = 'Dockerfile'): Dockerfile {
  const lines = source.replace(/^\uFEFF/, '').split(/\r?\n/);
  let escape = '\\';
  let syntax: string | undefined;
  const comments: Located[] = [];
  const instructions: Instruction[] = [];

  let i = 0;
  // Parser directives: only at the very top, before any blank line, comment or instruction.
  for (; i < lines.length; i++) {
    const m = /^\s*#\s*([a-zA-Z][a-zA-Z0-9]*)\s*=\s*(\S+)\s*$/.exec(lines[i]!);
    if (!m) break;
    const key = m[1]!.toLowerCase();
    if (key === 'escape') {
      if (m[2] !== '\\' && m[2] !== '`')
        throw new BulwarkError('MALFORMED_INPUT', `invalid escape directive ${m[2]}`, { input: file });
      escape = m[2]!;
    } else if (key === 'syntax') syntax = m[2]!;
    comments.push({ value: lines[i]!.trim(), line: i + 1, column: lines[i]!.indexOf('#') + 1 });
  }

  const continues = (text: string): boolean => {
    const t = text.replace(/[ \t]+$/, '');
    if (!t.endsWith(escape)) return false;
    // an escaped escape at the end (`\\`) is a literal, not a continuation
    let n = 0;
    for (let k = t.length - 1; k >= 0 && t[k] === escape; k--) n++;
    return n % 2 === 1;
  };

  while (i < lines.length) {
    const raw = lines[i]!;
    const trimmed = raw.trim();
    if (trimmed === '') {
      i++;
      continue;
    }
    if (trimmed.startsWith('#')) {
      comments.push({ value: trimmed, line: i + 1, column: raw.indexOf('#') + 1 });
      i++;
      continue;
    }
    if (instructions.length >= MAX_INSTRUCTIONS)
      throw new BulwarkError('LIMIT_EXCEEDED', `more than ${MAX_INSTRUCTIONS} instructions`, { input: file });
    const startLine = i + 1;
    const indent = raw.length - raw.trimStart().length;
    let text = '';
    const segments: Segment[] = [];
    let line = raw.slice(indent);
    let lineNo = i;
    let col = indent + 1;
    for (;;) {
      const cont = continues(line);
      const body = cont ? line.replace(/[ \t]+$/, '').slice(0, -1) : line;
      segments.push({ start: text.length, line: lineNo + 1, column: col });
      text += body;
      i = lineNo + 1;
      if (!cont) break;
      // skip comment and blank lines inside a continuation
      let j = lineNo + 1;
      while (j < lines.length && /^\s*(#.*)?$/.test(lines[j]!)) {
        if (lines[j]!.trim().startsWith('#'))
          comments.push({ value: lines[j]!.trim(), line: j + 1, column: lines[j]!.indexOf('#') + 1 });
        j++;
      }
      if (j >= lines.length) {
        i = j;
        break;
      }
      lineNo = j;
      line = lines[j]!;
      col = 1;
    }
    const segStarts = segments.map((x) => x.start);
    const at = (offset: number) => {
      const seg = segments[lastAtOrBefore(segStarts, offset)]!;
      return { line: seg.line, column: seg.column + (offset - seg.start) };
    };
    const kw = /^(\S+)/.exec(text)![1]!;
    const keyword = kw.toUpperCase();
    const heredocs: Heredoc[] = [];
    if (HEREDOC_INSTRUCTIONS.has(keyword)) {
      for (const m of text.matchAll(HEREDOC_RE)) {
        const name = m[3]!;
        const stripTabs = m[1] === '-';
        const bodyLines: string[] = [];
        const bodyStart = i + 1;
        while (i < lines.length) {
          const l = lines[i]!;
          i++;
          if ((stripTabs ? l.replace(/^\t+/, '') : l) === name) break;
          bodyLines.push(stripTabs ? l.replace(/^\t+/, '') : l);
        }
        heredocs.push({ name, stripTabs, quoted: m[2] !== '', body: bodyLines.join('\n'), line: bodyStart });
      }
    }
    const ins = buildInstruction(keyword, text, kw.length, at, escape, heredocs);
    ins.line = startLine;
    ins.column = indent + 1;
    ins.endLine = Math.max(i, startLine);
    instructions.push(ins);
  }

  return {
    escape,
    ...(syntax ? { syntax } : {}),
    instructions,
    comments,
    stages: buildStages(instructions, escape),
  };
}

function buildInstruction(
  keyword: string,
  text: string,
  afterKeyword: number,
  at: (o: number) => { line: number; column: number },
  escape: string,
  heredocs: Heredoc[],
): Instruction {
  let p = afterKeyword;
  const skipWs = () => {
    while (p < text.length && /\s/.test(text[p]!)) p++;
  };
  skipWs();
  const flags: Flag[] = [];
  if (FLAG_INSTRUCTIONS.has(keyword)) {
    while (text.startsWith('--', p)) {
      const start = p;
      while (p < text.length && !/\s/.test(text[p]!)) p++;
      const word = text.slice(start, p);
      const eq = word.indexOf('=');
      flags.push({
        value: word,
        name: (eq < 0 ? word.slice(2) : word.slice(2, eq)).toLowerCase(),
        flagValue: eq < 0 ? '' : unquote(word.slice(eq + 1)),
        ...at(start),
      });
      skipWs();
    }
  }
  const restStart = p;
  const rest = text.slice(restStart);
  const shifted = (o: number) => at(restStart + o);
  const ins: Instruction = {
    keyword,
    line: 0,
    column: 0,
    endLine: 0,
    text: rest,
    at: shifted,
    flags,
    json: false,
    args: [],
    heredocs,
    stage: -1,
  };
  const jsonArgs = rest.trimStart().startsWith('[') ? parseJsonArray(rest, shifted) : undefined;
  if (jsonArgs) {
    ins.json = true;
    ins.args = jsonArgs;
  } else {
    ins.args = shellWords(rest, escape).map((w) => ({ value: w.value, ...shifted(w.offset) }));
  }
  if (keyword === 'ONBUILD' && rest.trim()) {
    const innerKw = /^(\S+)/.exec(rest)![1]!;
    ins.inner = buildInstruction(innerKw.toUpperCase(), rest, innerKw.length, shifted, escape, []);
    Object.assign(ins.inner, { ...shifted(0), endLine: 0 });
  }
  return ins;
}

function unquote(s: string): string {
  return /^(["']).*\1$/.test(s) ? s.slice(1, -1) : s;
}

/** Exec form: a JSON array of strings; anything else is shell form (as Docker decides). */
function parseJsonArray(
  rest: string,
  at: (o: number) => { line: number; column: number },
): Located[] | undefined {
  let parsed: unknown;
  try {
    parsed = JSON.parse(rest);
  } catch {
    return undefined;
  }
  if (!Array.isArray(parsed) || !parsed.every((x) => typeof x === 'string')) return undefined;
  const out: Located[] = [];
  const re = /"(?:[^"\\]|\\.)*"/g;
  let k = 0;
  for (const m of rest.matchAll(re)) {
    const value = parsed[k++] as string | undefined;
    if (value === undefined) break;
    out.push({ value, ...at(m.index) });
  }
  return out;
}

/** Splits shell-form arguments into words, honouring quotes and the escape character. */
export function shellWords(text: string, escape = '\\'): { value: string; offset: number }[] {
  const out: { value: string; offset: number }[] = [];
  let i = 0;
  while (i < text.length) {
    while (i < text.length && /\s/.test(text[i]!)) i++;
    if (i >= text.length) break;
    const start = i;
    let value = '';
    let quote = '';
    while (i < text.length) {
      const c = text[i]!;
      if (quote) {
        if (c === quote) quote = '';
        else if (c === escape && quote === '"' && i + 1 < text.length) value += text[++i];
        else value += c;
      } else if (/\s/.test(c)) break;
      else if (c === '"' || c === "'") quote = c;
      else if (c === escape && i + 1 < text.length) value += text[++i];
      else value += c;
      i++;
    }
    out.push({ value, offset: start });
  }
  return out;
}

function buildStages(instructions: Instruction[], escape: string): Stage[] {
  const stages: Stage[] = [];
  const names = new Set<string>();
  const globalArgs = new Map<string, string | undefined>();
  let current: Stage | undefined;
  for (const ins of instructions) {
    if (ins.keyword === 'FROM') {
      const words = ins.args;
      const written = words[0]?.value ?? '';
      const image = expandVars(written, globalArgs, escape).value;
      const asIdx = words.findIndex((w, k) => k > 0 && w.value.toLowerCase() === 'as');
      const name = asIdx > 0 ? words[asIdx + 1]?.value.toLowerCase() : undefined;
      const fromStage = names.has(image.toLowerCase());
      current = {
        index: stages.length,
        from: ins,
        image,
        fromStage,
        instructions: [],
        ...(name ? { name } : {}),
      };
      stages.push(current);
      if (name) names.add(name);
    } else if (!current && ins.keyword !== 'ARG') {
      // a snippet without FROM: its instructions are still checked, as one stage without a base
      current = { index: 0, from: ins, image: '', fromStage: false, instructions: [], implicit: true };
      stages.push(current);
    } else if (!current && ins.keyword === 'ARG') {
      for (const w of ins.args) {
        const eq = w.value.indexOf('=');
        if (eq < 0) globalArgs.set(w.value, undefined);
        else
          globalArgs.set(w.value.slice(0, eq), expandVars(w.value.slice(eq + 1), globalArgs, escape).value);
      }
    }
    if (current) {
      ins.stage = current.index;
      current.instructions.push(ins);
    }
  }
  return stages;
}
