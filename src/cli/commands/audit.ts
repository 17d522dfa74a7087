import { Command, Option } from 'commander';
import type { StreamReset } from '../../audit/index.js';
import type { CheckFinding, CheckWarning, SuppressedCheckFinding } from '../../checks/index.js';
import { BulwarkError, ERROR_CODES, type ErrorCode } from '../../core/errors.js';
import type { CliContext } from '../context.js';
import { addRuleReportOptions } from '../context.js';
import { renderRuleReport, ruleIgnoreFile } from '../rule-output.js';

interface AuditFlags {
  format: 'table' | 'json' | 'sarif';
  severity?: string;
  exitCode: number;
  ignoreFile?: string;
  output?: string;
  follow?: boolean;
  maxLineSize: number;
  maxFindings: number;
  pollInterval: number;
}

const positiveInt =
  (flag: string, max = Number.MAX_SAFE_INTEGER) =>
  (v: string) => {
    const n = Number(v);
    if (!Number.isInteger(n) || n <= 0 || n > max) throw new Error(`${flag} takes a positive integer`);
    return n;
  };

/** Bad lines named one by one on stderr; past this they are only counted (a binary file is not a log). */
const MAX_LISTED_ERRORS = 1000;

export function register(program: Command, ctx: CliContext): void {
  const cmd = addRuleReportOptions(new Command('audit'))
    .description(
      'Detect risky activity in a Kubernetes audit log (audit.k8s.io/v1 events as JSON lines or an EventList): exec into pods, privileged pods, cluster-admin bindings, secret reads, anonymous access, denial bursts',
    )
    .argument('<log>', 'audit log file, or - for stdin')
    .option(
      '-F, --follow',
      'keep reading as the file grows (log rotation handled); findings are written as they are found, one a line (JSON Lines with --format json); Ctrl-C ends',
    )
    .addOption(
      new Option('--max-line-size <bytes>', 'longer lines (events) are reported as errors and skipped')
        .argParser(positiveInt('--max-line-size', 256 * 1024 * 1024))
        .default(4 * 1024 * 1024),
    )
    .addOption(
      new Option(
        '--max-findings <n>',
        'most findings held for one report (table, json, sarif); the rest are counted. --follow holds none',
      )
        .argParser(positiveInt('--max-findings'))
        .default(100_000),
    )
    .addOption(
      new Option('--poll-interval <ms>', 'with --follow: how often to look for new lines')
        .argParser(positiveInt('--poll-interval', 60_000))
        .default(250),
    )
    .addHelpText(
      'after',
      `
Examples:
  $ bulwark audit /var/log/kubernetes/audit.log
  $ bulwark audit audit.log --severity CRITICAL,HIGH --exit-code 1
  $ bulwark audit audit.log --format sarif -o audit.sarif
  $ bulwark audit --follow /var/log/kubernetes/audit.log --format json | jq .message
  $ kubectl logs -n kube-system kube-apiserver-cp1 | bulwark audit -
  $ bulwark rules --target audit                # every rule with its Falco rule name

Allow-lists and thresholds come from the audit section of the configuration file
(docs/audit.md#configuration); the ignore file silences rules by id as in bulwark config.
A malformed line is named on stderr (file and line) and skipped; reading goes on.

Exit codes: 0 no findings (or --exit-code 0), N from --exit-code when findings remain,
4 the log does not exist, 5 a line was not an audit event (after the report), 7 a line over --max-line-size.`,
    )
    .action(async (log: string, flags: AuditFlags) => {
      if (flags.follow && flags.format === 'sarif')
        throw new BulwarkError(
          'USAGE',
          '--follow writes findings as they are found: use --format table or json (JSON Lines)',
        );
      const checks = await import('../../checks/index.js');
      const audit = await import('../../audit/index.js');
      const { parseSeverityList } = await import('../../match/policy.js');
      const ignoreFile = ruleIgnoreFile(flags, ctx);
      const [family] = await checks.loadFamilies(['audit']);
      const file = log === '-' ? '<stdin>' : log;
      const checker = new checks.StreamChecker(family!, {
        ...(flags.severity ? { severities: parseSeverityList(flags.severity) } : {}),
        ...(ignoreFile ? { ignore: await checks.loadCheckIgnoreFile(ignoreFile) } : {}),
        settings: audit.auditRuleSettings(ctx.config().audit),
        baseDir: ctx.cwd,
      });

      const stop = new AbortController();
      const onSignal = () => stop.abort();
      let source: AsyncIterable<Buffer | StreamReset>;
      if (log === '-') source = stdinUntil(stop.signal);
      else if (flags.follow)
        source = audit.followFile(log, { signal: stop.signal, pollMs: flags.pollInterval });
      else source = await openFile(log);
      if (flags.follow) {
        process.on('SIGINT', onSignal);
        process.on('SIGTERM', onSignal);
      }

      const stats = audit.emptyStats();
      const findings: CheckFinding[] = [];
      const suppressed: SuppressedCheckFinding[] = [];
      const warnings: CheckWarning[] = [];
      const errors: { file: string; code: ErrorCode; message: string }[] = [];
      let dropped = 0;
      const write = (text: string) =>
        new Promise<void>((resolve) =>
          ctx.stdout.write(text) ? resolve() : ctx.stdout.once('drain', resolve),
        );
      try {
        for await (const it of audit.scanAuditLog(source, checker, file, stats, {
          maxLineBytes: flags.maxLineSize,
        })) {
          if (it.kind === 'error') {
            if (errors.length < MAX_LISTED_ERRORS) {
              errors.push({ file, code: it.code, message: it.message });
              ctx.stderr.write(
                `${new BulwarkError(it.code, it.message, { input: file }).toDisplayString()}\n`,
              );
            }
          } else if (it.kind === 'reset') {
            ctx.stderr.write(
              `${file}: ${it.reason === 'truncated' ? 'truncated' : 'replaced (rotated)'} after line ${it.afterLine}: reading the new file from its start\n`,
            );
          } else if (it.kind === 'warning') {
            if (warnings.length < MAX_LISTED_ERRORS) warnings.push(it.warning);
            if (flags.follow) ctx.stderr.write(`warning: ${file}: ${it.warning.message}\n`);
          } else if (it.kind === 'finding') {
            if (flags.follow)
              await write(
                `${flags.format === 'json' ? audit.findingJsonLine(it.finding) : audit.findingTextLine(it.finding)}\n`,
              );
            else if (findings.length < flags.maxFindings) findings.push(it.finding);
            else dropped++;
          } else if (!flags.follow && suppressed.length < flags.maxFindings) suppressed.push(it.finding);
        }
      } finally {
        process.off('SIGINT', onSignal);
        process.off('SIGTERM', onSignal);
      }

      const summary = `${file}: ${stats.events} events, ${stats.findings} findings${stats.suppressed ? ` (${stats.suppressed} suppressed)` : ''}, ${stats.badLines} bad lines skipped${stats.badLines > errors.length ? ` (first ${errors.length} listed)` : ''}`;
      if (dropped)
        warnings.push({
          file,
          message: `${dropped} findings beyond --max-findings ${flags.maxFindings} were counted, not listed (raise it, or use --follow --format json to stream them)`,
        });
      if (stats.badLines)
        warnings.push({ file, message: `${stats.badLines} bad lines skipped (named on stderr)` });
      if (flags.follow) {
        ctx.stderr.write(`${summary}\n`);
      } else {
        findings.sort(checks.compareFindings);
        suppressed.sort(checks.compareFindings);
        // the table's reader saw each bad line on stderr already; the table says how many
        const listed = flags.format === 'table' ? [] : errors;
        const result = { files: [{ file, family: 'audit' }], findings, suppressed, errors: listed, warnings };
        const text = await renderRuleReport(result, flags, ctx, {
          json: checks.renderCheckJson,
          sarif: checks.renderCheckSarif,
          table: checks.renderCheckTable,
          rules: async () => (await checks.listRules('audit')).map((r) => r.meta),
        });
        await ctx.emit(text, flags.output);
        if (flags.format !== 'table' || flags.output) ctx.stderr.write(`${summary}\n`);
      }
      // as bulwark config: an item that could not be checked decides, else --exit-code on findings
      const first = errors[0];
      if (first) process.exitCode = ERROR_CODES[first.code];
      else if (stats.findings > 0 && flags.exitCode) process.exitCode = flags.exitCode;
    });
  // addCommand does not inherit the program's exitOverride: usage errors must reach main() (exit 2)
  cmd.exitOverride();
  program.addCommand(cmd);
}

async function openFile(file: string): Promise<AsyncIterable<Buffer>> {
  const { open } = await import('node:fs/promises');
  try {
    const fh = await open(file, 'r');
    if ((await fh.stat()).isDirectory()) {
      await fh.close();
      throw new BulwarkError('UNSUPPORTED', 'is a folder, not an audit log', { input: file });
    }
    return fh.createReadStream({ highWaterMark: 256 * 1024 });
  } catch (e) {
    if (e instanceof BulwarkError) throw e;
    const code = (e as NodeJS.ErrnoException).code;
    throw new BulwarkError('INPUT_NOT_FOUND', code === 'ENOENT' ? 'no such file' : String(code), {
      input: file,
      cause: e,
    });
  }
}

/** stdin until it ends, or until a signal (Ctrl-C on `kubectl logs -f | bulwark audit --follow -`). */
async function* stdinUntil(signal: AbortSignal): AsyncGenerator<Buffer> {
  const stdin = process.stdin;
  const onAbort = () => stdin.destroy();
  signal.addEventListener('abort', onAbort, { once: true });
  try {
    for await (const chunk of stdin) yield chunk as Buffer;
  } catch (e) {
    if (!signal.aborted) throw e;
  } finally {
    signal.removeEventListener('abort', onAbort);
  }
}
