import { Command, Option } from 'commander';
import { BulwarkError } from '../../core/errors.js';
import type { SbomTarget } from '../../scan/index.js';
import { VERSION } from '../version.js';
import { cacheDirOption, formatOption, type CliContext } from '../context.js';
import {
  addScanOptions,
  commonScanOptions,
  emitReport,
  imageSourceOptions,
  type ImageSourceFlags,
  type ScanFlags,
} from '../scan-common.js';

interface SbomFlags extends ImageSourceFlags {
  format: 'cyclonedx' | 'spdx-json' | 'json';
  output?: string;
  input?: string;
  rootfs?: string;
  timestamp?: Date;
  cacheDir?: string;
  layerCache: boolean;
}

function parseTimestamp(v: string): Date {
  const d = new Date(v);
  if (Number.isNaN(d.getTime()))
    throw new Error('--timestamp takes an ISO 8601 date, e.g. 2026-01-01T00:00:00Z');
  return d;
}

export function register(program: Command, ctx: CliContext): void {
  const cmd = new Command('sbom')
    .description(
      'Write a software bill of materials (CycloneDX 1.6 or SPDX 2.3 JSON) for an image, a root filesystem or a project folder; `sbom scan` finds vulnerabilities in an SBOM',
    )
    .argument(
      '[target]',
      'image reference, image archive, or directory (a root filesystem when it holds etc/os-release or var/lib/dpkg, else a project folder)',
    )
    .addOption(formatOption(['cyclonedx', 'spdx-json', 'json'], 'cyclonedx'))
    .option('-o, --output <file>', 'write the document to a file instead of stdout')
    .option('-i, --input <path>', 'a `docker save` archive or an OCI layout (directory or tar)')
    .option('--rootfs <dir>', 'describe this directory as a root filesystem, whatever it holds')
    .option('--platform <os/arch[/variant]>', 'platform to pick from a multi-platform image')
    .addOption(
      new Option(
        '--timestamp <iso>',
        'document creation time (default: now); for reproducible output',
      ).argParser(parseTimestamp),
    )
    .addOption(cacheDirOption())
    .option('--no-layer-cache', 'analyse every layer afresh and do not write the layer cache')
    .option('--no-daemon', 'do not look in the local Docker daemon (DOCKER_HOST)')
    .option('--insecure', 'allow plain HTTP and unverified TLS to a non-loopback registry')
    .option('--docker-config <file>', 'Docker credentials file')
    // its own options only before `scan`, so `sbom scan f --format json` reaches the subcommand
    .enablePositionalOptions()
    .addHelpText(
      'after',
      `
With no target, describes the bundled demo image. A directory argument is a root filesystem when it
holds etc/os-release or var/lib/dpkg, else a project folder (lockfiles and installed metadata);
--rootfs forces the first. An existing file is read as an image archive; anything else is an image
reference. --format json writes bulwark's own inventory.

Examples:
  $ bulwark sbom alpine:3.19 --format spdx-json -o alpine.spdx.json
  $ bulwark sbom --input app.tar -o app.cdx.json
  $ bulwark sbom ./service --timestamp 2026-01-01T00:00:00Z
  $ bulwark sbom --rootfs /srv/chroot/bookworm --format spdx-json
  $ bulwark sbom scan app.cdx.json --severity CRITICAL,HIGH --exit-code 1`,
    )
    .action(async (arg: string | undefined, flags: SbomFlags) => {
      const scan = await import('../../scan/index.js');
      if ([arg, flags.input, flags.rootfs].filter(Boolean).length > 1)
        throw new BulwarkError('USAGE', 'name one target: an argument, --input or --rootfs');
      const cacheDir = ctx.cacheDir(flags.cacheDir);
      let target: SbomTarget;
      if (flags.rootfs) target = { kind: 'rootfs', dir: flags.rootfs };
      else if (flags.input) target = { kind: 'image', inputPath: flags.input };
      else if (arg) target = await scan.resolveSbomTarget(arg);
      else {
        ctx.progress.warn('no target given: describing the bundled demo image');
        target = { kind: 'image', inputPath: scan.demoImagePath() };
      }
      const inventory = await scan.sbomInventory(target, {
        cacheDir,
        useLayerCache: flags.layerCache,
        progress: ctx.progress,
        ...imageSourceOptions(flags, ctx),
      });
      for (const w of inventory.warnings) ctx.progress.warn(`${w.input ? `${w.input}: ` : ''}${w.message}`);
      let text: string;
      if (flags.format === 'json') text = JSON.stringify(inventory, null, 2);
      else {
        const { renderSbom } = await import('../../sbom/index.js');
        text = await renderSbom(inventory, flags.format, {
          toolVersion: VERSION,
          ...(flags.timestamp ? { timestamp: flags.timestamp } : {}),
        });
      }
      await ctx.emit(text, flags.output);
    });

  const scanCmd = new Command('scan')
    .description(
      'Find vulnerabilities in the components of an SBOM made by any tool (CycloneDX JSON 1.4-1.6, SPDX JSON 2.2/2.3)',
    )
    .argument('<file>', 'the SBOM document')
    .addHelpText(
      'after',
      `
Components need a purl to be matched; those without one are skipped with a warning.

Examples:
  $ bulwark sbom scan app.cdx.json
  $ bulwark sbom scan syft.spdx.json --format json --ignore-unfixed`,
    );
  addScanOptions(scanCmd).action(async (file: string, flags: ScanFlags) => {
    const { scanSbom } = await import('../../scan/index.js');
    const report = await scanSbom(file, { ...(await commonScanOptions(flags, ctx)), toolVersion: VERSION });
    await emitReport(report, flags, ctx);
  });
  cmd.addCommand(scanCmd);
  program.addCommand(cmd);
}
