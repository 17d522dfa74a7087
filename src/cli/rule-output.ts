import { BulwarkError, ERROR_CODES, type ErrorCode } from '../core/errors.js';
import type { CliContext } from './context.js';

/** What every rule-based command (config, docker, host, secrets) reports besides its findings. */
export interface RuleRunOutcome {
  findings: readonly unknown[];
  errors: readonly { code: ErrorCode; message: string; file: string }[];
  warnings: readonly { file?: string; message: string }[];
}

/**
 * Writes the rendered report, then says on stderr what a machine-readable report would otherwise
 * hide (the table already shows warnings and errors), and sets the exit code: the first item that
 * could not be checked decides it, else `--exit-code` when findings remain.
 */
export async function finishRuleRun(
  outcome: RuleRunOutcome,
  text: string,
  flags: { format: string; output?: string; exitCode: number },
  ctx: CliContext,
  opts: { warningsToStderr?: boolean; errorsToStderr?: 'always' | 'unless-table' } = {},
): Promise<void> {
  await ctx.emit(text, flags.output);
  const table = flags.format === 'table';
  if (opts.warningsToStderr && !table)
    for (const w of outcome.warnings)
      ctx.stderr.write(`warning: ${w.file ? `${w.file}: ` : ''}${w.message}\n`);
  const firstError = outcome.errors[0];
  if (firstError) {
    // the report is out; the exit code still says something could not be checked
    if (opts.errorsToStderr === 'always' || !table)
      ctx.stderr.write(
        `${new BulwarkError(firstError.code, firstError.message, { input: firstError.file }).toDisplayString()}\n`,
      );
    process.exitCode = ERROR_CODES[firstError.code];
  } else if (outcome.findings.length > 0 && flags.exitCode) process.exitCode = flags.exitCode;
}
