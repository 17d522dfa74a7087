/**
 * True- and false-positive samples for every secret rule, shaped like the examples secret scanners
 * document for each credential type (env files, YAML, code, URLs). Secret-looking values are built
 * at run time from a seeded generator, so no live-looking credential is committed; false
 * positives are the documented examples, placeholders, references and near-misses users write.
 */
let seed = 0x5eed;
function rnd(): number {
  // xorshift32: deterministic across runs
  seed ^= seed << 13;
  seed ^= seed >>> 17;
  seed ^= seed << 5;
  return (seed >>> 0) / 0x100000000;
}
function pick(chars: string, n: number): string {
  let s = '';
  while (s.length < n) {
    const ch = chars[Math.floor(rnd() * chars.length)]!;
    // no runs of 3 identical characters: those are the placeholder heuristic's business
    if (s.length >= 2 && s[s.length - 1] === ch && s[s.length - 2] === ch) continue;
    s += ch;
  }
  return s;
}
const AN = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
const LOW = 'abcdefghijklmnopqrstuvwxyz0123456789';
const UP = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789';
const HEX = '0123456789abcdef';
const B32 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
const B64 = `${AN}+/`;
const URL = `${AN}_-`;
const LETTERS = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';
export const an = (n: number) => pick(AN, n);
export const hex = (n: number) => pick(HEX, n);
const up = (n: number) => pick(UP, n);
const low = (n: number) => pick(LOW, n);
const b64 = (n: number) => pick(B64, n);
const url = (n: number) => pick(URL, n);
const uuid = () => `${hex(8)}-${hex(4)}-${hex(4)}-${hex(4)}-${hex(12)}`;
const digits = (n: number) => pick('0123456789', n);

function pemBody(lines = 3): string {
  return Array.from({ length: lines }, () => b64(64)).join('\n');
}
function pemBlock(label: string): string {
  return `-----BEGIN ${label}-----\n${pemBody()}\n-----END ${label}-----\n`;
}
function jwtOf(header: object, payload: object): string {
  const enc = (o: object) => Buffer.from(JSON.stringify(o)).toString('base64url');
  return `${enc(header)}.${enc(payload)}.${url(43)}`;
}
const dockerAuth = (user: string, pass: string) => Buffer.from(`${user}:${pass}`).toString('base64');

export interface RuleSamples {
  tp: string[];
  fp: string[];
}

export const SAMPLES: Record<string, RuleSamples> = {
  // gitleaks ships no samples for these two
  'dropbox-long-lived-api-token': {
    tp: [`DROPBOX_TOKEN=${low(11)}AAAAAAAAAA${low(43)}`],
    fp: ['DROPBOX_TOKEN=AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA'],
  },
  'dropbox-short-lived-api-token': {
    tp: [`dropbox_access_token: sl.${url(135)}`],
    fp: ['dropbox_access_token: sl.<your token>'],
  },
  'aws-access-key-id': {
    tp: [`AWS_ACCESS_KEY_ID=AKIA${pick(B32, 16)}`, `aws_access_key_id = ASIA${pick(B32, 16)}`],
    fp: [
      'AWS_ACCESS_KEY_ID=AKIAIOSFODNN7EXAMPLE',
      'key: AKIAXXXXXXXXXXXXXXXX',
      'AKIA is the prefix of long-term keys',
    ],
  },
  'aws-secret-access-key': {
    tp: [`aws_secret_access_key = ${b64(40)}`, `"SecretAccessKey": "${b64(40)}"`],
    fp: [
      'aws_secret_access_key = wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY',
      'aws_secret_access_key = ${AWS_SECRET}',
    ],
  },
  'aws-mws-key': {
    tp: [`mws_token: amzn.mws.${uuid()}`],
    fp: ['mws_token: amzn.mws.<your-token>'],
  },
  'gcp-service-account-key': {
    tp: [
      `{\n  "type": "service_account",\n  "project_id": "demo-301",\n  "private_key_id": "${hex(40)}",\n  "private_key": "-----BEGIN PRIVATE KEY-----\\n${b64(64)}\\n${b64(64)}\\n-----END PRIVATE KEY-----\\n",\n  "client_email": "ci@demo-301.iam.gserviceaccount.com"\n}`,
    ],
    fp: [
      `{ "type": "service_account", "private_key": "" }`,
      `{ "type": "authorized_user", "private_key_id": "${hex(40)}" }`,
    ],
  },
  'gcp-api-key': {
    tp: [`const key = "AIza${url(35)}";`],
    fp: ['GOOGLE_API_KEY=AIzaXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXX', 'the key starts with AIza'],
  },
  'gcp-oauth-client-secret': {
    tp: [`client_secret: GOCSPX-${url(28)}`],
    fp: ['client_secret: GOCSPX-<secret>'],
  },
  'gcp-oauth-access-token': {
    tp: [`Authorization: ya29.${url(120)}`],
    fp: ['token = ya29.xxx'],
  },
  'azure-storage-connection-string': {
    tp: [
      `DefaultEndpointsProtocol=https;AccountName=acme;AccountKey=${b64(86)}==;EndpointSuffix=core.windows.net`,
    ],
    fp: [
      'DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;AccountKey=Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==;',
      'AccountKey=<storage-account-key>',
    ],
  },
  'azure-storage-account-key': {
    tp: [`AZURE_STORAGE_KEY: "${b64(86)}=="`],
    fp: ['AZURE_STORAGE_KEY: "${STORAGE_KEY}"'],
  },
  'azure-sas-token': {
    tp: [
      `https://acme.blob.core.windows.net/c/f.zip?sv=2022-11-02&ss=b&srt=o&sp=r&se=2027-01-01T00:00:00Z&sig=${b64(43)}%3D`,
    ],
    fp: ['https://acme.blob.core.windows.net/c/f.zip?sv=2022-11-02&sig=<signature>'],
  },
  'azure-ad-client-secret': {
    tp: [`AZURE_CLIENT_SECRET=${an(3)}8Q~${url(34)}`],
    fp: ['AZURE_CLIENT_SECRET=abc8Q~'],
  },
  'azure-service-bus-connection-string': {
    tp: [
      `Endpoint=sb://acme.servicebus.windows.net/;SharedAccessKeyName=RootManageSharedAccessKey;SharedAccessKey=${b64(43)}=`,
    ],
    fp: ['Endpoint=sb://acme.servicebus.windows.net/;SharedAccessKeyName=Root;SharedAccessKey=<key>'],
  },
  'alibaba-access-key-id': {
    tp: [`ALIBABA_CLOUD_ACCESS_KEY_ID=LTAI${an(20)}`],
    fp: ['ALIBABA_CLOUD_ACCESS_KEY_ID=LTAIxxxx'],
  },
  'alibaba-secret-key': {
    tp: [`ALIBABA_CLOUD_ACCESS_KEY_SECRET=${an(30)}`],
    fp: ['ALIBABA_CLOUD_ACCESS_KEY_SECRET=${ALI_SECRET}'],
  },
  'digitalocean-token': {
    tp: [`DIGITALOCEAN_TOKEN=dop_v1_${hex(64)}`],
    fp: ['DIGITALOCEAN_TOKEN=dop_v1_<token>'],
  },
  'heroku-api-key': {
    tp: [`HEROKU_API_KEY=${uuid()}`],
    fp: ['HEROKU_API_KEY=$HEROKU_KEY', `heroku_app_id: 01234567-89ab-cdef-0123-456789abcdef-extra`],
  },
  'cloudflare-api-token': {
    tp: [`CLOUDFLARE_API_TOKEN=${url(40)}`],
    fp: ['CLOUDFLARE_API_TOKEN=${{ secrets.CF_TOKEN }}'],
  },
  'cloudflare-global-api-key': {
    tp: [`cloudflare_api_key = "${hex(37)}"`],
    fp: ['cloudflare_email = "ops@example.com"'],
  },
  'cloudflare-origin-ca-key': {
    tp: [`origin_ca_key = "v1.0-${hex(24)}-${hex(146)}"`],
    fp: ['origin_ca_key = "v1.0-..."'],
  },
  'databricks-token': {
    tp: [`DATABRICKS_TOKEN=dapi${hex(32)}`],
    fp: ['DATABRICKS_TOKEN=dapiXXXXXXXXXXXXXXXX'],
  },
  'hashicorp-vault-token': {
    tp: [`VAULT_TOKEN=hvs.${url(95)}`],
    fp: ['VAULT_TOKEN=hvs.example', 'export VAULT_TOKEN=$(vault print token)'],
  },
  'terraform-cloud-token': {
    tp: [`token = "${an(14)}.atlasv1.${url(67)}"`],
    fp: ['token = "<YOUR_TFC_TOKEN>.atlasv1.<rest>"'],
  },
  'ibm-cloud-api-key': {
    tp: [`IBMCLOUD_API_KEY=${url(44)}`],
    fp: ['IBMCLOUD_API_KEY=<api-key>'],
  },
  'github-pat': {
    tp: [`GITHUB_TOKEN=ghp_${an(36)}`, `git clone https://ghp_${an(36)}@github.com/acme/app.git`],
    fp: ['GITHUB_TOKEN=ghp_xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx', 'tokens start with ghp_ for classic PATs'],
  },
  'github-oauth': { tp: [`token: gho_${an(36)}`], fp: ['token: gho_<token>'] },
  'github-app-token': { tp: [`token: ghu_${an(36)}`], fp: ['token: ghu_'] },
  'github-app-installation-token': { tp: [`GH_TOKEN=ghs_${an(36)}`], fp: ['GH_TOKEN=ghs_${TOKEN}'] },
  'github-refresh-token': { tp: [`refresh: ghr_${an(76)}`], fp: ['refresh: ghr_short'] },
  'github-fine-grained-pat': {
    tp: [`GITHUB_PAT=github_pat_${an(22)}_${an(59)}`],
    fp: ['GITHUB_PAT=github_pat_XXXXXXXXXXXXXXXXXXXXXX_XXXXX'],
  },
  'gitlab-pat': { tp: [`GITLAB_TOKEN=glpat-${url(20)}`], fp: ['GITLAB_TOKEN=glpat-xxxxxxxxxxxxxxxxxxxx'] },
  'gitlab-runner-token': { tp: [`token = "glrt-${url(20)}"`], fp: ['token = "glrt-REDACTED"'] },
  'gitlab-runner-registration-token': {
    tp: [`registration-token: GR1348941${url(20)}`],
    fp: ['registration-token: GR1348941'],
  },
  'gitlab-pipeline-trigger-token': { tp: [`TRIGGER=glptt-${hex(40)}`], fp: ['TRIGGER=glptt-<token>'] },
  'gitlab-deploy-token': { tp: [`password: gldt-${url(20)}`], fp: ['password: gldt-'] },
  'gitlab-feed-token': { tp: [`feed=glft-${url(20)}`], fp: ['feed=glft-abc'] },
  'gitlab-oauth-app-secret': { tp: [`secret: gloas-${url(64)}`], fp: ['secret: gloas-<secret>'] },
  'atlassian-api-token': {
    tp: [`JIRA_API_TOKEN=ATATT3xFfGF0${url(170)}=${hex(8).toUpperCase()}`],
    fp: ['JIRA_API_TOKEN=ATATT3xFfGF0...'],
  },
  'linear-api-key': { tp: [`LINEAR_API_KEY=lin_api_${an(40)}`], fp: ['LINEAR_API_KEY=lin_api_xxx'] },
  'bitbucket-app-password': { tp: [`BITBUCKET_TOKEN=ATBB${an(32)}`], fp: ['BITBUCKET_TOKEN=ATBBxxxx'] },
  'circleci-token': { tp: [`CIRCLE_TOKEN=CCIPAT_${an(22)}_${hex(40)}`], fp: ['CIRCLE_TOKEN=CCIPAT_<token>'] },
  'buildkite-token': { tp: [`BUILDKITE_API_TOKEN=bkua_${hex(40)}`], fp: ['BUILDKITE_API_TOKEN=bkua_'] },
  'sonarqube-token': { tp: [`sonar.token=squ_${hex(40)}`], fp: ['sonar.token=squ_${SONAR}'] },
  'slack-bot-token': {
    tp: [`SLACK_BOT_TOKEN=xoxb-${digits(12)}-${digits(13)}-${an(24)}`],
    fp: [
      'SLACK_BOT_TOKEN=xoxb-your-bot-token',
      'SLACK_BOT_TOKEN=xoxb-000000000000-0000000000000-XXXXXXXXXXXXXXXXXXXXXXXX',
    ],
  },
  'slack-user-token': {
    tp: [`token: xoxp-${digits(12)}-${digits(12)}-${digits(13)}-${hex(32)}`],
    fp: ['token: xoxp-1234-placeholder'],
  },
  'slack-app-token': {
    tp: [`SLACK_APP_TOKEN=xapp-1-A${up(10)}-${digits(13)}-${hex(64)}`],
    fp: ['SLACK_APP_TOKEN=xapp-1-...'],
  },
  'slack-config-token': {
    tp: [`config_token: xoxe.xoxp-1-${up(164)}`],
    fp: ['config_token: xoxe.xoxp-1-<token>'],
  },
  'slack-webhook-url': {
    tp: [`SLACK_WEBHOOK=https://hooks.slack.com/services/T${up(8)}/B${up(8)}/${an(24)}`],
    fp: ['SLACK_WEBHOOK=https://hooks.slack.com/services/T00000000/B00000000/XXXXXXXXXXXXXXXXXXXXXXXX'],
  },
  'discord-bot-token': {
    tp: [`DISCORD_TOKEN=M${url(23)}.${url(6)}.${url(27)}`],
    fp: ['DISCORD_TOKEN=your-discord-bot-token'],
  },
  'discord-webhook-url': {
    tp: [`url = "https://discord.com/api/webhooks/${digits(18)}/${url(68)}"`],
    fp: ['url = "https://discord.com/api/webhooks/<id>/<token>"'],
  },
  'telegram-bot-token': {
    tp: [`TELEGRAM_BOT_TOKEN=${digits(10)}:AA${url(33)}`],
    fp: ['TELEGRAM_BOT_TOKEN=123456:ABC-DEF1234ghIkl-zyx57W2v1u123ew11'],
  },
  'microsoft-teams-webhook': {
    tp: [
      `webhook: https://acme.webhook.office.com/webhookb2/${uuid()}@${uuid()}/IncomingWebhook/${hex(32)}/${uuid()}`,
    ],
    fp: ['webhook: https://acme.webhook.office.com/webhookb2/<id>'],
  },
  'twilio-api-key': { tp: [`TWILIO_API_KEY=SK${hex(32)}`], fp: ['TWILIO_API_KEY=SKxxxxxxxxxxxxxxxx'] },
  'twilio-auth-token': { tp: [`TWILIO_AUTH_TOKEN=${hex(32)}`], fp: ['TWILIO_AUTH_TOKEN=your_auth_token'] },
  'sendgrid-api-key': {
    tp: [`SENDGRID_API_KEY=SG.${url(22)}.${url(43)}`],
    fp: ['SENDGRID_API_KEY=SG.xxxxxxxx.yyyyyyyy'],
  },
  'mailgun-api-key': { tp: [`MAILGUN_API_KEY=key-${hex(32)}`], fp: ['MAILGUN_API_KEY=key-<private-key>'] },
  'mailchimp-api-key': { tp: [`MAILCHIMP_KEY=${hex(32)}-us21`], fp: ['MAILCHIMP_KEY=<key>-us21'] },
  'postmark-server-token': {
    tp: [`POSTMARK_SERVER_TOKEN=${uuid()}`],
    fp: ['POSTMARK_SERVER_TOKEN=POSTMARK_API_TEST'],
  },
  'stripe-secret-key': {
    tp: [`STRIPE_SECRET_KEY=sk_live_${an(24)}`, `Stripe.api_key = "sk_live_${an(99)}"`],
    // publishable keys are meant to ship in web pages
    fp: [`STRIPE_PUBLISHABLE_KEY=pk_live_${an(24)}`, 'STRIPE_SECRET_KEY=sk_live_xxxxxxxxxxxxxxxxxxxxxxxx'],
  },
  'stripe-restricted-key': { tp: [`key: rk_live_${an(24)}`], fp: [`key: pk_test_${an(24)}`] },
  // test-mode keys are reported LOW by their own rules, never by the live ones
  'stripe-test-key': {
    tp: [`STRIPE_SECRET_KEY=sk_test_${an(24)}`, `key: rk_test_${an(24)}`],
    fp: [`STRIPE_PUBLISHABLE_KEY=pk_test_${an(24)}`, 'STRIPE_SECRET_KEY=sk_test_xxxxxxxxxxxxxxxxxxxx'],
  },
  'stripe-webhook-secret': {
    tp: [`STRIPE_WEBHOOK_SECRET=whsec_${an(32)}`],
    fp: ['STRIPE_WEBHOOK_SECRET=whsec_...'],
  },
  'shopify-access-token': { tp: [`SHOPIFY_TOKEN=shpat_${hex(32)}`], fp: ['SHOPIFY_TOKEN=shpat_<token>'] },
  'shopify-custom-access-token': { tp: [`token=shpca_${hex(32)}`], fp: ['token=shpca_'] },
  'shopify-private-app-access-token': { tp: [`token=shppa_${hex(32)}`], fp: ['token=shppa_xyz'] },
  'shopify-shared-secret': { tp: [`secret=shpss_${hex(32)}`], fp: ['secret=shpss_abc'] },
  'square-access-token': {
    tp: [`SQUARE_ACCESS_TOKEN=EAAA${url(60)}`],
    fp: ['SQUARE_ACCESS_TOKEN=EAAAxxxxxxxx'],
  },
  'square-oauth-secret': { tp: [`secret: sq0csp-${url(43)}`], fp: ['secret: sq0csp-<secret>'] },
  'braintree-access-token': {
    tp: [`BRAINTREE_TOKEN=access_token$production$${low(16)}$${hex(32)}`],
    fp: ['BRAINTREE_TOKEN=access_token$sandbox$abc$def'],
  },
  'shippo-api-token': { tp: [`SHIPPO=shippo_live_${hex(40)}`], fp: ['SHIPPO=shippo_live_<token>'] },
  'shippo-test-api-token': { tp: [`SHIPPO=shippo_test_${hex(40)}`], fp: ['SHIPPO=shippo_test_<token>'] },
  'easypost-api-token': { tp: [`EASYPOST_API_KEY=EZAK${an(54)}`], fp: ['EASYPOST_API_KEY=EZAK<key>'] },
  'easypost-test-api-token': {
    tp: [`EASYPOST_API_KEY=EZTK${an(54)}`],
    fp: ['EASYPOST_API_KEY=EZTKxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx'],
  },
  'duffel-api-token': { tp: [`DUFFEL=duffel_live_${url(43)}`], fp: ['DUFFEL=duffel_live_...'] },
  'duffel-test-api-token': { tp: [`DUFFEL=duffel_test_${url(43)}`], fp: ['DUFFEL=duffel_test_<token>'] },
  'openai-api-key': {
    tp: [
      `OPENAI_API_KEY=sk-proj-${url(74)}T3BlbkFJ${url(74)}`,
      `openai.api_key = "sk-${an(20)}T3BlbkFJ${an(20)}"`,
    ],
    fp: ['OPENAI_API_KEY=sk-...', 'OPENAI_API_KEY=sk-proj-xxxxxxxx'],
  },
  'anthropic-api-key': {
    tp: [`ANTHROPIC_API_KEY=sk-ant-api03-${url(93)}AA`],
    fp: ['ANTHROPIC_API_KEY=sk-ant-api03-...'],
  },
  'huggingface-access-token': { tp: [`HF_TOKEN=hf_${pick(LETTERS, 34)}`], fp: ['HF_TOKEN=hf_xxx'] },
  'huggingface-org-token': { tp: [`token = "api_org_${pick(LETTERS, 34)}"`], fp: ['token = "api_org_name"'] },
  'okta-api-token': { tp: [`OKTA_API_TOKEN=00${url(40)}`], fp: ['OKTA_API_TOKEN={{ okta_token }}'] },
  'new-relic-user-api-key': {
    tp: [`NEW_RELIC_API_KEY=NRAK-${up(27)}`],
    fp: ['NEW_RELIC_API_KEY=NRAK-XXXXXXXXXXXXXXXXXXXXXXXXXXX'],
  },
  'new-relic-insert-key': { tp: [`insert_key: NRII-${url(32)}`], fp: ['insert_key: NRII-<key>'] },
  'datadog-api-key': {
    tp: [`DD_API_KEY=${hex(32)}`, `datadog_app_key: "${hex(40)}"`],
    fp: ['DD_API_KEY=<DATADOG_API_KEY>'],
  },
  'sentry-dsn': {
    tp: [`SENTRY_DSN=https://${hex(32)}@o${digits(6)}.ingest.sentry.io/${digits(7)}`],
    fp: ['SENTRY_DSN=https://examplePublicKey@o0.ingest.sentry.io/0'],
  },
  'sentry-auth-token': {
    // claims as Sentry writes them, base64 without padding, then the 43-character secret
    tp: [
      `SENTRY_AUTH_TOKEN=sntrys_${Buffer.from('{"iat":1700000000.1,"url":"https://sentry.io","region_url":"https://us.sentry.io","org":"acme"}').toString('base64').replace(/=+$/, '')}_${an(43)}`,
      `SENTRY_AUTH_TOKEN=sntryu_${hex(64)}`,
    ],
    fp: ['SENTRY_AUTH_TOKEN=sntrys_<token>'],
  },
  'grafana-cloud-token': { tp: [`GRAFANA_TOKEN=glc_${an(80)}`], fp: ['GRAFANA_TOKEN=glc_xxx'] },
  'grafana-service-account-token': {
    tp: [`GRAFANA_SA=glsa_${an(32)}_${hex(8)}`],
    fp: ['GRAFANA_SA=glsa_<token>'],
  },
  'dynatrace-api-token': {
    tp: [`DT_API_TOKEN=dt0c01.${up(24)}.${up(64)}`],
    fp: ['DT_API_TOKEN=dt0c01.ABC.DEF'],
  },
  'postman-api-key': {
    tp: [`POSTMAN_API_KEY=PMAK-${hex(24)}-${hex(34)}`],
    fp: ['POSTMAN_API_KEY=PMAK-<key>'],
  },
  'pulumi-access-token': {
    tp: [`PULUMI_ACCESS_TOKEN=pul-${hex(40)}`],
    fp: ['PULUMI_ACCESS_TOKEN=pul-<token>'],
  },
  'doppler-token': { tp: [`DOPPLER_TOKEN=dp.pt.${an(43)}`], fp: ['DOPPLER_TOKEN=dp.pt.xxx'] },
  'flyio-token': { tp: [`FLY_API_TOKEN=fo1_${url(43)}`], fp: ['FLY_API_TOKEN=fo1_<token>'] },
  'planetscale-token': {
    tp: [`PLANETSCALE_TOKEN=pscale_tkn_${url(43)}`],
    fp: ['PLANETSCALE_TOKEN=pscale_tkn_<token>'],
  },
  'prefect-api-key': { tp: [`PREFECT_API_KEY=pnu_${an(36)}`], fp: ['PREFECT_API_KEY=pnu_xxx'] },
  'supabase-access-token': {
    tp: [`SUPABASE_ACCESS_TOKEN=sbp_${hex(40)}`],
    fp: ['SUPABASE_ACCESS_TOKEN=sbp_<token>'],
  },
  'notion-integration-token': {
    tp: [`NOTION_TOKEN=ntn_${digits(11)}${an(35)}`],
    fp: ['NOTION_TOKEN=ntn_<token>'],
  },
  'airtable-pat': {
    tp: [`AIRTABLE_TOKEN=pat${an(14)}.${hex(64)}`],
    fp: ['const pattern = /abc/; path.join(a, b)'],
  },
  'mapbox-secret-token': {
    tp: [`MAPBOX_SECRET=sk.eyJ1Ijoi${url(60)}.${url(22)}`],
    fp: ['MAPBOX_PUBLIC=pk.eyJ1IjoiYWNtZSIsImEiOiJjbGFiYyJ9.abcdefghijklmnopqrstuv'],
  },
  'age-secret-key': {
    tp: [`# created: 2026-01-01\nAGE-SECRET-KEY-1${pick('QPZRY9X8GF2TVDW0S3JN54KHCE6MUA7L', 58)}`],
    fp: ['AGE-SECRET-KEY-1...'],
  },
  'frameio-api-token': { tp: [`FRAMEIO_TOKEN=fio-u-${url(64)}`], fp: ['FRAMEIO_TOKEN=fio-u-<token>'] },
  'readme-api-token': { tp: [`README_API_KEY=rdme_${low(70)}`], fp: ['README_API_KEY=rdme_xxx'] },
  'scalingo-api-token': {
    tp: [`SCALINGO_API_TOKEN=tk-us-${url(48)}`],
    fp: ['SCALINGO_API_TOKEN=tk-us-<token>'],
  },
  'npm-access-token': {
    tp: [`//registry.npmjs.org/:_authToken=npm_${an(36)}`, `NPM_TOKEN=npm_${an(36)}`],
    fp: [
      '//registry.npmjs.org/:_authToken=${NPM_TOKEN}',
      'NPM_TOKEN=npm_xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx',
    ],
  },
  'npmrc-auth-token': {
    tp: [`//npm.pkg.github.com/:_authToken=${an(40)}`],
    fp: ['//npm.pkg.github.com/:_authToken=${GITHUB_TOKEN}'],
  },
  'npmrc-basic-auth': {
    tp: [`//registry.acme.io/:_auth=${dockerAuth('ci', an(20))}`],
    fp: ['//registry.acme.io/:_auth=${NPM_AUTH}'],
  },
  'pypi-upload-token': {
    tp: [`password = pypi-AgEIcHlwaS5vcmc${url(140)}`],
    fp: ['password = pypi-AgEIcHlwaS5vcmc<rest-of-token>'],
  },
  'docker-config-auth': {
    tp: [
      `{\n  "auths": {\n    "registry.acme.io": {\n      "auth": "${dockerAuth('deploy', an(24))}"\n    }\n  }\n}`,
    ],
    fp: [
      '{\n  "auths": {\n    "registry.acme.io": {}\n  },\n  "credsStore": "desktop"\n}',
      `{ "auths": { "r.io": { "auth": "${Buffer.from('no-colon-here').toString('base64')}" } } }`,
    ],
  },
  'docker-hub-pat': { tp: [`DOCKERHUB_TOKEN=dckr_pat_${url(27)}`], fp: ['DOCKERHUB_TOKEN=dckr_pat_<token>'] },
  'rubygems-api-key': {
    tp: [`:rubygems_api_key: rubygems_${hex(48)}`],
    fp: [':rubygems_api_key: rubygems_<key>'],
  },
  'nuget-api-key': { tp: [`NUGET_API_KEY=oy2${low(43)}`], fp: ['NUGET_API_KEY=oy2xxx'] },
  'jfrog-api-key': { tp: [`ARTIFACTORY_API_KEY=AKCp${an(69)}`], fp: ['ARTIFACTORY_API_KEY=AKCp<key>'] },
  'clojars-api-token': { tp: [`CLOJARS_TOKEN=CLOJARS_${low(60)}`], fp: ['CLOJARS_TOKEN=CLOJARS_<token>'] },
  'private-key-rsa': {
    tp: [
      pemBlock('RSA PRIVATE KEY'),
      `-----BEGIN RSA PRIVATE KEY-----\nProc-Type: 4,ENCRYPTED\nDEK-Info: AES-128-CBC,${hex(32).toUpperCase()}\n\n${pemBody()}\n-----END RSA PRIVATE KEY-----`,
    ],
    fp: [
      '-----BEGIN RSA PRIVATE KEY-----\n<your private key here>\n-----END RSA PRIVATE KEY-----',
      pemBlock('PUBLIC KEY'),
    ],
  },
  'private-key-ec': {
    tp: [pemBlock('EC PRIVATE KEY')],
    fp: ['-----BEGIN EC PRIVATE KEY-----\n...\n-----END EC PRIVATE KEY-----'],
  },
  'private-key-dsa': { tp: [pemBlock('DSA PRIVATE KEY')], fp: ['-----BEGIN DSA PRIVATE KEY-----'] },
  'private-key-openssh': {
    tp: [
      `-----BEGIN OPENSSH PRIVATE KEY-----\nb3BlbnNzaC1rZXktdjEAAAAABG5vbmUAAAAEbm9uZQAAAAAAAAABAAABlwAAAAdzc2gtcn\n${pemBody()}\n-----END OPENSSH PRIVATE KEY-----`,
    ],
    fp: ['ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIKJ1cW9rZW4gZm9yIHRlc3Rz user@host'],
  },
  'private-key-pkcs8': { tp: [pemBlock('PRIVATE KEY')], fp: [pemBlock('CERTIFICATE')] },
  'private-key-encrypted': {
    tp: [pemBlock('ENCRYPTED PRIVATE KEY')],
    fp: ['openssl pkcs8 -topk8 -out key.pem  # writes BEGIN ENCRYPTED PRIVATE KEY'],
  },
  'private-key-pgp': {
    tp: [`-----BEGIN PGP PRIVATE KEY BLOCK-----\n\n${pemBody()}\n-----END PGP PRIVATE KEY BLOCK-----`],
    fp: [`-----BEGIN PGP PUBLIC KEY BLOCK-----\n\n${pemBody()}\n-----END PGP PUBLIC KEY BLOCK-----`],
  },
  'private-key-putty': {
    tp: [
      `PuTTY-User-Key-File-3: ssh-ed25519\nEncryption: none\nComment: ci\nPublic-Lines: 2\n${b64(64)}\n${b64(20)}\nPrivate-Lines: 1\n${b64(44)}\nPrivate-MAC: ${hex(64)}`,
    ],
    fp: ['PuTTY-User-Key-File-3: ssh-ed25519\nEncryption: none'],
  },
  jwt: {
    tp: [
      `Authorization: Bearer ${jwtOf({ alg: 'RS256', typ: 'JWT' }, { sub: 'svc-ci', iss: 'https://auth.acme.io', exp: 1893456000 })}`,
    ],
    fp: [
      'token = "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiIxMjM0NTY3ODkwIiwibmFtZSI6IkpvaG4gRG9lIiwiaWF0IjoxNTE2MjM5MDIyfQ.SflKxwRJSMeKKF2QT4fwpMeJf36POk6yJV_adQssw5c"',
      'const prefix = "eyJ"; // base64 of {"',
    ],
  },
  'database-url-postgres': {
    tp: [
      `DATABASE_URL=postgres://app:${an(16)}@db.internal:5432/app`,
      `url: postgresql+psycopg2://svc:${an(12)}@10.0.0.5/prod`,
    ],
    fp: [
      'DATABASE_URL=postgres://user:password@localhost:5432/db',
      'DATABASE_URL=postgres://app:${DB_PASSWORD}@db:5432/app',
      'DATABASE_URL=postgres://localhost/app',
    ],
  },
  'database-url-mysql': {
    tp: [`MYSQL_URL=mysql://root:${an(14)}@mysql:3306/shop`],
    fp: ['MYSQL_URL=mysql://root:<password>@mysql:3306/shop'],
  },
  'database-url-mongodb': {
    tp: [`MONGO_URI=mongodb+srv://admin:${an(18)}@cluster0.abcde.mongodb.net/prod?retryWrites=true`],
    fp: ['MONGO_URI=mongodb+srv://<username>:<password>@cluster0.mongodb.net/'],
  },
  'database-url-redis': {
    tp: [`REDIS_URL=redis://:${an(20)}@cache:6379/0`],
    fp: ['REDIS_URL=redis://cache:6379/0'],
  },
  'database-url-amqp': {
    tp: [`BROKER_URL=amqp://worker:${an(16)}@rabbitmq:5672/`],
    fp: ['BROKER_URL=amqp://guest:guest@localhost:5672/'],
  },
  'database-url-mssql': {
    tp: [`SQL_URL=mssql://sa:${an(16)}@sql.internal:1433/app`],
    fp: ['SQL_URL=mssql://sa:${SA_PASSWORD}@sql:1433/app'],
  },
  'url-credentials': {
    tp: [`https://deploy:${an(20)}@git.acme.io/acme/app.git`],
    fp: ['https://user:pass@example.com/', 'https://git.acme.io/acme/app.git'],
  },
  'generic-password': {
    tp: [`DB_PASSWORD=${an(14)}!`, `password: "Tr0ub4dor&3-${hex(6)}"`],
    fp: [
      'password = os.environ["DB_PASSWORD"]',
      'password: ${DB_PASSWORD}',
      'PASSWORD_MIN_LENGTH=12',
      'password: PasswordType',
      'password=changeme',
      '# com.sun.management.jmxremote.password.toHashes = true|false',
      'password_encryption = scram-sha-256',
    ],
  },
  'generic-secret': {
    tp: [`client_secret = "${an(32)}"`],
    fp: ['client_secret = settings.CLIENT_SECRET', 'secretName: app-tls', 'SECRET_KEY=your-secret-key-here'],
  },
  'generic-token': {
    tp: [`auth_token: ${an(40)}`],
    fp: [
      'const token = req.headers.authorization;',
      'token = generateToken()',
      'TOKEN_TTL_SECONDS=3600',
      // minified code (prettier's bundles): member access and comparisons, not assignments
      'tokenizeIcu=r.tokenizeExpansionForms??!1,tokenizeLet=r.tokenizeLet??!0',
      'if(e.token===w.SyntaxKind.CloseBraceToken&&e.token===w.Kind2)',
    ],
  },
  'generic-api-key': {
    tp: [`api_key = "${an(32)}"`],
    fp: ['api_key = get_api_key()', 'API_KEY=<your api key>', 'apiKey: string;'],
  },
  'authorization-header': {
    tp: [
      `wget --header="Authorization: Basic ${Buffer.from(`ci:${an(20)}`).toString('base64')}" https://ci.acme.io`,
    ],
    fp: [
      'curl -H "Authorization: Bearer $TOKEN" https://api.acme.io',
      'Authorization: Bearer <token>',
      // RFC 6749 section 2.3.1's example client credentials
      'Authorization: Basic czZCaGRSa3F0MzpnWDFmQmF0M2JW',
    ],
  },
};
