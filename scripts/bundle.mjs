#!/usr/bin/env node
// Bundles the CLI into dist/bundle/ with esbuild (run by `npm run build` after tsc). A scan used to
// open about 490 module files (zod alone 95, yaml 72) before doing any work: resolving, reading and
// compiling them was most of a warm rescan. One entry plus a chunk per lazily loaded command keeps
// `bulwark version compare` from loading the layer walker, as before. Native addons stay outside
// the bundle and are loaded from node_modules as usual. bin/bulwark.js runs the bundle when it is
// there and dist/cli/main.js otherwise.
import { build } from 'esbuild';
import { rmSync } from 'node:fs';
import path from 'node:path';

const ROOT = path.resolve(import.meta.dirname, '..');
// `node scripts/bundle.mjs [outdir]` (the tests bundle into a temporary folder)
const out = path.resolve(process.argv[2] ?? path.join(ROOT, 'dist', 'bundle'));
rmSync(out, { recursive: true, force: true });
await build({
  entryPoints: { cli: path.join(ROOT, 'src', 'cli', 'main.ts') },
  outdir: out,
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  outExtension: { '.js': '.mjs' },
  // native addons stay in node_modules;
  // the CycloneDX library is loaded on first use anyway, and it probes optional XML plug-ins by name
  external: ['better-sqlite3', 'zstd-napi', '@cyclonedx/cyclonedx-library'],
  // CommonJS dependencies inside an ES module bundle still call require() for Node's built-ins
  banner: {
    js: "import { createRequire as __bulwarkCreateRequire } from 'node:module'; const require = __bulwarkCreateRequire(import.meta.url);",
  },
  sourcemap: 'linked',
  legalComments: 'linked',
  logLevel: 'warning',
});
