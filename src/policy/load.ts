/**
 * Reads a policy file. Errors are CONFIG errors that name the file and the line of the field
 * at fault (`policy.yaml:12: spec.vulnerabilities.maxSeverity: Invalid option ...`), so a policy
 * author fixes the right line the first time.
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { isMap, isSeq, LineCounter, parseDocument, type Node } from 'yaml';
import { BulwarkError } from '../core/errors.js';
import { policySchema, type Policy } from './schema.js';

/** A policy with the directory its relative key and certificate paths are read from. */
export interface LoadedPolicy {
  policy: Policy;
  file: string;
  baseDir: string;
}

const MAX_POLICY_BYTES = 1024 * 1024;

function nodeAt(root: Node | null | undefined, keys: readonly PropertyKey[]): Node | undefined {
  let node: Node | null | undefined = root;
  let found: Node | undefined = root ?? undefined;
  for (const k of keys) {
    if (isMap(node)) {
      const pair = node.items.find((p) => (p.key as { value?: unknown } | null)?.value === k);
      if (!pair) break;
      node = (pair.value as Node | null) ?? (pair.key as Node);
    } else if (isSeq(node) && typeof k === 'number') {
      node = node.items[k] as Node | undefined;
    } else break;
    if (node) found = node;
  }
  return found;
}

/** Parses policy text; `file` names it in errors. */
export function parsePolicy(text: string, file: string): Policy {
  if (Buffer.byteLength(text, 'utf8') > MAX_POLICY_BYTES)
    throw new BulwarkError('LIMIT_EXCEEDED', `policy file larger than ${MAX_POLICY_BYTES} bytes`, {
      input: file,
    });
  const lc = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lc, prettyErrors: false, uniqueKeys: true });
  const lineOf = (offset: number | undefined) => (offset === undefined ? 1 : lc.linePos(offset).line);
  const yamlError = doc.errors[0];
  if (yamlError)
    throw new BulwarkError(
      'CONFIG',
      `line ${lineOf(yamlError.pos[0])}: invalid YAML: ${yamlError.message.split('\n')[0]}`,
      { input: file },
    );
  let value: unknown;
  try {
    value = doc.toJS({ maxAliasCount: 100 });
  } catch (e) {
    throw new BulwarkError('CONFIG', `invalid YAML: ${(e as Error).message}`, { input: file, cause: e });
  }
  const parsed = policySchema.safeParse(value ?? {});
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0]!;
  // an unknown key is pointed at itself, not at the map that holds it
  const keys = issue.code === 'unrecognized_keys' ? [...issue.path, issue.keys[0]!] : issue.path;
  const node = nodeAt(doc.contents, keys);
  const where = issue.path.length ? `${issue.path.join('.')}: ` : '';
  throw new BulwarkError('CONFIG', `line ${lineOf(node?.range?.[0])}: ${where}${issue.message}`, {
    input: file,
  });
}

/** Reads and validates a policy file. */
export async function loadPolicy(file: string): Promise<LoadedPolicy> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    throw new BulwarkError(code === 'ENOENT' ? 'INPUT_NOT_FOUND' : 'CONFIG', 'cannot read the policy file', {
      input: file,
      cause: e,
    });
  }
  return { policy: parsePolicy(text, file), file, baseDir: path.dirname(path.resolve(file)) };
}
