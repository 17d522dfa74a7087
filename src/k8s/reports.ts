/**
 * `--images-from`: bulwark JSON scan reports made ahead of time (CI, a scheduled job), so a
 * cluster audit need not pull every image. Files or folders (`*.json`, not recursing into
 * subfolders); a file that is not a scan report is an error for that file only.
 */
import { readdir, readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import { BulwarkError, toBulwarkError, type ErrorCode } from '../core/errors.js';

export interface ImageReportsRead {
  reports: { report: Record<string, unknown>; source: string }[];
  errors: { file: string; code: ErrorCode; message: string }[];
}

const MAX_REPORT_BYTES = 64 * 1024 * 1024;

export async function readImageReports(paths: readonly string[]): Promise<ImageReportsRead> {
  const out: ImageReportsRead = { reports: [], errors: [] };
  const files: string[] = [];
  for (const p of paths) {
    try {
      const st = await stat(p);
      if (st.isDirectory())
        for (const n of (await readdir(p)).sort()) {
          if (n.endsWith('.json')) files.push(path.join(p, n));
        }
      else files.push(p);
    } catch {
      out.errors.push({ file: p, code: 'INPUT_NOT_FOUND', message: 'no such file or folder' });
    }
  }
  for (const f of files) {
    try {
      const st = await stat(f);
      if (st.size > MAX_REPORT_BYTES)
        throw new BulwarkError('LIMIT_EXCEEDED', `report larger than ${MAX_REPORT_BYTES} bytes`, {
          input: f,
        });
      let doc: unknown;
      try {
        doc = JSON.parse(await readFile(f, 'utf8'));
      } catch (e) {
        throw new BulwarkError('MALFORMED_INPUT', `not JSON: ${(e as Error).message}`, { input: f });
      }
      const r = doc as Record<string, unknown>;
      if (!r || typeof r !== 'object' || r.kind !== 'scan' || typeof r.target !== 'object')
        throw new BulwarkError('MALFORMED_INPUT', 'not a bulwark scan report (kind "scan")', { input: f });
      out.reports.push({ report: r, source: f });
    } catch (e) {
      const err = toBulwarkError(e, 'MALFORMED_INPUT', f);
      out.errors.push({ file: f, code: err.code, message: err.message });
    }
  }
  return out;
}
