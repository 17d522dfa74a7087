import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import { checkText } from '../../src/checks/engine.js';
import { family } from '../../src/checks/rules/compose/index.js';

// A hardened Compose Specification file (settings shared through a merge key) and a legacy v2
// file: the exact rules that fire per service.
const dir = 'test/checks/__fixtures__/compose';
const fired = (name: string) => {
  const r = checkText(readFileSync(path.join(dir, name), 'utf8'), name, family);
  return [...new Set(r.findings.map((f) => `${f.ruleId.replace('compose/', '')}@${f.line}`))].sort();
};

describe('compose corpus', () => {
  it('a hardened Compose Specification file fires nothing', () => {
    assert.deepEqual(fired('hardened.compose.yaml'), []);
  });

  it('a legacy v2 file', () => {
    assert.deepEqual(fired('legacy-v2.yml'), [
      'cap-drop-all@3',
      'cap-drop-all@9',
      'cap-sys-admin@14',
      'devices@16',
      'docker-socket@19',
      'host-namespaces@11',
      'host-namespaces@12',
      'latest-tag@10',
      'no-new-privileges-missing@3',
      'no-new-privileges-missing@9',
      'no-read-only@3',
      'no-read-only@9',
      'no-resource-limits@3',
      'no-resource-limits@9',
      'no-user@3',
      'no-user@9',
      'ports-all-interfaces@22',
      'privileged@13',
      'secrets-in-environment@6',
      'security-opt-unconfined@15',
      'sensitive-host-mount@18',
    ]);
  });
});
