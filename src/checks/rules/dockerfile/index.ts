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
import consecutiveRun from './consecutive-run.js';
import containerUnfriendlyCommand from './container-unfriendly-command.js';
import copyEntireFilesystem from './copy-entire-filesystem.js';
import copyFromOwnStage from './copy-from-own-stage.js';
import copyFromUnknownStage from './copy-from-unknown-stage.js';
import copyMultiSourceDest from './copy-multi-source-dest.js';
import copySecretFile from './copy-secret-file.js';
import curlPipeShell from './curl-pipe-shell.js';
import duplicateInstruction from './duplicate-instruction.js';
import duplicateStageName from './duplicate-stage-name.js';
import envSelfReference from './env-self-reference.js';
import exposePortRange from './expose-port-range.js';
import exposeSsh from './expose-ssh.js';
import fromPlatform from './from-platform.js';
import inlineIgnorePragma from './inline-ignore-pragma.js';
import insecureRunFlags from './insecure-run-flags.js';
import instructionBeforeFrom from './instruction-before-from.js';
import jsonCmd from './json-cmd.js';
import labelInvalid from './label-invalid.js';
import labelKeyInvalid from './label-key-invalid.js';
import labelMissing from './label-missing.js';
import labelSuperfluous from './label-superfluous.js';
import latestTag from './latest-tag.js';
import lnBinSh from './ln-bin-sh.js';
import maintainer from './maintainer.js';
import missingHealthcheck from './missing-healthcheck.js';
import missingPipefail from './missing-pipefail.js';
import onbuildTriggerInvalid from './onbuild-trigger-invalid.js';
import packageCacheCleanup from './package-cache-cleanup.js';
import packageNonInteractive from './package-non-interactive.js';
import packagePin from './package-pin.js';
import packageUpgrade from './package-upgrade.js';
import relativeWorkdir from './relative-workdir.js';
import reservedStageName from './reserved-stage-name.js';
import rootUser from './root-user.js';
import runCd from './run-cd.js';
import secretsInEnv from './secrets-in-env.js';
import setuidBit from './setuid-bit.js';
import sshServerInstalled from './ssh-server-installed.js';
import sudo from './sudo.js';
import tlsVerificationDisabled from './tls-verification-disabled.js';
import trustedRegistry from './trusted-registry.js';
import userNonNumeric from './user-non-numeric.js';
import useraddHighUid from './useradd-high-uid.js';
import wgetAndCurl from './wget-and-curl.js';
import wgetProgress from './wget-progress.js';

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
  consecutiveRun,
  containerUnfriendlyCommand,
  copyEntireFilesystem,
  copyFromOwnStage,
  copyFromUnknownStage,
  copyMultiSourceDest,
  copySecretFile,
  curlPipeShell,
  duplicateInstruction,
  duplicateStageName,
  envSelfReference,
  exposePortRange,
  exposeSsh,
  fromPlatform,
  inlineIgnorePragma,
  insecureRunFlags,
  instructionBeforeFrom,
  jsonCmd,
  labelInvalid,
  labelKeyInvalid,
  labelMissing,
  labelSuperfluous,
  latestTag,
  lnBinSh,
  maintainer,
  missingHealthcheck,
  missingPipefail,
  onbuildTriggerInvalid,
  packageCacheCleanup,
  packageNonInteractive,
  packagePin,
  packageUpgrade,
  relativeWorkdir,
  reservedStageName,
  rootUser,
  runCd,
  secretsInEnv,
  setuidBit,
  sshServerInstalled,
  sudo,
  tlsVerificationDisabled,
  trustedRegistry,
  userNonNumeric,
  useraddHighUid,
  wgetAndCurl,
  wgetProgress,
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
