#!/usr/bin/env node
// Entry point. `npm ci` builds dist/ (tsc) and dist/bundle/ (esbuild) through the prepare script;
// the bundle is what runs when it is there: one module graph instead of ~490 files to resolve and
// compile before a scan starts.
import { existsSync } from 'node:fs';

const bundle = new URL('../dist/bundle/cli.mjs', import.meta.url);
const { main } = await import(existsSync(bundle) ? bundle.href : '../dist/cli/main.js');

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (e) => {
    process.stderr.write(`error[INTERNAL] ${e && e.message ? e.message : String(e)}\n`);
    process.exitCode = 70;
  },
);
