import { writeFile } from 'node:fs/promises';
import { Command } from 'commander';
import { BulwarkError } from '../../core/errors.js';
import type { CliContext } from '../context.js';
import { cacheDirOption, formatOption } from '../context.js';
import { imageSourceOptions } from '../scan-common.js';
import {
  addRegistryOptions,
  loadSigningKeyFile,
  parseBool,
  readSmallFile,
  registryClientFor,
} from '../trust-common.js';
import { VERSION } from '../version.js';

interface AttestFlags {
  key: string;
  type: string;
  predicate?: string;
  upload: boolean;
  outputAttestation?: string;
  cert?: string;
  certChain?: string;
  format: string;
  insecure?: boolean;
  dockerConfig?: string;
  cacheDir?: string;
  db?: string;
  platform?: string;
}

/** What bulwark can make itself when no --predicate is given. */
const GENERATED = ['cyclonedx', 'spdxjson', 'spdx', 'vuln'];

export function register(program: Command, ctx: CliContext): void {
  const cmd = new Command('attest')
    .description(
      'Attest an image: an in-toto Statement (an SBOM, a vulnerability report, VEX, anything) in a signed DSSE envelope, stored as cosign stores attestations (the sha256-<hex>.att tag)',
    )
    .argument('<image>', 'image reference; a tag is resolved to the digest it names now')
    .requiredOption('--key <file>', 'private key: cosign encrypted, PKCS#8, SEC1 EC or PKCS#1 RSA PEM')
    .option(
      '--type <type>',
      'predicate type: cyclonedx, spdxjson, vuln, openvex, custom, slsaprovenance, link, or a URI',
      'custom',
    )
    .option(
      '--predicate <file>',
      'the predicate document; without it bulwark makes it (cyclonedx, spdxjson: an SBOM; vuln: a scan)',
    )
    .option('--upload <bool>', 'false: print the signed envelope, push nothing', parseBool, true)
    .option('--output-attestation <file>', 'also write the signed DSSE envelope to this file')
    .option('--cert <file>', 'signing certificate (PEM) to attach; its key must be the signing key')
    .option('--cert-chain <file>', 'PEM chain of the certificate up to its root, attached with it')
    .option('--platform <os/arch[/variant]>', 'platform to describe when bulwark makes the SBOM of an index')
    .addOption(cacheDirOption())
    .option('--db <file>', 'vulnerability database for --type vuln without --predicate')
    .addOption(formatOption(['table', 'json']));
  addRegistryOptions(cmd)
    .addHelpText(
      'after',
      `
Predicate types as cosign maps its shortcuts: cyclonedx https://cyclonedx.org/bom, spdxjson
https://spdx.dev/Document, vuln https://cosign.sigstore.dev/attestation/vuln/v1, openvex
https://openvex.dev/ns, custom https://cosign.sigstore.dev/attestation/v1 (the file's text wrapped
as {"Data": ..., "Timestamp": ...}). A JSON predicate is embedded as it is. A new attestation is
appended to those already on the image, never replacing one. Nothing goes to a transparency log.

In one step, with no --predicate: --type cyclonedx or spdxjson attests the SBOM bulwark makes of
the image (as \`bulwark sbom\`), --type vuln the vulnerability report of \`bulwark image --format
json\` wrapped in cosign's vuln predicate (scanner, result, scan times).

Examples:
  $ bulwark attest --key cosign.key --type cyclonedx registry.local:5000/team/api:1.4
  $ bulwark attest --key cosign.key --type spdxjson --predicate api.spdx.json registry.local:5000/team/api:1.4
  $ bulwark attest --key cosign.key --type openvex --predicate api.vex.json IMAGE
  $ bulwark verify-attestation --key cosign.pub --type cyclonedx IMAGE > sbom.cdx.json`,
    )
    .action(async (image: string, flags: AttestFlags) => {
      const sign = await import('../../sign/index.js');
      const { RegistryClient, parseReference } = await import('../../registry/index.js');
      const predicateType = sign.predicateTypeOf(flags.type);
      const shortcut = flags.type.toLowerCase();
      if (!flags.predicate && !GENERATED.includes(shortcut)) {
        throw new BulwarkError(
          'USAGE',
          `--type ${flags.type} needs --predicate FILE (bulwark makes cyclonedx, spdxjson and vuln itself)`,
        );
      }
      const key = await loadSigningKeyFile(flags.key, ctx);
      const client = registryClientFor(flags, ctx, RegistryClient);
      try {
        const ref = parseReference(image);
        // pin the digest first: the predicate bulwark makes describes exactly what is attested
        const digest = await sign.resolveDigest(client, ref);
        const pinned = `${ref.name}@${digest}`;
        const predicate = flags.predicate
          ? sign.predicateFromFile(
              flags.type,
              await readSmallFile(flags.predicate, sign.DEFAULT_MAX_ATTESTATION_BYTES),
              flags.predicate,
            )
          : await generatePredicate(ctx, shortcut, pinned, flags);
        const certificatePem = flags.cert ? (await readSmallFile(flags.cert)).toString('utf8') : undefined;
        if (certificatePem) sign.checkCertificateMatchesKey(certificatePem, key, flags.cert!);
        const chainPem = flags.certChain
          ? (await readSmallFile(flags.certChain)).toString('utf8')
          : undefined;
        const r = await sign.attestImage({ ...ref, digest }, key, {
          client,
          type: predicateType,
          predicate,
          upload: flags.upload,
          ...(certificatePem ? { certificatePem } : {}),
          ...(chainPem ? { chainPem } : {}),
        });
        if (flags.outputAttestation) await writeFile(flags.outputAttestation, r.envelope);
        if (flags.format === 'json') {
          const { envelope, ...rest } = r;
          await ctx.emit(
            JSON.stringify(
              { ...rest, reference: image, envelope: JSON.parse(envelope.toString('utf8')) as unknown },
              null,
              2,
            ),
          );
          return;
        }
        const lines = [`Attested ${image} (${r.digest}) with ${r.predicateType}`];
        if (r.uploaded)
          lines.push(
            `  pushed ${r.attestationTag} (${r.attestationManifestDigest}), ${r.attestationCount} attestation(s)`,
          );
        else lines.push('  not uploaded (--upload=false)');
        if (!r.uploaded && !flags.outputAttestation) lines.push(r.envelope.toString('utf8'));
        await ctx.emit(lines.join('\n'));
      } finally {
        client.close();
      }
    });
  program.addCommand(cmd);
}

async function generatePredicate(
  ctx: CliContext,
  shortcut: string,
  pinned: string,
  flags: AttestFlags,
): Promise<unknown> {
  const scan = await import('../../scan/index.js');
  const source = imageSourceOptions({ ...flags, daemon: false }, ctx);
  const cacheDir = ctx.cacheDir(flags.cacheDir);
  if (shortcut === 'vuln') {
    const started = new Date();
    const report = await scan.scanImage({
      ...source,
      ref: pinned,
      cacheDir,
      dbPath: ctx.dbPath(flags),
      progress: ctx.progress,
      toolVersion: VERSION,
    });
    return {
      invocation: { parameters: null, uri: '', event_id: '', 'builder.id': '' },
      scanner: {
        uri: 'pkg:npm/bulwark',
        version: VERSION,
        db: { uri: '', version: '' },
        result: report,
      },
      metadata: { scanStartedOn: iso(started), scanFinishedOn: iso(new Date()) },
    };
  }
  const inventory = await scan.sbomInventory(
    { kind: 'image', ref: pinned },
    { ...source, cacheDir, progress: ctx.progress },
  );
  for (const w of inventory.warnings) ctx.progress.warn(`${w.input ? `${w.input}: ` : ''}${w.message}`);
  const { renderSbom } = await import('../../sbom/index.js');
  const text = await renderSbom(inventory, shortcut === 'cyclonedx' ? 'cyclonedx' : 'spdx-json', {
    toolVersion: VERSION,
  });
  return JSON.parse(text) as unknown;
}

function iso(d: Date): string {
  return d.toISOString().replace(/\.\d{3}Z$/, 'Z');
}
