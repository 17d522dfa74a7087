import { BulwarkError } from '../../core/errors.js';
import type { ParsedFile } from '../types.js';

/** A `docker inspect` document's fields the rules read; the Engine API shape, loosely typed. */
export type Inspect = Record<string, unknown>;

/** One container as the `container` rules see it. */
export interface ContainerInput {
  inspect: Inspect;
  name: string;
  id: string;
  /** where the container's object starts in the input (0 when it came from a live daemon) */
  line: number;
  column: number;
}

/** Most containers accepted from one input: a host runs hundreds, not millions. */
export const MAX_CONTAINERS = 10_000;

export function containerLabel(c: Pick<ContainerInput, 'name' | 'id'>): string {
  return `container ${c.name} (${c.id.slice(0, 12)})`;
}

export function toContainerInput(inspect: Inspect, line = 0, column = 0): ContainerInput {
  const rawName = typeof inspect.Name === 'string' ? inspect.Name : '';
  const id = typeof inspect.Id === 'string' ? inspect.Id : '';
  return { inspect, name: rawName.replace(/^\//, '') || id.slice(0, 12) || '?', id, line, column };
}

/**
 * Parses `docker inspect` output (a JSON array of container objects, or one object). JSON.parse
 * decides validity; one linear scan of the same text then finds where each object starts (a full
 * position-aware parse of a 60 MB inspect dump would cost gigabytes for one number per container).
 */
export function parseInspect(input: string, file: string): ContainerInput[] {
  // PowerShell redirection writes a byte-order mark that JSON.parse rejects
  const text = input.replace(/^\uFEFF/, '');
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (e) {
    throw new BulwarkError('MALFORMED_INPUT', `not valid JSON: ${(e as Error).message}`, { input: file });
  }
  const list = Array.isArray(data) ? data : [data];
  if (list.length > MAX_CONTAINERS)
    throw new BulwarkError('LIMIT_EXCEEDED', `more than ${MAX_CONTAINERS} containers`, { input: file });
  for (const [i, c] of list.entries())
    if (!c || typeof c !== 'object' || Array.isArray(c) || !isInspectLike(c as Inspect))
      throw new BulwarkError(
        'MALFORMED_INPUT',
        `item ${i} is not a docker inspect container object (no Id/HostConfig/Config)`,
        { input: file },
      );
  const positions = objectPositions(text, Array.isArray(data));
  return list.map((c, i) => {
    const pos = positions[i] ?? { line: 1, column: 1 };
    return toContainerInput(c as Inspect, pos.line, pos.column);
  });
}

function isInspectLike(c: Inspect): boolean {
  return typeof c.Id === 'string' && (isObject(c.HostConfig) || isObject(c.Config));
}

const isObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

/** Line and column of each top-level value's opening brace, for text JSON.parse already accepted. */
export function objectPositions(text: string, isArray: boolean): { line: number; column: number }[] {
  const out: { line: number; column: number }[] = [];
  let line = 1;
  let lineStart = 0;
  let depth = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text.charCodeAt(i);
    if (inString) {
      if (ch === 0x5c)
        i++; // backslash: skip the escaped character
      else if (ch === 0x22) inString = false;
      continue;
    }
    if (ch === 0x0a) {
      line++;
      lineStart = i + 1;
    } else if (ch === 0x22) inString = true;
    else if (ch === 0x7b || ch === 0x5b) {
      // an object directly inside the top-level array, or the top-level object itself
      if (ch === 0x7b && depth === (isArray ? 1 : 0)) out.push({ line, column: i - lineStart + 1 });
      depth++;
    } else if (ch === 0x7d || ch === 0x5d) depth--;
  }
  return out;
}

export function parseInspectInput(text: string, file: string): ParsedFile<ContainerInput> {
  return { inputs: parseInspect(text, file).map((c) => ({ input: c, object: containerLabel(c) })) };
}
