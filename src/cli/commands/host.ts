import path from 'node:path';
import { Command } from 'commander';
import type { CliContext } from '../context.js';
import { finishRuleRun, renderRuleReport, ruleIgnoreFile } from '../rule-output.js';
import { addRuleReportOptions, intOption } from '../context.js';

interface HostFlags {
  root: string;
  format: 'table' | 'json' | 'sarif' | 'html';
  severity?: string;
  exitCode: number;
  ignoreFile?: string;
  output?: string;
  daemon?: boolean;
  timeout: number;
}

export function register(program: Command, ctx: CliContext): void {
  const cmd = addRuleReportOptions(new Command('host'), ['table', 'json', 'sarif', 'html'])
    .description(
      'Audit a Docker host against CIS Docker Benchmark sections 1-3: daemon.json, systemd units, file ownership and permissions, audit rules, partitions, and the live daemon',
    )
    .option('-r, --root <dir>', 'filesystem root to read the host from (a mounted copy of a host)', '/')
    .option('--daemon', 'ask the daemon at DOCKER_HOST for /info and /version even with --root')
    .option('--no-daemon', 'do not ask the daemon (default: ask it when --root is /)')
    .addOption(
      intOption('--timeout <ms>', 'deadline per daemon API call, in milliseconds', 1, 600_000, 10_000),
    )
    .addHelpText(
      'after',
      `
Examples:
  $ sudo bulwark host                                   # this host, plus the local daemon's /info and /version
  $ bulwark host --root /mnt/host-snapshot --format json
  $ bulwark host --no-daemon --severity CRITICAL,HIGH --exit-code 1

Ownership is read numerically under --root; the docker group comes from <root>/etc/group.
Findings carry CIS Docker Benchmark v1.6 ids (CIS-Docker-1.x, 2.x, 3.x) and docker-bench ids.
An unreadable file, or a daemon that cannot be reached, is a warning: the other checks still run.

Exit codes: 0 no findings (or --exit-code 0), N from --exit-code when findings remain,
4 --root does not exist.`,
    )
    .action(async (flags: HostFlags) => {
      const checks = await import('../../checks/index.js');
      const { checkHost } = await import('../../checks/host/index.js');
      const { BulwarkError } = await import('../../core/errors.js');
      const { parseSeverityList } = await import('../../match/policy.js');
      const { stat } = await import('node:fs/promises');
      const root = path.resolve(ctx.cwd, flags.root);
      const st = await stat(root).catch(() => undefined);
      if (!st?.isDirectory())
        throw new BulwarkError('INPUT_NOT_FOUND', 'no such folder', { input: flags.root });
      const ignoreFile = ruleIgnoreFile(flags, ctx);
      const askDaemon = flags.daemon ?? root === '/';
      const dockerHost = ctx.env.DOCKER_HOST;
      const result = await checkHost(
        {
          root,
          ...(askDaemon ? { live: { ...(dockerHost ? { dockerHost } : {}), timeoutMs: flags.timeout } } : {}),
        },
        {
          ...(flags.severity ? { severities: parseSeverityList(flags.severity) } : {}),
          ...(ignoreFile ? { ignore: await checks.loadCheckIgnoreFile(ignoreFile) } : {}),
          baseDir: ctx.cwd,
        },
      );
      const text = await renderRuleReport(result, flags, ctx, {
        json: checks.renderCheckJson,
        sarif: checks.renderCheckSarif,
        table: checks.renderCheckTable,
        html: checks.renderCheckHtml,
        rules: async () => {
          const metas = [...(await checks.listRules('daemon')), ...(await checks.listRules('host'))].map(
            (r) => r.meta,
          );
          return [...new Map(metas.map((m) => [m.id, m])).values()];
        },
      });
      await finishRuleRun(result, text, flags, ctx, { warningsToStderr: true });
    });
  cmd.exitOverride();
  program.addCommand(cmd);
}
