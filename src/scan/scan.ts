/**
 * The whole flow for `bulwark image` and `bulwark rootfs`: source -> layers -> analyzers ->
 * inventory -> matcher -> policy -> report. Options come from the CLI; nothing here reads flags or
 * the environment.
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import { BulwarkError } from '../core/errors.js';
import type { Limits } from '../core/limits.js';
import { silentProgress, type Progress } from '../core/progress.js';
import type { Inventory, Severity } from '../core/types.js';
import { normalizePackageName } from '../ecosystems/index.js';
import { openSource, scanImageInventory, scanRootfsInventory } from '../image/index.js';
import {
  ANALYZERS,
  analyzerVersions,
  defaultAnalyzers,
  finalizeOsPackage,
  mergeOsFacts,
  osEcosystem,
} from '../inventory/index.js';
import {
  applyPolicy,
  loadIgnoreFile,
  MATCH_DB_BUILD_ID,
  matchInventory,
  type IgnoreEntry,
  type RatingSource,
  type SortOrder,
} from '../match/index.js';
import { parseReference } from '../registry/reference.js';
import { buildScanReport, type ScanReport } from '../report/index.js';
import type { SourcedStatement, VexTarget } from '../vex/index.js';
import type { MatchWarning } from '../match/types.js';
import { dbFreshness, openVulnDb, UPDATE_HINT } from '../vulndb/index.js';
import { analyzerIdsFor, nonVulnFindings, type Scanner } from './misconfig.js';

export interface ScanOptions {
  cacheDir: string;
  dbPath: string;
  /** false: analyse every layer afresh and write nothing to the layer cache */
  useLayerCache?: boolean;
  severities?: Severity[];
  ignoreUnfixed?: boolean;
  /** an ignore file to apply; a missing explicit file is a CONFIG error */
  ignoreFile?: string;
  /** VEX statements (`--vex`, read by the caller) and the warnings reading them gave */
  vex?: { statements: SourcedStatement[]; warnings: MatchWarning[] };
  sort?: SortOrder;
  /** the order severity sources are tried in (default vendor, nvd, ghsa) */
  severitySources?: readonly RatingSource[];
  /** warn when the database is older than this many days */
  maxDbAgeDays?: number;
  limits?: Partial<Limits>;
  progress?: Progress;
  toolVersion: string;
  now?: Date;
  /** what to look for (default `vuln`): vulnerabilities, image misconfigurations, secrets */
  scanners?: readonly Scanner[];
}

export interface ImageScanOptions extends ScanOptions {
  ref?: string;
  inputPath?: string;
  platform?: string;
  dockerHost?: string;
  useDaemon?: boolean;
  /** registry options: credentials file, insecure, env for credential helpers */
  registry?: Record<string, unknown>;
}

/**
 * Every scan kind runs the same three steps: the database is checked before any walking or pulling
 * (with no database, `bulwark rootfs /` used to walk the whole tree for half a minute and only then
 * fail, and a stale database is said before the wait, not after), then the inventory is made, then
 * it is matched. A run without the `vuln` scanner needs no database; a missing input is the more
 * specific error, which its source reports in a moment.
 */
export async function scanTarget(
  input: string | undefined,
  opts: ScanOptions,
  inventory: () => Promise<Inventory>,
): Promise<ScanReport> {
  if ((opts.scanners ?? ['vuln']).includes('vuln') && (input === undefined || existsSync(input)))
    checkDatabase(opts);
  return finish(await inventory(), opts);
}

/** Throws DATABASE when it is missing or unusable; warns when it is stale or built another way. */
function checkDatabase(opts: ScanOptions): void {
  const progress = opts.progress ?? silentProgress;
  const status = dbFreshness(
    opts.dbPath,
    opts.maxDbAgeDays !== undefined ? { maxAgeDays: opts.maxDbAgeDays } : {},
  );
  if (status.stale) {
    progress.warn(
      `the vulnerability database was built ${status.ageDays.toFixed(0)} days ago; ${UPDATE_HINT}`,
    );
  }
  if (status.builtWith !== MATCH_DB_BUILD_ID) {
    // its rows were derived another way (names normalised, listed versions kept): it may miss or
    // slow matches until rebuilt; an update rebuilds every feed rather than reusing these rows
    progress.warn(
      `the vulnerability database was built by another bulwark (${status.builtWith || 'unknown'}, this one uses ${MATCH_DB_BUILD_ID}); ${UPDATE_HINT}`,
    );
  }
}

/** Matcher, policy and report for an inventory: the last step of `scanTarget`. */
async function finish(inventory: Inventory, opts: ScanOptions): Promise<ScanReport> {
  const progress = opts.progress ?? silentProgress;
  const scanners = opts.scanners ?? ['vuln'];
  let ignore: IgnoreEntry[] = [];
  if (opts.ignoreFile) ignore = await loadIgnoreFile(opts.ignoreFile);
  const { checkWarnings = [], ...extra } = await nonVulnFindings(inventory, {
    scanners,
    ...((opts as ImageScanOptions).ref ? { reference: (opts as ImageScanOptions).ref } : {}),
    ...(opts.severities ? { severities: opts.severities } : {}),
    ignore,
    ...(opts.now ? { now: opts.now } : {}),
  });
  if (opts.scanners) extra.scanners = [...opts.scanners];
  if (!scanners.includes('vuln')) {
    // no database needed: the ignore file still warns about expired entries
    const policy = applyPolicy([], { ignore, ...(opts.now ? { now: opts.now } : {}) });
    progress.done();
    return {
      ...buildScanReport({
        inventory,
        match: { findings: [], warnings: checkWarnings },
        policy,
        toolVersion: opts.toolVersion,
        createdAt: opts.now ?? new Date(),
      }),
      ...extra,
    };
  }
  const db = openVulnDb(opts.dbPath, { normalizeName: normalizePackageName });
  try {
    progress.update('matching packages');
    const match = matchInventory(inventory, db, {
      ...(opts.sort ? { sort: opts.sort } : {}),
      ...(opts.severitySources ? { severitySources: opts.severitySources } : {}),
    });
    const policy = applyPolicy(match.findings, {
      ignore,
      ...(opts.vex ? { vex: opts.vex.statements, vexTarget: vexTargetOf(inventory) } : {}),
      ...(opts.severities ? { severities: opts.severities } : {}),
      ...(opts.ignoreUnfixed ? { ignoreUnfixed: true } : {}),
      ...(opts.now ? { now: opts.now } : {}),
    });
    return {
      ...buildScanReport({
        inventory,
        match: { ...match, warnings: [...match.warnings, ...checkWarnings, ...(opts.vex?.warnings ?? [])] },
        policy,
        db: db.metadata(),
        toolVersion: opts.toolVersion,
        createdAt: opts.now ?? new Date(),
      }),
      ...extra,
    };
  } finally {
    db.close();
    progress.done();
  }
}

/** The digests and repositories VEX statements about an image are compared with. */
function vexTargetOf(inventory: Inventory): VexTarget {
  const t = inventory.target;
  const digests = new Set<string>();
  const repositories = new Set<string>();
  if (t.digest) digests.add(t.digest);
  for (const d of t.repoDigests ?? []) {
    const at = d.lastIndexOf('@');
    if (at > 0) digests.add(d.slice(at + 1));
  }
  for (const name of [...(t.repoTags ?? []), ...(t.repoDigests ?? []), t.name]) {
    try {
      repositories.add(parseReference(name).name);
    } catch {
      // a path, not a reference
    }
  }
  return { digests: [...digests], repositories: [...repositories] };
}

/** What `imageInventory` needs: the image options without the database and report fields. */
export type ImageInventoryOptions = Pick<
  ImageScanOptions,
  | 'ref'
  | 'inputPath'
  | 'platform'
  | 'dockerHost'
  | 'useDaemon'
  | 'registry'
  | 'limits'
  | 'cacheDir'
  | 'useLayerCache'
  | 'progress'
  | 'scanners'
>;

export async function scanImage(opts: ImageScanOptions): Promise<ScanReport> {
  return scanTarget(opts.inputPath, opts, () => imageInventory(opts));
}

/** Source -> layers -> analyzers -> inventory for an image (no database: `bulwark sbom` stops here). */
export async function imageInventory(opts: ImageInventoryOptions): Promise<Inventory> {
  if (!opts.ref && !opts.inputPath) throw new BulwarkError('USAGE', 'name an image reference or --input');
  const progress = opts.progress ?? silentProgress;
  const source = await openSource({
    ...(opts.ref ? { ref: opts.ref } : {}),
    ...(opts.inputPath ? { inputPath: opts.inputPath } : {}),
    ...(opts.dockerHost ? { dockerHost: opts.dockerHost } : {}),
    ...(opts.useDaemon === false ? { useDaemon: false } : {}),
    ...(opts.platform ? { platform: opts.platform } : {}),
    ...(opts.limits ? { limits: opts.limits } : {}),
    ...(opts.registry ? { registry: opts.registry } : {}),
    cacheDir: opts.cacheDir,
  });
  let inventory: Inventory;
  try {
    const ids = analyzerIdsFor(Object.keys(ANALYZERS), opts.scanners ?? ['vuln']);
    inventory = await scanImageInventory(source, {
      // the cache keys come from the version table: a rescan with every layer cached loads no analyzer
      analyzers: { versions: analyzerVersions(ids, 'image'), load: () => defaultAnalyzers(ids, 'image') },
      osEcosystem,
      mergeOs: mergeOsFacts,
      finalizePackage: finalizeOsPackage,
      ...(opts.useLayerCache === false ? {} : { cacheDir: opts.cacheDir }),
      // large entries for random-access analyzers spill here even when the layer cache is off
      tempDir: path.join(opts.cacheDir, 'tmp'),
      ...(opts.limits ? { limits: opts.limits } : {}),
      progress,
    });
  } finally {
    await source.close();
  }
  return inventory;
}

export async function scanRootfs(dir: string, opts: ScanOptions): Promise<ScanReport> {
  return scanTarget(dir, opts, async () =>
    scanRootfsInventory(dir, {
      analyzers: await defaultAnalyzers(
        analyzerIdsFor(Object.keys(ANALYZERS), opts.scanners ?? ['vuln']),
        'rootfs',
      ),
      osEcosystem,
      mergeOs: mergeOsFacts,
      finalizePackage: finalizeOsPackage,
      ...(opts.limits ? { limits: opts.limits } : {}),
      ...(opts.progress ? { progress: opts.progress } : {}),
    }),
  );
}
