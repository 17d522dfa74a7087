/**
 * go.sum modules for go.mod files older than go 1.17. Before 1.17 a go.mod lists only direct
 * requirements; the rest of the build list (`go list -m all`) comes from the go.mod files of the
 * dependencies, whose versions go.sum records. So beside such a go.mod (or one without a `go`
 * line, which means 1.16) the go.sum modules the go.mod does not name join the inventory as
 * indirect; beside a newer go.mod, or with no go.mod at all, go.sum adds nothing.
 *
 * Runs after the merge, on the final view (pure), as `linkManifests` does.
 */
import path from 'node:path/posix';
import type { FileFact, Package } from '../core/types.js';
import { goModListsDirectOnly } from '../ecosystems/go/sum.js';

/** The fact the `go-mod` analyzer emits with the file's `go` line. */
export const GO_MOD_FACT = 'go-mod';

export function mergeGoSums(packages: Package[], facts: FileFact[]): Package[] {
  if (!packages.some((p) => p.metadata?.goSum === true)) return packages;
  const directOnly = new Set<string>();
  for (const f of facts) {
    if (f.kind !== GO_MOD_FACT || f.analyzer !== 'go-mod') continue;
    const v = typeof f.data.goVersion === 'string' ? f.data.goVersion : undefined;
    if (goModListsDirectOnly(v)) directOnly.add(path.dirname(f.path));
  }
  const named = new Set<string>();
  for (const p of packages)
    if (p.ecosystem === 'Go' && path.basename(p.location) === 'go.mod')
      named.add(`${path.dirname(p.location)}\0${p.name}`);
  const out: Package[] = [];
  for (const p of packages) {
    if (p.metadata?.goSum !== true) {
      out.push(p);
      continue;
    }
    const dir = path.dirname(p.location);
    if (!directOnly.has(dir) || named.has(`${dir}\0${p.name}`)) continue;
    const { goSum: _raw, ...metadata } = p.metadata;
    out.push({ ...p, metadata });
  }
  return out;
}
