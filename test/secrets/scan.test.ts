import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { redact, scanSecrets, SecretScanner } from '../../src/secrets/index.js';
import { an, hex } from './samples.js';

const KEY = `AKIAZ3MSJV4QRMN6Q7XB`;

describe('scanSecrets', () => {
  it('reports line, column and end of each match, redacted to the first 4 characters', () => {
    const pat = `ghp_${an(36)}`;
    const text = `# config\nname: app\n  token: "${pat}"\nkey=${KEY}\n`;
    const r = scanSecrets(text);
    assert.deepEqual(
      r.findings.map((f) => [f.ruleId, f.line, f.column, f.endLine, f.endColumn, f.match]),
      [
        ['secrets/github-pat', 3, 11, 3, 51, 'ghp_*****'],
        ['secrets/aws-access-key-id', 4, 5, 4, 25, 'AKIA*****'],
      ],
    );
    assert.ok(!JSON.stringify(r).includes(pat.slice(4, 10)), 'secret leaked into the result');
  });

  it('redacts short secrets to fewer characters', () => {
    assert.equal(redact('abcdefgh'), 'ab*****');
    assert.equal(redact('abc'), '*****');
    assert.equal(redact(`sk_live_${an(24)}`).length, 9);
  });

  it('skips binary content (NUL in the first 8 KiB) and oversized files with a reason', () => {
    const bin = Buffer.concat([Buffer.from([0x7f, 0x45, 0x4c, 0x46, 0]), Buffer.from(`x ${KEY}`)]);
    assert.equal(scanSecrets(bin).skipped?.reason, 'binary');
    // a NUL after 8 KiB does not make a file binary
    const late = Buffer.concat([Buffer.from(`${'a'.repeat(9000)}\n${KEY}\n`), Buffer.from([0])]);
    assert.equal(scanSecrets(late).findings.length, 1);
    const big = Buffer.from(`${KEY}\n${'x'.repeat(2000)}`);
    const r = scanSecrets(big, { maxBytes: 1000 });
    assert.equal(r.skipped?.reason, 'too-large');
    assert.equal(r.findings.length, 0);
  });

  it('honours inline bulwark:ignore with a reason in any comment style; warns and reports without one', () => {
    const text = [
      `// bulwark:ignore=secrets/aws-access-key-id reason: revoked key kept as a fixture`,
      `const a = "${KEY}";`,
      `b = "${KEY}"  # bulwark:ignore=gitleaks:aws-access-token reason: same key`,
      `<!-- bulwark:ignore=secrets/aws-access-key-id -->`,
      `<c>${KEY}</c>`,
      `d = "${KEY}" /* bulwark:ignore=secrets/github-pat reason: other rule */`,
    ].join('\n');
    const r = scanSecrets(text);
    assert.deepEqual(
      r.suppressed.map((s) => [s.line, s.reason]),
      [
        [2, 'revoked key kept as a fixture'],
        [3, 'same key'],
      ],
    );
    assert.deepEqual(
      r.findings.map((f) => f.line),
      [5, 6],
    );
    assert.deepEqual(
      r.warnings.map((w) => w.line),
      [4],
    );
  });

  it('reports one finding per secret: the specific rule wins over generic ones', () => {
    const text = `api_token = "ghp_${an(36)}"\nGITHUB_TOKEN=ghp_${an(36)}\n`;
    const r = scanSecrets(text);
    assert.deepEqual(
      r.findings.map((f) => f.ruleId),
      ['secrets/github-pat', 'secrets/github-pat'],
    );
    // a GCP service-account key is one finding, not also a PKCS#8 key
    const sa = `{"type": "service_account", "private_key": "-----BEGIN PRIVATE KEY-----\\n${an(64)}\\n"}`;
    assert.deepEqual(
      scanSecrets(sa).findings.map((f) => f.ruleId),
      ['secrets/gcp-service-account-key'],
    );
  });

  it('never runs a rule whose keywords are absent, whatever the case of the text', () => {
    const scanner = new SecretScanner();
    assert.equal(scanner.scan(`nothing here at all ${hex(40)}`).findings.length, 0);
    assert.equal(scanner.scan(`X=${KEY.toLowerCase()}`).findings.length, 0);
    // keywords are matched case-insensitively: `Password` finds the generic-password rule
    assert.deepEqual(
      scanner.scan(`Password: "Zq8#${an(12)}"`).findings.map((f) => f.ruleId),
      ['secrets/generic-password'],
    );
  });

  it('reads multi-byte UTF-8 text and reports columns in characters of the decoded line', () => {
    const r = scanSecrets(Buffer.from(`é=${KEY}\n`, 'utf8'));
    assert.equal(r.findings[0]?.column, 3);
  });

  it('keeps a private key finding to its armour line and the redacted start of the body', () => {
    const body = `MIIEpAIBAAKCAQEA${an(48)}`;
    const r = scanSecrets(
      `-----BEGIN RSA PRIVATE KEY-----\n${body}\n${an(64)}\n-----END RSA PRIVATE KEY-----\n`,
    );
    assert.deepEqual(
      r.findings.map((f) => [f.ruleId, f.line, f.match]),
      [['secrets/private-key-rsa', 1, '-----BEGIN RSA PRIVATE KEY-----\nMIIE*****']],
    );
  });
});
