import { existsSync } from 'node:fs';
import path from 'node:path';
import { Command, Option } from 'commander';
import { BulwarkError, ERROR_CODES, type ErrorCode } from '../../core/errors.js';
import type { CliContext } from '../context.js';
import { cacheDirOption, dbOption, formatOption, intOption } from '../context.js';
import { imageSourceOptions } from '../scan-common.js';
import { addRegistryOptions, registryClientFor } from '../trust-common.js';
import { VERSION } from '../version.js';

interface K8sFlags {
  kubeconfig?: string;
  context?: string;
  inCluster?: boolean;
  serviceAccountDir?: string;
  namespace?: string[];
  selector?: string;
  chunkSize: number;
  skipImages?: boolean;
  imagesFrom?: string[];
  policy?: string;
  now?: string;
  offline?: boolean;
  format: 'table' | 'json' | 'sarif' | 'html';
  output?: string;
  exitCode?: number;
  insecure?: boolean;
  dockerConfig?: string;
  platform?: string;
  cacheDir?: string;
  db?: string;
  layerCache: boolean;
  maxDbAge?: number;
  timeout: number;
}

const collectList = (v: string, prev: string[] = []) => [
  ...prev,
  ...v
    .split(',')
    .map((x) => x.trim())
    .filter(Boolean),
];

function parseNow(v: string | undefined): Date | undefined {
  if (v === undefined) return undefined;
  const t = Date.parse(/^\d{4}-\d{2}-\d{2}$/.test(v) ? `${v}T00:00:00Z` : v);
  if (Number.isNaN(t))
    throw new BulwarkError('USAGE', '--now takes a date (YYYY-MM-DD) or an ISO time', { input: v });
  return new Date(t);
}

/** kubectl's order: --kubeconfig, the first file of KUBECONFIG, ~/.kube/config; else the pod's service account. */
function connectOptions(flags: K8sFlags, ctx: CliContext) {
  const env = ctx.env;
  const fromEnv = env.KUBECONFIG?.split(path.delimiter).find(Boolean);
  const home = env.HOME ? path.join(env.HOME, '.kube', 'config') : undefined;
  const kubeconfig = flags.kubeconfig ?? fromEnv ?? (home && existsSync(home) ? home : undefined);
  const timeoutMs = flags.timeout * 1000;
  if (flags.inCluster || (!kubeconfig && env.KUBERNETES_SERVICE_HOST)) {
    if (!env.KUBERNETES_SERVICE_HOST)
      throw new BulwarkError('USAGE', '--in-cluster needs KUBERNETES_SERVICE_HOST (set in every pod)');
    return {
      inCluster: {
        host: env.KUBERNETES_SERVICE_HOST,
        port: env.KUBERNETES_SERVICE_PORT ?? '443',
        ...(flags.serviceAccountDir ? { serviceAccountDir: flags.serviceAccountDir } : {}),
      },
      timeoutMs,
    };
  }
  if (!kubeconfig)
    throw new BulwarkError(
      'USAGE',
      'no kubeconfig: give --kubeconfig, set KUBECONFIG, create ~/.kube/config, or run in a pod (--in-cluster)',
    );
  return { kubeconfig, ...(flags.context ? { context: flags.context } : {}), timeoutMs };
}

export function register(program: Command, ctx: CliContext): void {
  const cmd = new Command('k8s')
    .description(
      'Read a cluster through its API: workloads checked for Pod Security and hardening, NetworkPolicies, image vulnerabilities and a policy, reported per namespace',
    )
    .option(
      '--kubeconfig <file>',
      'kubeconfig file (default: the first file in KUBECONFIG, else ~/.kube/config)',
    )
    .option('--context <name>', "the kubeconfig's context to use (default its current-context)")
    .option(
      '--in-cluster',
      "use the pod's service account (KUBERNETES_SERVICE_HOST/PORT, token and CA under --service-account-dir)",
    )
    .option(
      '--service-account-dir <dir>',
      'where the service account token, ca.crt and namespace are (default /var/run/secrets/kubernetes.io/serviceaccount)',
    )
    .option(
      '-n, --namespace <names>',
      'only these namespaces (repeat or comma-separate; default all)',
      collectList,
    )
    .option('-l, --selector <selector>', 'label selector for workloads (app=web,tier!=db)')
    .addOption(
      intOption('--chunk-size <n>', 'objects per API page (limit/continue), as kubectl', 1, 10_000, 500),
    )
    .addOption(intOption('--timeout <seconds>', 'per API request', 1, 3600, 30))
    .option('--skip-images', 'do not scan images (the policy treats their facts as missing)')
    .option(
      '--images-from <reports>',
      'bulwark JSON scan reports (files or folders; repeat or comma-separate): their images are not pulled',
      collectList,
    )
    .option('-p, --policy <file>', 'evaluate this policy (kind: Policy) on every workload')
    .option('--now <date>', 'evaluate the policy as of this date (exception expiry, finding ages)')
    .option('--offline', "do not check signatures in registries (the policy's missingFacts decides)")
    .addOption(formatOption(['table', 'json', 'sarif', 'html']))
    .option('-o, --output <file>', 'write the report to this file instead of stdout')
    .addOption(
      new Option(
        '--exit-code <n>',
        'exit with this code when the policy denies a workload (default 1), or without --policy when findings remain (default 0)',
      ).argParser((v) => {
        const n = Number(v);
        if (!Number.isInteger(n) || n < 0 || n > 255) throw new Error('--exit-code takes 0..255');
        return n;
      }),
    )
    .option(
      '--platform <os/arch[/variant]>',
      'platform to scan from multi-platform images (default linux/amd64)',
    )
    .addOption(cacheDirOption())
    .addOption(dbOption())
    .option('--no-layer-cache', 'analyse every layer afresh and do not write the layer cache')
    .addOption(
      new Option('--max-db-age <days>', 'warn when the database is older than this (default 7)').argParser(
        Number,
      ),
    );
  addRegistryOptions(cmd)
    .addHelpText(
      'after',
      `
Reads, in every namespace (or those of -n): Pods, Deployments, DaemonSets, StatefulSets,
ReplicaSets, Jobs, CronJobs and NetworkPolicies, paged as kubectl pages them. A Pod, ReplicaSet
or Job whose controller was listed too is not checked again. Each image is scanned once (by the
digest its pods run when they report one), unless --skip-images or --images-from supply the facts;
an image that cannot be pulled is reported and the rest are still checked. Needs read access to
those kinds (examples/k8s/clusterrole.yaml); a namespace it may not read is reported, not fatal.

Examples:
  $ bulwark k8s --context prod -f html -o cluster.html
  $ bulwark k8s -n shop,payments --policy policy.yaml
  $ bulwark k8s --skip-images -l app=web -f json
  $ bulwark k8s --images-from reports/ --policy policy.yaml -f sarif -o k8s.sarif
  $ bulwark k8s --in-cluster --policy /etc/bulwark/policy.yaml     # as a CronJob in the cluster

Exit codes: 0 done; with --policy N from --exit-code (default 1) when a workload is denied (never
in audit mode); without --policy N from --exit-code (default 0) when findings remain; 3 the
kubeconfig, its context or the policy is invalid, or the API server rejects the credentials; a
namespace that could not be read or an image that could not be scanned sets its error's code
(4 forbidden, 5 malformed, 7 too large, 9-12 registry or network) after the report is printed.`,
    )
    .action(async (flags: K8sFlags) => {
      const k8s = await import('../../k8s/index.js');
      const now = parseNow(flags.now);
      if (flags.skipImages && flags.imagesFrom)
        throw new BulwarkError('USAGE', '--skip-images and --images-from do not combine');
      const pol = flags.policy ? await import('../../policy/index.js') : undefined;
      const loaded = pol && flags.policy ? await pol.loadPolicy(flags.policy) : undefined;
      const conn = await k8s.connectCluster(connectOptions(flags, ctx));

      const inputErrors: { file: string; code: ErrorCode; message: string }[] = [];
      let facts;
      if (flags.imagesFrom) {
        const read = await k8s.readImageReports(flags.imagesFrom);
        inputErrors.push(...read.errors);
        facts = k8s.factsFromReports(read.reports);
      }
      let scanImage: ((ref: string) => Promise<Record<string, unknown>>) | undefined;
      if (!flags.skipImages && !flags.imagesFrom) {
        const { scanImage: scan } = await import('../../scan/index.js');
        const { renderJson } = await import('../../report/index.js');
        const source = imageSourceOptions({ ...flags, daemon: false }, ctx);
        const base = {
          cacheDir: ctx.cacheDir(flags.cacheDir),
          dbPath: ctx.dbPath(flags),
          useLayerCache: flags.layerCache,
          maxDbAgeDays: flags.maxDbAge ?? ctx.config().db?.maxAgeDays ?? 7,
          progress: ctx.progress,
          scanners: ['vuln' as const],
          toolVersion: VERSION,
          ...(now ? { now } : {}),
        };
        scanImage = async (ref) => {
          ctx.progress.warn(`scanning ${ref}`);
          const report = await scan({ ...base, ...source, ref });
          return JSON.parse(renderJson(report)) as Record<string, unknown>;
        };
      }
      let close = () => {};
      let verifySignatures;
      if (pol && loaded?.policy.spec.signatures && !flags.offline) {
        const sign = await import('../../sign/index.js');
        const { RegistryClient } = await import('../../registry/index.js');
        const trusts = await pol.trustPoliciesOf(loaded);
        const client = registryClientFor(flags, ctx, RegistryClient);
        const cache = new sign.PayloadCache();
        close = () => client.close();
        verifySignatures = (image: string, warn: (m: string) => void) =>
          pol.signatureFact(image, trusts, client, cache, warn);
      }
      try {
        const result = await k8s.checkCluster(conn, {
          ...(flags.namespace?.length ? { namespaces: flags.namespace } : {}),
          ...(flags.selector ? { labelSelector: flags.selector } : {}),
          chunkSize: flags.chunkSize,
          ...(loaded ? { policy: loaded } : {}),
          ...(now ? { now } : {}),
          ...(scanImage ? { scanImage } : {}),
          ...(facts ? { facts } : {}),
          ...(verifySignatures ? { verifySignatures } : {}),
        });
        for (const e of inputErrors) result.warnings.push(`--images-from ${e.file}: ${e.code}: ${e.message}`);
        const checks = await import('../../checks/index.js');
        const rules = [...(await checks.listRules('kubernetes')), ...(await checks.listRules('netpol'))].map(
          (r) => r.meta,
        );
        const opts = {
          toolVersion: VERSION,
          color: flags.format === 'table' && !flags.output && Boolean(ctx.stdout.isTTY) && !ctx.env.NO_COLOR,
          ...(ctx.stdout.columns ? { width: ctx.stdout.columns } : {}),
          rules,
        };
        const text =
          flags.format === 'json'
            ? k8s.renderK8sJson(result, opts)
            : flags.format === 'sarif'
              ? k8s.renderK8sSarif(result, opts)
              : flags.format === 'html'
                ? k8s.renderK8sHtml(result, opts)
                : k8s.renderK8sTable(result, opts);
        await ctx.emit(text, flags.output);
        const errors = [
          ...inputErrors.map((e) => ({ code: e.code, input: e.file, message: e.message })),
          ...result.namespaces.flatMap((n) =>
            n.error ? [{ code: n.error.code, input: `namespace ${n.name}`, message: n.error.message }] : [],
          ),
          ...result.images.flatMap((i) => (i.error ? [{ ...i.error, input: i.key }] : [])),
        ];
        if (flags.format !== 'table')
          for (const e of errors)
            ctx.stderr.write(
              `${new BulwarkError(e.code, e.message, { input: e.input }).toDisplayString()}\n`,
            );
        const s = k8s.k8sSummary(result);
        const exitCode = flags.exitCode ?? (loaded ? 1 : 0);
        const failed = loaded ? s.denied > 0 : s.findings + s.netpolFindings + s.vulnerabilities > 0;
        if (errors[0]) process.exitCode = ERROR_CODES[errors[0].code];
        else if (failed && exitCode) process.exitCode = exitCode;
      } finally {
        close();
      }
    });
  cmd.exitOverride();
  program.addCommand(cmd);
}
