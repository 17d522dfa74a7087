import type { LayerInfo } from '../../../core/types.js';
import { defineRule } from '../../define-rule.js';
import type { ImageConfigInput } from './support/input.js';

function human(bytes: number): string {
  if (bytes >= 1024 * 1024) return `${(bytes / (1024 * 1024)).toFixed(1)} MiB`;
  if (bytes >= 1024) return `${(bytes / 1024).toFixed(1)} KiB`;
  return `${bytes} B`;
}

export default defineRule({
  meta: {
    id: 'image-config/package-cache',
    aliases: ['DKL-DI-0005', 'DKL-DI-0004'],
    title: 'Package manager cache left in the image',
    severity: 'LOW',
    category: 'image-hygiene',
    references: [
      'https://github.com/goodwithtech/dockle/blob/master/CHECKPOINT.md',
      'https://docs.docker.com/build/building/best-practices/#apt-get',
    ],
    remediation:
      'Clean the cache in the same RUN that fills it (`rm -rf /var/lib/apt/lists/*`, `apk add --no-cache`, `pip install --no-cache-dir`, `npm cache clean --force`, `yum clean all`) or use a BuildKit cache mount.',
    appliesTo: ['image-config'],
    messages: { cache: '{{manager}} left {{size}} in {{cache}} ({{files}} files)' },
  },
  check(input: ImageConfigInput) {
    const dirs = new Map<
      string,
      {
        manager: string;
        files: number;
        bytes: number;
        byLayer: Map<number, number>;
        layers: Map<number, LayerInfo>;
      }
    >();
    for (const f of input.facts) {
      if (f.kind !== 'package-cache') continue;
      const cache = String(f.data.cache ?? '');
      const size = typeof f.data.size === 'number' ? f.data.size : 0;
      let d = dirs.get(cache);
      if (!d)
        dirs.set(
          cache,
          (d = {
            manager: String(f.data.manager ?? ''),
            files: 0,
            bytes: 0,
            byLayer: new Map(),
            layers: new Map(),
          }),
        );
      d.files++;
      d.bytes += size;
      if (f.layer) {
        d.byLayer.set(f.layer.index, (d.byLayer.get(f.layer.index) ?? 0) + size + 1);
        d.layers.set(f.layer.index, f.layer);
      }
    }
    const out = [];
    for (const [cache, d] of [...dirs].sort((a, b) => (a[0] < b[0] ? -1 : 1))) {
      // the layer that left most of the cache is the RUN to fix
      const top = [...d.byLayer].sort((a, b) => b[1] - a[1] || a[0] - b[0])[0];
      const layer = top ? d.layers.get(top[0]) : undefined;
      out.push({
        messageId: 'cache' as const,
        data: { cache, files: d.files, size: human(d.bytes), manager: d.manager },
        line: 0,
        column: 0,
        object: cache,
        ...(layer ? { layer } : {}),
      });
    }
    return out;
  },
});
