import path from 'node:path';
import { Command } from 'commander';
import { BulwarkError } from '../../core/errors.js';
import { VERSION } from '../version.js';
import type { CliContext } from '../context.js';
import {
  addScanOptions,
  commonScanOptions,
  emitReport,
  imageSourceOptions,
  type ImageSourceFlags,
  type ScanFlags,
} from '../scan-common.js';

interface ImageFlags extends ScanFlags, ImageSourceFlags {
  input?: string;
  server?: string;
}

/** The demo image as the user would name it: relative when it sits under the working directory. */
function shownPath(p: string): string {
  const rel = path.relative(process.cwd(), p);
  return rel && !rel.startsWith('..') && !path.isAbsolute(rel) ? rel : p;
}

/** The server to upload to and the token for it (BULWARK_TOKEN); a USAGE error when it is missing. */
async function uploadTarget(server: string, ctx: CliContext) {
  const { reportsUrl, uploadReport } = await import('../../server/client.js');
  reportsUrl(server);
  const token = ctx.env.BULWARK_TOKEN;
  if (!token)
    throw new BulwarkError('USAGE', '--server needs an API token in BULWARK_TOKEN', { input: server });
  return { send: (body: string) => uploadReport({ server, token, body }) };
}

export function register(program: Command, ctx: CliContext): void {
  const cmd = new Command('image')
    .description(
      'Scan a container image for vulnerable packages. With no image and no --input, scans the bundled demo image against the bundled demo database (offline).',
    )
    .argument(
      '[ref]',
      'image reference: name[:tag][@digest], looked up in the local Docker daemon, then the registry',
    )
    .option(
      '-i, --input <path>',
      'a `docker save` archive or an OCI layout (directory or tar); `path:tag` picks a tag',
    )
    .option(
      '--platform <os/arch[/variant]>',
      'platform to pick from a multi-platform image (default linux/amd64, then the host)',
    )
    .option('--insecure', 'allow plain HTTP and unverified TLS to a non-loopback registry')
    .option(
      '--docker-config <file>',
      'Docker credentials file (default $DOCKER_CONFIG/config.json or ~/.docker/config.json)',
    )
    .option('--no-daemon', 'do not look in the local Docker daemon (DOCKER_HOST)')
    .option(
      '--server <url>',
      'also upload the JSON report to a bulwark server (token from BULWARK_TOKEN); a failed upload fails the run',
    )
    .addHelpText(
      'after',
      `
Examples:
  $ bulwark image                                   # the offline demo
  $ bulwark image alpine:3.19 --severity CRITICAL,HIGH
  $ bulwark image --input app.tar --format sarif -o bulwark.sarif
  $ bulwark image registry.local:5000/team/api@sha256:... --exit-code 1 --ignore-unfixed
  $ bulwark image --input app.tar --scanners misconfig --severity HIGH,CRITICAL
  $ bulwark image --input app.tar --severity-source nvd,ghsa   # NVD's CVSS before the distribution's rating
  $ BULWARK_TOKEN=bwk_... bulwark image --input app.tar --server https://bulwark.internal:8443

Exit codes: 0 no findings (or --exit-code 0), N from --exit-code when findings remain, 2.. errors (see README).`,
    );
  addScanOptions(cmd).action(async (ref: string | undefined, flags: ImageFlags) => {
    const { scanImage, ensureDemoDatabase, demoImagePath } = await import('../../scan/index.js');
    const demo = !ref && !flags.input;
    // checked before the scan: a missing token should not cost a scan
    const upload = flags.server ? await uploadTarget(flags.server, ctx) : undefined;
    // the demo shows what a real image scan shows: vulnerabilities and image configuration
    const common = await commonScanOptions(flags, ctx, ['vuln', 'misconfig']);
    if (demo)
      ctx.progress.warn('no image given: scanning the bundled demo image with the bundled demo database');
    const report = await scanImage({
      ...common,
      ...(demo
        ? {
            dbPath: flags.db ?? (await ensureDemoDatabase(common.cacheDir, ctx.progress)),
            maxDbAgeDays: 100_000,
          }
        : {}),
      ...(ref ? { ref } : {}),
      ...(demo ? { inputPath: shownPath(demoImagePath()) } : flags.input ? { inputPath: flags.input } : {}),
      ...imageSourceOptions(flags, ctx),
      toolVersion: VERSION,
    });
    // a registry image: do its cosign signatures verify with the configured trust.keys?
    if (ref && !flags.input) {
      const { configuredSignatureStatus } = await import('../trust-common.js');
      const signatures = await configuredSignatureStatus(ref, flags, ctx);
      if (signatures) report.signatures = signatures;
    }
    await emitReport(report, flags, ctx);
    if (upload) {
      const { renderJson } = await import('../../report/index.js');
      const result = await upload.send(renderJson(report));
      ctx.progress.warn(
        `uploaded to ${flags.server}: scan ${result.scanId} of image ${result.imageId}${result.duplicate ? ' (already stored)' : ''}`,
      );
    }
  });
  program.addCommand(cmd);
}
