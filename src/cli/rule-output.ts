import { existsSync } from 'node:fs';
import path from 'node:path';
import type { RuleMeta } from '../checks/index.js';
import { BulwarkError, ERROR_CODES, type ErrorCode } from '../core/errors.js';
import type { CliContext } from './context.js';

/** `--ignore-file`, else `.bulwarkignore.yaml` in the working directory when there is one. */
export function ruleIgnoreFile(flags: { ignoreFile?: string }, ctx: CliContext): string | undefined {
  if (flags.ignoreFile) return flags.ignoreFile;
  const implicit = path.join(ctx.cwd, '.bulwarkignore.yaml');
  return existsSync(implicit) ? implicit : undefined;
}

interface ReportStyle {
  toolVersion: string;
  color: boolean;
}

/** One rule command's three renderers, and the rules its SARIF log describes. */
export interface RuleRenderers<R> {
  json(result: R, style: ReportStyle): string;
  sarif(result: R, rules: readonly RuleMeta[], style: ReportStyle): string;
  table(result: R, style: ReportStyle): string;
  /** `--format html`, for the commands that offer it */
  html?(result: R, style: ReportStyle): string;
  rules(): Promise<readonly RuleMeta[]>;
}

/** The report in `--format`; colour only on a terminal, never into `--output` or under NO_COLOR. */
export async function renderRuleReport<R>(
  result: R,
  flags: { format: string; output?: string },
  ctx: CliContext,
  render: RuleRenderers<R>,
): Promise<string> {
  const { VERSION } = await import('./version.js');
  const style = {
    toolVersion: VERSION,
    color: Boolean(ctx.stdout.isTTY) && !flags.output && !ctx.env.NO_COLOR,
  };
  if (flags.format === 'json') return render.json(result, style);
  if (flags.format === 'sarif') return render.sarif(result, await render.rules(), style);
  if (flags.format === 'html' && render.html) return render.html(result, style);
  return render.table(result, style);
}

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
