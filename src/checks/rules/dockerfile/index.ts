import { BulwarkError } from '../../../core/errors.js';
import { parseDockerfile } from '../../dockerfile/parse.js';
import { lastAtOrBefore } from '../../dockerfile/positions.js';
import type { Dockerfile } from '../../dockerfile/types.js';
import type { ParsedFile, RuleFamily } from '../../types.js';
import addInsteadOfCopy from './add-instead-of-copy.js';
import addRemoteUrl from './add-remote-url.js';
import aptCli from './apt-cli.js';
import aptNoInstallRecommends from './apt-no-install-recommends.js';
import aptUpdateAlone from './apt-update-alone.js';
import baseImageDigest from './base-image-digest.js';
import buildToolsSingleStage from './build-tools-single-stage.js';
import chmodWorldWritable from './chmod-world-writable.js';
import copyFromOwnStage from './copy-from-own-stage.js';
import copyFromUnknownStage from './copy-from-unknown-stage.js';
import copySecretFile from './copy-secret-file.js';
import curlPipeShell from './curl-pipe-shell.js';
import duplicateInstruction from './duplicate-instruction.js';
import duplicateStageName from './duplicate-stage-name.js';
import exposePortRange from './expose-port-range.js';
import exposeSsh from './expose-ssh.js';
import insecureRunFlags from './insecure-run-flags.js';
import jsonCmd from './json-cmd.js';
import latestTag from './latest-tag.js';
import maintainer from './maintainer.js';
import missingHealthcheck from './missing-healthcheck.js';
import missingPipefail from './missing-pipefail.js';
import packageCacheCleanup from './package-cache-cleanup.js';
import packageNonInteractive from './package-non-interactive.js';
import packagePin from './package-pin.js';
import packageUpgrade from './package-upgrade.js';
import relativeWorkdir from './relative-workdir.js';
import rootUser from './root-user.js';
import runCd from './run-cd.js';
import secretsInEnv from './secrets-in-env.js';
import setuidBit from './setuid-bit.js';
import sshServerInstalled from './ssh-server-installed.js';
import sudo from './sudo.js';
import tlsVerificationDisabled from './tls-verification-disabled.js';
import trustedRegistry from './trusted-registry.js';

/** Dockerfile rules, sorted by id. */
export const rules = [
  addInsteadOfCopy,
  addRemoteUrl,
  aptCli,
  aptNoInstallRecommends,
  aptUpdateAlone,
  baseImageDigest,
  buildToolsSingleStage,
  chmodWorldWritable,
  copyFromOwnStage,
  copyFromUnknownStage,
  copySecretFile,
  curlPipeShell,
  duplicateInstruction,
  duplicateStageName,
  exposePortRange,
  exposeSsh,
  insecureRunFlags,
  jsonCmd,
  latestTag,
  maintainer,
  missingHealthcheck,
  missingPipefail,
  packageCacheCleanup,
  packageNonInteractive,
  packagePin,
  packageUpgrade,
  relativeWorkdir,
  rootUser,
  runCd,
  secretsInEnv,
  setuidBit,
  sshServerInstalled,
  sudo,
  tlsVerificationDisabled,
  trustedRegistry,
];

const NAME = /^(dockerfile|containerfile)([._-].*)?$|\.(dockerfile|containerfile)$/i;
// `Dockerfile.dev` and `Dockerfile-alpine` are Dockerfiles; `dockerfile-rules.test.ts` is not
const OTHER_EXT =
  /\.(ts|tsx|js|jsx|mjs|cjs|py|go|rs|java|kt|rb|php|cs|md|rst|txt|json|ya?ml|toml|xml|html|css|sh|bash|ps1|bat|lock|orig|rej|swp|bak|patch|diff)$/i;

export function parseDockerfileInput(text: string, file: string): ParsedFile<Dockerfile> {
  const df = parseDockerfile(text, file);
  if (!df.stages.some((s) => !s.implicit))
    throw new BulwarkError('MALFORMED_INPUT', 'no FROM instruction: not a Dockerfile', { input: file });
  return toParsedFile(df);
}

/** A parsed Dockerfile as the engine's input, with instruction starts for inline suppressions. */
export function toParsedFile(df: Dockerfile): ParsedFile<Dockerfile> {
  const starts = df.instructions.map((i) => i.line);
  return {
    inputs: [{ input: df }],
    statementStart(line) {
      if (!starts.length || line < starts[0]!) return line;
      const ins = df.instructions[lastAtOrBefore(starts, line)]!;
      return line <= ins.endLine ? ins.line : line;
    },
  };
}

export const family: RuleFamily<Dockerfile> = {
  name: 'dockerfile',
  target: 'dockerfile',
  matchName: (base) => (NAME.test(base) && !OTHER_EXT.test(base) ? 'yes' : 'no'),
  // a file named on the command line: the first instruction (after comments and ARGs) is FROM
  matchContent: (text) => /^(\s*(#.*)?\r?\n|\s*ARG\s.*\r?\n)*\s*FROM\s+\S/i.test(text.slice(0, 4096)),
  parse: parseDockerfileInput,
  rules,
};
