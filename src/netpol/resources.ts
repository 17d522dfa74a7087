import { lstat, readdir, readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import { decodeManifest, parseKubernetesFile } from '../checks/kubernetes/parse.js';
import type { K8sObject } from '../checks/kubernetes/types.js';
import { BulwarkError, toBulwarkError, type ErrorCode } from '../core/errors.js';

/**
 * The resource reader: files, folders (recursively) and stdin into the objects the connectivity
 * engine needs. Parsing goes through the configuration checks' Kubernetes loader, which bounds
 * size, YAML aliases, depth and document count; a broken document is an error for that document
 * only and a file with no Kubernetes object in it is a warning.
 */
export interface ReadIssue {
  file: string;
  code?: ErrorCode;
  message: string;
}

export interface ReadResult {
  objects: K8sObject[];
  errors: ReadIssue[];
  warnings: ReadIssue[];
  files: number;
}

export interface ReadOptions {
  /** paths in results are shown relative to this directory */
  baseDir?: string;
  /** larger files are reported as LIMIT_EXCEEDED, not read (default 8 MiB) */
  maxFileBytes?: number;
  /** the stream `-` names (stdin); read up to maxFileBytes */
  stdin?: NodeJS.ReadableStream;
}

/** The kinds the engine reads; everything else in a manifest is ignored silently. */
export const RELEVANT_KINDS = new Set([
  'Namespace',
  'NetworkPolicy',
  'Pod',
  'Deployment',
  'ReplicaSet',
  'StatefulSet',
  'DaemonSet',
  'Job',
  'CronJob',
  'ReplicationController',
  'Service',
  'Ingress',
  'Route',
]);

const MANIFEST = /\.(ya?ml|json)$/i;
const SKIP_DIRS = new Set(['.git', 'node_modules', '.terraform']);
const MAX_FILES = 100_000;

async function collect(p: string, explicit: boolean, out: string[]): Promise<void> {
  // named paths follow symlinks; recursion does not, so a link loop cannot trap the walk
  const st = explicit ? await stat(p) : await lstat(p);
  if (st.isDirectory()) {
    if (!explicit && SKIP_DIRS.has(path.basename(p))) return;
    for (const n of (await readdir(p)).sort()) {
      if (out.length > MAX_FILES)
        throw new BulwarkError('LIMIT_EXCEEDED', `more than ${MAX_FILES} files`, { input: p });
      await collect(path.join(p, n), false, out);
    }
  } else if (st.isFile() && (explicit || MANIFEST.test(p))) out.push(p);
}

/** Parses one file's text; pushes its objects, per-document errors and a warning when it holds no Kubernetes object. */
export function readText(text: string, file: string, out: ReadResult, maxBytes = 8 * 1024 * 1024): void {
  try {
    let parsed = parseKubernetesFile(text, file, { maxBytes, inferListItemKinds: true });
    // Kubernetes' YAML reader (go-yaml) accepts a tab at the start of a line inside a flow
    // sequence; eemeli/yaml does not. Retry such a file with those tabs as spaces.
    if (parsed.errors.length && /^ *\t/m.test(text)) {
      let retry: typeof parsed | undefined;
      try {
        retry = parseKubernetesFile(
          text.replace(/^( *)(\t+)/gm, (_, sp: string, tabs: string) => sp + ' '.repeat(tabs.length * 8)),
          file,
          { maxBytes: maxBytes * 2, inferListItemKinds: true },
        );
      } catch {
        retry = undefined;
      }
      if (retry && retry.errors.length < parsed.errors.length) {
        out.warnings.push({ file, message: 'tabs at the start of lines read as spaces' });
        parsed = retry;
      }
    }
    for (const e of parsed.errors)
      out.errors.push({
        file,
        code: e.code,
        message: `document ${e.document + 1}${e.line ? ` line ${e.line}` : ''}: ${e.message}`,
      });
    if (parsed.objects.length === 0 && parsed.errors.length === 0)
      out.warnings.push({ file, message: 'no Kubernetes resources in this file, skipped' });
    for (const o of parsed.objects) if (RELEVANT_KINDS.has(o.kind)) out.objects.push(o);
  } catch (e) {
    const err = toBulwarkError(e, 'MALFORMED_INPUT', file);
    out.errors.push({ file, code: err.code, message: err.message });
  }
}

export async function readResources(
  paths: readonly string[],
  options: ReadOptions = {},
): Promise<ReadResult> {
  const maxFileBytes = options.maxFileBytes ?? 8 * 1024 * 1024;
  const show = (f: string) => {
    if (!options.baseDir) return f;
    const rel = path.relative(options.baseDir, f);
    return rel && !rel.startsWith('..') && !path.isAbsolute(rel) ? rel : f;
  };
  const out: ReadResult = { objects: [], errors: [], warnings: [], files: 0 };
  for (const p of paths) {
    if (p === '-') {
      out.files++;
      try {
        if (!options.stdin) throw new BulwarkError('INPUT_NOT_FOUND', 'stdin is not available');
        const chunks: Buffer[] = [];
        let size = 0;
        for await (const c of options.stdin) {
          const b = typeof c === 'string' ? Buffer.from(c) : (c as Buffer);
          size += b.length;
          if (size > maxFileBytes)
            throw new BulwarkError('LIMIT_EXCEEDED', `input larger than ${maxFileBytes} bytes`, {
              input: '-',
            });
          chunks.push(b);
        }
        const bytes = Buffer.concat(chunks);
        readText(decodeManifest(bytes, '-'), '-', out, maxFileBytes);
      } catch (e) {
        const err = toBulwarkError(e, 'MALFORMED_INPUT', '-');
        out.errors.push({ file: '-', code: err.code, message: err.message });
      }
      continue;
    }
    const files: string[] = [];
    try {
      await collect(p, true, files);
    } catch (e) {
      const err = e instanceof BulwarkError ? e : undefined;
      out.errors.push({ file: p, code: err?.code ?? 'INPUT_NOT_FOUND', message: (e as Error).message });
    }
    for (const f of files) {
      const file = show(f);
      out.files++;
      try {
        const st = await stat(f);
        if (st.size > maxFileBytes)
          throw new BulwarkError('LIMIT_EXCEEDED', `file larger than ${maxFileBytes} bytes`, { input: file });
        readText(decodeManifest(await readFile(f), file), file, out, maxFileBytes);
      } catch (e) {
        const err = toBulwarkError(e, 'INPUT_NOT_FOUND', file);
        out.errors.push({ file, code: err.code, message: err.message });
      }
    }
  }
  return out;
}
