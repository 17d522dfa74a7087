import { existsSync } from 'node:fs';
import { Command } from 'commander';
import type { CliContext } from '../context.js';
import { formatOption } from '../context.js';
import {
  addTrustOptions,
  describeCertificate,
  failWith,
  readSmallFile,
  trustPolicyFromFlags,
  type TrustFlags,
} from '../trust-common.js';

const MAX_BLOB_BYTES = 2 * 1024 * 1024 * 1024 - 1;

interface VerifyBlobFlags extends TrustFlags {
  signature: string;
  format: string;
}

export function register(program: Command, ctx: CliContext): void {
  const cmd = new Command('verify-blob')
    .description('Verify a file against a signature made by cosign sign-blob, bulwark sign-blob or openssl')
    .argument('<file>', 'the signed file')
    .requiredOption(
      '--signature <sig>',
      'signature file (base64 as cosign writes it, or raw DER), or the base64 text itself',
    )
    .addOption(formatOption(['table', 'json']));
  addTrustOptions(cmd)
    .addHelpText(
      'after',
      `
Examples:
  $ bulwark verify-blob --key cosign.pub --signature release.sig release.tar.gz
  $ bulwark verify-blob --cert signer.pem --cert-chain chain.pem --certificate-identity dev@example.com \\
      --signature release.sig release.tar.gz

Exit codes: 0 verified, 23 bad signature, 24 signed by another known key, 26 certificate expired,
27 certificate untrusted (chain, key usage, identity), 2 usage, 4 file missing.`,
    )
    .action(async (file: string, flags: VerifyBlobFlags) => {
      const sign = await import('../../sign/index.js');
      const policy = await trustPolicyFromFlags(flags);
      const sigBytes = existsSync(flags.signature)
        ? await readSmallFile(flags.signature)
        : Buffer.from(flags.signature);
      const signature = sign.decodeSignatureFile(sigBytes, flags.signature);
      const data = await readSmallFile(file, MAX_BLOB_BYTES);
      const certFile = flags.cert ?? flags.certificate;
      const certificatePem = certFile ? (await readSmallFile(certFile)).toString('utf8') : undefined;
      const result = sign.verifyBlob(data, signature, policy, {
        input: file,
        ...(certificatePem ? { certificatePem } : {}),
      });
      if (flags.format === 'json') await ctx.emit(JSON.stringify({ file, ...result }, null, 2));
      else {
        const lines = [
          result.verified ? 'Verified OK' : `Verification FAILED: [${result.reason}] ${result.message}`,
        ];
        if (result.verified) lines.push(`  ${result.message}`);
        if (result.certificate) lines.push(...describeCertificate(result.certificate, '  '));
        await ctx.emit(lines.join('\n'));
      }
      if (!result.verified) await failWith(ctx, result.reason, result.message, file);
    });
  program.addCommand(cmd);
}
