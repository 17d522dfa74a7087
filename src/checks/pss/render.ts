import Table from 'cli-table3';
import { reportEnvelope } from '../../core/report-envelope.js';
import type { PssScanResult } from './scan.js';

/** `bulwark pss --format json`: the family's envelope, then one entry per object. */
export function renderPssJson(result: PssScanResult, toolVersion: string): string {
  const list = result.objects.map((o) => ({
    file: o.file,
    kind: o.kind,
    name: o.name,
    namespace: o.namespace ?? null,
    line: o.line,
    level: result.level,
    version: result.version,
    allowed: o.allowed,
    violations: o.violations.map((v) => ({
      control: v.control,
      reason: v.reason,
      detail: v.detail,
      ...(v.field ? { field: v.field } : {}),
      ...(v.line ? { line: v.line } : {}),
    })),
  }));
  const doc = {
    ...reportEnvelope('pss', toolVersion),
    level: result.level,
    version: result.version,
    summary: {
      objects: list.length,
      allowed: list.filter((o) => o.allowed).length,
      denied: list.filter((o) => !o.allowed).length,
    },
    objects: list,
    errors: result.errors,
  };
  return `${JSON.stringify(doc, null, 2)}\n`;
}

export function renderPssTable(result: PssScanResult): string {
  if (result.objects.length === 0)
    return `No workloads found (Pod Security Standards ${result.level} ${result.version}).\n`;
  const table = new Table({
    head: ['File', 'Object', 'Namespace', 'Verdict', 'Violated controls'],
    style: { head: [], border: [] },
    // only the last column wraps; the others size to their content
    colWidths: [null, null, null, null, 72] as unknown as number[],
    wordWrap: true,
  });
  for (const o of result.objects)
    table.push([
      `${o.file}:${o.line}`,
      `${o.kind}/${o.name}`,
      o.namespace ?? '-',
      o.allowed ? 'allowed' : 'DENIED',
      o.violations.map((v) => `${v.control}: ${v.reason}${v.detail ? ` (${v.detail})` : ''}`).join('\n'),
    ]);
  const denied = result.objects.filter((o) => !o.allowed).length;
  return `Pod Security Standards ${result.level} ${result.version}\n${table.toString()}\n${result.objects.length} objects, ${denied} denied\n`;
}
