import type { Inventory } from '../../../../core/types.js';
import type { ImageConfigInput } from './input.js';

/** The rule input for a scanned image or root filesystem. */
export function buildImageConfigInput(inventory: Inventory, reference?: string): ImageConfigInput {
  const t = inventory.target;
  return {
    name: t.name,
    ...(reference ? { reference } : {}),
    kind: t.kind === 'image' ? 'image' : 'rootfs',
    ...(t.config ? { config: t.config } : {}),
    layers: t.layers ?? [],
    packages: inventory.packages
      .filter((p) => p.type === 'os')
      .map((p) => ({ name: p.name, version: p.version, ...(p.layer ? { layer: p.layer } : {}) })),
    facts: (inventory.facts ?? []).filter((f) => f.analyzer === 'image-hygiene'),
  };
}
