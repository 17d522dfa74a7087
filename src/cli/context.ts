import { writeFile } from 'node:fs/promises';
import { Option, type Command } from 'commander';
import { BulwarkError } from '../core/errors.js';
import { defaultCacheDir, defaultDbPath } from '../core/paths.js';
import { stderrProgress, type Progress } from '../core/progress.js';
import { loadConfigFile, type BulwarkConfig } from './config-file.js';

/** Process-level facts a command body needs; features receive these as options, never read env. */
export interface CliContext {
  env: NodeJS.ProcessEnv;
  cwd: string;
  stdout: NodeJS.WriteStream;
  stderr: NodeJS.WriteStream;
  progress: Progress;
  /** the configuration file's settings (read on first use) */
  config(): BulwarkConfig;
  /** the cache directory: --cache-dir, BULWARK_CACHE_DIR, config `cacheDir`, XDG */
  cacheDir(flag?: string): string;
  /** the vulnerability database path: --db, BULWARK_DB, config `db.path`, <cache>/db/bulwark.db */
  dbPath(flags: { db?: string; cacheDir?: string }): string;
  /** writes the rendered report to --output or stdout */
  emit(text: string, output?: string): Promise<void>;
}

export function createContext(): CliContext {
  const env = process.env;
  let config: BulwarkConfig | undefined;
  const ctx: CliContext = {
    env,
    cwd: process.cwd(),
    stdout: process.stdout,
    stderr: process.stderr,
    progress: stderrProgress(process.stderr, { tty: env.BULWARK_PROGRESS === '1' ? true : undefined }),
    config() {
      config ??= loadConfigFile(env);
      return config;
    },
    cacheDir(flag) {
      return flag || env.BULWARK_CACHE_DIR || ctx.config().cacheDir || defaultCacheDir(env);
    },
    dbPath(flags) {
      return (
        flags.db || env.BULWARK_DB || ctx.config().db?.path || defaultDbPath(ctx.cacheDir(flags.cacheDir))
      );
    },
    async emit(text, output) {
      const body = text.endsWith('\n') ? text : `${text}\n`;
      if (output && output !== '-') {
        try {
          await writeFile(output, body);
        } catch (e) {
          // a missing folder or a read-only place is the user's to fix: say so, not INTERNAL
          throw new BulwarkError('USAGE', `cannot write the report: ${(e as Error).message}`, {
            input: output,
            cause: e,
          });
        }
      } else
        await new Promise<void>((resolve) =>
          process.stdout.write(body) ? resolve() : process.stdout.once('drain', resolve),
        );
    },
  };
  return ctx;
}

/** `--format` with a fixed set of choices, shared by every command. */
export function formatOption(choices: string[], defaultValue = 'table'): Option {
  return new Option('-f, --format <format>', 'output format').choices(choices).default(defaultValue);
}

export function cacheDirOption(): Option {
  return new Option(
    '--cache-dir <dir>',
    'cache directory (default: $XDG_CACHE_HOME/bulwark or ~/.cache/bulwark)',
  );
}

export function dbOption(): Option {
  return new Option('--db <file>', 'vulnerability database file (default: <cache-dir>/db/bulwark.db)');
}

/** An integer option bounded to `min..max`; anything else is a usage error naming the flag. */
export function intOption(flag: string, desc: string, min: number, max: number, def: number): Option {
  return new Option(flag, desc)
    .argParser((v) => {
      const n = Number(v);
      if (!Number.isInteger(n) || n < min || n > max)
        throw new Error(`${flag.split(' ')[0]} takes ${min}..${max}`);
      return n;
    })
    .default(def);
}

/**
 * The report flags every rule-based command shares (config, docker, host, secrets): format, severity
 * filter, exit code, ignore file, output file.
 */
export function addRuleReportOptions(
  cmd: Command,
  formats: readonly string[] = ['table', 'json', 'sarif'],
): Command {
  return cmd
    .addOption(formatOption([...formats]))
    .option('-s, --severity <list>', 'report only these severities (e.g. CRITICAL,HIGH)')
    .addOption(
      intOption('--exit-code <n>', 'exit with this code when findings remain after filtering', 0, 255, 0),
    )
    .option(
      '--ignore-file <file>',
      'ignore file ({id, path?, reason, expires?} entries; default: ./.bulwarkignore.yaml if present)',
    )
    .option('-o, --output <file>', 'write the report to this file instead of stdout');
}
