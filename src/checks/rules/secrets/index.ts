import { parseSecrets, type SecretInput } from '../../../secrets/index.js';
import type { RuleFamily } from '../../types.js';
import ageSecretKey from './age-secret-key.js';
import airtablePat from './airtable-pat.js';
import alibabaAccessKeyId from './alibaba-access-key-id.js';
import alibabaSecretKey from './alibaba-secret-key.js';
import anthropicApiKey from './anthropic-api-key.js';
import atlassianApiToken from './atlassian-api-token.js';
import authorizationHeader from './authorization-header.js';
import awsAccessKeyId from './aws-access-key-id.js';
import awsMwsKey from './aws-mws-key.js';
import awsSecretAccessKey from './aws-secret-access-key.js';
import azureAdClientSecret from './azure-ad-client-secret.js';
import azureSasToken from './azure-sas-token.js';
import azureServiceBusConnectionString from './azure-service-bus-connection-string.js';
import azureStorageAccountKey from './azure-storage-account-key.js';
import azureStorageConnectionString from './azure-storage-connection-string.js';
import bitbucketAppPassword from './bitbucket-app-password.js';
import braintreeAccessToken from './braintree-access-token.js';
import buildkiteToken from './buildkite-token.js';
import circleciToken from './circleci-token.js';
import clojarsApiToken from './clojars-api-token.js';
import cloudflareApiToken from './cloudflare-api-token.js';
import cloudflareGlobalApiKey from './cloudflare-global-api-key.js';
import cloudflareOriginCaKey from './cloudflare-origin-ca-key.js';
import databaseUrlAmqp from './database-url-amqp.js';
import databaseUrlMongodb from './database-url-mongodb.js';
import databaseUrlMssql from './database-url-mssql.js';
import databaseUrlMysql from './database-url-mysql.js';
import databaseUrlPostgres from './database-url-postgres.js';
import databaseUrlRedis from './database-url-redis.js';
import databricksToken from './databricks-token.js';
import datadogApiKey from './datadog-api-key.js';
import digitaloceanToken from './digitalocean-token.js';
import discordBotToken from './discord-bot-token.js';
import discordWebhookUrl from './discord-webhook-url.js';
import dockerConfigAuth from './docker-config-auth.js';
import dockerHubPat from './docker-hub-pat.js';
import dopplerToken from './doppler-token.js';
import duffelApiToken from './duffel-api-token.js';
import dynatraceApiToken from './dynatrace-api-token.js';
import easypostApiToken from './easypost-api-token.js';
import flyioToken from './flyio-token.js';
import frameioApiToken from './frameio-api-token.js';
import gcpApiKey from './gcp-api-key.js';
import gcpOauthAccessToken from './gcp-oauth-access-token.js';
import gcpOauthClientSecret from './gcp-oauth-client-secret.js';
import gcpServiceAccountKey from './gcp-service-account-key.js';
import genericApiKey from './generic-api-key.js';
import genericPassword from './generic-password.js';
import genericSecret from './generic-secret.js';
import genericToken from './generic-token.js';
import githubAppInstallationToken from './github-app-installation-token.js';
import githubAppToken from './github-app-token.js';
import githubFineGrainedPat from './github-fine-grained-pat.js';
import githubOauth from './github-oauth.js';
import githubPat from './github-pat.js';
import githubRefreshToken from './github-refresh-token.js';
import gitlabDeployToken from './gitlab-deploy-token.js';
import gitlabFeedToken from './gitlab-feed-token.js';
import gitlabOauthAppSecret from './gitlab-oauth-app-secret.js';
import gitlabPat from './gitlab-pat.js';
import gitlabPipelineTriggerToken from './gitlab-pipeline-trigger-token.js';
import gitlabRunnerRegistrationToken from './gitlab-runner-registration-token.js';
import gitlabRunnerToken from './gitlab-runner-token.js';
import grafanaCloudToken from './grafana-cloud-token.js';
import grafanaServiceAccountToken from './grafana-service-account-token.js';
import hashicorpVaultToken from './hashicorp-vault-token.js';
import herokuApiKey from './heroku-api-key.js';
import huggingfaceAccessToken from './huggingface-access-token.js';
import huggingfaceOrgToken from './huggingface-org-token.js';
import ibmCloudApiKey from './ibm-cloud-api-key.js';
import jfrogApiKey from './jfrog-api-key.js';
import jwt from './jwt.js';
import linearApiKey from './linear-api-key.js';
import mailchimpApiKey from './mailchimp-api-key.js';
import mailgunApiKey from './mailgun-api-key.js';
import mapboxSecretToken from './mapbox-secret-token.js';
import microsoftTeamsWebhook from './microsoft-teams-webhook.js';
import newRelicInsertKey from './new-relic-insert-key.js';
import newRelicUserApiKey from './new-relic-user-api-key.js';
import notionIntegrationToken from './notion-integration-token.js';
import npmAccessToken from './npm-access-token.js';
import npmrcAuthToken from './npmrc-auth-token.js';
import npmrcBasicAuth from './npmrc-basic-auth.js';
import nugetApiKey from './nuget-api-key.js';
import oktaApiToken from './okta-api-token.js';
import openaiApiKey from './openai-api-key.js';
import planetscaleToken from './planetscale-token.js';
import postmanApiKey from './postman-api-key.js';
import postmarkServerToken from './postmark-server-token.js';
import prefectApiKey from './prefect-api-key.js';
import privateKeyDsa from './private-key-dsa.js';
import privateKeyEc from './private-key-ec.js';
import privateKeyEncrypted from './private-key-encrypted.js';
import privateKeyOpenssh from './private-key-openssh.js';
import privateKeyPgp from './private-key-pgp.js';
import privateKeyPkcs8 from './private-key-pkcs8.js';
import privateKeyPutty from './private-key-putty.js';
import privateKeyRsa from './private-key-rsa.js';
import pulumiAccessToken from './pulumi-access-token.js';
import pypiUploadToken from './pypi-upload-token.js';
import readmeApiToken from './readme-api-token.js';
import rubygemsApiKey from './rubygems-api-key.js';
import scalingoApiToken from './scalingo-api-token.js';
import sendgridApiKey from './sendgrid-api-key.js';
import sentryAuthToken from './sentry-auth-token.js';
import sentryDsn from './sentry-dsn.js';
import shippoApiToken from './shippo-api-token.js';
import shopifyAccessToken from './shopify-access-token.js';
import shopifyCustomAccessToken from './shopify-custom-access-token.js';
import shopifyPrivateAppAccessToken from './shopify-private-app-access-token.js';
import shopifySharedSecret from './shopify-shared-secret.js';
import slackAppToken from './slack-app-token.js';
import slackBotToken from './slack-bot-token.js';
import slackConfigToken from './slack-config-token.js';
import slackUserToken from './slack-user-token.js';
import slackWebhookUrl from './slack-webhook-url.js';
import sonarqubeToken from './sonarqube-token.js';
import squareAccessToken from './square-access-token.js';
import squareOauthSecret from './square-oauth-secret.js';
import stripeRestrictedKey from './stripe-restricted-key.js';
import stripeSecretKey from './stripe-secret-key.js';
import stripeWebhookSecret from './stripe-webhook-secret.js';
import supabaseAccessToken from './supabase-access-token.js';
import telegramBotToken from './telegram-bot-token.js';
import terraformCloudToken from './terraform-cloud-token.js';
import twilioApiKey from './twilio-api-key.js';
import twilioAuthToken from './twilio-auth-token.js';
import urlCredentials from './url-credentials.js';

/** secrets rules, sorted by id. */
export const rules = [
  ageSecretKey,
  airtablePat,
  alibabaAccessKeyId,
  alibabaSecretKey,
  anthropicApiKey,
  atlassianApiToken,
  authorizationHeader,
  awsAccessKeyId,
  awsMwsKey,
  awsSecretAccessKey,
  azureAdClientSecret,
  azureSasToken,
  azureServiceBusConnectionString,
  azureStorageAccountKey,
  azureStorageConnectionString,
  bitbucketAppPassword,
  braintreeAccessToken,
  buildkiteToken,
  circleciToken,
  clojarsApiToken,
  cloudflareApiToken,
  cloudflareGlobalApiKey,
  cloudflareOriginCaKey,
  databaseUrlAmqp,
  databaseUrlMongodb,
  databaseUrlMssql,
  databaseUrlMysql,
  databaseUrlPostgres,
  databaseUrlRedis,
  databricksToken,
  datadogApiKey,
  digitaloceanToken,
  discordBotToken,
  discordWebhookUrl,
  dockerConfigAuth,
  dockerHubPat,
  dopplerToken,
  duffelApiToken,
  dynatraceApiToken,
  easypostApiToken,
  flyioToken,
  frameioApiToken,
  gcpApiKey,
  gcpOauthAccessToken,
  gcpOauthClientSecret,
  gcpServiceAccountKey,
  genericApiKey,
  genericPassword,
  genericSecret,
  genericToken,
  githubAppInstallationToken,
  githubAppToken,
  githubFineGrainedPat,
  githubOauth,
  githubPat,
  githubRefreshToken,
  gitlabDeployToken,
  gitlabFeedToken,
  gitlabOauthAppSecret,
  gitlabPat,
  gitlabPipelineTriggerToken,
  gitlabRunnerRegistrationToken,
  gitlabRunnerToken,
  grafanaCloudToken,
  grafanaServiceAccountToken,
  hashicorpVaultToken,
  herokuApiKey,
  huggingfaceAccessToken,
  huggingfaceOrgToken,
  ibmCloudApiKey,
  jfrogApiKey,
  jwt,
  linearApiKey,
  mailchimpApiKey,
  mailgunApiKey,
  mapboxSecretToken,
  microsoftTeamsWebhook,
  newRelicInsertKey,
  newRelicUserApiKey,
  notionIntegrationToken,
  npmAccessToken,
  npmrcAuthToken,
  npmrcBasicAuth,
  nugetApiKey,
  oktaApiToken,
  openaiApiKey,
  planetscaleToken,
  postmanApiKey,
  postmarkServerToken,
  prefectApiKey,
  privateKeyDsa,
  privateKeyEc,
  privateKeyEncrypted,
  privateKeyOpenssh,
  privateKeyPgp,
  privateKeyPkcs8,
  privateKeyPutty,
  privateKeyRsa,
  pulumiAccessToken,
  pypiUploadToken,
  readmeApiToken,
  rubygemsApiKey,
  scalingoApiToken,
  sendgridApiKey,
  sentryAuthToken,
  sentryDsn,
  shippoApiToken,
  shopifyAccessToken,
  shopifyCustomAccessToken,
  shopifyPrivateAppAccessToken,
  shopifySharedSecret,
  slackAppToken,
  slackBotToken,
  slackConfigToken,
  slackUserToken,
  slackWebhookUrl,
  sonarqubeToken,
  squareAccessToken,
  squareOauthSecret,
  stripeRestrictedKey,
  stripeSecretKey,
  stripeWebhookSecret,
  supabaseAccessToken,
  telegramBotToken,
  terraformCloudToken,
  twilioApiKey,
  twilioAuthToken,
  urlCredentials,
];

/**
 * Secret rules are listed and run through the engine, but `bulwark config` never claims a file
 * for them: `bulwark secrets` (and the `secrets` analyzer) decide which files are scanned.
 */
export const family: RuleFamily<SecretInput> = {
  name: 'secrets',
  target: 'secrets',
  matchName: () => 'no',
  matchContent: () => false,
  parse: (text) => parseSecrets(text),
  rules,
};
