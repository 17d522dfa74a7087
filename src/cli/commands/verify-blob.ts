import { existsSync } from 'node:fs';
import { Command } from 'commander';
import { BulwarkError } from '../../core/errors.js';
import type { CliContext } from '../context.js';
import { formatOption } from '../context.js';
import {
  addTrustOptions,
  describeCertificate,
  failWith,
  identityPolicyFromFlags,
  readSmallFile,
  trustPolicyFromFlags,
  type TrustFlags,
} from '../trust-common.js';

const MAX_BLOB_BYTES = 2 * 1024 * 1024 * 1024 - 1;

interface VerifyBlobFlags extends TrustFlags {
  signature?: string;
  bundle?: string;
  trustedRoot?: string;
  format: string;
}

export function register(program: Command, ctx: CliContext): void {
  const cmd = new Command('verify-blob')
    .description(
      'Verify a file against a signature made by cosign sign-blob, bulwark sign-blob or openssl, or a Sigstore bundle offline',
    )
    .argument('[file]', 'the signed file (optional for a bundle holding a DSSE attestation)')
    .option(
      '--signature <sig>',
      'signature file (base64 as cosign writes it, or raw DER), or the base64 text itself',
    )
    .option('--bundle <file>', 'Sigstore bundle (cosign --bundle, npm provenance), verified offline')
    .option('--trusted-root <file>', 'Sigstore trusted-root JSON the bundle is checked against')
    .addOption(formatOption(['table', 'json']));
  addTrustOptions(cmd)
    .addHelpText(
      'after',
      `
Examples:
  $ bulwark verify-blob --key cosign.pub --signature release.sig release.tar.gz
  $ bulwark verify-blob --bundle release.sigstore.json --trusted-root trusted_root.json \\
      --certificate-identity dev@example.com --certificate-oidc-issuer https://github.com/login/oauth release.tar.gz
  $ bulwark verify-blob --bundle attestation.sigstore.json --trusted-root trusted_root.json
  $ bulwark verify-blob --cert signer.pem --cert-chain chain.pem --certificate-identity dev@example.com \\
      --signature release.sig release.tar.gz

Exit codes: 0 verified, 23 bad signature, 24 signed by another known key, 26 certificate expired,
27 certificate untrusted (chain, key usage, identity), 2 usage, 4 file missing, 5 malformed
bundle or trusted root, 7 a bundle or root over its size bound. A bundle is verified by
@sigstore/verify: Fulcio chain and SCT, Rekor entry, signature; for a DSSE attestation given with
its file, the statement must name the file's sha256 (exit 22 otherwise).`,
    )
    .action(async (file: string | undefined, flags: VerifyBlobFlags) => {
      if (flags.bundle) return verifyBundleFile(ctx, file, { ...flags, bundle: flags.bundle });
      if (!flags.signature || !file) {
        throw new BulwarkError(
          'USAGE',
          'verify-blob needs --signature SIG FILE, or --bundle B --trusted-root R',
        );
      }
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

async function verifyBundleFile(
  ctx: CliContext,
  file: string | undefined,
  flags: VerifyBlobFlags & { bundle: string },
): Promise<void> {
  if (!flags.trustedRoot) {
    throw new BulwarkError('USAGE', '--bundle needs --trusted-root (bulwark verifies bundles offline)');
  }
  if (flags.signature) {
    throw new BulwarkError('USAGE', 'a bundle holds its signature: give --bundle or --signature, not both');
  }
  if (flags.key?.length || flags.cert || flags.certificate || flags.certChain || flags.caRoots) {
    throw new BulwarkError(
      'USAGE',
      'a bundle carries its own certificate; trust comes from --trusted-root (key-based bundles are not supported yet)',
    );
  }
  const sign = await import('../../sign/index.js');
  const result = await sign.verifyBundle(
    {
      bundle: await readSmallFile(flags.bundle, sign.MAX_BUNDLE_BYTES),
      bundleInput: flags.bundle,
      trustedRoot: await readSmallFile(flags.trustedRoot, sign.MAX_TRUSTED_ROOT_BYTES),
      trustedRootInput: flags.trustedRoot,
      ...(file ? { artifact: await readSmallFile(file, MAX_BLOB_BYTES), artifactInput: file } : {}),
    },
    identityPolicyFromFlags(flags),
  );
  if (flags.format === 'json') {
    await ctx.emit(JSON.stringify({ ...(file ? { file } : {}), bundle: flags.bundle, ...result }, null, 2));
  } else {
    const lines = [
      result.verified
        ? 'Verified OK'
        : `Verification FAILED: [${result.reason}${result.check ? ` ${result.check}` : ''}] ${result.message}`,
      `  bundle:  ${result.mediaType}, ${result.content === 'dsse' ? `DSSE ${result.payloadType}` : 'message signature'}`,
    ];
    if (result.statement) {
      lines.push(`  predicate: ${result.statement.predicateType ?? '(none)'}`);
      for (const s of result.statement.subjects) lines.push(`  subject: ${s.name} sha256:${s.sha256 ?? '?'}`);
    }
    if (result.signer?.subjectAlternativeName) {
      lines.push(`  signer:  ${result.signer.subjectAlternativeName}`);
      if (result.signer.issuer) lines.push(`  issuer:  ${result.signer.issuer}`);
    }
    for (const t of result.tlog)
      lines.push(`  rekor:   log index ${t.logIndex}${t.integratedTime ? `, ${t.integratedTime}` : ''}`);
    await ctx.emit(lines.join('\n'));
  }
  if (!result.verified) await failWith(ctx, result.reason, result.message, file ?? flags.bundle);
}
