import { existsSync } from 'node:fs';
import path from 'node:path';
import { Option, type Command } from 'commander';
import { BulwarkError } from '../core/errors.js';
import type { Severity } from '../core/types.js';
import type { Scanner } from '../scan/misconfig.js';
import type { ReportFormat, ScanReport } from '../report/index.js';
import type { SourcedStatement } from '../vex/index.js';
import { cacheDirOption, dbOption, formatOption, intOption, type CliContext } from './context.js';

/**
 * The scan report formats, spelled here so registering a command does not load the renderers; a
 * test checks they equal the report module's REPORT_FORMATS.
 */
export const SCAN_FORMATS: readonly ReportFormat[] = ['table', 'json', 'sarif', 'cyclonedx', 'html'];

/** Flags shared by every vulnerability scan (image, rootfs). */
export function addScanOptions(cmd: Command): Command {
  return cmd
    .addOption(formatOption([...SCAN_FORMATS]))
    .option('-o, --output <file>', 'write the report to a file instead of stdout')
    .option('-s, --severity <list>', 'report only these severities (e.g. CRITICAL,HIGH)')
    .option('--ignore-unfixed', 'hide vulnerabilities that have no fixed version yet')
    .addOption(
      intOption('--exit-code <n>', 'exit with this code when findings remain after filtering', 0, 255, 0),
    )
    .option(
      '--ignore-file <file>',
      'ignore file with reasons and expiry dates (default: ./.bulwarkignore.yaml if present)',
    )
    .option(
      '--vex <file|url>',
      'apply an OpenVEX or CycloneDX VEX document: not_affected/fixed suppress, affected/under_investigation annotate (repeatable; a bulwark server URL gets BULWARK_TOKEN)',
      (v: string, prev: string[] = []) => [...prev, v],
    )
    .addOption(
      new Option('--sort <order>', 'finding order').choices(['severity', 'risk']).default('severity'),
    )
    .option(
      '--severity-source <list>',
      'where severities come from, first that rates wins: vendor (distribution), nvd, ghsa (advisory records) (default: vendor,nvd,ghsa)',
    )
    .option(
      '--scanners <list>',
      'what to look for: vuln, misconfig (image configuration and hygiene), secret (default: vuln,misconfig for images, vuln otherwise)',
    )
    .addOption(cacheDirOption())
    .addOption(dbOption())
    .option('--no-layer-cache', 'analyse every layer afresh and do not write the layer cache')
    .addOption(
      new Option(
        '--max-db-age <days>',
        'warn when the database is older than this (default: config db.maxAgeDays, else 7)',
      ).argParser(Number),
    );
}

export interface ScanFlags {
  format: ReportFormat;
  output?: string;
  severity?: string;
  ignoreUnfixed?: boolean;
  exitCode: number;
  ignoreFile?: string;
  vex?: string[];
  sort: 'severity' | 'risk';
  severitySource?: string;
  cacheDir?: string;
  db?: string;
  layerCache: boolean;
  maxDbAge?: number;
  scanners?: string;
}

export async function commonScanOptions(
  flags: ScanFlags,
  ctx: CliContext,
  defaultScanners: readonly Scanner[] = ['vuln'],
) {
  const { parseSeverityList, parseSeveritySources, IGNORE_FILE_NAME } = await import('../match/index.js');
  const sources = flags.severitySource === undefined ? undefined : parseSeveritySources(flags.severitySource);
  if (sources && !Array.isArray(sources))
    throw new BulwarkError(
      'USAGE',
      `unknown severity source ${JSON.stringify(sources.unknown)} (vendor, nvd, ghsa)`,
      { input: flags.severitySource },
    );
  const scanners = flags.scanners ? parseScanners(flags.scanners) : [...defaultScanners];
  const severities: Severity[] | undefined = flags.severity ? parseSeverityList(flags.severity) : undefined;
  const implicitIgnore = path.join(ctx.cwd, IGNORE_FILE_NAME);
  const ignoreFile = flags.ignoreFile ?? (existsSync(implicitIgnore) ? implicitIgnore : undefined);
  const vex = flags.vex?.length ? await loadVexFlags(flags.vex, ctx) : undefined;
  return {
    ...(vex ? { vex } : {}),
    cacheDir: ctx.cacheDir(flags.cacheDir),
    dbPath: ctx.dbPath(flags),
    useLayerCache: flags.layerCache,
    ...(severities ? { severities } : {}),
    ...(flags.ignoreUnfixed ? { ignoreUnfixed: true } : {}),
    ...(ignoreFile ? { ignoreFile } : {}),
    sort: flags.sort,
    ...(sources ? { severitySources: sources } : {}),
    maxDbAgeDays: flags.maxDbAge ?? ctx.config().db?.maxAgeDays ?? 7,
    progress: ctx.progress,
    scanners,
  };
}

/** Every `--vex` document, read before the scan starts (a missing file fails fast). */
async function loadVexFlags(sources: string[], ctx: CliContext) {
  const { loadVex } = await import('../vex/index.js');
  const statements: SourcedStatement[] = [];
  const warnings: { code: string; message: string; input?: string }[] = [];
  for (const source of sources) {
    const doc = await loadVex(source, ctx.env.BULWARK_TOKEN ? { token: ctx.env.BULWARK_TOKEN } : {});
    for (const statement of doc.statements) statements.push({ statement, source });
    for (const w of doc.warnings) warnings.push({ ...w, input: w.input ?? source });
  }
  return { statements, warnings };
}

const SCANNER_NAMES: readonly Scanner[] = ['vuln', 'misconfig', 'secret'];

/** `--scanners vuln,secret`; unknown names are a USAGE error. */
export function parseScanners(value: string): Scanner[] {
  const out: Scanner[] = [];
  for (const raw of value.split(',')) {
    const s = raw.trim().toLowerCase();
    if (!s) continue;
    if (!(SCANNER_NAMES as readonly string[]).includes(s))
      throw new BulwarkError(
        'USAGE',
        `unknown scanner ${JSON.stringify(raw.trim())} (vuln, misconfig, secret)`,
        {
          input: value,
        },
      );
    if (!out.includes(s as Scanner)) out.push(s as Scanner);
  }
  if (!out.length) throw new BulwarkError('USAGE', '--scanners needs at least one scanner', { input: value });
  return out;
}

/** Renders, writes and sets the exit code: `--exit-code` only when findings remain. */
export async function emitReport(report: ScanReport, flags: ScanFlags, ctx: CliContext): Promise<void> {
  const { renderReport } = await import('../report/index.js');
  const color = flags.format === 'table' && !flags.output && Boolean(ctx.stdout.isTTY) && !ctx.env.NO_COLOR;
  const text = await renderReport(flags.format, report, { color });
  for (const w of report.warnings) ctx.progress.warn(`${w.input ? `${w.input}: ` : ''}${w.message}`);
  await ctx.emit(text, flags.output);
  const remaining =
    report.findings.length + (report.misconfigurations?.length ?? 0) + (report.secrets?.length ?? 0);
  if (remaining > 0 && flags.exitCode) process.exitCode = flags.exitCode;
}

/** Flags that say where an image comes from and how to reach it (image and sbom). */
export interface ImageSourceFlags {
  platform?: string;
  insecure?: boolean;
  dockerConfig?: string;
  daemon: boolean;
}

/**
 * Source options for an image from flags and environment: DOCKER_HOST, DOCKER_CONFIG (else
 * ~/.docker/config.json), PATH for credential helpers, the host platform as the fallback.
 */
export function imageSourceOptions(flags: ImageSourceFlags, ctx: CliContext) {
  const dockerConfigPath =
    flags.dockerConfig ??
    (ctx.env.DOCKER_CONFIG
      ? `${ctx.env.DOCKER_CONFIG}/config.json`
      : `${ctx.env.HOME ?? ''}/.docker/config.json`);
  return {
    ...(flags.platform ? { platform: flags.platform } : {}),
    ...(ctx.env.DOCKER_HOST ? { dockerHost: ctx.env.DOCKER_HOST } : {}),
    useDaemon: flags.daemon,
    registry: {
      dockerConfigPath,
      insecure: Boolean(flags.insecure),
      env: { PATH: ctx.env.PATH ?? '' },
      hostPlatform: { platform: process.platform, arch: process.arch },
    },
  };
}
