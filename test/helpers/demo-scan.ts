import { collectingProgress } from '../../src/core/progress.js';
import type { ScanReport } from '../../src/report/index.js';
import type { Scanner } from '../../src/scan/misconfig.js';
import { demoImagePath, ensureDemoDatabase, scanImage } from '../../src/scan/index.js';

/** A real scan of the bundled demo image against its database, at a fixed time, no layer cache. */
export async function scanDemoImage(cacheDir: string, scanners?: Scanner[]): Promise<ScanReport> {
  const dbPath = await ensureDemoDatabase(cacheDir, collectingProgress());
  return scanImage({
    inputPath: demoImagePath(),
    cacheDir,
    dbPath,
    useLayerCache: false,
    toolVersion: '0.1.0',
    now: new Date('2026-11-22T12:00:00Z'),
    maxDbAgeDays: 100000,
    ...(scanners ? { scanners } : {}),
  });
}
