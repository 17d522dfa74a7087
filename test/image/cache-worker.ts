// Child process for the concurrent-cache test: scans an OCI layout with a shared cache dir.
import { openOciLayout, scanImageInventory } from '../../src/image/index.js';
import { testAnalyzers, testOsEcosystem } from './helpers.js';

const [layout, cacheDir] = process.argv.slice(2) as [string, string];
const source = await openOciLayout(layout);
const inv = await scanImageInventory(source, {
  analyzers: testAnalyzers,
  cacheDir,
  osEcosystem: testOsEcosystem,
});
await source.close();
process.stdout.write(JSON.stringify(inv.packages.map((p) => `${p.name}@${p.version}#${p.layer?.index}`)));
