import { keyed, prefixed } from '../patterns.js';
import type { SecretSpec } from '../types.js';

const GH =
  'https://docs.github.com/en/authentication/keeping-your-account-and-data-secure/about-authentication-to-github#githubs-token-formats';
const GL = 'https://docs.gitlab.com/ee/security/tokens/';

function github(id: string, prefix: string, what: string, body = '[A-Za-z0-9]{36}', alias = id): SecretSpec {
  return {
    id,
    title: `GitHub ${what}`,
    severity: 'CRITICAL',
    aliases: [`gitleaks:${alias}`],
    keywords: [prefix.toLowerCase()],
    regex: prefixed(prefix, body),
    secretGroup: 1,
    category: 'code-hosting',
    references: [GH],
  };
}

function gitlab(
  id: string,
  prefix: string,
  what: string,
  body: string,
  alias = id,
  extra: Partial<SecretSpec> = {},
): SecretSpec {
  return {
    id,
    title: `GitLab ${what}`,
    severity: 'CRITICAL',
    aliases: [`gitleaks:${alias}`],
    keywords: [prefix.toLowerCase()],
    regex: prefixed(prefix, body),
    secretGroup: 1,
    category: 'code-hosting',
    references: [GL],
    ...extra,
  };
}

export const codeHostingRules: SecretSpec[] = [
  github('github-pat', 'ghp_', 'personal access token (classic)'),
  github('github-oauth', 'gho_', 'OAuth access token'),
  github('github-app-token', 'ghu_', 'user-to-server token'),
  github(
    'github-app-installation-token',
    'ghs_',
    'server-to-server (installation) token',
    undefined,
    'github-app-token',
  ),
  github('github-refresh-token', 'ghr_', 'refresh token', '[A-Za-z0-9]{36,76}'),
  github(
    'github-fine-grained-pat',
    'github_pat_',
    'fine-grained personal access token',
    // `<22>_<59>` as issued; 82 word characters in any arrangement as other tools generate them
    '[A-Za-z0-9_]{82}',
  ),
  gitlab('gitlab-pat', 'glpat-', 'personal / project / group access token', '[A-Za-z0-9_.-]{20,64}'),
  gitlab(
    'gitlab-runner-token',
    'glrt-',
    'runner authentication token',
    '[A-Za-z0-9_.-]{20,64}',
    'gitlab-runner-authentication-token',
  ),
  gitlab(
    'gitlab-runner-registration-token',
    'GR1348941',
    'runner registration token',
    '[A-Za-z0-9_-]{20}',
    'gitlab-rrt',
    // the fixed prefix is a third of it: a random rest lifts the whole above 3 bits (`GR1348941123123…` stays under)
    { entropy: 3 },
  ),
  gitlab('gitlab-pipeline-trigger-token', 'glptt-', 'pipeline trigger token', '[a-f0-9]{40}', 'gitlab-ptt'),
  gitlab('gitlab-deploy-token', 'gldt-', 'deploy token', '[A-Za-z0-9_-]{20,64}'),
  gitlab('gitlab-feed-token', 'glft-', 'feed token', '[A-Za-z0-9_-]{20}'),
  gitlab('gitlab-oauth-app-secret', 'gloas-', 'OAuth application secret', '[A-Za-z0-9_-]{64}'),
  gitlab('gitlab-cicd-job-token', 'glcbt-', 'CI/CD job token', '[0-9a-zA-Z]{1,5}_[0-9a-zA-Z_-]{20}'),
  gitlab('gitlab-feature-flag-client-token', 'glffct-', 'feature flag client token', '[0-9a-zA-Z_-]{20}'),
  gitlab('gitlab-incoming-mail-token', 'glimt-', 'incoming mail token', '[0-9a-zA-Z_-]{25}'),
  gitlab('gitlab-kubernetes-agent-token', 'glagent-', 'Kubernetes agent token', '[0-9a-zA-Z_-]{50}'),
  gitlab('gitlab-scim-token', 'glsoat-', 'SCIM token', '[0-9a-zA-Z_-]{20}'),
  {
    // routable tokens carry a base-36 suffix after a dot: `glpat-<payload>.<2 + 7>`
    ...gitlab(
      'gitlab-pat-routable',
      'glpat-',
      'routable personal access token',
      '[0-9a-zA-Z_-]{27,300}\\.[0-9a-z]{9}',
    ),
    entropy: 4,
    supersedes: ['gitlab-pat'],
  },
  {
    ...gitlab(
      'gitlab-runner-authentication-token-routable',
      'glrt-',
      'routable runner authentication token',
      't[0-9]_[0-9a-zA-Z_-]{27,300}\\.[0-9a-z]{9}',
    ),
    entropy: 4,
    supersedes: ['gitlab-runner-token'],
  },
  {
    ...gitlab('gitlab-session-cookie', '_gitlab_session=', 'session cookie', ''),
    severity: 'HIGH',
    regex: /_gitlab_session=([0-9a-z]{32})(?![0-9a-z])/,
    entropy: 3,
  },
  {
    id: 'atlassian-api-token',
    title: 'Atlassian API token',
    severity: 'HIGH',
    aliases: ['gitleaks:atlassian-api-token'],
    // `ATATT3` tokens anywhere; the older 24-character tokens assigned to an Atlassian, Jira or
    // Confluence key
    keywords: ['atatt3', 'atlassian', 'confluence', 'jira'],
    regex: new RegExp(
      `${prefixed('ATATT3', '[A-Za-z0-9_=-]{180,300}').source}|${keyed('atlassian|confluence|jira', '[A-Za-z0-9]{24}').source}`,
      'i',
    ),
    secretGroup: [1, 2],
    entropy: 3,
    // 24 random characters of 36 all but always hold a digit: `searchConfluenceUsingCql` is a name
    validate: (s) => s.startsWith('ATATT3') || /[0-9]/.test(s),
    ownsKey: true,
    category: 'code-hosting',
    references: [
      'https://support.atlassian.com/atlassian-account/docs/manage-api-tokens-for-your-atlassian-account/',
    ],
  },
  {
    id: 'linear-api-key',
    title: 'Linear API key',
    severity: 'HIGH',
    aliases: ['gitleaks:linear-api-key'],
    keywords: ['lin_api_'],
    regex: prefixed('lin_api_', '[A-Za-z0-9]{40}'),
    secretGroup: 1,
    category: 'code-hosting',
    references: ['https://developers.linear.app/docs/graphql/working-with-the-graphql-api'],
  },
  {
    id: 'bitbucket-app-password',
    title: 'Bitbucket app password / API token',
    severity: 'HIGH',
    aliases: [],
    keywords: ['atbb'],
    regex: prefixed('ATBB', '[A-Za-z0-9_=.-]{32}'),
    secretGroup: 1,
    category: 'code-hosting',
    references: ['https://support.atlassian.com/bitbucket-cloud/docs/app-passwords/'],
  },
  {
    id: 'circleci-token',
    title: 'CircleCI personal API token',
    severity: 'HIGH',
    aliases: [],
    keywords: ['ccipat_'],
    regex: prefixed('CCIPAT_', '[A-Za-z0-9]{22}_[a-f0-9]{40}'),
    secretGroup: 1,
    category: 'code-hosting',
    references: ['https://circleci.com/docs/managing-api-tokens/'],
  },
  {
    id: 'buildkite-token',
    title: 'Buildkite API access token',
    severity: 'HIGH',
    aliases: [],
    keywords: ['bkua_'],
    regex: prefixed('bkua_', '[a-f0-9]{40}'),
    secretGroup: 1,
    category: 'code-hosting',
    references: ['https://buildkite.com/docs/apis/managing-api-tokens'],
  },
  {
    id: 'sonarqube-token',
    title: 'SonarQube / SonarCloud token',
    severity: 'MEDIUM',
    aliases: ['gitleaks:sonar-api-token'],
    supersedes: ['sonar-api-token'],
    keywords: ['squ_', 'sqp_', 'sqa_'],
    regex: prefixed('sq[upa]_', '[a-f0-9]{40}'),
    secretGroup: 1,
    category: 'code-hosting',
    references: [
      'https://docs.sonarsource.com/sonarqube/latest/user-guide/user-account/generating-and-using-tokens/',
    ],
  },
];
