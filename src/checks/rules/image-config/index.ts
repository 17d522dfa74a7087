import type { ParsedFile, RuleFamily } from '../../types.js';
import addRemoteUrl from './add-remote-url.js';
import credentialFile from './credential-file.js';
import exposeSsh from './expose-ssh.js';
import latestTag from './latest-tag.js';
import noHealthcheck from './no-healthcheck.js';
import packageCache from './package-cache.js';
import packageUpgrade from './package-upgrade.js';
import rootUser from './root-user.js';
import secretsInEnv from './secrets-in-env.js';
import secretsInHistory from './secrets-in-history.js';
import secretsInLabels from './secrets-in-labels.js';
import setuidKnown from './setuid-known.js';
import setuidUnexpected from './setuid-unexpected.js';
import sshServerInstalled from './ssh-server-installed.js';
import sudo from './sudo.js';
import { parseImageConfigText, type ImageConfigInput } from './support/input.js';

export { buildImageConfigInput } from './support/build.js';
export type { ImageConfigInput } from './support/input.js';

/** image-config rules, sorted by id. */
export const rules = [
  addRemoteUrl,
  credentialFile,
  exposeSsh,
  latestTag,
  noHealthcheck,
  packageCache,
  packageUpgrade,
  rootUser,
  secretsInEnv,
  secretsInHistory,
  secretsInLabels,
  setuidKnown,
  setuidUnexpected,
  sshServerInstalled,
  sudo,
];

/**
 * Image configuration and hygiene checks (Dockle-like). Their input is a scanned image (config,
 * OS packages, file facts), not a file found by `bulwark config`, so the family never claims a
 * file by name or content; `parse` reads an image config JSON for callers that hold one.
 */
export const family: RuleFamily<ImageConfigInput> = {
  name: 'image-config',
  target: 'image-config',
  matchName: () => 'no',
  matchContent: () => false,
  parse: (text: string, file: string): ParsedFile<ImageConfigInput> => ({
    inputs: [{ input: parseImageConfigText(text, file) }],
  }),
  rules,
};
