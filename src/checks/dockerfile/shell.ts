import { lastAtOrBefore } from './positions.js';
import type { Instruction, Located } from './types.js';

/**
 * Enough of POSIX shell to find the simple commands of a RUN (and a RUN heredoc) with the exact
 * position of every word: quoting, escapes, `&&`/`||`/`;`/`|`/`&`, subshell parentheses and
 * redirections. It does not evaluate anything.
 */
export interface Command {
  /** words after leading assignments and wrappers (`sudo`, `env`, `exec`, ...) */
  words: Located[];
  /** all words as written, wrappers included */
  raw: Located[];
  /** the command this one's stdin is piped from */
  pipedFrom?: Command;
  /** the command this one's stdout is piped to */
  pipeTo?: Command;
}

const WRAPPERS = new Set(['sudo', 'env', 'exec', 'command', 'nice', 'time', 'nohup', 'xargs', 'doas']);

export function parseShell(
  script: string,
  at: (offset: number) => { line: number; column: number },
  escape = '\\',
): Command[] {
  const commands: Command[] = [];
  let words: Located[] = [];
  let pipePending: Command | undefined;
  let skipNext = false;
  const flush = (op: string) => {
    if (words.length) {
      const cmd: Command = { raw: words, words: unwrap(words) };
      if (pipePending) {
        cmd.pipedFrom = pipePending;
        pipePending.pipeTo = cmd;
      }
      commands.push(cmd);
      pipePending = op === '|' ? cmd : undefined;
    } else if (op !== '|') pipePending = undefined;
    words = [];
  };
  let i = 0;
  while (i < script.length) {
    const c = script[i]!;
    if (c === '\n' || c === ';' || c === '(' || c === ')' || c === '{' || c === '}') {
      flush(';');
      i++;
      continue;
    }
    if (c === '&' || c === '|') {
      const two = script.slice(i, i + 2);
      if (two === '&&' || two === '||') {
        flush(two);
        i += 2;
      } else if (c === '|') {
        flush('|');
        i += script[i + 1] === '&' ? 2 : 1;
      } else if (script[i + 1] === '>') {
        i += 2;
        skipNext = true;
      } else {
        flush('&');
        i++;
      }
      continue;
    }
    if (/\s/.test(c)) {
      i++;
      continue;
    }
    if (c === '#' && (i === 0 || /\s/.test(script[i - 1]!))) {
      while (i < script.length && script[i] !== '\n') i++;
      continue;
    }
    const redir = /^\d*(>>|>&|<<<|<<|>|<)/.exec(script.slice(i, i + 5));
    if (redir) {
      i += redir[0].length;
      // `2>&1` names a descriptor, not a file
      if (redir[1] === '>&' && /\d/.test(script[i] ?? '')) i++;
      else skipNext = true;
      continue;
    }
    const start = i;
    let value = '';
    let quote = '';
    while (i < script.length) {
      const ch = script[i]!;
      if (quote) {
        if (ch === quote) quote = '';
        else if (ch === escape && quote === '"' && i + 1 < script.length) value += script[++i];
        else value += ch;
      } else if (/[\s;&|()<>]/.test(ch)) break;
      else if (ch === '"' || ch === "'") quote = ch;
      else if (ch === escape && i + 1 < script.length) {
        i++;
        if (script[i] !== '\n') value += script[i];
      } else value += ch;
      i++;
    }
    if (skipNext) skipNext = false;
    else words.push({ value, ...at(start) });
  }
  flush(';');
  return commands;
}

function unwrap(words: Located[]): Located[] {
  let k = 0;
  for (;;) {
    while (k < words.length && /^[A-Za-z_][A-Za-z0-9_]*=/.test(words[k]!.value)) k++;
    const w = words[k];
    if (!w || !WRAPPERS.has(baseName(w.value))) break;
    k++;
    // wrapper options (`sudo -E -u root`, `env -i`): skip flags and a following user name
    while (k < words.length && words[k]!.value.startsWith('-')) {
      const f = words[k]!.value;
      k++;
      if ((f === '-u' || f === '-g' || f === '-n' || f === '-I') && k < words.length) k++;
    }
  }
  return words.slice(k);
}

export function baseName(word: string): string {
  const slash = word.lastIndexOf('/');
  return slash < 0 ? word : word.slice(slash + 1);
}

const cache = new WeakMap<Instruction, Command[]>();

/** The shell commands a RUN executes: its shell form, `sh -c` exec form, and heredoc bodies. */
export function runCommands(ins: Instruction, escape = '\\'): Command[] {
  const hit = cache.get(ins);
  if (hit) return hit;
  let out: Command[] = [];
  if (ins.json) {
    const a = ins.args;
    const shell = a[0] && /^(\/bin\/|\/usr\/bin\/)?(sh|bash|ash|dash|zsh)$/.test(a[0].value);
    if (shell && a[1]?.value === '-c' && a[2]) {
      const base = a[2];
      out = parseShell(base.value, (o) => ({ line: base.line, column: base.column + o }), '\\');
    } else if (a.length) out = [{ raw: a, words: unwrap(a) }];
  } else {
    out = parseShell(ins.text, ins.at, escape);
  }
  for (const h of ins.heredocs) {
    const lines = h.body.split('\n');
    const starts: number[] = [];
    let o = 0;
    for (const l of lines) {
      starts.push(o);
      o += l.length + 1;
    }
    const at = (off: number) => {
      const k = lastAtOrBefore(starts, off);
      return { line: h.line + k, column: off - starts[k]! + 1 };
    };
    for (const c of parseShell(h.body, at, '\\')) out.push(c);
  }
  cache.set(ins, out);
  return out;
}

/** Commands whose program is `program` (after wrappers), with the subcommand among `subs` if given. */
export function findCommands(
  commands: Command[],
  programs: readonly string[],
  subs?: readonly string[],
): { cmd: Command; sub?: Located; args: Located[] }[] {
  const out: { cmd: Command; sub?: Located; args: Located[] }[] = [];
  for (const cmd of commands) {
    const prog = cmd.words[0];
    if (!prog || !programs.includes(baseName(prog.value))) continue;
    const rest = cmd.words.slice(1);
    if (!subs) {
      out.push({ cmd, args: rest });
      continue;
    }
    const sub = rest.find((w) => !w.value.startsWith('-'));
    if (sub && subs.includes(sub.value)) out.push({ cmd, sub, args: rest.filter((w) => w !== sub) });
  }
  return out;
}

/** RUN instructions of the file with their parsed commands. */
export function* runs(
  instructions: Instruction[],
  escape: string,
): Generator<{ ins: Instruction; commands: Command[] }> {
  for (const ins of instructions) {
    const target = ins.keyword === 'ONBUILD' ? ins.inner : ins;
    if (target?.keyword === 'RUN') yield { ins: target, commands: runCommands(target, escape) };
  }
}
