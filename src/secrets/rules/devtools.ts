import { category, UUID } from './define.js';
import { isPlaceholder } from '../placeholders.js';
import type { SecretSpec } from '../types.js';

// CI, code quality, artifact stores, developer platforms and command lines that carry credentials.
const { key, shape } = category('devtools');

const JFROG = 'https://jfrog.com/help/r/jfrog-platform-administration-documentation/access-tokens';
const CURL = 'https://curl.se/docs/manpage.html';

/** up to 8 backslash-continued lines of one `curl` command, then an option (bounded: linear per `curl`) */
// a command continues on the next line after a `\` or, as docs often print it, on an indented
// line that starts with an option
const CURL_TO = (option: string) =>
  `\\bcurl\\b(?:[^\\n]{0,300}?(?:\\\\\\r?\\n|\\r?\\n(?=[ \\t]{1,20}-))){0,8}?[^\\n]{0,300}?[ \\t](?:${option})(?:=|[ \\t]{1,5})`;

// values a `-u user:password` shows in documentation, not credentials
const WORDS = new Set([
  'password',
  'pass',
  'passwd',
  'token',
  'test',
  'secret',
  'user',
  'username',
  'apikey',
  'key',
]);

/** `curl -u user:password`: a credential pair, not a shell expansion, a placeholder or a word */
function curlCredential(raw: string): boolean {
  const cred = raw.replace(/["'{}]/g, '');
  const colon = cred.indexOf(':');
  if (colon < 0 || /\$[A-Za-z_({]|[<>[\]]/.test(raw)) return false;
  const user = cred.slice(0, colon);
  const pass = cred.slice(colon + 1);
  const secret = pass.length >= user.length ? pass : user;
  if (secret.length < 6 || WORDS.has(pass.toLowerCase())) return false;
  return !(pass === user);
}

export const devtoolRules: SecretSpec[] = [
  shape(
    'artifactory-reference-token',
    'JFrog Artifactory reference token',
    'cmVmd[A-Za-z0-9]{59}',
    ['cmvmd'],
    JFROG,
    // a reference token assigned to a JFrog key is also 64 characters: the format decides
    { entropy: 4.5, supersedes: ['jfrog-identity-token'] },
  ),
  key(
    'bitbucket-client-id',
    'Bitbucket OAuth client ID',
    ['bitbucket'],
    '[a-z0-9]{32}',
    'https://support.atlassian.com/bitbucket-cloud/docs/use-oauth-on-bitbucket-cloud/',
    {
      entropy: 3,
      severity: 'LOW',
    },
  ),
  key(
    'bitbucket-client-secret',
    'Bitbucket OAuth client secret',
    ['bitbucket'],
    '[a-z0-9=_-]{64}',
    'https://support.atlassian.com/bitbucket-cloud/docs/use-oauth-on-bitbucket-cloud/',
    {
      entropy: 3,
    },
  ),
  key(
    'codecov-access-token',
    'Codecov access token',
    ['codecov'],
    '[a-z0-9]{32}',
    'https://docs.codecov.com/reference/overview',
    { entropy: 3 },
  ),
  key(
    'confluent-access-token',
    'Confluent Cloud API key',
    ['confluent'],
    '[a-z0-9]{16}',
    'https://docs.confluent.io/cloud/current/security/authenticate/workload-identities/service-accounts/api-keys/overview.html',
    {
      entropy: 3,
    },
  ),
  key(
    'confluent-secret-key',
    'Confluent Cloud API secret',
    ['confluent'],
    '[a-z0-9]{64}',
    'https://docs.confluent.io/cloud/current/security/authenticate/workload-identities/service-accounts/api-keys/overview.html',
    {
      entropy: 3,
    },
  ),
  key(
    'droneci-access-token',
    'Drone CI access token',
    ['droneci'],
    '[a-z0-9]{32}',
    'https://docs.drone.io/cli/setup/',
    { entropy: 3 },
  ),
  key(
    'fastly-api-token',
    'Fastly API token',
    ['fastly'],
    '[a-z0-9=_-]{32}',
    'https://docs.fastly.com/en/guides/using-api-tokens',
    { entropy: 3 },
  ),
  shape(
    'harness-api-key',
    'Harness personal or service account token',
    '(?:pat|sat)\\.[A-Za-z0-9_-]{22}\\.[A-Za-z0-9]{24}\\.[A-Za-z0-9]{20}',
    ['pat.', 'sat.'],
    'https://developer.harness.io/docs/platform/automation/api/add-and-manage-api-keys/',
    { entropy: 3 },
  ),
  shape(
    'heroku-api-key-v2',
    'Heroku API key',
    'HRKU-AA[0-9a-zA-Z_-]{58}',
    ['hrku-aa'],
    'https://devcenter.heroku.com/articles/authentication',
    {
      entropy: 4,
      severity: 'CRITICAL',
    },
  ),
  shape(
    'infracost-api-token',
    'Infracost API key',
    'ico-[A-Za-z0-9]{32}',
    ['ico-'],
    'https://www.infracost.io/docs/features/environment_variables/',
    {
      entropy: 3,
    },
  ),
  shape(
    'intra42-client-secret',
    '42 Intra client secret',
    's-s4t2(?:ud|af)-[a-fA-F0-9]{64}',
    ['s-s4t2ud-', 's-s4t2af-'],
    'https://api.intra.42.fr/apidoc/guides/getting_started',
    {
      entropy: 3,
    },
  ),
  key(
    'jfrog-identity-token',
    'JFrog identity token',
    ['jfrog', 'artifactory', 'bintray', 'xray'],
    '[a-z0-9]{64}',
    JFROG,
    { entropy: 3 },
  ),
  key(
    'linear-client-secret',
    'Linear OAuth client secret',
    ['linear'],
    '[a-f0-9]{32}',
    'https://developers.linear.app/docs/oauth/authentication',
    {
      entropy: 2,
    },
  ),
  shape(
    'octopus-deploy-api-key',
    'Octopus Deploy API key',
    'API-[A-Z0-9]{26}',
    ['api-'],
    'https://octopus.com/docs/octopus-rest-api/how-to-create-an-api-key',
    {
      entropy: 3,
    },
  ),
  {
    ...shape(
      'openshift-user-token',
      'OpenShift user token',
      'sha256~[A-Za-z0-9_-]{43}',
      ['sha256~'],
      'https://docs.redhat.com/en/documentation/openshift_container_platform/4.16/html/authentication_and_authorization/understanding-authentication',
      {
        entropy: 3.5,
      },
    ),
    regex: /(?<![A-Za-z0-9_-])(sha256~[A-Za-z0-9_-]{43})(?![A-Za-z0-9_-])/,
  },
  key(
    'snyk-api-token',
    'Snyk API token',
    ['snyk'],
    UUID,
    'https://docs.snyk.io/snyk-api/authentication-for-api',
    {
      key: 'snyk[_.-]?(?:(?:api|oauth)[_.-]?)?(?:key|token)',
      entropy: 3,
    },
  ),
  key(
    'sonar-api-token',
    'SonarQube / SonarCloud token',
    ['sonar'],
    '(?:squ_|sqp_|sqa_)?[a-z0-9=_-]{40}',
    'https://docs.sonarsource.com/sonarqube-server/latest/user-guide/managing-tokens/',
    {
      key: 'sonar[_.-]?(?:login|token)',
      entropy: 3,
    },
  ),
  shape(
    'sourcegraph-access-token',
    'Sourcegraph access token',
    'sgp_(?:[a-fA-F0-9]{16}_|local_)?[a-fA-F0-9]{40}',
    ['sgp_'],
    'https://sourcegraph.com/docs/cli/how-tos/creating_an_access_token',
    {
      entropy: 3,
    },
  ),
  {
    // the legacy format is 40 hex digits with no prefix: only under a key naming Sourcegraph
    ...key(
      'sourcegraph-legacy-token',
      'Sourcegraph access token (legacy)',
      ['sourcegraph'],
      '[a-f0-9]{40}',
      'https://sourcegraph.com/docs/cli/how-tos/creating_an_access_token',
      {
        entropy: 3,
      },
    ),
    aliases: ['gitleaks:sourcegraph-access-token'],
  },
  key(
    'travisci-access-token',
    'Travis CI access token',
    ['travis'],
    '[a-z0-9]{22}',
    'https://docs.travis-ci.com/user/triggering-builds/',
    { entropy: 3 },
  ),
  {
    id: 'curl-auth-user',
    title: 'Credentials in a curl -u / --user option',
    severity: 'HIGH',
    aliases: ['gitleaks:curl-auth-user'],
    keywords: ['curl'],
    regex: new RegExp(`${CURL_TO('-u|--user')}(\\S{3,300})`),
    secretGroup: 1,
    entropy: 2,
    validate: curlCredential,
    category: 'devtools',
    references: [CURL],
  },
  {
    id: 'curl-auth-header',
    title: 'Credentials in a curl -H / --header option',
    severity: 'HIGH',
    aliases: ['gitleaks:curl-auth-header'],
    keywords: ['curl'],
    regex: new RegExp(
      `${CURL_TO('-H|--header')}["'](?:Authorization:[ \\t]{0,5}(?:Basic[ \\t]{1,5}([A-Za-z0-9+/]{8,2000}={0,3})|` +
        `(?:(?:Bearer|(?:Api-)?Token)[ \\t]{1,5})?([\\w=~@.+/-]{8,2000}))|` +
        `(?:X-(?:[a-z]{1,30}-)?)?(?:Api-?)?(?:Key|Token):[ \\t]{0,5}([\\w=~@.+/-]{8,2000}))["']`,
      'i',
    ),
    secretGroup: [1, 2, 3],
    entropy: 2.5,
    category: 'devtools',
    references: [CURL],
  },
  {
    id: 'kubernetes-secret-yaml',
    title: 'Kubernetes Secret manifest with data',
    severity: 'HIGH',
    aliases: ['gitleaks:kubernetes-secret-yaml'],
    keywords: ['secret'],
    // a Secret itself, not an ExternalSecret or SopsSecret that only points at one
    requires: /(?:^|\n)[ \t]{0,20}kind:[ \t]{0,5}["']?secret["']?[ \t]{0,20}(?:\r?\n|$)/i,
    regex:
      /(?<![A-Za-z])data:[ \t]{0,20}\r?\n(?:[ \t]{0,20}#[^\n]{0,300}\r?\n){0,5}[ \t]{1,20}[\w.-]{1,100}:[ \t]{0,5}(?:[|>][-+]?[ \t]{0,5}\r?\n[ \t]{1,20})?["']?([A-Za-z0-9+/]{10,20000}={0,3})["']?(?=\s|$)/,
    secretGroup: 1,
    allowRuns: true,
    category: 'devtools',
    references: ['https://kubernetes.io/docs/concepts/configuration/secret/'],
  },
  {
    id: 'nuget-config-password',
    title: 'Password in a NuGet.config package source',
    severity: 'HIGH',
    aliases: ['gitleaks:nuget-config-password'],
    keywords: ['<add key='],
    path: /(?:^|[\\/])nuget\.config$/i,
    regex: /<add key="(?:ClearText)?Password"\s{0,20}value="([^"\n]{8,500})"\s{0,20}\/>/i,
    secretGroup: 1,
    entropy: 1,
    category: 'devtools',
    references: [
      'https://learn.microsoft.com/en-us/nuget/reference/nuget-config-file#packagesourcecredentials',
    ],
  },
  {
    id: 'hashicorp-tf-password',
    title: 'Password in a Terraform / HCL file',
    severity: 'HIGH',
    aliases: ['gitleaks:hashicorp-tf-password'],
    keywords: ['password'],
    path: /\.(?:tf|hcl)$/i,
    regex:
      /(?<![A-Za-z0-9_])(?:administrator_login_password|password)[ \t]{0,20}=[ \t]{0,5}"([A-Za-z0-9=_-]{8,20})"/i,
    secretGroup: 1,
    entropy: 2,
    validate: (s) => !isPlaceholder(s, { category: 'devtools' } as SecretSpec),
    supersedes: ['generic-password'],
    category: 'devtools',
    references: [
      'https://developer.hashicorp.com/terraform/language/values/variables#suppressing-values-in-cli-output',
    ],
  },
  {
    id: 'freemius-secret-key',
    title: 'Freemius secret key in PHP',
    severity: 'HIGH',
    aliases: ['gitleaks:freemius-secret-key'],
    keywords: ['secret_key'],
    path: /\.php$/i,
    regex: /["']secret_key["'][ \t]{0,10}=>[ \t]{0,10}["'](sk_[^\s"']{29})["']/i,
    secretGroup: 1,
    supersedes: ['generic-secret'],
    category: 'devtools',
    references: ['https://freemius.com/help/documentation/wordpress-sdk/integrating-freemius-sdk/'],
  },
  {
    id: 'pkcs12-file',
    title: 'PKCS#12 key store file (.p12 / .pfx)',
    severity: 'HIGH',
    aliases: ['gitleaks:pkcs12-file'],
    keywords: [],
    path: /(?:^|[\\/])[^\\/]+\.p(?:12|fx)$/i,
    category: 'keys',
    references: ['https://www.rfc-editor.org/rfc/rfc7292'],
    remediation:
      'A PKCS#12 file holds private keys: remove it from the tree and every image layer, revoke the certificates it holds, and mount key material at run time from a secret store.',
  },
];
