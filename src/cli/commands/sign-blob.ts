import { writeFile } from 'node:fs/promises';
import { Command } from 'commander';
import type { CliContext } from '../context.js';
import { formatOption } from '../context.js';
import { loadSigningKeyFile, readSmallFile } from '../trust-common.js';

const MAX_BLOB_BYTES = 2 * 1024 * 1024 * 1024 - 1;

export function register(program: Command, ctx: CliContext): void {
  const cmd = new Command('sign-blob')
    .description('Sign a file with a key, as cosign sign-blob does: the base64 signature goes to stdout')
    .argument('<file>', 'the file to sign')
    .requiredOption('--key <file>', 'private key: cosign encrypted, PKCS#8, SEC1 EC or PKCS#1 RSA PEM')
    .option('--output-signature <file>', 'also write the base64 signature to this file')
    .addOption(formatOption(['table', 'json']))
    .addHelpText(
      'after',
      `
Examples:
  $ bulwark sign-blob --key cosign.key release.tar.gz > release.tar.gz.sig
  $ bulwark verify-blob --key cosign.pub --signature release.tar.gz.sig release.tar.gz

The signature is ECDSA (SHA-256, ASN.1 DER) for EC keys, RSA PKCS#1 v1.5 SHA-256, or Ed25519,
base64 encoded: exactly what cosign sign-blob --tlog-upload=false prints.`,
    )
    .action(async (file: string, flags: { key: string; outputSignature?: string; format: string }) => {
      const sign = await import('../../sign/index.js');
      const key = await loadSigningKeyFile(flags.key, ctx);
      const data = await readSmallFile(file, MAX_BLOB_BYTES);
      const signature = sign.signBlob(key, data);
      if (flags.outputSignature) await writeFile(flags.outputSignature, signature);
      await ctx.emit(
        flags.format === 'json'
          ? JSON.stringify(
              { file, signature, algorithm: key.algorithm, fingerprint: sign.fingerprintOf(key.publicKey) },
              null,
              2,
            )
          : signature,
      );
    });
  program.addCommand(cmd);
}
