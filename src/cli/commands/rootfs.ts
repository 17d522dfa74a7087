import { Command } from 'commander';
import { VERSION } from '../version.js';
import type { CliContext } from '../context.js';
import { addScanOptions, commonScanOptions, emitReport, type ScanFlags } from '../scan-common.js';

export function register(program: Command, ctx: CliContext): void {
  const cmd = new Command('rootfs')
    .description(
      'Scan an unpacked root filesystem (a chroot, a debootstrap tree, an exported container) for vulnerable packages',
    )
    .argument('<dir>', 'the root directory; symlinks are resolved inside it, never on the host')
    .addHelpText(
      'after',
      `
Examples:
  $ bulwark rootfs /srv/chroot/bookworm
  $ bulwark rootfs ./rootfs --format json --severity CRITICAL,HIGH --exit-code 1`,
    );
  addScanOptions(cmd).action(async (dir: string, flags: ScanFlags) => {
    const { scanRootfs } = await import('../../scan/index.js');
    const report = await scanRootfs(dir, { ...(await commonScanOptions(flags, ctx)), toolVersion: VERSION });
    await emitReport(report, flags, ctx);
  });
  program.addCommand(cmd);
}
