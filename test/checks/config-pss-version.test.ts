import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { runCli } from '../cli/helpers.js';

const POD = `apiVersion: v1
kind: Pod
metadata:
  name: p
  namespace: prod
spec:
  securityContext:
    runAsNonRoot: true
    runAsUser: 0
  containers:
    - name: c
      image: nginx@sha256:0000000000000000000000000000000000000000000000000000000000000000
`;

describe('bulwark config --pss-version', () => {
  let dir: string;
  before(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'bw-pssv-'));
    await writeFile(path.join(dir, 'pod.yaml'), POD);
  });
  after(async () => rm(dir, { recursive: true, force: true }));

  const pssRules = async (version: string) => {
    const run = await runCli([
      'config',
      path.join(dir, 'pod.yaml'),
      '--pss-version',
      version,
      '--format',
      'json',
    ]);
    assert.equal(run.code, 0, run.stderr);
    return (JSON.parse(run.stdout) as { findings: { ruleId: string }[] }).findings
      .map((f) => f.ruleId)
      .filter((id) => id.startsWith('kubernetes/pss-'));
  };

  it('evaluates the PSS rules at the Kubernetes version asked for (runAsUser exists from v1.23)', async () => {
    assert.ok(!(await pssRules('v1.22')).includes('kubernetes/pss-run-as-user'));
    assert.ok((await pssRules('v1.23')).includes('kubernetes/pss-run-as-user'));
    assert.ok((await pssRules('latest')).includes('kubernetes/pss-run-as-user'));
  });

  it('rejects a malformed version as a usage error', async () => {
    const run = await runCli(['config', path.join(dir, 'pod.yaml'), '--pss-version', '1.2']);
    assert.equal(run.code, 2);
    assert.match(run.stderr, /error\[USAGE\]/);
  });
});
