import { BulwarkError } from '../core/errors.js';
import { renderHtml } from './html.js';
import { renderJson } from './json.js';
import { renderSarif } from './sarif.js';
import { renderTable, type TableOptions } from './table.js';
import type { ScanReport } from './types.js';

/** The report formats `--format` accepts for vulnerability scans. */
export const REPORT_FORMATS = ['table', 'json', 'sarif', 'cyclonedx', 'html'] as const;
export type ReportFormat = (typeof REPORT_FORMATS)[number];

/**
 * Renders one scan in the named format; table output takes colour options. The CycloneDX writer
 * is loaded on first use (its library costs about 150 ms of CPU to load, which every scan paid).
 */
export async function renderReport(
  format: string,
  report: ScanReport,
  opts: TableOptions = {},
): Promise<string> {
  switch (format) {
    case 'table':
      return renderTable(report, opts);
    case 'json':
      return renderJson(report);
    case 'sarif':
      return renderSarif(report);
    case 'html':
      return renderHtml(report);
    case 'cyclonedx':
      return (await import('./cyclonedx.js')).renderCycloneDx(report);
    default:
      throw new BulwarkError('USAGE', `unknown report format ${JSON.stringify(format)}`, { input: format });
  }
}
