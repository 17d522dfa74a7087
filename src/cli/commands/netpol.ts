import { Command, Option } from 'commander';
import { BulwarkError, ERROR_CODES, type ErrorCode } from '../../core/errors.js';
import type { CliContext } from '../context.js';
import { renderRuleReport, ruleIgnoreFile } from '../rule-output.js';

interface NetpolFlags {
  format?: string;
  focusWorkload?: string[];
  focusWorkloadPeer?: string[];
  focusDirection?: 'ingress' | 'egress';
  findings?: boolean;
  vulns?: string[];
  ignoreFile?: string;
  exitCode: number;
  output?: string;
}

const CONNLIST = ['txt', 'json', 'csv', 'md', 'dot', 'html'];
const FINDINGS = ['table', 'json', 'sarif'];
const VULNS = ['txt', 'json', 'md'];
const DIFF = ['txt', 'json', 'md', 'csv'];

const collectList = (v: string, prev: string[] = []) => [
  ...prev,
  ...v
    .split(',')
    .map((x) => x.trim())
    .filter(Boolean),
];

function exitCodeOption(): Option {
  return new Option('--exit-code <n>', 'exit with this code when findings (or differences) remain')
    .argParser((v) => {
      const n = Number(v);
      if (!Number.isInteger(n) || n < 0 || n > 255) throw new Error('--exit-code takes 0..255');
      return n;
    })
    .default(0);
}

interface DiffFlags {
  format?: string;
  exitCode?: number;
  output?: string;
}

type Issue = { file: string; code?: ErrorCode; message: string };

/** Per-item problems on stderr; the first error decides the exit code once the report is out. */
function reportIssues(ctx: CliContext, errors: readonly Issue[], warnings: readonly Issue[]): void {
  for (const w of warnings) ctx.stderr.write(`warning: ${w.file}: ${w.message}\n`);
  for (const e of errors)
    ctx.stderr.write(
      `${new BulwarkError(e.code ?? 'MALFORMED_INPUT', e.message, { input: e.file }).toDisplayString()}\n`,
    );
  const first = errors[0];
  if (first) process.exitCode = ERROR_CODES[first.code ?? 'MALFORMED_INPUT'];
}

function checkFormat(format: string, allowed: string[], mode: string): string {
  if (!allowed.includes(format))
    throw new BulwarkError(
      'USAGE',
      `--format ${format} is not available ${mode}; use one of ${allowed.join(', ')}`,
    );
  return format;
}

export function register(program: Command, ctx: CliContext): void {
  const cmd = new Command('netpol')
    .description(
      'Compute the connectivity NetworkPolicies allow between workloads (netpol-analyzer semantics), their findings and attack paths',
    )
    .argument(
      '<paths...>',
      'manifest files or folders (*.yaml, *.yml, *.json, searched recursively); - reads stdin',
    )
    .addOption(
      new Option(
        '-f, --format <format>',
        'txt|json|csv|md|dot|html (connections), table|json|sarif (--findings), txt|json|md (--vulns)',
      ),
    )
    .option(
      '--focus-workload <names>',
      'only connections of these workloads (name or namespace/name; repeat or comma-separate)',
      collectList,
    )
    .option(
      '--focus-workload-peer <names>',
      'with --focus-workload: only connections whose other end is one of these',
      collectList,
    )
    .addOption(
      new Option('--focus-direction <dir>', 'with --focus-workload: only its ingress or egress').choices([
        'ingress',
        'egress',
      ]),
    )
    .option('--findings', 'report NetworkPolicy findings (rule family netpol) instead of the connection list')
    .option(
      '--vulns <reports>',
      'bulwark image JSON reports (repeat or comma-separate): rank reachable workloads by exploit probability, show lateral paths to KEV',
      collectList,
    )
    .option(
      '--ignore-file <file>',
      'ignore file for --findings (default: .bulwarkignore.yaml in the working directory)',
    )
    .addOption(exitCodeOption())
    .option('-o, --output <file>', 'write the report to this file instead of stdout')
    .addHelpText(
      'after',
      `
Examples:
  $ bulwark netpol examples/netpol/
  $ bulwark netpol -f dot deploy/ | dot -Tsvg > graph.svg
  $ bulwark netpol --focus-workload shop/web --focus-direction ingress deploy/
  $ kubectl get deploy,svc,ing,netpol,ns -A -o yaml | bulwark netpol -
  $ bulwark netpol --findings -f sarif deploy/
  $ bulwark netpol --vulns web.json,api.json deploy/
  $ bulwark netpol diff before/ after/

Lines read "src => dst : conns", sorted, with workloads as namespace/name[Kind] and external
addresses as ranges cut where policies cut them; "{ingress-controller}" is the source of traffic
that Ingress and Route objects let in. Files that hold no Kubernetes resource are skipped with a
warning; a malformed document is an error for that document only.

Exit codes: 0 done; N from --exit-code when --findings reports a finding; 2 usage; a file or
document that could not be read or parsed sets its error's code (4 not found, 5 malformed,
7 too large) after the report is printed.`,
    )
    .action(async (paths: string[], flags: NetpolFlags) => {
      const np = await import('../../netpol/index.js');
      const mode = flags.findings
        ? 'with --findings'
        : flags.vulns
          ? 'with --vulns'
          : 'for the connection list';
      const format = checkFormat(
        flags.format ?? (flags.findings ? 'table' : 'txt'),
        flags.findings ? FINDINGS : flags.vulns ? VULNS : CONNLIST,
        mode,
      );
      if (flags.findings && flags.vulns)
        throw new BulwarkError('USAGE', '--findings and --vulns do not combine');
      if ((flags.focusWorkloadPeer?.length || flags.focusDirection) && !flags.focusWorkload?.length)
        throw new BulwarkError('USAGE', '--focus-workload-peer and --focus-direction need --focus-workload');
      const read = await np.readResources(paths, { baseDir: ctx.cwd, stdin: process.stdin });
      const model = np.buildModel(read.objects);
      const errors: Issue[] = [...read.errors, ...model.errors];
      const warnings: Issue[] = [...read.warnings, ...model.warnings];
      if (flags.findings) {
        const checks = await import('../../checks/index.js');
        const ignoreFile = ruleIgnoreFile(flags, ctx);
        const files = [...new Set(read.objects.map((o) => o.file))];
        const result = await np.netpolFindings(np.analyze(model), files, {
          ...(ignoreFile ? { ignore: await checks.loadCheckIgnoreFile(ignoreFile) } : {}),
          baseDir: ctx.cwd,
        });
        result.errors.push(
          ...errors.map((e) => ({ file: e.file, code: e.code ?? 'MALFORMED_INPUT', message: e.message })),
        );
        result.warnings.push(...warnings);
        const text = await renderRuleReport(result, { ...flags, format }, ctx, {
          json: checks.renderCheckJson,
          sarif: checks.renderCheckSarif,
          table: checks.renderCheckTable,
          rules: async () => (await checks.listRules('netpol')).map((r) => r.meta),
        });
        await ctx.emit(text, flags.output);
        reportIssues(ctx, format === 'table' ? [] : result.errors, format === 'table' ? [] : warnings);
        if (result.errors[0]) process.exitCode = ERROR_CODES[result.errors[0].code];
        else if (result.findings.length && flags.exitCode) process.exitCode = flags.exitCode;
        return;
      }
      if (flags.vulns) {
        const a = np.analyze(model);
        const { reports, errors: reportErrors } = await np.readReports(flags.vulns);
        const paths = { ...np.attackPaths(a.engine, a.exposures, reports), errors: reportErrors };
        await ctx.emit(np.renderAttackPaths(paths, format as 'txt'), flags.output);
        reportIssues(ctx, [...errors, ...reportErrors], warnings);
        return;
      }
      const result = np.connectivity(model, {
        ...(flags.focusWorkload ? { workloads: flags.focusWorkload } : {}),
        ...(flags.focusWorkloadPeer ? { peers: flags.focusWorkloadPeer } : {}),
        ...(flags.focusDirection ? { direction: flags.focusDirection } : {}),
      });
      const rows = np.rows(result.connections);
      const text =
        format === 'json'
          ? np.renderJson(rows)
          : format === 'csv'
            ? np.renderCsv(rows)
            : format === 'md'
              ? np.renderMd(rows)
              : format === 'dot'
                ? np.renderDot(result)
                : format === 'html'
                  ? np.renderConnlistHtml(result)
                  : np.renderTxt(rows);
      await ctx.emit(text, flags.output);
      reportIssues(ctx, errors, [
        ...warnings,
        ...result.warnings.map((message) => ({ file: 'netpol', message })),
      ]);
    });

  cmd
    .command('diff')
    .description('Connections added, removed and changed between two sets of manifests')
    .argument('<old>', 'manifests before (file or folder)')
    .argument('<new>', 'manifests after (file or folder)')
    .addOption(
      new Option('-f, --format <format>', 'output format: txt (default), json, md, csv').choices(DIFF),
    )
    .addOption(exitCodeOption().default(undefined))
    .option('-o, --output <file>', 'write the report to this file instead of stdout')
    .addHelpText(
      'after',
      `
Examples:
  $ bulwark netpol diff main/ feature/
  $ bulwark netpol diff -f md old.yaml new.yaml

Lines start with + (added), - (removed) or ~ (changed: old -> new ports).
Exit codes: 0 done (N from --exit-code when there are differences), 2 usage, 4/5/7 as for
"bulwark netpol" when a file could not be read.`,
    )
    .action(async (oldPath: string, newPath: string, local: DiffFlags, self: Command) => {
      // flags before or after `diff` land on either command: take them from both
      const parent = (self.parent?.opts() ?? {}) as Partial<NetpolFlags>;
      const flags = {
        format: checkFormat(local.format ?? parent.format ?? 'txt', DIFF, 'for netpol diff'),
        exitCode: local.exitCode ?? parent.exitCode ?? 0,
        output: local.output ?? parent.output,
      };
      const np = await import('../../netpol/index.js');
      const side = async (p: string) => {
        const read = await np.readResources([p], { baseDir: ctx.cwd, stdin: process.stdin });
        const model = np.buildModel(read.objects);
        return {
          result: np.connectivity(model),
          errors: [...read.errors, ...model.errors],
          warnings: [...read.warnings, ...model.warnings],
        };
      };
      const a = await side(oldPath);
      const b = await side(newPath);
      const d = np.diffConnections(a.result.connections, b.result.connections);
      await ctx.emit(np.renderDiff(d, flags.format as 'txt'), flags.output);
      reportIssues(ctx, [...a.errors, ...b.errors], [...a.warnings, ...b.warnings]);
      if (!process.exitCode && d.length && flags.exitCode) process.exitCode = flags.exitCode;
    });
  // usage errors must reach main() (exit 2)
  cmd.exitOverride();
  program.addCommand(cmd);
}
