import { inflateSync } from 'node:zlib';
import type { ByteSource } from '../../core/byte-source.js';
import { BulwarkError } from '../../core/errors.js';
import { elfSectionData, readElf } from '../go/index.js';

/** One crate of a cargo-auditable dependency tree (`.dep-v0`). */
export interface AuditableCrate {
  name: string;
  version: string;
  /** `crates.io`, `git`, `local`, `registry` or a future value */
  source: string;
  kind: 'build' | 'runtime';
  root: boolean;
  /** indexes into the package list */
  dependencies: number[];
}

/** cargo-auditable itself refuses more than 8 MiB of decompressed audit data. */
export const MAX_AUDIT_DATA = 8 * 1024 * 1024;
const SECTION = '.dep-v0';

function malformed(message: string): BulwarkError {
  return new BulwarkError('MALFORMED_INPUT', message);
}

/**
 * The compressed audit data of an ELF binary (in memory or read by offset), or undefined when it
 * has none. A section larger than the decompressed limit cannot be valid and is not read.
 */
export function readAuditableSection(input: Buffer | ByteSource): Buffer | undefined {
  const elf = readElf(input);
  return elf ? elfSectionData(input, elf, SECTION, MAX_AUDIT_DATA) : undefined;
}

/** Inflates and validates the zlib-compressed JSON; throws MALFORMED_INPUT or LIMIT_EXCEEDED. */
export function parseAuditableData(compressed: Buffer, maxBytes = MAX_AUDIT_DATA): AuditableCrate[] {
  let text: string;
  try {
    text = inflateSync(compressed, { maxOutputLength: maxBytes }).toString('utf8');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ERR_BUFFER_TOO_LARGE') {
      throw new BulwarkError('LIMIT_EXCEEDED', `audit data inflates beyond ${maxBytes} bytes`);
    }
    throw malformed(`audit data is not zlib data: ${(e as Error).message}`);
  }
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch {
    throw malformed('audit data is not JSON');
  }
  const packages = (doc as { packages?: unknown } | null)?.packages;
  if (!Array.isArray(packages)) throw malformed('audit data has no packages array');
  return packages.map((p: unknown, i): AuditableCrate => {
    const o = p as Record<string, unknown> | null;
    if (!o || typeof o.name !== 'string' || typeof o.version !== 'string' || typeof o.source !== 'string') {
      throw malformed(`audit data package ${i} lacks name, version or source`);
    }
    const deps = Array.isArray(o.dependencies)
      ? o.dependencies.filter(
          (d): d is number => Number.isInteger(d) && (d as number) >= 0 && (d as number) < packages.length,
        )
      : [];
    return {
      name: o.name,
      version: o.version,
      source: o.source,
      kind: o.kind === 'build' ? 'build' : 'runtime',
      root: o.root === true,
      dependencies: deps,
    };
  });
}
