import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import { checkText } from '../../src/checks/engine.js';
import { family } from '../../src/checks/rules/dockerfile/index.js';

// Realistic Dockerfiles in the styles people write (BuildKit multi-stage with cache mounts, the
// official-image `set -eux; ...;` style, a Windows image with a backtick escape, a legacy file with
// everything wrong): the exact set of rules that fire, so false positives show up as failures.
const dir = 'test/checks/__fixtures__/dockerfiles';
const fired = (name: string) => {
  const r = checkText(readFileSync(path.join(dir, name), 'utf8'), name, family);
  assert.deepEqual(r.warnings, []);
  return [...new Set(r.findings.map((f) => f.ruleId.replace('dockerfile/', '')))].sort();
};

describe('Dockerfile corpus', () => {
  it('a hardened BuildKit multi-stage Go build: only the build stage base lacks a digest', () => {
    assert.deepEqual(fired('go-multistage.Dockerfile'), ['base-image-digest']);
  });

  it('a Python app in the official-image style', () => {
    assert.deepEqual(fired('python-app.Dockerfile'), [
      'base-image-digest',
      'build-tools-single-stage',
      'missing-healthcheck',
      'package-pin',
      // `USER app`: Kubernetes' runAsNonRoot cannot verify a user name
      'user-non-numeric',
    ]);
  });

  it('a Windows image with the backtick escape', () => {
    assert.deepEqual(fired('windows.Dockerfile'), ['base-image-digest']);
  });

  it('a legacy Dockerfile with everything wrong', () => {
    assert.deepEqual(fired('legacy-alpine.Dockerfile'), [
      'add-instead-of-copy',
      'add-remote-url',
      'base-image-digest',
      'chmod-world-writable',
      'curl-pipe-shell',
      'duplicate-instruction',
      'expose-ssh',
      'json-cmd',
      'latest-tag',
      'maintainer',
      'missing-healthcheck',
      'missing-pipefail',
      'package-cache-cleanup',
      'package-pin',
      'relative-workdir',
      'root-user',
      'run-cd',
      'secrets-in-env',
      'setuid-bit',
    ]);
  });
});
