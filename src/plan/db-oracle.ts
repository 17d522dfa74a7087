/**
 * The exact FixOracle: the matcher itself (src/match) run against the vulnerability database on
 * each group's package at each candidate version, all probes in one inventory so the store
 * answers them in one pass. What it reports at a version is what `bulwark image` would report
 * had the package been at that version.
 */
import type { Inventory, Package } from '../core/types.js';
import { matchInventory } from '../match/index.js';
import type { VulnDb } from '../vulndb/types.js';
import type { FixOracle } from './patch.js';
import type { PlanInput } from './types.js';

const PROBE = 'bulwark-plan-probe:';

export function databaseOracle(db: VulnDb, os: PlanInput['os']): FixOracle {
  return {
    basis: 'database',
    affectedAt(probes) {
      const packages: Package[] = probes.map(({ group, version }, i) => {
        const p = group.packages[0]!;
        return {
          name: p.name,
          version: p.sourceVersion ? p.version : version,
          ecosystem: p.ecosystem,
          type: p.type as Package['type'],
          purl: p.purl,
          location: `${PROBE}${i}`,
          ...(p.sourceName ? { sourceName: p.sourceName } : {}),
          ...(p.sourceVersion ? { sourceVersion: version } : {}),
        };
      });
      const inv: Inventory = {
        target: { kind: 'image', name: 'bulwark plan' },
        ...(os
          ? {
              os: {
                family: os.family,
                name: os.name,
                version: os.version,
                ecosystem: os.ecosystem,
                ...(os.codename ? { codename: os.codename } : {}),
              },
            }
          : {}),
        packages,
        warnings: [],
      };
      const out = probes.map(() => new Set<string>());
      for (const f of matchInventory(inv, db).findings) {
        const i = Number(f.package.location.slice(PROBE.length));
        const set = out[i];
        if (!set) continue;
        set.add(f.id);
        for (const a of f.aliases) set.add(a);
      }
      return out;
    },
  };
}
