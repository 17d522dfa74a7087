// Differential test: Cargo.lock parsing against `cargo metadata --offline` on a generated
// path-only workspace (root package, member, path dependency outside the members): cargo lists the
// workspace's own crates as packages, so the inventory lists them too.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, describe, it } from 'node:test';
import { parseCargoLock } from '../../src/ecosystems/cargo/index.js';

const tmp = mkdtempSync(path.join(os.tmpdir(), 'bulwark-cargo-'));
after(() => rmSync(tmp, { recursive: true, force: true }));

function crate(dir: string, toml: string, file: string): void {
  mkdirSync(path.join(tmp, dir, 'src'), { recursive: true });
  writeFileSync(path.join(tmp, dir, 'Cargo.toml'), toml);
  writeFileSync(path.join(tmp, dir, 'src', file), '');
}

const env = { ...process.env, CARGO_NET_OFFLINE: 'true', CARGO_HOME: path.join(tmp, 'cargo-home') };
const cargo = (...args: string[]): string =>
  execFileSync('cargo', args, { cwd: path.join(tmp, 'app'), env, encoding: 'utf8', maxBuffer: 16 << 20 });

describe('Cargo.lock vs cargo metadata --offline', () => {
  it('lists the root package, members and path dependencies as cargo metadata does', () => {
    crate(
      'app',
      '[workspace]\nmembers = [".", "member"]\n[package]\nname = "app"\nversion = "0.3.0"\nedition = "2021"\n[dependencies]\nmember = { path = "member" }\n',
      'main.rs',
    );
    crate(
      'app/member',
      '[package]\nname = "member"\nversion = "1.2.0"\nedition = "2021"\n[dependencies]\noutside = { path = "../../outside" }\n',
      'lib.rs',
    );
    crate('outside', '[package]\nname = "outside"\nversion = "0.0.1-alpha.1"\nedition = "2021"\n', 'lib.rs');
    cargo('generate-lockfile', '--offline');
    const meta = JSON.parse(cargo('metadata', '--offline', '--format-version', '1')) as {
      packages: { name: string; version: string; source: string | null }[];
    };
    const want = meta.packages.map((p) => `${p.name}@${p.version}`).sort();
    assert.deepEqual(want, ['app@0.3.0', 'member@1.2.0', 'outside@0.0.1-alpha.1']);
    const r = parseCargoLock(readFileSync(path.join(tmp, 'app/Cargo.lock'), 'utf8'));
    assert.deepEqual(r.problems, []);
    assert.deepEqual(r.packages.map((p) => `${p.name}@${p.version}`).sort(), want);
    assert.ok(r.packages.every((p) => p.metadata?.source === 'path'));
    assert.deepEqual(r.packages.find((p) => p.name === 'app')?.dependsOn, ['pkg:cargo/member@1.2.0']);
  });
});
