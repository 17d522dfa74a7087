import { Command, Option } from 'commander';
import { VERSION } from '../version.js';
import { BulwarkError, ERROR_CODES } from '../../core/errors.js';
import type { CliContext } from '../context.js';
import { formatOption } from '../context.js';

interface PssFlags {
  level: 'baseline' | 'restricted';
  version: string;
  format: 'table' | 'json';
  exitCode: number;
  output?: string;
}

export function register(program: Command, ctx: CliContext): void {
  const cmd = new Command('pss')
    .description(
      'Evaluate Kubernetes workloads against the Pod Security Standards exactly as Pod Security Admission does (folders are searched recursively)',
    )
    .argument('<paths...>', 'manifest files or folders (*.yaml, *.yml, *.json)')
    .addOption(
      new Option('-l, --level <level>', 'Pod Security Standards level')
        .choices(['baseline', 'restricted'])
        .makeOptionMandatory(),
    )
    .option(
      '--version <version>',
      'policy version, as in pod-security.kubernetes.io/enforce-version: v1.N or latest',
      'latest',
    )
    .addOption(formatOption(['table', 'json']))
    .addOption(
      new Option('--exit-code <n>', 'exit with this code when an object is denied')
        .argParser((v) => {
          const n = Number(v);
          if (!Number.isInteger(n) || n < 0 || n > 255) throw new Error('--exit-code takes 0..255');
          return n;
        })
        .default(0),
    )
    .option('-o, --output <file>', 'write the report to this file instead of stdout')
    .addHelpText(
      'after',
      `
Examples:
  $ bulwark pss --level baseline deploy/
  $ bulwark pss --level restricted --version v1.25 app.yaml --exit-code 1
  $ bulwark pss -l restricted -f json manifests/ | jq '.[] | select(.allowed | not)'

Every workload kind is checked through its pod template (Pod, Deployment, StatefulSet, DaemonSet,
ReplicaSet, ReplicationController, Job, CronJob, PodTemplate); other objects are skipped.
Violations are named by Pod Security Admission's own check ids (privileged, hostNamespaces,
capabilities_baseline, allowPrivilegeEscalation, runAsNonRoot, seccompProfile_restricted, ...).
Versions newer than the newest policy (and "latest") evaluate as the newest policy, v1.37.

Exit codes: 0 all allowed (or --exit-code 0, the default, as for "bulwark config"), N from
--exit-code when an object is denied; a file that could not be read or parsed sets its error's
code (4 not found, 5 malformed, 7 too large) after the report is printed.`,
    )
    .action(async (paths: string[], flags: PssFlags) => {
      const pss = await import('../../checks/pss/index.js');
      const level = pss.parsePssLevel(flags.level);
      pss.parsePssVersion(flags.version);
      const result = await pss.checkPssPaths(paths, { level, version: flags.version, baseDir: ctx.cwd });
      const text = flags.format === 'json' ? pss.renderPssJson(result, VERSION) : pss.renderPssTable(result);
      await ctx.emit(text, flags.output);
      for (const e of result.errors)
        ctx.stderr.write(`${new BulwarkError(e.code, e.message, { input: e.file }).toDisplayString()}\n`);
      const firstError = result.errors[0];
      if (firstError) process.exitCode = ERROR_CODES[firstError.code];
      else if (result.objects.some((o) => !o.allowed) && flags.exitCode) process.exitCode = flags.exitCode;
    });
  // usage errors must reach main() (exit 2)
  cmd.exitOverride();
  program.addCommand(cmd);
}
