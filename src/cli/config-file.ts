/**
 * The optional configuration file: `$BULWARK_CONFIG`, else `$XDG_CONFIG_HOME/bulwark/config.yaml`,
 * else `~/.config/bulwark/config.yaml`. Precedence everywhere: flag > environment > this file >
 * built-in default. Validated at the boundary; a bad file is a CONFIG error naming it.
 */
import { readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parse as parseYaml } from 'yaml';
import { z } from 'zod';
import { auditConfigSchema } from '../audit/config.js';
import { BulwarkError } from '../core/errors.js';

const configSchema = z.strictObject({
  /** cache directory (layer cache, default database location) */
  cacheDir: z.string().min(1).optional(),
  db: z
    .strictObject({
      /** database file */
      path: z.string().min(1).optional(),
      /** one mirror base URL or directory for every feed (OSV bucket layout) */
      mirror: z.string().min(1).optional(),
      /** warn when the database is older than this many days */
      maxAgeDays: z.number().positive().optional(),
    })
    .optional(),
  trust: z
    .strictObject({
      /**
       * public keys (PEM) `bulwark image` and `bulwark sbom` check a registry image's cosign
       * signatures with; relative paths are relative to the configuration file
       */
      keys: z.array(z.string().min(1)).max(100).optional(),
    })
    .optional(),
  /** allow-lists and thresholds of the audit rules (docs/audit.md#configuration); the schema's own
   * file, not the audit module's index, so loading the configuration never loads the log reader */
  audit: auditConfigSchema.optional(),
});

export type BulwarkConfig = z.infer<typeof configSchema>;

export function configFilePath(env: NodeJS.ProcessEnv): string {
  if (env.BULWARK_CONFIG) return env.BULWARK_CONFIG;
  const base =
    env.XDG_CONFIG_HOME && path.isAbsolute(env.XDG_CONFIG_HOME)
      ? env.XDG_CONFIG_HOME
      : path.join(env.HOME || os.homedir(), '.config');
  return path.join(base, 'bulwark', 'config.yaml');
}

/** Reads the configuration file; absent means empty, unless BULWARK_CONFIG names it explicitly. */
export function loadConfigFile(env: NodeJS.ProcessEnv): BulwarkConfig {
  const file = configFilePath(env);
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT' && !env.BULWARK_CONFIG) return {};
    throw new BulwarkError('CONFIG', `cannot read the configuration file: ${(e as Error).message}`, {
      input: file,
      cause: e,
    });
  }
  let doc: unknown;
  try {
    doc = parseYaml(text, { maxAliasCount: 100 }) ?? {};
  } catch (e) {
    throw new BulwarkError('CONFIG', `invalid YAML: ${(e as Error).message}`, { input: file, cause: e });
  }
  const parsed = configSchema.safeParse(doc);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new BulwarkError('CONFIG', `${issue?.path.join('.') || '(root)'}: ${issue?.message ?? 'invalid'}`, {
      input: file,
    });
  }
  return parsed.data;
}
