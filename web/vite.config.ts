// The dashboard build: static files in dist/dashboard that `bulwark server` serves at `/`.
// Everything is bundled (no CDN, no web fonts), so the dashboard works offline behind the
// server's CSP, which allows only its own origin.
import path from 'node:path';
import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

export default defineConfig({
  root: import.meta.dirname,
  base: '/',
  plugins: [react()],
  build: {
    outDir: path.resolve(import.meta.dirname, '..', 'dist', 'dashboard'),
    emptyOutDir: true,
    target: 'es2022',
    // the polyfill is for browsers without modulepreload; a dashboard user has a current one
    modulePreload: { polyfill: false },
    assetsInlineLimit: 0,
    sourcemap: false,
    reportCompressedSize: true,
    // recharts is its own lazily loaded chunk (about 420 kB, 120 kB gzipped)
    chunkSizeWarningLimit: 450,
  },
});
