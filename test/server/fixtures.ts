import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { toJsonReport, type JsonReport } from '../../src/report/index.js';
import { collectingProgress } from '../../src/core/progress.js';
import { ensureDemoDatabase } from '../../src/scan/index.js';
import { scanDemoImage } from '../helpers/demo-scan.js';

let cached: JsonReport | undefined;
let cacheDir: string | undefined;

/** A real `bulwark image` report of the bundled demo image (made once per test process). */
export async function demoReport(): Promise<JsonReport> {
  if (!cached) {
    cacheDir = mkdtempSync(path.join(os.tmpdir(), 'bulwark-srv-demo-'));
    cached = toJsonReport(await scanDemoImage(cacheDir));
  }
  return structuredClone(cached);
}

/** The same image scanned later with the findings of `drop` packages gone (as if upgraded). */
export function laterScan(
  r: JsonReport,
  at: string,
  drop: (f: JsonReport['findings'][number]) => boolean,
): JsonReport {
  const out = structuredClone(r);
  out.createdAt = at;
  out.findings = out.findings.filter((f) => !drop(f));
  out.summary.findings = out.findings.length;
  return out;
}

/** The demo report as another image (another tag) built on the same layers. */
export function asImage(r: JsonReport, tag: string): JsonReport {
  const out = structuredClone(r);
  out.target.repoTags = [tag];
  return out;
}

/** The demo vulnerability database the demo report was matched against. */
export async function demoDbPath(): Promise<string> {
  await demoReport();
  return ensureDemoDatabase(cacheDir!, collectingProgress());
}
