import { readFile, stat } from 'node:fs/promises';
import { BulwarkError, toBulwarkError } from '../../core/errors.js';
import type { ErrorCode } from '../../core/errors.js';
import { collectManifestPaths, displayPath } from '../kubernetes/files.js';
import { decodeManifest, parseKubernetesFile } from '../kubernetes/parse.js';
import { podOf } from '../kubernetes/pod.js';
import { evaluatePod, parsePssVersion } from './evaluate.js';
import { dotted } from './helpers.js';
import type { EvaluateOptions, PssLevel } from './types.js';

export interface PssObjectResult {
  file: string;
  kind: string;
  name: string;
  namespace?: string;
  /** line of the object's first key */
  line: number;
  allowed: boolean;
  violations: { control: string; reason: string; detail: string; field?: string; line?: number }[];
}

export interface PssScanError {
  file: string;
  code: ErrorCode;
  message: string;
}

export interface PssScanResult {
  level: PssLevel;
  /** the policy version evaluated, `v1.N` */
  version: string;
  objects: PssObjectResult[];
  errors: PssScanError[];
}

export interface PssScanOptions extends EvaluateOptions {
  level: PssLevel;
  version?: string;
  /** paths in results are shown relative to this directory */
  baseDir?: string;
  /** larger files are reported as LIMIT_EXCEEDED, not read (default 8 MiB) */
  maxFileBytes?: number;
}

/**
 * Evaluates every workload in the named files and folders (recursively, *.yaml/*.yml/*.json)
 * against a Pod Security Standards level. A file that cannot be read or parsed is reported in
 * `errors`; the others are still checked.
 */
export async function checkPssPaths(
  paths: readonly string[],
  options: PssScanOptions,
): Promise<PssScanResult> {
  const version = `v1.${parsePssVersion(options.version ?? 'latest')}`;
  const maxFileBytes = options.maxFileBytes ?? 8 * 1024 * 1024;
  const show = (f: string) => displayPath(options.baseDir, f);
  const { files, missing } = await collectManifestPaths(paths);
  const errors: PssScanError[] = [...missing];
  const objects: PssObjectResult[] = [];
  for (const f of files) {
    const file = show(f);
    try {
      const st = await stat(f);
      if (st.size > maxFileBytes)
        throw new BulwarkError('LIMIT_EXCEEDED', `file larger than ${maxFileBytes} bytes`, { input: file });
      const text = decodeManifest(await readFile(f), file);
      const parsed = parseKubernetesFile(text, file, { maxBytes: maxFileBytes });
      for (const e of parsed.errors)
        errors.push({
          file,
          code: e.code,
          message: `document ${e.document + 1}${e.line ? ` line ${e.line}` : ''}: ${e.message}`,
        });
      for (const obj of parsed.objects) {
        const pod = podOf(obj);
        if (!pod || !obj.podTemplatePath) continue;
        const r = evaluatePod(pod, options.level, version, options);
        objects.push({
          file,
          kind: obj.kind,
          name: obj.name,
          ...(obj.namespace !== undefined ? { namespace: obj.namespace } : {}),
          line: obj.positionOf([]).line,
          allowed: r.allowed,
          violations: r.violations.map((v) => {
            const first = v.paths[0];
            return {
              control: v.control,
              reason: v.reason,
              detail: v.detail,
              // fields and lines are the object's own (spec.template.spec... for a Deployment)
              ...(first
                ? {
                    field: dotted([...obj.podTemplatePath!, ...first]),
                    line: obj.positionOf([...obj.podTemplatePath!, ...first]).line,
                  }
                : {}),
            };
          }),
        });
      }
    } catch (e) {
      const err = toBulwarkError(e, 'MALFORMED_INPUT', file);
      errors.push({ file, code: err.code, message: err.message });
    }
  }
  return { level: options.level, version, objects, errors };
}
