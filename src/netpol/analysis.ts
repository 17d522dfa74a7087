import { Engine } from './engine.js';
import { exposures, type ExposurePath } from './exposure.js';
import type { Model, Namespace, Policy, Source, Workload } from './model.js';

/**
 * What the netpol rules look at: the whole cluster (policies in one file select pods of another),
 * cut into one rule input per workload, namespace and policy, each carrying the shared analysis.
 */
export interface Analysis {
  model: Model;
  engine: Engine;
  exposures: Map<string, ExposurePath[]>;
}

export type NetpolSubject =
  | { kind: 'workload'; workload: Workload; index: number }
  | { kind: 'namespace'; namespace: Namespace; workloads: Workload[] }
  | { kind: 'policy'; policy: Policy };

export interface NetpolInput {
  subject: NetpolSubject;
  analysis: Analysis;
  /** where findings about the subject point */
  source: Source;
}

export function analyze(model: Model): Analysis {
  const engine = new Engine(model);
  return { model, engine, exposures: exposures(engine) };
}

/** One input per subject, with the file its findings belong to. */
export function netpolInputs(a: Analysis): NetpolInput[] {
  const out: NetpolInput[] = [];
  a.model.workloads.forEach((w, index) =>
    out.push({ subject: { kind: 'workload', workload: w, index }, analysis: a, source: w.source }),
  );
  for (const ns of a.model.namespaces.values()) {
    const workloads = a.model.workloads.filter((w) => w.namespace === ns.name);
    if (workloads.length === 0) continue;
    out.push({
      subject: { kind: 'namespace', namespace: ns, workloads },
      analysis: a,
      source: ns.source ?? workloads[0]!.source,
    });
  }
  for (const p of a.model.policies)
    out.push({ subject: { kind: 'policy', policy: p }, analysis: a, source: p.source });
  return out;
}

/** `Deployment/web (namespace shop)` */
export function objectLabel(s: Source, namespace?: string): string {
  return `${s.kind}/${s.name}${namespace ? ` (namespace ${namespace})` : ''}`;
}
