export { buildScanReport, type BuildReportInput } from './build.js';
export {
  jsonFinding,
  renderJson,
  severityCounts,
  toJsonReport,
  type JsonFinding,
  type JsonReport,
} from './json.js';
export {
  renderSarif,
  sarifLevel,
  toSarif,
  type SarifInput,
  type SarifLevel,
  type SarifResultInput,
  type SarifRuleInput,
} from './sarif.js';
export { exploitProbability, renderHtml } from './html.js';
export { REPORT_FORMATS, renderReport, type ReportFormat } from './render.js';
export { renderTable, type TableOptions } from './table.js';
export { REPORT_SCHEMA_VERSION, type ReportWarning, type ScanReport, type SecretFinding } from './types.js';
