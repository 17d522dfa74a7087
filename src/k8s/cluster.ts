/**
 * `bulwark k8s`: a cluster read through its API, checked by the engines the file commands use.
 * Each namespace's workloads become one JSON `List` document named `namespaces/<ns>` and go
 * through the same Kubernetes loader as manifests (bounds, positions), then the kubernetes rule
 * family (Pod Security + hardening), the netpol engine over the whole cluster (policies of one
 * namespace admit traffic from another), image facts (scans or reports, one per image digest or
 * reference) and the one policy evaluator. Nothing here reads flags or the environment.
 */
import { checkText, compareFindings, loadFamilies, type CheckFinding } from '../checks/index.js';
import { parseKubernetesFile } from '../checks/kubernetes/parse.js';
import type { K8sObject } from '../checks/kubernetes/types.js';
import { toBulwarkError, type ErrorCode } from '../core/errors.js';
import { countBySeverity, type Severity } from '../core/types.js';
import { analyze, buildModel, netpolFindings } from '../netpol/index.js';
import {
  evaluatePolicy,
  FactsIndex,
  factsFromReport,
  reportNames,
  subjectFromObject,
  type LoadedPolicy,
  type PolicyDecision,
  type SignatureFact,
} from '../policy/index.js';
import type { KubeConnection } from './connect.js';
import { readCluster, type KubeObject, type ReadIssue, type ReadOptions } from './read.js';
import { imageKey, runningDigests, selectWorkloads } from './workloads.js';

export interface ClusterCheckOptions extends ReadOptions {
  policy?: LoadedPolicy;
  now?: Date;
  /** scans one image, answering a bulwark JSON scan report (kind `scan`); absent: images are not scanned */
  scanImage?: (ref: string) => Promise<Record<string, unknown>>;
  /** facts known ahead (`--images-from` reports): such images are not scanned */
  facts?: FactsIndex;
  /** checks an image's signatures when the policy requires them */
  verifySignatures?: (image: string, warn: (m: string) => void) => Promise<SignatureFact | undefined>;
}

export interface WorkloadResult {
  kind: string;
  name: string;
  images: string[];
}

export interface NamespaceResult {
  name: string;
  /** why the namespace was not checked */
  error?: ReadIssue;
  warnings: string[];
  workloads: WorkloadResult[];
  /** objects skipped because their listed controller stands for them (ReplicaSets of Deployments, ...) */
  ownedSkipped: number;
  /** Pod Security and hardening findings (rule family kubernetes) */
  findings: CheckFinding[];
  /** NetworkPolicy findings (rule family netpol) */
  netpol: CheckFinding[];
  /** one per workload, when a policy is evaluated */
  decisions: PolicyDecision[];
}

export interface ImageResult {
  /** what the image is scanned as: `repo@digest` when known, else the canonical reference */
  key: string;
  /** the references workloads name it by */
  references: string[];
  namespaces: string[];
  /** `scan` (scanned now), `report` (from --images-from), `none` (not scanned) */
  source: 'scan' | 'report' | 'none';
  digest?: string;
  vulnerabilities?: Record<Severity, number>;
  error?: { code: ErrorCode; message: string };
}

export interface ClusterCheckResult {
  cluster: { context: string; server: string };
  policy?: { name: string; mode: 'enforce' | 'audit' };
  namespaces: NamespaceResult[];
  images: ImageResult[];
  warnings: string[];
  /** API requests made */
  requests: number;
}

/** The fields that only make the document larger (server bookkeeping), dropped before checking. */
function trimmed(o: KubeObject): KubeObject {
  const { managedFields: _m, ...metadata } = o.metadata;
  return { ...o, metadata: metadata as KubeObject['metadata'] };
}

export const namespaceFile = (ns: string) => `namespaces/${ns}`;

function listText(items: readonly KubeObject[]): string {
  return `${JSON.stringify({ apiVersion: 'v1', kind: 'List', items }, null, 1)}\n`;
}

const byName = (a: { kind: string; name: string }, b: { kind: string; name: string }) =>
  a.kind < b.kind ? -1 : a.kind > b.kind ? 1 : a.name < b.name ? -1 : a.name > b.name ? 1 : 0;

export async function checkCluster(
  conn: KubeConnection,
  opts: ClusterCheckOptions = {},
): Promise<ClusterCheckResult> {
  const read = await readCluster(conn, opts);
  const [kubernetes] = await loadFamilies(['kubernetes']);
  const results: NamespaceResult[] = [];
  const parsedByNs = new Map<string, K8sObject[]>();
  const netpolObjects: K8sObject[] = [];
  const allObjects: KubeObject[] = [];

  // Namespace objects: NetworkPolicies select namespaces by their labels
  const nsObjects = read.namespaces.flatMap((n) => (n.object ? [trimmed(n.object)] : []));
  if (nsObjects.length) netpolObjects.push(...parseKubernetesFile(listText(nsObjects), 'namespaces').objects);

  for (const ns of read.namespaces) {
    const r: NamespaceResult = {
      name: ns.name,
      warnings: [...ns.warnings],
      workloads: [],
      ownedSkipped: 0,
      findings: [],
      netpol: [],
      decisions: [],
      ...(ns.error ? { error: ns.error } : {}),
    };
    results.push(r);
    if (ns.error) continue;
    allObjects.push(...ns.objects);
    const { workloads, owned } = selectWorkloads(ns.objects);
    r.ownedSkipped = owned;
    const policies = ns.objects.filter((o) => o.kind === 'NetworkPolicy');
    const reach = ns.objects.filter((o) => o.kind === 'Service' || o.kind === 'Ingress');
    const file = namespaceFile(ns.name);
    // Services and Ingresses: exposure paths for the netpol engine, and their own rules (service-exposed, ingress-without-tls)
    const text = listText([...workloads, ...policies, ...reach].map(trimmed));
    const parsed = parseKubernetesFile(text, file, { maxBytes: 256 * 1024 * 1024 });
    for (const e of parsed.errors) r.warnings.push(`${e.code}: ${e.message}`);
    parsedByNs.set(ns.name, parsed.objects);
    netpolObjects.push(...parsed.objects);
    const checked = checkText(text, file, kubernetes!);
    r.findings = checked.findings.sort(compareFindings);
    for (const w of checked.warnings) r.warnings.push(w.message);
  }

  // NetworkPolicies over the whole cluster, findings filed under their namespace's document
  const model = buildModel(netpolObjects);
  const analysis = analyze(model);
  const files = results.filter((r) => !r.error).map((r) => namespaceFile(r.name));
  const np = await netpolFindings(analysis, files);
  const warnings = [...read.warnings];
  for (const w of [...model.warnings, ...model.errors]) warnings.push(`netpol: ${w.file}: ${w.message}`);
  for (const r of results) r.netpol = np.findings.filter((f) => f.file === namespaceFile(r.name));

  // images: one fact per digest (or reference), each used by every workload that names it
  const running = runningDigests(allObjects);
  const images = new Map<string, ImageResult>();
  const subjects: { ns: NamespaceResult; subject: ReturnType<typeof subjectFromObject> }[] = [];
  for (const r of results) {
    for (const obj of parsedByNs.get(r.name) ?? []) {
      if (obj.kind === 'NetworkPolicy') continue;
      const subject = subjectFromObject(obj.object, { origin: obj.file, line: obj.positionOf([]).line });
      if (!subject) continue;
      subjects.push({ ns: r, subject });
      const refs = [...new Set(subject.containers.map((c) => c.image).filter(Boolean))];
      r.workloads.push({ kind: obj.kind, name: obj.name, images: refs });
      for (const ref of refs) {
        const key = imageKey(ref, running);
        const img = images.get(key) ?? { key, references: [], namespaces: [], source: 'none' as const };
        if (!img.references.includes(ref)) img.references.push(ref);
        if (!img.namespaces.includes(r.name)) img.namespaces.push(r.name);
        images.set(key, img);
      }
    }
    r.workloads.sort(byName);
  }

  const index = new FactsIndex();
  for (const img of [...images.values()].sort((a, b) => (a.key < b.key ? -1 : 1))) {
    img.references.sort();
    img.namespaces.sort();
    const known = opts.facts && [img.key, ...img.references].map((n) => opts.facts!.get(n)).find(Boolean);
    let facts = known;
    if (known) img.source = 'report';
    else if (opts.scanImage) {
      try {
        const report = await opts.scanImage(img.key);
        facts = factsFromReport(report, img.key);
        index.add(facts, reportNames(report));
        img.source = 'scan';
      } catch (e) {
        const err = toBulwarkError(e, 'REGISTRY_UNAVAILABLE', img.key);
        img.error = { code: err.code, message: err.message };
      }
    }
    if (facts) {
      index.add(facts, [img.key, ...img.references]);
      if (facts.digest) img.digest = facts.digest;
      if (facts.vulnerabilities) img.vulnerabilities = countBySeverity(facts.vulnerabilities);
    } else if (img.key.includes('@')) img.digest = img.key.slice(img.key.indexOf('@') + 1);
  }

  if (opts.policy) {
    const policy = opts.policy.policy;
    if (opts.verifySignatures && policy.spec.signatures) {
      for (const img of images.values()) {
        const fact = await opts.verifySignatures(img.key, (m) => warnings.push(m));
        if (!fact) continue;
        const known = index.get(img.key);
        if (known) known.signature = fact;
        else index.add({ reference: img.key, signature: fact, source: 'registry' }, img.references);
      }
    }
    for (const { ns, subject } of subjects)
      ns.decisions.push(
        evaluatePolicy(policy, subject!, (image) => index.get(image), opts.now ? { now: opts.now } : {}),
      );
    for (const r of results) r.decisions.sort((a, b) => byName(a.subject, b.subject));
  }

  return {
    cluster: { context: conn.context, server: conn.server },
    ...(opts.policy
      ? { policy: { name: opts.policy.policy.metadata.name, mode: opts.policy.policy.spec.mode } }
      : {}),
    namespaces: results,
    images: [...images.values()].sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0)),
    warnings,
    requests: read.requests,
  };
}

/** Facts from bulwark scan reports (`--images-from`), keyed as `policy check` keys them. */
export function factsFromReports(
  reports: readonly { report: Record<string, unknown>; source: string }[],
): FactsIndex {
  const index = new FactsIndex();
  for (const { report, source } of reports) index.add(factsFromReport(report, source), reportNames(report));
  return index;
}
