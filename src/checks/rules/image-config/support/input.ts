import { BulwarkError } from '../../../../core/errors.js';
import type { FileFact, ImageConfigSummary, LayerInfo } from '../../../../core/types.js';

/**
 * What the image-config rules see: the image's config plus what the inventory learned about its
 * files and OS packages. Built from a scan's `Inventory` (or parsed from a config JSON file); the
 * config comes from an untrusted image, so rules check every field's type before use.
 */
export interface ImageConfigInput {
  /** the target as the user named it: findings' `file` */
  name: string;
  /** the image reference the user named (`nginx:1.27`), when the image came from one */
  reference?: string;
  kind: 'image' | 'rootfs';
  config?: ImageConfigSummary;
  /** layers bottom-up; history entries that made a layer map onto them in order */
  layers: LayerInfo[];
  /** OS packages (name, version, layer) */
  packages: { name: string; version: string; layer?: LayerInfo }[];
  facts: FileFact[];
}

/** Longest `created_by`, env entry or label value a rule looks at: hostile configs can be huge. */
export const MAX_TEXT = 64 * 1024;

export function str(v: unknown): string | undefined {
  return typeof v === 'string' ? v.slice(0, MAX_TEXT) : undefined;
}

/** The history entries as (index in config.history, created_by, layer that entry made). */
export function historyEntries(
  input: ImageConfigInput,
): { index: number; createdBy: string; layer?: LayerInfo }[] {
  const out: { index: number; createdBy: string; layer?: LayerInfo }[] = [];
  const hist = input.config?.history;
  if (!Array.isArray(hist)) return out;
  let layerIdx = 0;
  hist.forEach((h, index) => {
    const entry = (h ?? {}) as { createdBy?: unknown; emptyLayer?: unknown };
    const layer = entry.emptyLayer === true ? undefined : input.layers[layerIdx++];
    const createdBy = str(entry.createdBy);
    if (createdBy) out.push({ index, createdBy, ...(layer ? { layer } : {}) });
  });
  return out;
}

/** Shell command segments of a history entry (split on `&&`, `||`, `;`, `|`), as word lists. */
export function commandSegments(createdBy: string): string[][] {
  // `RUN |2 A=1 B=2 /bin/sh -c cmd # buildkit` (BuildKit) or `/bin/sh -c #(nop) ...` (classic)
  let body = createdBy.replace(/\s# buildkit$/, '').replace(/\\\n/g, ' ');
  body = body.replace(/^RUN\s+/, '');
  const args = /^\|(\d{1,3})\s+/.exec(body);
  if (args) {
    const words = body.slice(args[0].length).split(/\s+/);
    body = words.slice(Number(args[1])).join(' ');
  }
  body = body.replace(/^\/bin\/(?:ba)?sh\s+-c\s+(?:#\(nop\)\s*)?/, '');
  return body
    .split(/&&|\|\||[;|\n]/)
    .map((s) => s.trim().split(/\s+/).filter(Boolean))
    .filter((w) => w.length > 0);
}

/** Parses an OCI/Docker image config JSON (or one `docker inspect` object) into a rule input. */
export function parseImageConfigText(text: string, file: string): ImageConfigInput {
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch (e) {
    throw new BulwarkError('MALFORMED_INPUT', `not JSON: ${(e as Error).message}`, { input: file });
  }
  if (Array.isArray(doc)) doc = doc[0];
  if (typeof doc !== 'object' || doc === null)
    throw new BulwarkError('MALFORMED_INPUT', 'image config is not an object', { input: file });
  const d = doc as Record<string, unknown>;
  const c = (d.config ?? d.Config ?? {}) as Record<string, unknown>;
  const history = Array.isArray(d.history)
    ? (d.history as Record<string, unknown>[]).map((h) => ({
        ...(typeof h?.created_by === 'string' ? { createdBy: h.created_by } : {}),
        ...(h?.empty_layer === true ? { emptyLayer: true } : {}),
      }))
    : undefined;
  const config: ImageConfigSummary = {
    ...(typeof c.User === 'string' ? { user: c.User } : {}),
    ...(Array.isArray(c.Env) ? { env: c.Env.filter((e): e is string => typeof e === 'string') } : {}),
    ...(c.Labels && typeof c.Labels === 'object' ? { labels: c.Labels as Record<string, string> } : {}),
    ...(c.Healthcheck !== undefined && c.Healthcheck !== null ? { healthcheck: c.Healthcheck } : {}),
    ...(c.ExposedPorts && typeof c.ExposedPorts === 'object'
      ? { exposedPorts: Object.keys(c.ExposedPorts).sort() }
      : {}),
    ...(history ? { history } : {}),
  };
  return { name: file, kind: 'image', config, layers: [], packages: [], facts: [] };
}
