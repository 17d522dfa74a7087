import { Command } from 'commander';
import type { CliContext } from '../context.js';
import { formatOption } from '../context.js';

interface RulesFlags {
  format: 'table' | 'json';
  target?: string;
  output?: string;
}

export function register(program: Command, ctx: CliContext): void {
  const cmd = new Command('rules')
    .description(
      'List every configuration rule with its id, aliases (hadolint, Trivy, CIS, ...) and severity',
    )
    .addOption(formatOption(['table', 'json']))
    .option('-t, --target <target>', 'only rules for this target (dockerfile, compose, kubernetes, ...)')
    .option('-o, --output <file>', 'write the list to this file instead of stdout')
    .addHelpText(
      'after',
      `
Examples:
  $ bulwark rules
  $ bulwark rules --target dockerfile --format json`,
    )
    .action(async (flags: RulesFlags) => {
      const { listRules } = await import('../../checks/index.js');
      const list = await listRules(flags.target);
      if (flags.format === 'json') {
        const doc = list.map(({ meta, target }) => ({
          id: meta.id,
          aliases: meta.aliases,
          severity: meta.severity,
          title: meta.title,
          target,
          category: meta.category,
          remediation: meta.remediation,
          references: meta.references,
        }));
        await ctx.emit(JSON.stringify(doc, null, 2), flags.output);
        return;
      }
      const Table = (await import('cli-table3')).default;
      const { fitColumns } = await import('../../report/terminal.js');
      const head = ['Rule', 'Severity', 'Aliases', 'Title'];
      const rows = list.map(({ meta }) => [meta.id, meta.severity, meta.aliases.join(' '), meta.title]);
      const t = new Table({
        head,
        style: { head: [], border: [] },
        wordWrap: true,
        // ids whole; aliases and titles share what is left of the terminal
        colWidths: fitColumns([head, ...rows], ['fit', 10, 34, 'rest'], process.stdout.columns || 120),
      });
      t.push(...rows);
      await ctx.emit(`${t.toString()}\n${list.length} rules`, flags.output);
    });
  // addCommand does not inherit the program's exitOverride: usage errors must reach main() (exit 2)
  cmd.exitOverride();
  program.addCommand(cmd);
}
