import { resolveLimits, type Limits } from '../core/limits.js';
import type {
  FileFact,
  Inventory,
  InventoryWarning,
  LayerInfo,
  OsInfo,
  Package,
  TargetInfo,
} from '../core/types.js';
import type { Analyzer, AnalyzerOutput } from '../inventory/types.js';
import type { LayerLink, LayerOutput, LayerResult } from './layer-result.js';

/** OSV ecosystem of a detected OS, supplied by the OS analyzers' module. */
export type OsEcosystemFn = (os: Partial<OsInfo> & { family: string }) => {
  base: string;
  release?: string;
  /** the full OSV ecosystem string when it is not `base:release` (Ubuntu's `:LTS`) */
  ecosystem?: string;
};

/** Combines the OS facts of the final view (path + facts, bottom-up) into one OsInfo. */
export type MergeOsFn = (
  facts: { path: string; os: Partial<OsInfo> & { family: string } }[],
  packageLocations: Iterable<string>,
) => OsInfo | undefined;

/** Completes an OS package once the OS is known (ecosystem, purl distro qualifiers). */
export type FinalizePackageFn = (
  pkg: Omit<Package, 'layer'>,
  os: OsInfo | undefined,
) => Omit<Package, 'layer'>;

/** Optional OS-specific hooks from the inventory module; without them a simple default applies. */
export interface OsHooks {
  mergeOs?: MergeOsFn;
  finalizePackage?: FinalizePackageFn;
}

export interface MergeInput extends OsHooks {
  target: TargetInfo;
  /** bottom-up; `info` undefined for a root filesystem (no layers) */
  layers: { info?: LayerInfo; result: LayerResult }[];
  analyzers: readonly Analyzer[];
  osEcosystem: OsEcosystemFn;
  limits?: Partial<Limits>;
}

interface Visible {
  layer: number;
  outputs: LayerOutput[];
}

function removeUnder(map: Map<string, unknown>, dir: string): void {
  if (dir === '') {
    map.clear();
    return;
  }
  const prefix = `${dir}/`;
  for (const k of map.keys()) if (k.startsWith(prefix)) map.delete(k);
}

function removePath(map: Map<string, unknown>, p: string): void {
  map.delete(p);
  removeUnder(map, p);
}

/**
 * Resolves a link inside the image only: `..` past the root stays at the root, absolute targets
 * start at the image root, never the host's; at most `maxHops` links are followed.
 */
export function resolveInImage(
  linkPath: string,
  links: ReadonlyMap<string, LayerLink>,
  maxHops: number,
): string | undefined {
  let current = linkPath;
  for (let hops = 0; hops <= maxHops; hops++) {
    const link = links.get(current);
    if (!link) return current;
    if (link.hard) {
      current = link.target;
      continue;
    }
    const base = link.target.startsWith('/') ? [] : current.split('/').slice(0, -1);
    for (const seg of link.target.split('/')) {
      if (seg === '' || seg === '.') continue;
      if (seg === '..') base.pop();
      else base.push(seg);
    }
    current = base.join('/');
  }
  return undefined;
}

function pkgKey(p: { location: string; name: string; version: string; arch?: string }): string {
  return `${p.location}\0${p.name}\0${p.version}\0${p.arch ?? ''}`;
}

function* packagesOf(outputs: Iterable<LayerOutput>): Generator<Omit<Package, 'layer'>> {
  for (const o of outputs) {
    for (const p of o.output.packages ?? []) yield { ...p, location: p.location || o.path };
  }
}

const OS_RELEASE_PRIORITY = (p: string): number => (p.endsWith('os-release') ? 2 : 1);

/**
 * Combines per-layer results bottom-up into what the final image shows: whiteouts and opaque
 * directories remove lower files, later files replace earlier ones, and each package keeps the
 * lowest layer from which it has been continuously present (a rewritten dpkg status does not
 * re-attribute packages that were already there).
 */
export function mergeLayers(input: MergeInput): Inventory {
  const limits = resolveLimits(input.limits);
  const visible = new Map<string, Visible>();
  const links = new Map<string, LayerLink>();
  const firstSeen = new Map<string, number>();
  const warnings: InventoryWarning[] = [];

  input.layers.forEach(({ result }, i) => {
    for (const d of result.opaqueDirs) {
      removeUnder(visible, d);
      removeUnder(links, d);
    }
    for (const w of result.whiteouts) {
      removePath(visible, w);
      removePath(links, w);
    }
    const byPath = new Map<string, LayerOutput[]>();
    for (const o of result.outputs) {
      const list = byPath.get(o.path);
      if (list) list.push(o);
      else byPath.set(o.path, [o]);
    }
    for (const [p, outputs] of byPath) {
      visible.set(p, { layer: i, outputs });
      links.delete(p);
    }
    for (const l of result.links) {
      links.set(l.path, l);
      if (!byPath.has(l.path)) visible.delete(l.path);
    }
    warnings.push(...result.warnings);
    const now = new Set<string>();
    for (const v of visible.values()) for (const p of packagesOf(v.outputs)) now.add(pkgKey(p));
    for (const k of firstSeen.keys()) if (!now.has(k)) firstSeen.delete(k);
    for (const k of now) if (!firstSeen.has(k)) firstSeen.set(k, i);
  });

  // A required path that is a link shows its target's analysis (found inside the image only).
  const osCandidates: {
    layer: number;
    path: string;
    priority: number;
    os: NonNullable<AnalyzerOutput['os']>;
  }[] = [];
  for (const [p, v] of visible) {
    for (const o of v.outputs) {
      if (o.output.os)
        osCandidates.push({ layer: v.layer, path: p, priority: OS_RELEASE_PRIORITY(p), os: o.output.os });
    }
  }
  for (const p of links.keys()) {
    const target = resolveInImage(p, links, limits.maxSymlinkHops);
    if (target === undefined) {
      warnings.push({ code: 'SYMLINK_LOOP', message: `too many links resolving ${p}`, input: p });
      continue;
    }
    const v = visible.get(target);
    if (!v) continue;
    for (const o of v.outputs) {
      if (o.output.os)
        osCandidates.push({ layer: v.layer, path: p, priority: OS_RELEASE_PRIORITY(p), os: o.output.os });
    }
  }
  osCandidates.sort((a, b) => a.layer - b.layer || a.priority - b.priority || cmp(a.path, b.path));

  let os: OsInfo | undefined;
  if (input.mergeOs) {
    const locations: string[] = [];
    for (const v of visible.values()) for (const p of packagesOf(v.outputs)) locations.push(p.location);
    os = input.mergeOs(
      osCandidates.map((c) => ({ path: c.path, os: c.os })),
      locations,
    );
  } else if (osCandidates.length) {
    const merged: Partial<OsInfo> = {};
    for (const c of osCandidates) {
      for (const [k, val] of Object.entries(c.os))
        if (val !== undefined && val !== '') (merged as Record<string, unknown>)[k] = val;
    }
    const family = merged.family ?? 'unknown';
    const eco = input.osEcosystem({ ...merged, family });
    os = {
      family,
      name: merged.name ?? family,
      version: merged.version ?? '',
      ...(merged.codename ? { codename: merged.codename } : {}),
      ...(merged.distroless ? { distroless: true } : {}),
      ecosystem: eco.ecosystem ?? (eco.release ? `${eco.base}:${eco.release}` : eco.base),
    };
    if (!os.distroless && !visible.has('var/lib/dpkg/status')) {
      for (const p of visible.keys()) {
        if (p.startsWith('var/lib/dpkg/status.d/')) {
          os.distroless = true;
          break;
        }
      }
    }
  }
  const osBase = os ? input.osEcosystem(os).base : '';

  const packages: Package[] = [];
  for (const v of visible.values()) {
    for (const o of v.outputs) warnings.push(...(o.output.warnings ?? []));
    for (const p of packagesOf(v.outputs)) {
      const at = firstSeen.get(pkgKey(p));
      const info = at === undefined ? undefined : input.layers[at]?.info;
      const done = input.finalizePackage
        ? input.finalizePackage(p, os)
        : { ...p, ecosystem: p.ecosystem || (p.type === 'os' ? osBase : '') };
      packages.push({ ...done, ...(info ? { layer: info } : {}) });
    }
  }
  // Facts describe files as the final filesystem shows them: only visible files count, and the
  // layer is the one the visible version of the file came from.
  const facts: FileFact[] = [];
  for (const [p, v] of visible) {
    const info = input.layers[v.layer]?.info;
    for (const o of v.outputs) {
      for (const f of o.output.facts ?? []) {
        facts.push({
          analyzer: o.analyzerId,
          kind: f.kind,
          path: p,
          data: f.data,
          ...(info ? { layer: info } : {}),
        });
      }
    }
  }
  facts.sort((a, b) => cmp(a.path, b.path) || cmp(a.analyzer, b.analyzer) || cmp(a.kind, b.kind));
  packages.sort(
    (a, b) =>
      cmp(a.ecosystem, b.ecosystem) ||
      cmp(a.name, b.name) ||
      cmp(a.version, b.version) ||
      cmp(a.arch ?? '', b.arch ?? '') ||
      cmp(a.location, b.location),
  );
  return {
    target: input.target,
    ...(os ? { os } : {}),
    packages,
    warnings,
    ...(facts.length ? { facts } : {}),
  };
}

function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
