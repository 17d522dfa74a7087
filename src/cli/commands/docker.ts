import { Command } from 'commander';
import type { CliContext } from '../context.js';
import { finishRuleRun, renderRuleReport, ruleIgnoreFile } from '../rule-output.js';
import { addRuleReportOptions, intOption } from '../context.js';

interface DockerFlags {
  input?: string;
  format: 'table' | 'json' | 'sarif' | 'html';
  severity?: string;
  exitCode: number;
  ignoreFile?: string;
  output?: string;
  all?: boolean;
  timeout: number;
}

const MAX_INPUT_BYTES = 64 * 1024 * 1024;

export function register(program: Command, ctx: CliContext): void {
  const cmd = addRuleReportOptions(new Command('docker'), ['table', 'json', 'sarif', 'html'])
    .description(
      'Check running containers against CIS Docker Benchmark section 5: from `docker inspect` JSON or the live daemon (read-only API calls)',
    )
    .option(
      '-i, --input <file>',
      '`docker inspect` JSON to check ("-" reads stdin); default: ask the daemon at DOCKER_HOST',
    )
    .option('-a, --all', 'live daemon: also check stopped containers')
    .addOption(
      intOption('--timeout <ms>', 'live daemon: deadline per API call, in milliseconds', 1, 600_000, 10_000),
    )
    .addHelpText(
      'after',
      `
Examples:
  $ bulwark docker                                     # every running container of the local daemon
  $ DOCKER_HOST=tcp://10.0.0.5:2375 bulwark docker --format json
  $ docker inspect $(docker ps -q) | bulwark docker --input - --severity CRITICAL,HIGH --exit-code 1
  $ bulwark docker --input inspect.json --format sarif -o containers.sarif

Findings name the inspect field that decided them (HostConfig.Privileged, Mounts[0], ...) and carry
CIS Docker Benchmark v1.6 ids (CIS-Docker-5.N) and docker-bench-security ids (docker-bench:5_N).

Exit codes: 0 no findings (or --exit-code 0), N from --exit-code when findings remain,
4 input not found, 5 malformed inspect JSON, 7 input too large, 15 daemon unreachable, hanging or failing.`,
    )
    .action(async (flags: DockerFlags) => {
      const checks = await import('../../checks/index.js');
      const docker = await import('../../checks/docker/index.js');
      const { parseSeverityList } = await import('../../match/policy.js');
      const ignoreFile = ruleIgnoreFile(flags, ctx);
      const opts = {
        ...(flags.severity ? { severities: parseSeverityList(flags.severity) } : {}),
        ...(ignoreFile ? { ignore: await checks.loadCheckIgnoreFile(ignoreFile) } : {}),
        baseDir: ctx.cwd,
      };
      let result;
      if (flags.input !== undefined) {
        const file = flags.input === '-' ? '<stdin>' : flags.input;
        const text = await docker.readInputText(flags.input, MAX_INPUT_BYTES);
        result = await docker.checkInspectText(text, file, opts);
      } else {
        const dockerHost = ctx.env.DOCKER_HOST;
        result = await docker.checkLiveContainers(
          { ...(dockerHost ? { dockerHost } : {}), timeoutMs: flags.timeout, all: Boolean(flags.all) },
          opts,
        );
      }
      const text = await renderRuleReport(result, flags, ctx, {
        json: checks.renderCheckJson,
        sarif: checks.renderCheckSarif,
        table: checks.renderCheckTable,
        html: checks.renderCheckHtml,
        rules: async () => (await checks.listRules('container')).map((r) => r.meta),
      });
      // other containers were checked and reported; the exit code still says one could not be
      await finishRuleRun(result, text, flags, ctx, { warningsToStderr: true, errorsToStderr: 'always' });
    });
  cmd.exitOverride();
  program.addCommand(cmd);
}
