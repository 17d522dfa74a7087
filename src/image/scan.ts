import path from 'node:path';
import { BulwarkError } from '../core/errors.js';
import { resolveLimits, type Limits } from '../core/limits.js';
import type { ImageConfigSummary, Inventory, LayerInfo } from '../core/types.js';
import type { Progress } from '../core/progress.js';
import type { Analyzer } from '../inventory/types.js';
import { LayerCache } from './cache.js';
import type { LayerResult } from './layer-result.js';
import { mergeLayers, type OsEcosystemFn, type OsHooks } from './merge.js';
import type { ImageConfigJson, ImageSource } from './types.js';
import { walkLayer } from './walker.js';

/**
 * Analyzers loaded only when a layer is not in the cache: `versions` (from the version table, no
 * module loaded) key the cache, `load` brings the modules in on the first miss.
 */
export interface LazyAnalyzers {
  versions: readonly Pick<Analyzer, 'id' | 'version'>[];
  load: () => Promise<readonly Analyzer[]>;
}

export interface ScanImageOptions extends OsHooks {
  analyzers: readonly Analyzer[] | LazyAnalyzers;
  /** layer results are cached under `<cacheDir>/layers/`; no cache when unset */
  cacheDir?: string;
  /**
   * Large entries for random-access analyzers (fat jars) are spilled here while analyzed; defaults
   * to `<cacheDir>/tmp`. With neither, they are buffered in memory up to `maxAnalyzedFileBytes`.
   */
  tempDir?: string;
  limits?: Partial<Limits>;
  osEcosystem: OsEcosystemFn;
  progress?: Progress;
  /** pure-JS zstd even when the native decoder loads */
  forceJsZstd?: boolean;
}

export function summarizeConfig(c: ImageConfigJson): ImageConfigSummary {
  const cfg = c.config ?? {};
  return {
    ...(c.architecture ? { architecture: c.architecture } : {}),
    ...(c.os ? { os: c.os } : {}),
    ...(cfg.User !== undefined ? { user: cfg.User } : {}),
    ...(cfg.Env ? { env: cfg.Env } : {}),
    ...(cfg.Labels ? { labels: cfg.Labels } : {}),
    ...(cfg.Healthcheck !== undefined ? { healthcheck: cfg.Healthcheck } : {}),
    ...(cfg.ExposedPorts ? { exposedPorts: Object.keys(cfg.ExposedPorts).sort() } : {}),
    ...(cfg.Entrypoint ? { entrypoint: cfg.Entrypoint } : {}),
    ...(cfg.Cmd ? { cmd: cfg.Cmd } : {}),
    ...(c.history
      ? {
          history: c.history.map((h) => ({
            ...(h.created_by !== undefined ? { createdBy: h.created_by } : {}),
            ...(h.empty_layer ? { emptyLayer: true } : {}),
            ...(h.created !== undefined ? { created: h.created } : {}),
          })),
        }
      : {}),
  };
}

/**
 * Inventory of an image: each layer is streamed once (or not at all when its analysis is cached),
 * its computed diffID checked against the config's before anything is trusted or cached, then the
 * layers are merged. The caller closes the source.
 */
export async function scanImageInventory(source: ImageSource, opts: ScanImageOptions): Promise<Inventory> {
  const limits = resolveLimits(opts.limits);
  const image = await source.resolve();
  if (image.layers.length > limits.maxLayers) {
    throw new BulwarkError('LIMIT_EXCEEDED', `image has more than ${limits.maxLayers} layers`, {
      input: source.name,
    });
  }
  const lazy = 'load' in opts.analyzers ? opts.analyzers : undefined;
  let loaded: readonly Analyzer[] | undefined = lazy ? undefined : (opts.analyzers as readonly Analyzer[]);
  const analyzers = async (): Promise<readonly Analyzer[]> => (loaded ??= await lazy!.load());
  const cache = opts.cacheDir ? new LayerCache(opts.cacheDir, lazy?.versions ?? loaded!) : undefined;
  const spillDir = opts.tempDir ?? (opts.cacheDir ? path.join(opts.cacheDir, 'tmp') : undefined);
  const layers: { info: LayerInfo; result: LayerResult }[] = [];
  const total = image.layers.length;
  for (const layer of image.layers) {
    opts.progress?.update(
      `layer ${layer.index + 1}/${total} ${layer.digest.slice(7, 19)}`,
      layer.index,
      total,
    );
    let result = layer.diffId ? await cache?.get(layer.diffId) : undefined;
    if (!result) {
      const blob = await source.openLayer(layer);
      result = await walkLayer(blob, layer, await analyzers(), {
        limits,
        ...(spillDir !== undefined ? { spillDir } : {}),
        ...(opts.forceJsZstd ? { forceJsZstd: true } : {}),
      });
      if (result.diffId !== layer.diffId) {
        // Never trust or cache a layer whose content is not the one the config names: a crafted
        // image could otherwise plant results for someone else's layer.
        throw new BulwarkError(
          'DIGEST_MISMATCH',
          `layer uncompresses to ${result.diffId}, but the config says ${layer.diffId || '(nothing)'}`,
          { input: layer.digest || source.name },
        );
      }
      await cache?.put(result);
    }
    const info: LayerInfo = {
      index: layer.index,
      digest: layer.digest,
      diffId: layer.diffId,
      ...(layer.createdBy !== undefined ? { createdBy: layer.createdBy } : {}),
    };
    layers.push({ info, result });
  }
  opts.progress?.done();
  return mergeLayers({
    target: {
      kind: 'image',
      name: image.name,
      ...(image.manifestDigest ? { digest: image.manifestDigest } : {}),
      imageId: image.configDigest,
      platform: image.platform,
      layers: layers.map((l) => l.info),
      config: summarizeConfig(image.config),
      ...(image.repoTags ? { repoTags: image.repoTags } : {}),
      ...(image.repoDigests ? { repoDigests: image.repoDigests } : {}),
    },
    layers,
    // merging reads the layer results only; a fully cached scan never loads an analyzer module
    analyzers: loaded ?? [],
    osEcosystem: opts.osEcosystem,
    ...(opts.mergeOs ? { mergeOs: opts.mergeOs } : {}),
    ...(opts.finalizePackage ? { finalizePackage: opts.finalizePackage } : {}),
    limits,
  });
}
