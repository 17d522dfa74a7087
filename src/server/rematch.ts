/**
 * Re-match: the stored inventories matched again against the current vulnerability database,
 * with the CLI's own matcher (src/match) and report model (src/report), pulling no image. The
 * outcome of an image whose findings changed is stored as a new scan of it (same packages, new
 * findings, the new database version), so history, finding state and diffs treat it like any
 * other scan.
 *
 * The inventory matched is the latest scan's package list, not the union of its stored layer
 * inventories: a layer's stored inventory is what it contributed to the first image uploaded
 * with it, and a later layer of another image may upgrade or delete those packages.
 *
 * Events: each image's new and vanished findings are written with its new scan (one
 * transaction), and when every image is done they become one `vulnerability.new` or
 * `vulnerability.vanished` event per vulnerability, naming all the images (store/events.ts).
 */
import { randomUUID } from 'node:crypto';
import { existsSync } from 'node:fs';
import { BulwarkError } from '../core/errors.js';
import type { Inventory, LayerInfo, Package } from '../core/types.js';
import { normalizePackageName } from '../ecosystems/index.js';
import { matchInventory } from '../match/index.js';
import { buildScanReport, toJsonReport, type JsonReport } from '../report/index.js';
import { openVulnDb } from '../vulndb/index.js';
import { groupRematchChanges, rematchChangesHook } from './store/events.js';
import { ingestReport, packageKey } from './store/ingest.js';
import type { Store } from './store/open.js';

export interface RematchImage {
  imageId: number;
  /** the scan matched again */
  fromScanId: number;
  /** the scan stored for the new outcome; null when the findings did not change */
  scanId: number | null;
  /** findings the database now reports that the stored scan lacked */
  new: string[];
  /** findings of the stored scan the database no longer reports */
  vanished: string[];
}

export interface RematchResult {
  dbBuiltAt: string;
  images: RematchImage[];
}

/** The inventory a stored report was made from, as the matcher takes it. */
export function inventoryOfReport(r: JsonReport): Inventory {
  const layers: LayerInfo[] = r.target.layers.map((l) => ({
    index: l.index,
    digest: l.digest,
    diffId: l.diffId,
    ...(l.createdBy ? { createdBy: l.createdBy } : {}),
  }));
  const byDiffId = new Map(layers.map((l) => [l.diffId, l]));
  const packages: Package[] = r.packages.map((p) => {
    const layer = p.layer ? byDiffId.get(p.layer.diffId) : undefined;
    return {
      name: p.name,
      version: p.version,
      ecosystem: p.ecosystem,
      type: p.type as Package['type'],
      purl: p.purl,
      location: p.location,
      ...(p.sourceName ? { sourceName: p.sourceName } : {}),
      ...(p.sourceVersion ? { sourceVersion: p.sourceVersion } : {}),
      ...(p.arch ? { arch: p.arch } : {}),
      ...(p.licenses.length ? { licenses: p.licenses } : {}),
      ...(layer ? { layer } : {}),
      ...(p.dev ? { metadata: { dev: true } } : {}),
      ...(p.dependsOn.length ? { dependsOn: p.dependsOn } : {}),
    };
  });
  const os = r.os
    ? {
        family: r.os.family,
        name: r.os.name,
        version: r.os.version,
        ecosystem: r.os.ecosystem,
        ...(r.os.codename ? { codename: r.os.codename } : {}),
        ...(r.os.distroless ? { distroless: true } : {}),
      }
    : undefined;
  return {
    target: {
      kind: 'image',
      name: r.target.name,
      ...(r.target.digest ? { digest: r.target.digest } : {}),
      ...(r.target.imageId ? { imageId: r.target.imageId } : {}),
      ...(r.target.platform ? { platform: r.target.platform } : {}),
      layers,
      repoTags: r.target.repoTags,
      repoDigests: r.target.repoDigests,
    },
    ...(os ? { os } : {}),
    packages,
    warnings: [],
  };
}

const keyOf = (f: JsonReport['findings'][number]) => `${f.id} ${packageKey(f.package)}`;

export async function rematch(
  store: Store,
  opts: { dbPath: string; toolVersion: string; imageIds?: number[]; now?: Date },
): Promise<RematchResult> {
  if (!existsSync(opts.dbPath))
    throw new BulwarkError('DATABASE', 'no vulnerability database on the server (run `bulwark db update`)', {
      input: opts.dbPath,
    });
  let q = store.db.selectFrom('images').select('id').orderBy('id');
  if (opts.imageIds?.length) q = q.where('id', 'in', opts.imageIds);
  const images = await q.execute();
  const db = openVulnDb(opts.dbPath, { normalizeName: normalizePackageName });
  const runId = randomUUID();
  let changed = false;
  try {
    const meta = db.metadata();
    const out: RematchImage[] = [];
    for (const { id } of images) {
      const latest = await store.db
        .selectFrom('scans')
        .select(['id', 'report'])
        .where('image_id', '=', id)
        .orderBy('scanned_at', 'desc')
        .orderBy('id', 'desc')
        .limit(1)
        .executeTakeFirst();
      if (!latest) continue;
      const stored = JSON.parse(latest.report) as JsonReport;
      const inventory = inventoryOfReport(stored);
      const match = matchInventory(inventory, db);
      const now = opts.now ?? new Date();
      const fresh = toJsonReport(
        buildScanReport({ inventory, match, db: meta, toolVersion: opts.toolVersion, createdAt: now }),
      );
      const before = new Set(stored.findings.map(keyOf));
      const after = new Set(fresh.findings.map(keyOf));
      const added = [...after].filter((k) => !before.has(k)).sort();
      const vanished = [...before].filter((k) => !after.has(k)).sort();
      let scanId: number | null = null;
      if (added.length || vanished.length) {
        // the stored report with the new outcome: its packages, configuration findings and
        // secrets stay as scanned; findings, database and time are the re-match's
        const next: JsonReport = {
          ...stored,
          createdAt: fresh.createdAt,
          tool: fresh.tool,
          db: fresh.db,
          summary: { ...fresh.summary, suppressed: 0 },
          findings: fresh.findings,
          suppressed: [],
        };
        const addedSet = new Set(added);
        const vanishedSet = new Set(vanished);
        scanId = (
          await ingestReport(store, next, {
            now,
            events: rematchChangesHook(
              runId,
              fresh.findings.filter((f) => addedSet.has(keyOf(f))),
              stored.findings.filter((f) => vanishedSet.has(keyOf(f))),
            ),
          })
        ).scanId;
        changed = true;
      }
      out.push({ imageId: id, fromScanId: latest.id, scanId, new: added, vanished });
    }
    if (changed) await groupRematchChanges(store, runId, opts.now ?? new Date());
    return { dbBuiltAt: meta.builtAt, images: out };
  } finally {
    db.close();
  }
}
