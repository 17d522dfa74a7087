import { Command, Option } from 'commander';
import type { CliContext } from '../context.js';
import { finishRuleRun, renderRuleReport, ruleIgnoreFile } from '../rule-output.js';
import { addRuleReportOptions } from '../context.js';

interface SecretsFlags {
  format: 'table' | 'json' | 'sarif';
  severity?: string;
  exitCode: number;
  ignoreFile?: string;
  output?: string;
  maxFileSize: number;
  allDirs?: boolean;
  skipPath: string[];
}

const positiveInt = (flag: string) => (v: string) => {
  const n = Number(v);
  if (!Number.isInteger(n) || n <= 0) throw new Error(`${flag} takes a positive integer`);
  return n;
};

export function register(program: Command, ctx: CliContext): void {
  const cmd = addRuleReportOptions(new Command('secrets'))
    .description(
      'Find leaked credentials (cloud keys, tokens, private keys, passwords in URLs and assignments) in files and folders; matches are always redacted',
    )
    .argument('<paths...>', 'files or folders to scan (folders recursively)')
    .addOption(
      new Option('--max-file-size <bytes>', 'larger files are skipped (listed as skipped)')
        .argParser(positiveInt('--max-file-size'))
        .default(10 * 1024 * 1024),
    )
    .option('--all-dirs', 'also enter .git, .hg, .svn and node_modules folders (skipped by default)')
    .option(
      '--skip-path <glob>',
      'do not scan files matching this glob, relative to the folder named (repeatable; ** any folders, * within a name)',
      (v: string, prev: string[]) => [...prev, v],
      [] as string[],
    )
    .addHelpText(
      'after',
      `
Examples:
  $ bulwark secrets .
  $ bulwark secrets config/ .env --severity CRITICAL,HIGH --exit-code 1
  $ bulwark secrets src --format sarif -o secrets.sarif
  $ bulwark secrets . --skip-path '**/testdata/**' --skip-path '**/*.min.js'
  $ bulwark rules --target secrets           # every rule with its gitleaks alias

Binary files (a NUL byte in the first 8 KiB) and files over --max-file-size are skipped.
Symbolic links are followed only while they stay inside the folder named.
Silence one finding with a reason, on its line or the line above (any comment style):
  # bulwark:ignore=secrets/generic-password reason: test fixture, not a real password

Exit codes: 0 no findings (or --exit-code 0), N from --exit-code when findings remain,
4 when a path does not exist or a file cannot be read.`,
    )
    .action(async (paths: string[], flags: SecretsFlags) => {
      const secrets = await import('../../secrets/index.js');
      const { loadCheckIgnoreFile, listRules } = await import('../../checks/index.js');
      const { parseSeverityList } = await import('../../match/policy.js');
      const ignoreFile = ruleIgnoreFile(flags, ctx);
      const result = await secrets.scanSecretPaths(paths, {
        ...(flags.severity ? { severities: parseSeverityList(flags.severity) } : {}),
        ...(ignoreFile ? { ignore: await loadCheckIgnoreFile(ignoreFile) } : {}),
        ...(flags.allDirs ? { skipDirs: [] } : {}),
        ...(flags.skipPath.length ? { skipPaths: flags.skipPath } : {}),
        maxFileBytes: flags.maxFileSize,
        baseDir: ctx.cwd,
      });
      const text = await renderRuleReport(result, flags, ctx, {
        json: secrets.renderSecretsJson,
        sarif: secrets.renderSecretsSarif,
        table: secrets.renderSecretsTable,
        rules: async () => (await listRules('secrets')).map((r) => r.meta),
      });
      // a skipped file is never silent: name it, its size, and how to include it
      for (const sk of result.skipped)
        if (sk.reason === 'too-large')
          ctx.stderr.write(
            `skipped ${sk.file}: ${sk.bytes ?? '?'} bytes, over the --max-file-size limit of ${flags.maxFileSize} bytes (raise it with --max-file-size <bytes>)\n`,
          );
      await finishRuleRun(result, text, flags, ctx);
    });
  // addCommand does not inherit the program's exitOverride: usage errors must reach main() (exit 2)
  cmd.exitOverride();
  program.addCommand(cmd);
}
