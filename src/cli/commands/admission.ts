import { chmod, mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { Command, Option } from 'commander';
import { BulwarkError } from '../../core/errors.js';
import { VERSION } from '../version.js';
import type { AdmissionFacts } from '../../admission/index.js';
import type { CliContext } from '../context.js';
import { formatOption, intOption } from '../context.js';
import { addRegistryOptions, collect, readSmallFile, registryClientFor } from '../trust-common.js';

function hostPort(v: string): { host: string; port: number } {
  const m = /^(\[[^\]]+\]|[^:]+):(\d{1,5})$/.exec(v);
  const port = m ? Number(m[2]) : NaN;
  if (!m || port > 65535) throw new BulwarkError('USAGE', '--listen takes HOST:PORT', { input: v });
  return { host: m[1]!.replace(/^\[|\]$/g, ''), port };
}

function failurePolicyOption(): Option {
  return new Option(
    '--failure-policy <p>',
    'when the webhook cannot decide: open (allow, warn) or closed (deny)',
  )
    .choices(['open', 'closed'])
    .default('closed');
}

interface ServeFlags {
  listen: string;
  tlsCert: string;
  tlsKey: string;
  policy: string;
  facts?: string;
  factsRefresh: number;
  failurePolicy: 'open' | 'closed';
  budgetMs: number;
  dryRun?: boolean;
  offline?: boolean;
  signatureTtl: number;
  format: 'json' | 'text';
  insecure?: boolean;
  dockerConfig?: string;
}

export function register(program: Command, ctx: CliContext): void {
  const admission = new Command('admission').description(
    'Kubernetes admission webhook: the policy of "bulwark policy check" enforced when workloads are created',
  );

  const serve = new Command('serve')
    .description('Serve the validating (/validate) and mutating (/mutate) webhook over HTTPS')
    .option('--listen <host:port>', 'address to listen on', '127.0.0.1:8443')
    .requiredOption('--tls-cert <file>', 'serving certificate (PEM), e.g. from "bulwark admission certs"')
    .requiredOption('--tls-key <file>', 'its private key (PEM)')
    .requiredOption('-p, --policy <file>', 'policy file (kind: Policy)')
    .option('--facts <dir>', 'directory of bulwark scan reports (bulwark image -f json) filled ahead of time')
    .addOption(
      intOption(
        '--facts-refresh <seconds>',
        'reload the facts directory this often (0: never)',
        0,
        86400,
        60,
      ),
    )
    .addOption(failurePolicyOption())
    .addOption(
      intOption('--budget-ms <ms>', 'longest a review waits for facts that are not cached', 0, 30000, 1000),
    )
    .option('--dry-run', 'audit only: admit everything, return what the policy would deny as warnings')
    .option('--offline', 'never contact registries (signatures and digests only from the facts directory)')
    .addOption(formatOption(['json', 'text'], 'json'))
    .addOption(
      intOption(
        '--signature-ttl <seconds>',
        'keep signature verdicts and tag digests this long',
        1,
        86400,
        300,
      ),
    );
  addRegistryOptions(serve)
    .addHelpText(
      'after',
      `
Every workload kind is reviewed through its pod template (Pods, Deployments, StatefulSets,
DaemonSets, ReplicaSets, ReplicationControllers, Jobs, CronJobs, PodTemplates); other objects,
DELETE and CONNECT are allowed. Denials carry every violated rule; warnings carry audit-mode
violations, missing facts and expired exceptions. A signature or tag digest that is not cached
is fetched from the registry for at most --budget-ms; after that the policy's missingFacts
decides and the fetch goes on to fill the cache. /mutate pins tags to digests (a JSONPatch).
/healthz, /readyz and /metrics (Prometheus) are served too. Denials and errors are logged to
stderr as JSON lines.

Examples:
  $ bulwark admission certs --service bulwark --namespace bulwark-system --output-dir certs/
  $ bulwark admission serve --tls-cert certs/tls.crt --tls-key certs/tls.key --policy policy.yaml --facts reports/

Exit codes: 0 after SIGINT/SIGTERM; 3 invalid policy; 4 a file not found; 2 usage.`,
    )
    .action(async (flags: ServeFlags) => {
      const { host, port } = hostPort(flags.listen);
      const pol = await import('../../policy/index.js');
      const adm = await import('../../admission/index.js');
      const loaded = await pol.loadPolicy(flags.policy);
      if (flags.dryRun) loaded.policy.spec.mode = 'audit';
      const cert = await readSmallFile(flags.tlsCert);
      const key = await readSmallFile(flags.tlsKey);
      // log lines on stderr: JSON lines (default, for log collectors) or text for a terminal
      const log = (entry: Record<string, unknown>) => {
        const time = new Date().toISOString();
        if (flags.format === 'text') {
          const { msg, ...rest } = entry;
          const extra = Object.keys(rest).length ? ` ${JSON.stringify(rest)}` : '';
          ctx.stderr.write(`${time} ${String(msg)}${extra}\n`);
        } else ctx.stderr.write(`${JSON.stringify({ time, ...entry })}\n`);
      };
      const loadReports = async () => {
        if (!flags.facts) return new pol.FactsIndex();
        const r = await adm.loadReportDir(flags.facts);
        for (const e of r.errors) log({ msg: 'facts file skipped', file: e.file, error: e.message });
        log({ msg: 'facts loaded', dir: flags.facts, reports: r.loaded });
        return r.index;
      };
      const facts: AdmissionFacts = { reports: await loadReports() };
      let close = () => {};
      if (!flags.offline) {
        const sign = await import('../../sign/index.js');
        const { RegistryClient } = await import('../../registry/index.js');
        const client = registryClientFor(flags, ctx, RegistryClient);
        close = () => client.close();
        const ttl = flags.signatureTtl * 1000;
        if (loaded.policy.spec.signatures) {
          const trusts = await pol.trustPoliciesOf(loaded);
          const cache = new sign.PayloadCache();
          facts.signatures = new adm.BudgetCache(
            (image) => pol.signatureFact(image, trusts, client, cache, (m) => log({ msg: m })),
            ttl,
          );
        }
        facts.digests = new adm.BudgetCache(
          adm.digestFetcher((ref, r) => client.getManifest(ref, r)),
          ttl,
        );
      }
      const running = await adm.startAdmissionServer(host, port, {
        cert,
        key,
        policy: loaded.policy,
        facts,
        failurePolicy: flags.failurePolicy,
        budgetMs: flags.budgetMs,
        log,
      });
      log({
        msg: `bulwark admission webhook listening on ${running.url}`,
        policy: loaded.policy.metadata.name,
        mode: loaded.policy.spec.mode,
      });
      const timer =
        flags.facts && flags.factsRefresh > 0
          ? setInterval(() => {
              loadReports()
                .then((reports) => running.setFacts({ ...facts, reports }))
                .catch((e: unknown) => log({ msg: 'facts reload failed', error: (e as Error).message }));
            }, flags.factsRefresh * 1000)
          : undefined;
      await new Promise<void>((resolve) => {
        const stop = () => resolve();
        process.once('SIGINT', stop);
        process.once('SIGTERM', stop);
      });
      if (timer) clearInterval(timer);
      await running.close();
      close();
    });

  const certs = new Command('certs')
    .description("Make a CA and a serving certificate for the webhook's Service (ECDSA P-256)")
    .option('--service <name>', 'Service name', 'bulwark-admission')
    .option('--namespace <ns>', 'namespace of the Service', 'bulwark-system')
    .option('--dns <name>', 'another DNS name for the certificate (repeatable)', collect)
    .option('--ip <address>', 'an IP address for the certificate (repeatable), e.g. 127.0.0.1', collect)
    .addOption(intOption('--days <n>', 'validity in days', 1, 3650, 365))
    .requiredOption('-o, --output-dir <dir>', 'write ca.crt, ca.key, tls.crt, tls.key here (keys mode 0600)')
    .addOption(formatOption(['table', 'json']))
    .addHelpText('after', '\nExit codes: 0 written; 2 usage.')
    .action(
      async (flags: {
        service: string;
        namespace: string;
        dns?: string[];
        ip?: string[];
        days: number;
        outputDir: string;
        format: string;
      }) => {
        const adm = await import('../../admission/index.js');
        const c = await adm.makeAdmissionCerts({
          service: flags.service,
          namespace: flags.namespace,
          dnsNames: flags.dns ?? [],
          ipAddresses: flags.ip ?? [],
          days: flags.days,
        });
        await mkdir(flags.outputDir, { recursive: true });
        const files = {
          caCert: path.join(flags.outputDir, 'ca.crt'),
          caKey: path.join(flags.outputDir, 'ca.key'),
          cert: path.join(flags.outputDir, 'tls.crt'),
          key: path.join(flags.outputDir, 'tls.key'),
        };
        await writeFile(files.caCert, c.caCertPem);
        await writeFile(files.cert, c.certPem);
        for (const [f, pem] of [
          [files.caKey, c.caKeyPem],
          [files.key, c.keyPem],
        ] as const) {
          await writeFile(f, pem, { mode: 0o600 });
          await chmod(f, 0o600);
        }
        if (flags.format === 'json')
          await ctx.emit(
            JSON.stringify({ files, dnsNames: c.dnsNames, ipAddresses: flags.ip ?? [] }, null, 2),
          );
        else
          await ctx.emit(
            [
              `CA:      ${files.caCert} (key ${files.caKey})`,
              `serving: ${files.cert} (key ${files.key})`,
              `names:   ${[...c.dnsNames, ...(flags.ip ?? [])].join(', ')}`,
            ].join('\n'),
          );
      },
    );

  const manifests = new Command('manifests')
    .description(
      'Print the Kubernetes manifests that run the webhook (RBAC, Secret, ConfigMap, Deployment, Service, webhook configurations)',
    )
    .requiredOption('-p, --policy <file>', 'policy file to ship in the ConfigMap')
    .requiredOption('--certs <dir>', 'directory written by "bulwark admission certs"')
    .option('--service <name>', 'Service name (as given to certs)', 'bulwark-admission')
    .option('--namespace <ns>', 'namespace', 'bulwark-system')
    .option('--image <ref>', 'bulwark image the Deployment runs', `ghcr.io/bulwark/bulwark:${VERSION}`)
    .addOption(intOption('--replicas <n>', 'webhook replicas', 1, 100, 2))
    .addOption(failurePolicyOption())
    .addOption(intOption('--timeout-seconds <n>', "the API server's timeout for each call", 1, 30, 5))
    .option('--mutate', 'also register the mutating webhook that pins tags to digests')
    .option('--dry-run', 'audit only: the webhook admits everything and warns')
    .addOption(formatOption(['yaml', 'json'], 'yaml'))
    .addHelpText(
      'after',
      '\nExamples:\n  $ bulwark admission manifests --policy policy.yaml --certs certs/ | kubectl apply -f -\n\nExit codes: 0 printed; 3 invalid policy; 4 a file not found.',
    )
    .action(
      async (flags: {
        policy: string;
        certs: string;
        service: string;
        namespace: string;
        image: string;
        replicas: number;
        failurePolicy: 'open' | 'closed';
        timeoutSeconds: number;
        mutate?: boolean;
        dryRun?: boolean;
        format: 'yaml' | 'json';
      }) => {
        const pol = await import('../../policy/index.js');
        const adm = await import('../../admission/index.js');
        await pol.loadPolicy(flags.policy); // ship only a policy that loads
        const text = async (f: string) => (await readSmallFile(path.join(flags.certs, f))).toString('utf8');
        await ctx.emit(
          adm.admissionManifests(
            {
              namespace: flags.namespace,
              service: flags.service,
              image: flags.image,
              replicas: flags.replicas,
              caCertPem: await text('ca.crt'),
              certPem: await text('tls.crt'),
              keyPem: await text('tls.key'),
              policyYaml: await readFile(flags.policy, 'utf8'),
              failurePolicy: flags.failurePolicy,
              timeoutSeconds: flags.timeoutSeconds,
              ...(flags.mutate ? { mutate: true } : {}),
              ...(flags.dryRun ? { dryRun: true } : {}),
            },
            flags.format,
          ),
        );
      },
    );

  for (const c of [serve, certs, manifests]) c.exitOverride();
  admission.addCommand(serve).addCommand(certs).addCommand(manifests);
  program.addCommand(admission);
}
