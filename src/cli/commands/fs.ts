import { Command } from 'commander';
import { VERSION } from '../version.js';
import type { CliContext } from '../context.js';
import { addScanOptions, commonScanOptions, emitReport, type ScanFlags } from '../scan-common.js';

export function register(program: Command, ctx: CliContext): void {
  const cmd = new Command('fs')
    .description(
      'Scan a project folder for vulnerable dependencies: lockfiles and installed package metadata (node_modules, site-packages, vendor, ...)',
    )
    .argument('<dir>', 'the folder; symlinks are resolved inside it, never on the host')
    .addHelpText(
      'after',
      `
Examples:
  $ bulwark fs .
  $ bulwark fs ./service --format json --severity CRITICAL,HIGH --exit-code 1
  $ bulwark fs ./service --format cyclonedx -o service.cdx.json   # inventory + vulnerabilities`,
    );
  addScanOptions(cmd).action(async (dir: string, flags: ScanFlags) => {
    const { scanFs } = await import('../../scan/index.js');
    const report = await scanFs(dir, { ...(await commonScanOptions(flags, ctx)), toolVersion: VERSION });
    await emitReport(report, flags, ctx);
  });
  program.addCommand(cmd);
}
