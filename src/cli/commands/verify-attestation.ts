import { writeFile } from 'node:fs/promises';
import { Command } from 'commander';
import type { CliContext } from '../context.js';
import { formatOption } from '../context.js';
import {
  addRegistryOptions,
  addTrustOptions,
  failWith,
  renderChecks,
  registryClientFor,
  trustPolicyFromFlags,
  type TrustFlags,
} from '../trust-common.js';

interface VerifyAttestationFlags extends TrustFlags {
  type?: string;
  format: string;
  output?: string;
  insecure?: boolean;
  dockerConfig?: string;
}

export function register(program: Command, ctx: CliContext): void {
  const cmd = new Command('verify-attestation')
    .description(
      "Verify an image's cosign attestations (DSSE, in-toto) with a public key or a certificate chain and print the predicate",
    )
    .argument('<image>', 'image reference; a tag is resolved to the digest it names now')
    .option(
      '--type <type>',
      'only attestations of this predicate type count: cyclonedx, spdxjson, vuln, openvex, custom, or a URI',
    )
    .addOption(formatOption(['predicate', 'table', 'json'], 'predicate'))
    .option(
      '-o, --output <file>',
      'write the predicate of the newest verified attestation to this file (then the summary goes to stdout)',
    );
  addRegistryOptions(addTrustOptions(cmd))
    .addHelpText(
      'after',
      `
Each attestation under the sha256-<hex>.att tag is checked on its own: the DSSE signature over PAE,
the certificate when one is attached, and that the statement's subject is the image's digest.
Output: --format predicate (default) prints the predicate of the newest verified attestation, the
summary going to stderr, so it pipes into other tools; --format table prints the summary; --format
json the whole report with every predicate.

Examples:
  $ bulwark verify-attestation --key cosign.pub --type cyclonedx registry.local:5000/team/api:1.4 > api.cdx.json
  $ bulwark verify-attestation --key cosign.pub --type cyclonedx -o api.cdx.json IMAGE && bulwark sbom scan api.cdx.json
  $ bulwark verify-attestation --key cosign.pub --type vuln --format json IMAGE

Exit codes: 0 verified; 21 no attestations (or none of --type), 22 the statement names another
digest, 23 bad signature, 24 another known key, 26/27 certificate expired/untrusted, 7 over the size bound.`,
    )
    .action(async (image: string, flags: VerifyAttestationFlags) => {
      const sign = await import('../../sign/index.js');
      const { RegistryClient } = await import('../../registry/index.js');
      const policy = await trustPolicyFromFlags(flags);
      const client = registryClientFor(flags, ctx, RegistryClient);
      try {
        const v = await sign.verifyImageAttestations(image, policy, {
          client,
          ...(flags.type ? { type: flags.type } : {}),
        });
        const predicate = sign.newestPredicate(v);
        const predicateText = predicate === undefined ? undefined : `${JSON.stringify(predicate, null, 2)}\n`;
        if (flags.output && predicateText !== undefined) await writeFile(flags.output, predicateText);
        const summary = [
          `Attestations for ${v.reference} (${v.digest}): ${v.verified ? 'VERIFIED' : 'NOT VERIFIED'}`,
          `  attestations: ${v.attestationTag}${v.attestationManifestDigest ? ` (${v.attestationManifestDigest})` : ' (absent)'}`,
          ...v.attestations.flatMap((a) => [
            ...(a.skipped
              ? [`  skip #${a.index} ${a.layerDigest.slice(0, 19)}  ${a.message}`]
              : renderChecks([a])),
            ...(a.predicateType && !a.skipped ? [`    predicate type: ${a.predicateType}`] : []),
          ]),
          ...(flags.output && predicateText !== undefined ? [`  predicate written to ${flags.output}`] : []),
        ].join('\n');
        if (flags.format === 'json') await ctx.emit(JSON.stringify(v, null, 2));
        else if (flags.format === 'table' || flags.output || predicateText === undefined)
          await ctx.emit(summary);
        else {
          ctx.stderr.write(`${summary}\n`);
          await ctx.emit(predicateText.trimEnd());
        }
        if (!v.verified) await failWith(ctx, v.reason, v.message, v.reference);
      } finally {
        client.close();
      }
    });
  program.addCommand(cmd);
}
