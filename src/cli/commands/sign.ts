import { writeFile } from 'node:fs/promises';
import { Command } from 'commander';
import type { CliContext } from '../context.js';
import { formatOption } from '../context.js';
import {
  addRegistryOptions,
  collect,
  loadSigningKeyFile,
  parseBool,
  readSmallFile,
  registryClientFor,
} from '../trust-common.js';

interface SignFlags {
  key: string;
  annotations?: string[];
  upload: boolean;
  outputSignature?: string;
  outputPayload?: string;
  cert?: string;
  certChain?: string;
  format: string;
  insecure?: boolean;
  dockerConfig?: string;
}

export function register(program: Command, ctx: CliContext): void {
  const cmd = new Command('sign')
    .description(
      'Sign an image in its registry with a key, stored exactly where and how cosign stores it (the sha256-<hex>.sig tag)',
    )
    .argument('<image>', 'image reference; a tag is resolved to the digest it names now')
    .requiredOption('--key <file>', 'private key: cosign encrypted, PKCS#8, SEC1 EC or PKCS#1 RSA PEM')
    .option('-a, --annotations <key=value>', 'annotation to sign into the payload (repeatable)', collect)
    .option(
      '--upload <bool>',
      'false: write the payload and signature to files, push nothing',
      parseBool,
      true,
    )
    .option('--output-signature <file>', 'write the base64 signature to this file')
    .option('--output-payload <file>', 'write the signed payload to this file')
    .option('--cert <file>', 'signing certificate (PEM) to attach; its key must be the signing key')
    .option('--cert-chain <file>', 'PEM chain of the certificate up to its root, attached with it')
    .addOption(formatOption(['table', 'json']));
  addRegistryOptions(cmd)
    .addHelpText(
      'after',
      `
The password of an encrypted key comes from BULWARK_PASSWORD or COSIGN_PASSWORD, else a prompt.
A new signature is appended to those already on the image; signing the same payload with the same
key again adds nothing. Nothing is sent to a transparency log (as cosign --tlog-upload=false).

Examples:
  $ bulwark sign --key cosign.key registry.local:5000/team/api:1.4
  $ bulwark sign --key cosign.key -a env=prod -a team=api registry.local:5000/team/api@sha256:...
  $ bulwark sign --key cosign.key --upload=false --output-payload p.json --output-signature p.sig IMAGE`,
    )
    .action(async (image: string, flags: SignFlags) => {
      const sign = await import('../../sign/index.js');
      const { RegistryClient } = await import('../../registry/index.js');
      const annotations = sign.parseAnnotationFlags(flags.annotations);
      const key = await loadSigningKeyFile(flags.key, ctx);
      const client = registryClientFor(flags, ctx, RegistryClient);
      try {
        const certificatePem = flags.cert ? (await readSmallFile(flags.cert)).toString('utf8') : undefined;
        const chainPem = flags.certChain
          ? (await readSmallFile(flags.certChain)).toString('utf8')
          : undefined;
        const r = await sign.signImage(image, key, {
          client,
          annotations,
          upload: flags.upload,
          ...(certificatePem ? { certificatePem } : {}),
          ...(chainPem ? { chainPem } : {}),
        });
        if (flags.outputSignature) await writeFile(flags.outputSignature, r.signature);
        if (flags.outputPayload) await writeFile(flags.outputPayload, r.payload);
        if (flags.format === 'json') {
          await ctx.emit(
            JSON.stringify({ ...r, payload: JSON.parse(r.payload.toString('utf8')) as unknown }, null, 2),
          );
          return;
        }
        const lines = [`Signed ${r.reference} (${r.digest})`];
        if (r.duplicate)
          lines.push(
            `  already signed with this key and payload: ${r.signatureTag} unchanged (${r.signatureCount} signature(s))`,
          );
        else if (r.uploaded)
          lines.push(
            `  pushed ${r.signatureTag} (${r.signatureManifestDigest}), ${r.signatureCount} signature(s)`,
          );
        else lines.push('  not uploaded (--upload=false)');
        if (!flags.outputSignature && !r.uploaded) lines.push(`  signature: ${r.signature}`);
        await ctx.emit(lines.join('\n'));
      } finally {
        client.close();
      }
    });
  program.addCommand(cmd);
}
