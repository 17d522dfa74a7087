import { Command } from 'commander';
import type { CliContext } from '../context.js';
import { formatOption } from '../context.js';
import {
  addRegistryOptions,
  addTrustOptions,
  collect,
  failWith,
  registryClientFor,
  renderChecks,
  trustPolicyFromFlags,
  type TrustFlags,
} from '../trust-common.js';

interface VerifyFlags extends TrustFlags {
  annotations?: string[];
  format: string;
  output?: string;
  insecure?: boolean;
  dockerConfig?: string;
}

export function register(program: Command, ctx: CliContext): void {
  const cmd = new Command('verify')
    .description("Verify an image's cosign signatures with a public key or an X.509 certificate chain")
    .argument('<image>', 'image reference; a tag is resolved to the digest it names now')
    .option(
      '-a, --annotations <key=value>',
      'annotation every accepted signature must carry (repeatable)',
      collect,
    )
    .addOption(formatOption(['table', 'json']))
    .option('-o, --output <file>', 'write the report to this file instead of stdout');
  addRegistryOptions(addTrustOptions(cmd))
    .addHelpText(
      'after',
      `
Each signature on the image is checked on its own: the signature over its payload, the certificate
(chain to the given root, validity, code signing, identity), the digest the payload names, and the
annotations. The image verifies when one signature passes every check.

Examples:
  $ bulwark verify --key cosign.pub registry.local:5000/team/api:1.4
  $ bulwark verify --key cosign.pub -a env=prod --format json registry.local:5000/team/api:1.4
  $ bulwark verify --cert-chain ca.pem --certificate-identity ci@example.com \\
      --certificate-oidc-issuer https://token.actions.githubusercontent.com IMAGE

Exit codes: 0 verified; otherwise the reason of the signature that got furthest:
  21 no signatures (no .sig tag)       22 payload names another digest (moved tag, copied signature)
  23 bad signature or layer            24 verifies only with another known key
  25 required annotation missing       26 certificate expired at verification time
  27 certificate untrusted (chain, key usage, identity)   7 signature layer over the size bound`,
    )
    .action(async (image: string, flags: VerifyFlags) => {
      const sign = await import('../../sign/index.js');
      const { RegistryClient } = await import('../../registry/index.js');
      const policy = {
        ...(await trustPolicyFromFlags(flags)),
        annotations: sign.parseAnnotationFlags(flags.annotations),
      };
      const client = registryClientFor(flags, ctx, RegistryClient);
      try {
        const v = await sign.verifyImageSignatures(image, policy, { client });
        if (flags.format === 'json') await ctx.emit(JSON.stringify(v, null, 2), flags.output);
        else {
          const lines = [
            `Verification for ${v.reference} (${v.digest}): ${v.verified ? 'VERIFIED' : 'NOT VERIFIED'}`,
            `  signatures: ${v.signatureTag}${v.signatureManifestDigest ? ` (${v.signatureManifestDigest})` : ' (absent)'}`,
            ...renderChecks(v.signatures),
          ];
          await ctx.emit(lines.join('\n'), flags.output);
        }
        if (!v.verified) await failWith(ctx, v.reason, v.message, v.reference);
      } finally {
        client.close();
      }
    });
  program.addCommand(cmd);
}
