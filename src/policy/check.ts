/**
 * `bulwark policy check`: reads bulwark scan reports and Kubernetes manifests, builds subjects
 * (each workload; each report's image when no manifest names it) and facts (reports; signatures
 * through the registry when the policy requires them), and evaluates every subject with the one
 * evaluator. A file that cannot be read or parsed is reported and the others are still checked.
 */
import { readFile, stat } from 'node:fs/promises';
import { collectManifestPaths, displayPath } from '../checks/kubernetes/files.js';
import { decodeManifest, parseKubernetesFile } from '../checks/kubernetes/parse.js';
import { BulwarkError, toBulwarkError, type ErrorCode } from '../core/errors.js';
import { evaluatePolicy, type PolicyDecision } from './evaluate.js';
import { FactsIndex, factsFromReport, reportNames, type SignatureFact } from './facts.js';
import type { LoadedPolicy } from './load.js';
import { subjectFromImage, subjectFromObject, type PolicySubject } from './subject.js';

export interface PolicyInputError {
  file: string;
  code: ErrorCode;
  message: string;
}

export interface PolicyCheckResult {
  policy: string;
  mode: 'enforce' | 'audit';
  files: string[];
  decisions: PolicyDecision[];
  errors: PolicyInputError[];
  /** warnings not tied to one subject (signature checks that could not run) */
  warnings: string[];
}

export interface PolicyCheckOptions {
  /** paths in results are shown relative to this directory when under it */
  baseDir?: string;
  now?: Date;
  /** checks an image's signatures; absent = signatures unknown (missingFacts decides) */
  verifySignatures?: (image: string, warn: (m: string) => void) => Promise<SignatureFact | undefined>;
  /** largest report or manifest read, bytes (default 64 MiB; manifests are bounded at 8 MiB by the parser) */
  maxFileBytes?: number;
}

function isScanReport(v: unknown): v is Record<string, unknown> {
  return (
    v !== null &&
    typeof v === 'object' &&
    !Array.isArray(v) &&
    (v as Record<string, unknown>).kind === 'scan' &&
    typeof (v as Record<string, unknown>).target === 'object'
  );
}

export async function checkPolicyPaths(
  paths: readonly string[],
  loaded: LoadedPolicy,
  opts: PolicyCheckOptions = {},
): Promise<PolicyCheckResult> {
  const maxFileBytes = opts.maxFileBytes ?? 64 * 1024 * 1024;
  const show = (f: string) => displayPath(opts.baseDir, f);
  const { files, missing } = await collectManifestPaths(paths);
  const errors: PolicyInputError[] = [...missing];
  const index = new FactsIndex();
  const reportSubjects: PolicySubject[] = [];
  const workloads: PolicySubject[] = [];
  for (const f of files) {
    const file = show(f);
    try {
      const st = await stat(f);
      if (st.size > maxFileBytes)
        throw new BulwarkError('LIMIT_EXCEEDED', `file larger than ${maxFileBytes} bytes`, { input: file });
      const text = decodeManifest(await readFile(f), file);
      if (/\.json$/i.test(f)) {
        let doc: unknown;
        try {
          doc = JSON.parse(text);
        } catch {
          doc = undefined; // a JSON manifest the YAML parser reports precisely
        }
        if (isScanReport(doc)) {
          const facts = factsFromReport(doc, file);
          index.add(facts, reportNames(doc));
          reportSubjects.push(subjectFromImage(facts.reference, file));
          continue;
        }
      }
      const parsed = parseKubernetesFile(text, file);
      for (const e of parsed.errors)
        errors.push({
          file,
          code: e.code,
          message: `document ${e.document + 1}${e.line ? ` line ${e.line}` : ''}: ${e.message}`,
        });
      for (const obj of parsed.objects) {
        const s = subjectFromObject(obj.object, {
          origin: file,
          line: obj.positionOf([]).line,
        });
        if (s) workloads.push(s);
      }
    } catch (e) {
      const err = toBulwarkError(e, 'MALFORMED_INPUT', file);
      errors.push({ file, code: err.code, message: err.message });
    }
  }

  // reports stand for themselves only when no workload runs their image
  const ranByWorkload = new Set<string>();
  for (const w of workloads)
    for (const c of w.containers) if (index.get(c.image)) ranByWorkload.add(index.get(c.image)!.reference);
  const subjects = [...workloads, ...reportSubjects.filter((s) => !ranByWorkload.has(s.name))];

  const warnings: string[] = [];
  if (opts.verifySignatures && loaded.policy.spec.signatures) {
    const images = new Set(subjects.flatMap((s) => s.containers.map((c) => c.image)).filter(Boolean));
    for (const image of images) {
      const fact = await opts.verifySignatures(image, (m) => warnings.push(m));
      if (!fact) continue;
      const known = index.get(image);
      if (known) known.signature = fact;
      else index.add({ reference: image, signature: fact, source: 'registry' });
    }
  }

  const decisions = subjects.map((s) =>
    evaluatePolicy(loaded.policy, s, (image) => index.get(image), opts.now ? { now: opts.now } : {}),
  );
  return {
    policy: loaded.policy.metadata.name,
    mode: loaded.policy.spec.mode,
    files: files.map(show),
    decisions,
    errors,
    warnings,
  };
}
