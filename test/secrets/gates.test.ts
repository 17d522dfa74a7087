import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { scanSecrets } from '../../src/secrets/index.js';
import { an, hex } from './samples.js';

// The gates that keep gitleaks' negatives quiet, each shown on a valid and an invalid input
// (the rule ids reported, or none).
const ids = (text: string) => scanSecrets(text).findings.map((f) => f.ruleId);

describe('secret gates', () => {
  it('a key inside another word is no key; a camelCase hump of its own is', () => {
    const sumo = `su${an(12)}`;
    assert.deepEqual(ids(`sumOfExposures = ${sumo}`), []);
    assert.deepEqual(ids(`sumoAccessId = ${sumo}`), ['secrets/sumologic-access-id']);
    const meraki = hex(40);
    assert.deepEqual(ids(`ReactNativeCameraKit: ${meraki}`), []);
    assert.deepEqual(ids(`MERAKI_API_KEY: ${meraki}`), ['secrets/cisco-meraki-api-key']);
    assert.deepEqual(ids(`rookTable = 00${an(40)}`), []);
  });

  it('generic keys match as names of their own or at a camelCase hump, never inside a word', () => {
    const v = an(30);
    assert.deepEqual(ids(`genericToken = "${v}"`), ['secrets/generic-token']);
    assert.deepEqual(ids(`GENERIC_TOKEN=${v}`), ['secrets/generic-token']);
    assert.deepEqual(ids(`brokentoken = "${v}"`), []);
    // a hump starts a word of its own and the name must end it
    assert.deepEqual(ids(`fts5Tokenizer = "${v}"`), []);
    assert.deepEqual(ids(`{maxLexicalTokens:t=${v}}`), []);
  });

  it('generic names in argument lists, expressions and names that say what they hold are not secrets', () => {
    assert.deepEqual(ids(`argon2id('password', '${an(16)}')`), []);
    assert.deepEqual(ids(`setProperty("STRIPE_TOKEN", "sk_live_${an(24)}")`), ['secrets/stripe-secret-key']);
    assert.deepEqual(ids('const hasToken = !!node.flags2;'), []);
    assert.deepEqual(ids('previousToken: previousToken2,'), []);
    assert.deepEqual(ids(`join(dir, 'secret', '${hex(8)}.json')`), []);
  });

  it("generic rules stay quiet on a key a vendor rule owns and on a vendor's own prefix", () => {
    // a Telegram token must be `<digits>:A<34>`: `1019:A...` is not one, and no generic secret
    assert.deepEqual(ids(`telegram_api_token = "1019:A-${an(30)}"`), []);
    assert.deepEqual(ids(`telegram_api_token = "81058357:A${an(34)}"`), ['secrets/telegram-bot-token']);
    // `sm_pat_` is SettleMint's prefix; this one is too short to be its token
    assert.deepEqual(ids(`someToken := "sm_pat_${an(10)}"`), []);
  });

  it('public and per-session tokens are not secrets', () => {
    assert.deepEqual(ids(`publicToken = "${an(43)}"`), []);
    assert.deepEqual(ids(`csrf-token=${an(60)}==`), []);
  });

  it('typed sequences and repeats are placeholders for generic rules, a vendor format decides its own', () => {
    assert.deepEqual(ids('DATABRICKS_TOKEN=dapi123456789012345678a9bc01234defg5'), []);
    assert.deepEqual(ids('"token3": "xoxp-1234-1234-1234-4ddbc191d40ee098cbaae6f3523ada2d"'), []);
    assert.deepEqual(ids(`API_TOKEN=${an(20)}1234567`), []);
    assert.deepEqual(ids(`API_TOKEN=${an(28)}`), ['secrets/generic-token']);
    // a vendor's documented sample key in its own format is still its format
    assert.deepEqual(ids('snykToken = "12345678-ABCD-ABCD-ABCD-1234567890AB"'), ['secrets/snyk-api-token']);
  });

  it('a value cut short with "..." is documentation', () => {
    assert.deepEqual(ids(`export OP_TOKEN=ops_${an(30)}...`), []);
  });

  it('test-mode payment keys are reported LOW by their own rules', () => {
    const f = scanSecrets(`STRIPE_KEY=sk_test_${an(24)}`).findings;
    assert.deepEqual(
      f.map((x) => [x.ruleId, x.severity]),
      [['secrets/stripe-test-key', 'LOW']],
    );
  });

  it('JWTs: signed, unsigned (alg none) and base64-encoded; a header that is no JSON is no JWT', () => {
    const b64u = (o: unknown) => Buffer.from(JSON.stringify(o)).toString('base64url');
    const signed = `${b64u({ alg: 'HS256', typ: 'JWT' })}.${b64u({ sub: 'u1', iat: 1700000000 })}.${an(43)}`;
    const none = `${b64u({ alg: 'none' })}.${b64u({ sub: 'test-user' })}.`;
    assert.deepEqual(ids(`t = ${signed}`), ['secrets/jwt']);
    assert.deepEqual(ids(`t = ${none}`), ['secrets/jwt']);
    assert.deepEqual(ids(`t = ${b64u({ alg: 'HS256' }).slice(0, -1)}.${b64u({ sub: 'u1' })}.`), []);
    assert.deepEqual(ids(`data:\n  token: ${Buffer.from(signed).toString('base64')}`), [
      'secrets/jwt-base64',
    ]);
    assert.deepEqual(ids(`blob: ZXlK${an(60)}`), []);
  });
});
