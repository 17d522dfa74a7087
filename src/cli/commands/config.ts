import { Command, Option } from 'commander';
import { BulwarkError } from '../../core/errors.js';
import type { CliContext } from '../context.js';
import { finishRuleRun, renderRuleReport, ruleIgnoreFile } from '../rule-output.js';
import { addRuleReportOptions } from '../context.js';

interface ConfigFlags {
  format: 'table' | 'json' | 'sarif' | 'html';
  severity?: string;
  exitCode: number;
  ignoreFile?: string;
  output?: string;
  trustedRegistries?: string;
  requireLabel?: string[];
  strictLabels?: boolean;
  pssVersion?: string;
  maxFileSize: number;
}

const LABEL_TYPES = /^(text|rawtext|url|rfc3339|semver|spdx|hash|githash|email)$/i;

/** `--require-label org.opencontainers.image.source:url,version:semver` as a label schema. */
function parseLabelSchema(values: readonly string[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const item of values
    .flatMap((v) => v.split(','))
    .map((v) => v.trim())
    .filter(Boolean)) {
    const colon = item.lastIndexOf(':');
    const name = colon < 0 ? item : item.slice(0, colon);
    const type = colon < 0 ? 'text' : item.slice(colon + 1);
    if (!name || !LABEL_TYPES.test(type))
      throw new BulwarkError(
        'USAGE',
        '--require-label takes label:type with type text, url, rfc3339, semver, spdx, hash or email',
        { input: item },
      );
    out[name] = type;
  }
  return out;
}

export function register(program: Command, ctx: CliContext): void {
  const cmd = addRuleReportOptions(new Command('config'), ['table', 'json', 'sarif', 'html'])
    .description(
      'Check Dockerfiles, docker-compose files and Kubernetes manifests for misconfigurations (folders are searched recursively)',
    )
    .argument('<paths...>', 'files or folders to check')
    .option(
      '--trusted-registries <list>',
      'registries base images may come from (dockerfile/trusted-registry)',
    )
    .option(
      '--require-label <label:type...>',
      'labels every image must carry, with their value type: text, url, rfc3339, semver, spdx, hash, email (hadolint label-schema; comma-separated or repeated)',
    )
    .option(
      '--strict-labels',
      'report labels that --require-label does not name (dockerfile/label-superfluous)',
    )
    .option(
      '--pss-version <version>',
      'Kubernetes version the Pod Security Standards rules follow: v1.N or latest (default latest)',
    )
    .addOption(
      new Option('--max-file-size <bytes>', 'larger files are reported as errors, not read')
        .argParser((v) => {
          const n = Number(v);
          if (!Number.isInteger(n) || n <= 0) throw new Error('--max-file-size takes a positive integer');
          return n;
        })
        .default(4 * 1024 * 1024),
    )
    .addHelpText(
      'after',
      `
Examples:
  $ bulwark config .                                  # every Dockerfile, compose file and manifest below .
  $ bulwark config Dockerfile compose.yaml --severity CRITICAL,HIGH --exit-code 1
  $ bulwark config deploy/ --format sarif -o bulwark.sarif
  $ bulwark config Dockerfile --require-label org.opencontainers.image.source:url,org.opencontainers.image.version:semver

Suppress one finding with a reason on the line above it (or at the end of its line in YAML):
  # bulwark:ignore=dockerfile/root-user reason: the entrypoint drops privileges
hadolint's "# hadolint ignore=DL3008" comments are honoured too.

Exit codes: 0 no findings (or --exit-code 0), N from --exit-code when findings remain,
a file that could not be checked sets its error's code (4 not found, 5 malformed, 7 too large, 16 unsupported).`,
    )
    .action(async (paths: string[], flags: ConfigFlags) => {
      const checks = await import('../../checks/index.js');
      const { parseSeverityList } = await import('../../match/policy.js');
      const ignoreFile = ruleIgnoreFile(flags, ctx);
      const trusted = flags.trustedRegistries
        ?.split(',')
        .map((s) => s.trim())
        .filter(Boolean);
      const settings: Record<string, Record<string, unknown>> = {};
      if (trusted?.length) settings['dockerfile/trusted-registry'] = { trustedRegistries: trusted };
      const labelSchema = parseLabelSchema(flags.requireLabel ?? []);
      if (Object.keys(labelSchema).length || flags.strictLabels)
        for (const id of [
          'dockerfile/label-missing',
          'dockerfile/label-invalid',
          'dockerfile/label-superfluous',
        ])
          settings[id] = { labelSchema, strictLabels: flags.strictLabels === true };
      if (flags.pssVersion) {
        if (!/^(latest|v1\.\d{1,3})$/.test(flags.pssVersion))
          throw new BulwarkError('USAGE', '--pss-version takes v1.N or latest', { input: flags.pssVersion });
        for (const r of await checks.listRules('kubernetes'))
          if (r.meta.id.startsWith('kubernetes/pss-')) settings[r.meta.id] = { pssVersion: flags.pssVersion };
      }
      const result = await checks.checkPaths(paths, {
        ...(flags.severity ? { severities: parseSeverityList(flags.severity) } : {}),
        ...(ignoreFile ? { ignore: await checks.loadCheckIgnoreFile(ignoreFile) } : {}),
        settings,
        maxFileBytes: flags.maxFileSize,
        baseDir: ctx.cwd,
      });
      const text = await renderRuleReport(result, flags, ctx, {
        json: checks.renderCheckJson,
        sarif: checks.renderCheckSarif,
        table: checks.renderCheckTable,
        html: checks.renderCheckHtml,
        rules: async () => (await checks.listRules()).map((r) => r.meta),
      });
      await finishRuleRun(result, text, flags, ctx);
    });
  // addCommand does not inherit the program's exitOverride: usage errors must reach main() (exit 2)
  cmd.exitOverride();
  program.addCommand(cmd);
}
