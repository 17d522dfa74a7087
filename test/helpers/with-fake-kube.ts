/**
 * Runs one bulwark command against the test API server, for the README tour and manual tries:
 * `node --import tsx test/helpers/with-fake-kube.ts bulwark k8s ...` starts the server with the
 * recorded cluster (test/fixtures/k8s), writes a kubeconfig (contexts token, cert, wrong-token),
 * runs this checkout's CLI with KUBECONFIG pointing at it, and stops the server. The app image's
 * digest is the bundled demo image's, so `--images-from` a demo scan report gives it facts.
 */
import { spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { makeKubeCerts, startFakeKube, writeKubeconfig } from './kube-apiserver.js';

const DEMO_DIGEST = 'sha256:6ba11e91e80b6b6eccc53ca7adda064307f4b63c3c5216eb7817e25247c03086';
const args = process.argv.slice(2);
if (args[0] === 'bulwark') args.shift();
const dir = await mkdtemp(path.join(os.tmpdir(), 'bulwark-fake-kube-'));
const certs = await makeKubeCerts(dir);
const token = 'tour-token';
const kube = await startFakeKube({
  certs,
  token,
  forbiddenNamespaces: ['secret'],
  rewrite: { 'sha256:APP_DIGEST': DEMO_DIGEST },
});
const kubeconfig = path.join(dir, 'kubeconfig');
await writeKubeconfig(kubeconfig, kube, certs, token);
const cli = path.resolve(import.meta.dirname, '../cli/run-cli.ts');
const code = await new Promise<number>((resolve) => {
  const child = spawn(process.execPath, ['--import', 'tsx', cli, ...args], {
    stdio: 'inherit',
    env: { ...process.env, KUBECONFIG: kubeconfig },
  });
  child.on('close', (c) => resolve(c ?? 1));
});
await kube.close();
await rm(dir, { recursive: true, force: true });
process.exitCode = code;
