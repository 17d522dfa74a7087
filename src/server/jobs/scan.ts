/**
 * A scan by reference: the server pulls the image with the CLI's registry and image code (the
 * credentials of its host from the sealed store), scans it with the one pipeline `bulwark image`
 * uses (src/scan's scanImage), and stores the report through store/ingest.ts like an upload.
 */
import { BulwarkError } from '../../core/errors.js';
import type { SecretBox } from '../crypto/sealed.js';
import type { Job } from '../queue/index.js';
import { ingestReport } from '../store/ingest.js';
import type { Store } from '../store/open.js';
import { storedCredentials } from '../store/registries.js';

export interface ScanJobData {
  reference: string;
  /** user id of who asked (the scan's uploader), or null for a schedule */
  requestedBy?: number | null;
  /** the schedule that queued it */
  scheduleId?: number;
}

export interface ScanJobOutput {
  imageId: number;
  scanId: number;
  duplicate: boolean;
  findings: number;
}

export interface ScanContext {
  store: Store;
  vulnDbPath?: string;
  /** the layer cache and temporary files of pulls */
  cacheDir: string;
  secretBox?: SecretBox;
  toolVersion: string;
  clock?: () => Date;
}

export async function runScanJob(ctx: ScanContext, job: Job<ScanJobData>): Promise<ScanJobOutput> {
  if (!ctx.vulnDbPath)
    throw new BulwarkError('DATABASE', 'this process has no vulnerability database (--db)');
  const [{ scanImage }, { toJsonReport }] = await Promise.all([
    import('../../scan/index.js'),
    import('../../report/index.js'),
  ]);
  const now = ctx.clock?.() ?? new Date();
  const report = await scanImage({
    ref: job.data.reference,
    // a server has no Docker daemon to ask: the registry only
    useDaemon: false,
    registry: { credentials: storedCredentials(ctx.store, ctx.secretBox) },
    cacheDir: ctx.cacheDir,
    dbPath: ctx.vulnDbPath,
    toolVersion: ctx.toolVersion,
    scanners: ['vuln', 'misconfig'],
    now,
  });
  const r = await ingestReport(ctx.store, toJsonReport(report), {
    uploadedBy: job.data.requestedBy ?? null,
    now,
  });
  return { imageId: r.imageId, scanId: r.scanId, duplicate: r.duplicate, findings: r.findings };
}
