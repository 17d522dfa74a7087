import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Inventory, OsInfo, Package } from '../../src/core/types.js';
import { ecosystemBase, normalizePackageName } from '../../src/ecosystems/index.js';
import type { DbMetadata, EpssEntry, KevEntry, OsvRecord, VulnDb } from '../../src/vulndb/types.js';

export const OSV_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../fixtures/osv');

/** Every fixture record, keyed by id. */
export function loadFixtureRecords(): Map<string, OsvRecord> {
  const out = new Map<string, OsvRecord>();
  for (const eco of readdirSync(OSV_DIR, { withFileTypes: true })) {
    if (!eco.isDirectory()) continue;
    for (const f of readdirSync(path.join(OSV_DIR, eco.name))) {
      if (!f.endsWith('.json')) continue;
      const rec = JSON.parse(readFileSync(path.join(OSV_DIR, eco.name, f), 'utf8')) as OsvRecord;
      out.set(rec.id, rec);
    }
  }
  return out;
}

export const FIXED_METADATA: DbMetadata = {
  schemaVersion: 1,
  builtAt: '2026-11-01T00:00:00.000Z',
  sources: [{ name: 'osv', url: 'file:///fixtures/osv', records: 26, fetchedAt: '2026-11-01T00:00:00.000Z' }],
};

/**
 * A small VulnDb over plain records: same contract as the SQLite store (lookup by the affected
 * entry's exact ecosystem string and the normalised name). Withdrawn records are kept on purpose
 * so the matcher's own withdrawn check is exercised too.
 */
export function memoryDb(
  records: Iterable<OsvRecord>,
  extra: { kev?: KevEntry[]; epss?: EpssEntry[] } = {},
): VulnDb & { lookups: string[] } {
  const all = [...records];
  const index = new Map<string, OsvRecord[]>();
  const ecos = new Set<string>();
  const key = (eco: string, name: string) => `${eco}\0${normalizePackageName(ecosystemBase(eco), name)}`;
  for (const r of all) {
    const seen = new Set<string>();
    for (const a of r.affected ?? []) {
      if (!a.package) continue;
      ecos.add(a.package.ecosystem);
      const k = key(a.package.ecosystem, a.package.name);
      if (seen.has(k)) continue;
      seen.add(k);
      index.set(k, [...(index.get(k) ?? []), r]);
    }
  }
  const lookups: string[] = [];
  return {
    lookups,
    lookup(ecosystem, name) {
      lookups.push(`${ecosystem}/${name}`);
      return index.get(key(ecosystem, name)) ?? [];
    },
    ecosystems: () => [...ecos].sort(),
    kev: (cves) => extra.kev?.find((k) => cves.includes(k.cveID)),
    epss: (cves) => extra.epss?.find((e) => cves.includes(e.cve)),
    metadata: () => FIXED_METADATA,
    close() {},
    related(ids) {
      const wanted = new Set(ids);
      return all.filter((r) => [r.id, ...(r.aliases ?? [])].some((x) => wanted.has(x)));
    },
  };
}

export function pkg(p: Partial<Package> & Pick<Package, 'name' | 'version' | 'ecosystem'>): Package {
  return {
    type: 'lang',
    purl: `pkg:generic/${encodeURIComponent(p.name)}@${encodeURIComponent(p.version)}`,
    location: 'app/manifest',
    ...p,
  };
}

export function inventory(packages: Package[], os?: OsInfo): Inventory {
  return {
    target: { kind: 'rootfs', name: 'fixture-rootfs' },
    ...(os ? { os } : {}),
    packages,
    warnings: [],
  };
}
