import { open, readdir, realpath, stat } from 'node:fs/promises';
import path from 'node:path';
import { isMap, isScalar, LineCounter, parseDocument } from 'yaml';
import { dockerGetJson, dockerHostLabel } from '../../docker/index.js';
import { daemonSetting } from './daemon-settings.js';
import { CERTS_D, pathsToStat, SERVICE_UNITS } from './expectations.js';
import type { CommandLine, FileFact, HostFacts } from './facts.js';

export interface CollectOptions {
  /** filesystem root to read the host from (default `/`) */
  root?: string;
  /** ask this daemon's `/info` and `/version` too */
  live?: { dockerHost?: string; timeoutMs?: number };
}

export interface HostWarning {
  file?: string;
  message: string;
}

const MAX_FILE_BYTES = 1024 * 1024;
const MAX_DIR_ENTRIES = 1000;

/** Gathers the facts `bulwark host` checks. Never throws for one unreadable item: it warns. */
export async function collectHostFacts(
  opts: CollectOptions = {},
): Promise<{ facts: HostFacts; warnings: HostWarning[] }> {
  const root = path.resolve(opts.root ?? '/');
  const realRoot = await realpath(root);
  const warnings: HostWarning[] = [];
  const warn = (hostPath: string, message: string) => warnings.push({ file: under(root, hostPath), message });

  /** The real path of a host path, or undefined when absent or when a link leaves the root. */
  const resolve = async (hostPath: string): Promise<string | undefined> => {
    try {
      const real = await realpath(under(root, hostPath));
      if (real !== realRoot && !real.startsWith(realRoot === '/' ? '/' : realRoot + path.sep)) {
        warn(hostPath, 'links outside the root: not read');
        return undefined;
      }
      return real;
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      if (code !== 'ENOENT' && code !== 'ENOTDIR') warn(hostPath, `not readable: ${code}`);
      return undefined;
    }
  };

  const readText = async (hostPath: string): Promise<string | undefined> => {
    const real = await resolve(hostPath);
    if (!real) return undefined;
    try {
      const fh = await open(real, 'r');
      try {
        const st = await fh.stat();
        if (!st.isFile()) return undefined;
        if (st.size > MAX_FILE_BYTES) {
          warn(hostPath, `larger than ${MAX_FILE_BYTES} bytes: not read`);
          return undefined;
        }
        return (await fh.readFile()).toString('utf8');
      } finally {
        await fh.close();
      }
    } catch (e) {
      warn(hostPath, `not readable: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
      return undefined;
    }
  };

  const listDir = async (hostDir: string): Promise<string[]> => {
    const real = await resolve(hostDir);
    if (!real) return [];
    try {
      return (await readdir(real)).sort().slice(0, MAX_DIR_ENTRIES);
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      if (code !== 'ENOTDIR') warn(hostDir, `not readable: ${code}`);
      return [];
    }
  };

  const statFact = async (hostPath: string): Promise<FileFact> => {
    const real = await resolve(hostPath);
    if (!real) return { path: hostPath, exists: false };
    try {
      const st = await stat(real);
      const type = st.isFile() ? 'file' : st.isDirectory() ? 'dir' : st.isSocket() ? 'socket' : 'other';
      return { path: hostPath, exists: true, uid: st.uid, gid: st.gid, mode: st.mode & 0o7777, type };
    } catch (e) {
      warn(hostPath, `cannot stat: ${(e as NodeJS.ErrnoException).code}`);
      return { path: hostPath, exists: false };
    }
  };

  const facts: HostFacts = { root, files: [] };

  // daemon.json
  const djPath = '/etc/docker/daemon.json';
  const dj = await readText(djPath);
  if (dj !== undefined) {
    const parsed = parseDaemonJson(dj);
    if (parsed) facts.daemonJson = { path: djPath, ...parsed };
    else
      warn(
        djPath,
        'not a valid JSON object: dockerd would refuse to start with it; its settings are not checked',
      );
  }

  // docker.service and its drop-ins: the last ExecStart= wins, an empty one resets
  let unit: string | undefined;
  for (const p of SERVICE_UNITS) {
    const text = await readText(p);
    if (text === undefined) continue;
    unit = p;
    facts.serviceUnit = p;
    facts.execStart = lastExecStart(text, p, undefined);
    break;
  }
  const dropDirs = [
    '/usr/lib/systemd/system/docker.service.d',
    '/run/systemd/system/docker.service.d',
    '/etc/systemd/system/docker.service.d',
  ];
  const dropIns = new Map<string, string>();
  for (const d of dropDirs)
    for (const n of await listDir(d)) if (n.endsWith('.conf')) dropIns.set(n, `${d}/${n}`);
  for (const n of [...dropIns.keys()].sort()) {
    const p = dropIns.get(n)!;
    const text = await readText(p);
    if (text !== undefined) facts.execStart = lastExecStart(text, p, facts.execStart);
  }
  if (!unit && dropIns.size === 0) delete facts.execStart;

  for (const p of ['/etc/default/docker', '/etc/sysconfig/docker']) {
    const text = await readText(p);
    const opts = text === undefined ? undefined : dockerOpts(text, p);
    if (opts) {
      facts.dockerOpts = opts;
      break;
    }
  }

  // files for ownership/permissions and audit applicability
  for (const p of pathsToStat()) facts.files.push(await statFact(p));
  for (const registry of await listDir(CERTS_D))
    for (const n of await listDir(`${CERTS_D}/${registry}`))
      facts.files.push(await statFact(`${CERTS_D}/${registry}/${n}`));
  for (const key of ['tlscacert', 'tlscert', 'tlskey']) {
    const v = daemonSetting(facts, key)?.value;
    if (typeof v === 'string' && v.startsWith('/') && !facts.files.some((f) => f.path === v))
      facts.files.push(await statFact(v));
  }

  const group = await readText('/etc/group');
  if (group !== undefined) {
    for (const line of group.split('\n')) {
      const [name, , gid, members] = line.split(':');
      if (name === 'docker' && gid && /^\d+$/.test(gid)) {
        facts.dockerGroup = {
          gid: Number(gid),
          members: (members ?? '')
            .split(',')
            .map((m) => m.trim())
            .filter(Boolean),
        };
        break;
      }
    }
  }

  // audit rules
  const auditFiles = [
    '/etc/audit/audit.rules',
    ...(await listDir('/etc/audit/rules.d'))
      .filter((n) => n.endsWith('.rules'))
      .map((n) => `/etc/audit/rules.d/${n}`),
  ];
  for (const p of auditFiles) {
    const text = await readText(p);
    if (text === undefined) continue;
    facts.audit ??= { sources: [], watched: [] };
    facts.audit.sources.push(p);
    for (const w of auditWatches(text)) if (!facts.audit.watched.includes(w)) facts.audit.watched.push(w);
  }

  // mount points
  for (const [p, field] of [
    ['/etc/fstab', 1],
    ['/proc/self/mountinfo', 4],
  ] as const) {
    const text = await readText(p);
    if (text === undefined) continue;
    facts.mounts ??= { sources: [], mountPoints: [] };
    facts.mounts.sources.push(p);
    for (const line of text.split('\n')) {
      if (/^\s*(#|$)/.test(line)) continue;
      const mp = line.trim().split(/\s+/)[field];
      if (mp) facts.mounts.mountPoints.push(mp.replace(/\\040/g, ' '));
    }
  }

  if (opts.live) {
    const api = {
      ...(opts.live.dockerHost ? { dockerHost: opts.live.dockerHost } : {}),
      timeoutMs: opts.live.timeoutMs ?? 10_000,
    };
    const host = dockerHostLabel(opts.live.dockerHost);
    facts.live = { host };
    for (const [k, p] of [
      ['info', '/info'],
      ['version', '/version'],
    ] as const) {
      try {
        const v = await dockerGetJson(p, api);
        if (v && typeof v === 'object' && !Array.isArray(v)) facts.live[k] = v as Record<string, unknown>;
      } catch (e) {
        warnings.push({ file: `${host}${p}`, message: `daemon not checked: ${(e as Error).message}` });
      }
    }
    if (!facts.live.info && !facts.live.version) delete facts.live;
  }
  return { facts, warnings };
}

export function under(root: string, hostPath: string): string {
  return path.join(root, hostPath);
}

function parseDaemonJson(
  text: string,
): { values: Record<string, unknown>; lines: Record<string, number> } | undefined {
  let values: unknown;
  try {
    values = JSON.parse(text);
  } catch {
    return undefined;
  }
  if (!values || typeof values !== 'object' || Array.isArray(values)) return undefined;
  const lines: Record<string, number> = {};
  const lc = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lc, uniqueKeys: false });
  if (isMap(doc.contents))
    for (const item of doc.contents.items)
      if (isScalar(item.key) && typeof item.key.value === 'string' && item.key.range)
        lines[item.key.value] = lc.linePos(item.key.range[0]).line;
  return { values: values as Record<string, unknown>, lines };
}

/** Joins `\`-continued lines, keeping each logical line's first physical line number. */
function logicalLines(text: string): { line: number; text: string }[] {
  const out: { line: number; text: string }[] = [];
  let cur: { line: number; text: string } | undefined;
  text.split('\n').forEach((raw, i) => {
    const l = raw.replace(/\r$/, '');
    if (cur) cur.text += ' ' + l.replace(/\\$/, '');
    else cur = { line: i + 1, text: l.replace(/\\$/, '') };
    if (!l.endsWith('\\')) {
      out.push(cur);
      cur = undefined;
    }
  });
  if (cur) out.push(cur);
  return out;
}

/** Shell-like word split: quotes group, backslash escapes outside single quotes. */
export function splitWords(s: string): string[] {
  const out: string[] = [];
  let word: string | undefined;
  let quote: '"' | "'" | undefined;
  for (let i = 0; i < s.length; i++) {
    const ch = s[i]!;
    if (quote) {
      if (ch === quote) quote = undefined;
      else if (ch === '\\' && quote === '"' && i + 1 < s.length) word += s[++i]!;
      else word += ch;
    } else if (/\s/.test(ch)) {
      if (word !== undefined) out.push(word);
      word = undefined;
    } else if (ch === '"' || ch === "'") {
      quote = ch;
      word ??= '';
    } else if (ch === '\\' && i + 1 < s.length) word = (word ?? '') + s[++i]!;
    else word = (word ?? '') + ch;
  }
  if (word !== undefined) out.push(word);
  return out;
}

function lastExecStart(text: string, file: string, prev: CommandLine | undefined): CommandLine | undefined {
  let section = '';
  let cur = prev;
  for (const { line, text: l } of logicalLines(text)) {
    const t = l.trim();
    if (t.startsWith('#') || t.startsWith(';')) continue;
    const sec = /^\[(.+)\]$/.exec(t);
    if (sec) {
      section = sec[1]!;
      continue;
    }
    if (section !== 'Service') continue;
    const m = /^ExecStart\s*=\s*(.*)$/.exec(t);
    if (!m) continue;
    const value = m[1]!.trim();
    if (value === '') cur = undefined;
    else cur = { path: file, line, args: splitWords(value.replace(/^[-@:+!]+/, '')) };
  }
  return cur;
}

function dockerOpts(text: string, file: string): CommandLine | undefined {
  let found: CommandLine | undefined;
  for (const { line, text: l } of logicalLines(text)) {
    const m = /^\s*(?:export\s+)?(?:DOCKER_OPTS|OPTIONS)\s*=\s*(.*)$/.exec(l);
    if (!m) continue;
    let v = m[1]!.trim();
    if ((v.startsWith('"') && v.endsWith('"')) || (v.startsWith("'") && v.endsWith("'"))) v = v.slice(1, -1);
    found = { path: file, line, args: splitWords(v) };
  }
  return found;
}

/** Paths an audit rules file watches: `-w <path>` and `-F path=` / `-F dir=` filters. */
export function auditWatches(text: string): string[] {
  const out: string[] = [];
  for (const raw of text.split('\n')) {
    const l = raw.trim();
    if (!l || l.startsWith('#')) continue;
    const words = l.split(/\s+/);
    for (let i = 0; i < words.length; i++) {
      if (words[i] === '-w' && words[i + 1]) out.push(words[i + 1]!.replace(/\/+$/, '') || '/');
      const f = words[i] === '-F' ? /^(?:path|dir)=(.+)$/.exec(words[i + 1] ?? '') : null;
      if (f) out.push(f[1]!.replace(/\/+$/, '') || '/');
    }
  }
  return out;
}
