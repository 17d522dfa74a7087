import { anyCase, B, ET, keyed, prefixed } from '../patterns.js';
import type { SecretSpec } from '../types.js';

/** `.docker/config.json` auths: base64 of `user:password` with a non-empty password. */
function isUserPass(b64: string): boolean {
  const text = Buffer.from(b64, 'base64').toString('utf8');
  const colon = text.indexOf(':');
  // eslint-disable-next-line no-control-regex
  return colon > 0 && colon < text.length - 1 && !/[\u0000-\u001f]/.test(text);
}

export const packageRules: SecretSpec[] = [
  {
    id: 'npm-access-token',
    title: 'npm access token',
    severity: 'CRITICAL',
    aliases: ['gitleaks:npm-access-token'],
    keywords: ['npm_'],
    regex: prefixed('npm_', '[A-Za-z0-9]{36}'),
    secretGroup: 1,
    supersedes: ['npmrc-auth-token'],
    category: 'packages',
    references: ['https://docs.npmjs.com/about-access-tokens'],
  },
  {
    id: 'npmrc-auth-token',
    title: 'Registry auth token in .npmrc',
    severity: 'HIGH',
    aliases: [],
    keywords: ['_authtoken'],
    regex: /_authToken[ \t]{0,5}=[ \t]{0,5}["']?([A-Za-z0-9+/=._-]{16,200})/,
    secretGroup: 1,
    entropy: 3,
    category: 'packages',
    references: ['https://docs.npmjs.com/cli/configuring-npm/npmrc#auth-related-configuration'],
  },
  {
    id: 'npmrc-basic-auth',
    title: 'Registry basic auth (_auth / _password) in .npmrc',
    severity: 'HIGH',
    aliases: [],
    keywords: ['_auth', '_password'],
    regex:
      /(?<![A-Za-z0-9_])_(?:auth|password)[ \t]{0,5}=[ \t]{0,5}["']?([A-Za-z0-9+/]{12,400}={0,2})(?![A-Za-z0-9+/=])/,
    secretGroup: 1,
    entropy: 3,
    category: 'packages',
    references: ['https://docs.npmjs.com/cli/configuring-npm/npmrc#auth-related-configuration'],
  },
  {
    id: 'pypi-upload-token',
    title: 'PyPI upload token',
    severity: 'CRITICAL',
    aliases: ['gitleaks:pypi-upload-token'],
    keywords: ['pypi-ageichlwas5vcmc'],
    regex: prefixed('pypi-AgEIcHlwaS5vcmc', '[A-Za-z0-9_-]{50,1000}'),
    secretGroup: 1,
    category: 'packages',
    references: ['https://pypi.org/help/#apitoken'],
  },
  {
    id: 'docker-config-auth',
    title: 'Registry credentials in a Docker config.json',
    severity: 'HIGH',
    aliases: [],
    keywords: ['"auth"'],
    requires: /"auths"\s{0,10}:/,
    regex: /"auth"\s{0,10}:\s{0,10}"([A-Za-z0-9+/]{8,2000}={0,2})"/,
    secretGroup: 1,
    validate: isUserPass,
    category: 'packages',
    references: ['https://docs.docker.com/reference/cli/docker/login/#credential-stores'],
  },
  {
    id: 'docker-hub-pat',
    title: 'Docker Hub personal access token',
    severity: 'HIGH',
    aliases: [],
    keywords: ['dckr_pat_'],
    regex: prefixed('dckr_pat_', '[A-Za-z0-9_-]{27}'),
    secretGroup: 1,
    category: 'packages',
    references: ['https://docs.docker.com/security/for-developers/access-tokens/'],
  },
  {
    id: 'rubygems-api-key',
    title: 'RubyGems API key',
    severity: 'HIGH',
    aliases: ['gitleaks:rubygems-api-token'],
    keywords: ['rubygems_'],
    regex: prefixed('rubygems_', '[a-f0-9]{48}'),
    secretGroup: 1,
    category: 'packages',
    references: ['https://guides.rubygems.org/api-key-scopes/'],
  },
  {
    id: 'nuget-api-key',
    title: 'NuGet API key',
    severity: 'HIGH',
    aliases: [],
    keywords: ['oy2'],
    regex: new RegExp(`${B}(oy2[a-z0-9]{43})${ET}`),
    secretGroup: 1,
    entropy: 3.5,
    category: 'packages',
    references: ['https://learn.microsoft.com/en-us/nuget/nuget-org/scoped-api-keys'],
  },
  {
    id: 'jfrog-api-key',
    title: 'JFrog Artifactory API key',
    severity: 'HIGH',
    aliases: ['gitleaks:artifactory-api-key', 'gitleaks:jfrog-api-key'],
    // its own `AKCp` prefix anywhere, or 73 characters assigned to a JFrog-named key
    keywords: ['akcp', 'jfrog', 'artifactory', 'bintray', 'xray'],
    regex: new RegExp(
      `${prefixed('AKCp', '[A-Za-z0-9]{69}').source}|${keyed(anyCase('jfrog|artifactory|bintray|xray'), '[A-Za-z0-9]{73}', '').source}`,
    ),
    secretGroup: [1, 2],
    entropy: 3,
    category: 'packages',
    references: ['https://jfrog.com/help/r/jfrog-platform-administration-documentation/api-key'],
  },
  {
    id: 'clojars-api-token',
    title: 'Clojars deploy token',
    severity: 'MEDIUM',
    aliases: ['gitleaks:clojars-api-token'],
    keywords: ['clojars_'],
    regex: prefixed('CLOJARS_', '[a-z0-9]{60}', 'i'),
    secretGroup: 1,
    category: 'packages',
    references: ['https://github.com/clojars/clojars-web/wiki/Deploy-Tokens'],
  },
];
