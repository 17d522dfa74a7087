/**
 * gitleaks true positives bulwark does not report under the matching rule, each on purpose. The
 * conformance test fails when a sample is missed that no entry here explains, and when an entry
 * explains no missed sample (so the list cannot go stale). `text` is a substring of the sample.
 */
export interface GitleaksExclusion {
  /** gitleaks rule id */
  rule: string;
  text: string;
  reason: string;
}

export const GITLEAKS_EXCLUSIONS: readonly GitleaksExclusion[] = [
  {
    rule: 'aws-amazon-bedrock-api-key-long-lived',
    text: 'EXAMPLEEXAMPLE',
    reason: 'the key spells EXAMPLE over and over: a documented example, which the placeholder gate drops',
  },
  {
    rule: 'anthropic-admin-api-key',
    text: 'abc12fake',
    reason: 'the key says "fake" twice: the placeholder gate drops it (the other sample is found)',
  },
  {
    rule: 'slack-legacy-bot-token',
    text: 'Xw937qtWSXJss1lFaKe',
    reason: 'the token ends in "FaKe": the placeholder gate drops it (36 other samples are found)',
  },
  {
    rule: 'generic-api-key',
    text: 'System.setProperty("GENERIC_TOKEN", ',
    reason:
      'a generic name then a comma is an argument list, not an assignment: in code `argon2id("password", "saltsalt")` and `path.join(dir, "secret", name)` are far more common (vendor-named keys keep the form)',
  },
  {
    rule: 'generic-api-key',
    text: 'GetEnvOrDefault("api_token", ',
    reason: 'an argument list again (see above)',
  },
  {
    rule: 'vault-service-token',
    text: 'token: s.ZC9Ecf4M5g9o34Q6RkzGsj0z',
    reason:
      'a pre-1.10 Vault token (`s.` + 24) under a generic `token` key: bulwark looks for that retired format under Vault-named keys only, since a `token` key is in most files (current `hvs.` tokens are found anywhere)',
  },
  {
    rule: 'gcp-service-account',
    text: '"type": "service_account"',
    reason:
      'the line `"type": "service_account"` alone holds no credential; bulwark reports a service-account key file when it holds its private key (secrets/gcp-service-account-key)',
  },
  {
    rule: 'jwt',
    text: 'ey3s4G1KCsJ7T2pXZW9.ey',
    reason:
      'not a JWT: its segments do not start with `eyJ` (base64url of `{"`) and hold backslashes; bulwark reads a JWT header as JSON',
  },
  {
    rule: 'jwt',
    text: 'curl -H "Authorization: Bearer eyJ',
    reason:
      'one finding per secret: a JWT in a curl Authorization header is reported as secrets/curl-auth-header, the more specific context',
  },
];
