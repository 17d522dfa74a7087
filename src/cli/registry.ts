import type { Command } from 'commander';
import type { CliContext } from './context.js';

/**
 * Every command, sorted by name. A command module only declares flags and help; its body imports
 * the feature lazily, so `bulwark version compare` never loads the layer walker.
 * A contract test checks this list against the files in ./commands.
 */
export type CommandModule = { register(program: Command, ctx: CliContext): void };

export const COMMANDS: Record<string, () => Promise<CommandModule>> = {
  admission: () => import('./commands/admission.js'),
  attest: () => import('./commands/attest.js'),
  audit: () => import('./commands/audit.js'),
  cache: () => import('./commands/cache.js'),
  config: () => import('./commands/config.js'),
  db: () => import('./commands/db.js'),
  docker: () => import('./commands/docker.js'),
  fs: () => import('./commands/fs.js'),
  host: () => import('./commands/host.js'),
  image: () => import('./commands/image.js'),
  k8s: () => import('./commands/k8s.js'),
  key: () => import('./commands/key.js'),
  netpol: () => import('./commands/netpol.js'),
  plan: () => import('./commands/plan.js'),
  policy: () => import('./commands/policy.js'),
  pss: () => import('./commands/pss.js'),
  rootfs: () => import('./commands/rootfs.js'),
  rules: () => import('./commands/rules.js'),
  sbom: () => import('./commands/sbom.js'),
  secrets: () => import('./commands/secrets.js'),
  server: () => import('./commands/server.js'),
  sign: () => import('./commands/sign.js'),
  'sign-blob': () => import('./commands/sign-blob.js'),
  verify: () => import('./commands/verify.js'),
  'verify-attestation': () => import('./commands/verify-attestation.js'),
  'verify-blob': () => import('./commands/verify-blob.js'),
  version: () => import('./commands/version.js'),
  worker: () => import('./commands/worker.js'),
};
