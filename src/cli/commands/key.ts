import { existsSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { Command } from 'commander';
import { BulwarkError } from '../../core/errors.js';
import type { CliContext } from '../context.js';
import { formatOption } from '../context.js';
import { loadSigningKeyFile } from '../trust-common.js';

export function register(program: Command, ctx: CliContext): void {
  const cmd = new Command('key').description(
    "Create and inspect signing keys in cosign's format (encrypted ECDSA P-256 key pairs that cosign reads too)",
  );

  const generate = new Command('generate')
    .description('Generate an ECDSA P-256 key pair: <prefix>.key (encrypted as cosign does) and <prefix>.pub')
    .option('--output-key-prefix <prefix>', 'file name prefix of the key pair', 'cosign')
    .option('--force', 'overwrite existing key files')
    .addOption(formatOption(['table', 'json']))
    .addHelpText(
      'after',
      `
The password comes from BULWARK_PASSWORD or COSIGN_PASSWORD (an empty value means no password),
else it is asked on the terminal twice. It is never a command-line argument.

Examples:
  $ bulwark key generate
  $ COSIGN_PASSWORD=... bulwark key generate --output-key-prefix release

Exit codes: 0 written, 2 files exist (without --force), 20 no password available or mismatch.`,
    )
    .action(async (flags: { outputKeyPrefix: string; force?: boolean; format: string }) => {
      const sign = await import('../../sign/index.js');
      const keyFile = path.resolve(ctx.cwd, `${flags.outputKeyPrefix}.key`);
      const pubFile = path.resolve(ctx.cwd, `${flags.outputKeyPrefix}.pub`);
      for (const f of [keyFile, pubFile]) {
        if (existsSync(f) && !flags.force)
          throw new BulwarkError('USAGE', 'file exists (use --force to overwrite)', { input: f });
      }
      const password = await sign.readPassword({
        env: ctx.env,
        stdin: process.stdin,
        prompt: ctx.stderr,
        confirm: true,
        input: keyFile,
      });
      const pair = await sign.generateKeyPair(password);
      await writeFile(keyFile, pair.privatePem, { mode: 0o600 });
      await writeFile(pubFile, pair.publicPem, { mode: 0o644 });
      const fingerprint = sign.fingerprintOf(pair.key.publicKey);
      if (flags.format === 'json') {
        await ctx.emit(
          JSON.stringify(
            { privateKey: keyFile, publicKey: pubFile, algorithm: 'ecdsa-p256', fingerprint },
            null,
            2,
          ),
        );
      } else {
        await ctx.emit(
          `Private key written to ${flags.outputKeyPrefix}.key\nPublic key written to ${flags.outputKeyPrefix}.pub\nFingerprint ${fingerprint}`,
        );
      }
    });

  const pub = new Command('public')
    .description('Print the public key of a private key (cosign public-key)')
    .requiredOption('--key <file>', 'private key: cosign encrypted, PKCS#8, SEC1 EC or PKCS#1 RSA PEM')
    .option('-o, --output-file <file>', 'write the PEM to this file instead of stdout')
    .addOption(formatOption(['pem', 'json'], 'pem'))
    .addHelpText(
      'after',
      `
Examples:
  $ bulwark key public --key cosign.key > cosign.pub
  $ bulwark key public --key ec.pem --format json`,
    )
    .action(async (flags: { key: string; outputFile?: string; format: string }) => {
      const sign = await import('../../sign/index.js');
      const key = await loadSigningKeyFile(flags.key, ctx);
      const pem = sign.publicKeyPem(key.publicKey);
      const text =
        flags.format === 'json'
          ? JSON.stringify(
              {
                publicKey: pem,
                algorithm: key.algorithm,
                fingerprint: sign.fingerprintOf(key.publicKey),
                format: key.format,
              },
              null,
              2,
            )
          : pem;
      await ctx.emit(text, flags.outputFile);
    });

  cmd.addCommand(generate);
  cmd.addCommand(pub);
  program.addCommand(cmd);
}
