import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  buildModel,
  connectivity,
  readResources,
  renderCsv,
  renderDot,
  renderJson,
  renderMd,
  renderTxt,
  rows,
} from '../../src/netpol/index.js';

/**
 * netpol-analyzer's own published examples: every case of cases.json (folder + focus flags +
 * format) must give the expected connlist output exactly. Their comparison ignores line breaks,
 * and so does this one.
 */
export const root = path.join(
  path.dirname(fileURLToPath(import.meta.url)),
  '../fixtures/netpol/netpol-analyzer',
);

export interface Case {
  dir: string;
  focusWorkloads: string[];
  focusWorkloadPeers: string[];
  focusDirection: '' | 'ingress' | 'egress';
  focusConn: string;
  format: 'txt' | 'json' | 'csv' | 'md' | 'dot';
  expected: string;
}

export const cases = JSON.parse(readFileSync(path.join(root, 'cases.json'), 'utf8')) as Case[];
export const strip = (s: string) => s.replace(/\r?\n/g, '');

export async function runCase(c: Case): Promise<string> {
  const read = await readResources([path.join(root, 'tests', c.dir)]);
  const model = buildModel(read.objects);
  const result = connectivity(model, {
    workloads: c.focusWorkloads,
    peers: c.focusWorkloadPeers,
    ...(c.focusDirection ? { direction: c.focusDirection } : {}),
  });
  const r = rows(result.connections);
  switch (c.format) {
    case 'json':
      return renderJson(r);
    case 'csv':
      return renderCsv(r);
    case 'md':
      return renderMd(r);
    case 'dot':
      return renderDot(result);
    default:
      return renderTxt(r);
  }
}
