import { Command } from 'commander';
import { VERSION } from '../version.js';
import { BulwarkError, ERROR_CODES } from '../../core/errors.js';
import type { PolicyCheckOptions } from '../../policy/index.js';
import type { CliContext } from '../context.js';
import { formatOption, intOption } from '../context.js';
import { addRegistryOptions, registryClientFor } from '../trust-common.js';

interface CheckFlags {
  policy: string;
  format: 'table' | 'json' | 'sarif';
  exitCode: number;
  output?: string;
  offline?: boolean;
  now?: string;
  insecure?: boolean;
  dockerConfig?: string;
}

function parseNow(v: string | undefined): Date | undefined {
  if (v === undefined) return undefined;
  const t = Date.parse(/^\d{4}-\d{2}-\d{2}$/.test(v) ? `${v}T00:00:00Z` : v);
  if (Number.isNaN(t))
    throw new BulwarkError('USAGE', '--now takes a date (YYYY-MM-DD) or an ISO time', { input: v });
  return new Date(t);
}

export function register(program: Command, ctx: CliContext): void {
  const policy = new Command('policy').description(
    'One policy for CI, admission and the server: Pod Security, signatures, registries, tags, vulnerabilities, resources, with expiring exceptions',
  );

  const check = new Command('check')
    .description(
      'Evaluate a policy on bulwark scan reports and Kubernetes manifests (folders are searched recursively)',
    )
    .argument('<paths...>', 'bulwark JSON scan reports (bulwark image -f json) and manifest files or folders')
    .requiredOption('-p, --policy <file>', 'policy file (YAML, kind: Policy)')
    .addOption(formatOption(['table', 'json', 'sarif']))
    .addOption(intOption('--exit-code <n>', 'exit with this code when a subject is denied', 0, 255, 1))
    .option(
      '--offline',
      "do not contact registries: signatures are unknown (the policy's missingFacts decides)",
    )
    .option('--now <date>', 'evaluate as of this date (exception expiry, finding ages); default now')
    .option('-o, --output <file>', 'write the report to this file instead of stdout');
  addRegistryOptions(check)
    .addHelpText(
      'after',
      `
Subjects are the workloads in the manifests (every kind with a pod template) and, for each scan
report whose image no workload runs, the image itself. A workload's images take their
vulnerability facts from the reports given (matched by reference or digest); signatures are
checked in the registry with the policy's keys and certificates unless --offline. Facts that are
missing follow the policy's missingFacts (deny, warn, allow). The same evaluator runs in
"bulwark admission serve" and on the server.

Examples:
  $ bulwark image registry.local/team/api:1.4 -f json -o api.json
  $ bulwark policy check --policy policy.yaml api.json deploy/
  $ bulwark policy check -p policy.yaml --offline -f sarif deploy/ > policy.sarif

Exit codes: 0 every subject admitted (always in audit mode), N from --exit-code (default 1) when
a subject is denied; 3 the policy file is invalid (the message names its line); a file that could
not be read or parsed sets its error's code (4 not found, 5 malformed, 7 too large) after the
report is printed.`,
    )
    .action(async (paths: string[], flags: CheckFlags) => {
      const pol = await import('../../policy/index.js');
      const loaded = await pol.loadPolicy(flags.policy);
      const now = parseNow(flags.now);
      let close = () => {};
      let verifySignatures: PolicyCheckOptions['verifySignatures'];
      if (loaded.policy.spec.signatures && !flags.offline) {
        const sign = await import('../../sign/index.js');
        const { RegistryClient } = await import('../../registry/index.js');
        const trusts = await pol.trustPoliciesOf(loaded);
        const client = registryClientFor(flags, ctx, RegistryClient);
        const cache = new sign.PayloadCache();
        close = () => client.close();
        verifySignatures = (image, warn) => pol.signatureFact(image, trusts, client, cache, warn);
      }
      try {
        const result = await pol.checkPolicyPaths(paths, loaded, {
          baseDir: ctx.cwd,
          ...(now ? { now } : {}),
          ...(verifySignatures ? { verifySignatures } : {}),
        });
        const opts = {
          toolVersion: VERSION,
          color: ctx.stdout.isTTY && !ctx.env.NO_COLOR,
          width: ctx.stdout.columns,
        };
        const text =
          flags.format === 'json'
            ? pol.renderPolicyJson(result, opts)
            : flags.format === 'sarif'
              ? pol.renderPolicySarif(result, opts)
              : pol.renderPolicyTable(result, opts);
        await ctx.emit(text, flags.output);
        if (flags.format !== 'table') {
          for (const e of result.errors)
            ctx.stderr.write(`${new BulwarkError(e.code, e.message, { input: e.file }).toDisplayString()}\n`);
        }
        const firstError = result.errors[0];
        if (firstError) process.exitCode = ERROR_CODES[firstError.code];
        else if (result.decisions.some((d) => !d.admit) && flags.exitCode) process.exitCode = flags.exitCode;
      } finally {
        close();
      }
    });
  check.exitOverride();

  const validate = new Command('validate')
    .description('Check a policy file and print what it enforces')
    .argument('<file>', 'policy file')
    .addOption(formatOption(['table', 'json']))
    .addHelpText('after', '\nExit codes: 0 valid; 3 invalid (the message names the line); 4 not found.')
    .action(async (file: string, flags: { format: string }) => {
      const pol = await import('../../policy/index.js');
      const loaded = await pol.loadPolicy(file);
      await pol.trustPoliciesOf(loaded); // keys and certificates must load too
      const p = loaded.policy;
      if (flags.format === 'json') await ctx.emit(JSON.stringify(p, null, 2));
      else {
        const s = p.spec;
        const lines = [
          `Policy "${p.metadata.name}" is valid (mode ${s.mode}, missingFacts ${s.missingFacts})`,
        ];
        if (s.podSecurity) lines.push(`  Pod Security: ${s.podSecurity.level} ${s.podSecurity.version}`);
        if (s.signatures)
          lines.push(
            `  signatures: ${s.signatures.keys.length} key(s), ${s.signatures.certificates.length} certificate root(s)`,
          );
        if (s.images?.allowedRegistries) lines.push(`  registries: ${s.images.allowedRegistries.join(', ')}`);
        if (s.images?.requireDigest) lines.push('  images pinned by digest');
        else if (s.images?.disallowTags.length)
          lines.push(`  disallowed tags: ${s.images.disallowTags.join(', ')}`);
        const v = s.vulnerabilities;
        if (v) {
          if (v.maxSeverity) lines.push(`  max severity: ${v.maxSeverity}`);
          if (v.maxRisk !== undefined) lines.push(`  max exploit probability: ${v.maxRisk}`);
          if (v.noKev) lines.push('  no CISA KEV findings');
          if (v.maxFixAgeDays !== undefined) lines.push(`  fixes applied within ${v.maxFixAgeDays} days`);
        }
        if (s.resources?.limits) lines.push(`  limits required: ${s.resources.limits.join(', ')}`);
        if (s.resources?.requests) lines.push(`  requests required: ${s.resources.requests.join(', ')}`);
        const today = new Date().toISOString().slice(0, 10);
        for (const e of s.exceptions)
          lines.push(
            `  exception ${e.name ?? e.rules.join(',')}: until ${e.expires}${e.expires < today ? ' (EXPIRED: no longer applies)' : ''} - ${e.reason}`,
          );
        await ctx.emit(lines.join('\n'));
      }
    });
  validate.exitOverride();
  policy.addCommand(check).addCommand(validate);
  program.addCommand(policy);
}
