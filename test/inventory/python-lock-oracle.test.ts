/**
 * Differential tests of bulwark's poetry.lock and Pipfile.lock readers against the tools that
 * own the formats: Poetry's own lock reader (`Locker.locked_repository()`, what `poetry install`
 * reads; Debian's python3-poetry 1.3) and `pipenv requirements [--dev-only]` (Debian's pipenv
 * 2022.12), on every fixture of that kind, offline and with a private HOME.
 *
 * Differences by design, asserted below rather than hidden:
 * - Poetry `directory` sources (the project's own or a sibling's source tree) and Pipfile.lock
 *   entries without a version (editable paths, VCS checkouts) are not listed: they are not
 *   releases and have no version to match.
 * - Poetry 1.3 predates the `groups` field of lock-version 2.1 (Poetry 2) and reads every such
 *   package as `category = "main"`; there bulwark's dev marks are compared with the `groups`
 *   Poetry's own TOML reader returns for the same file.
 * - `pipenv requirements` prints a `file` entry as its URL (`...whl#egg=name`) without a version;
 *   bulwark lists it with the version pipenv locked, and the URL as `metadata.url`.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import {
  copyFileSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { normalizePypiName, parsePipfileLock, parsePoetryLock } from '../../src/ecosystems/pypi/index.js';
import type { LangPackage } from '../../src/ecosystems/lang-types.js';
import { requireTool } from '../oracles/harness.js';

const FIXTURES = new URL('../../src/ecosystems/pypi/__fixtures__/', import.meta.url).pathname;
const ORACLE = new URL('./python-lock-oracle.py', import.meta.url).pathname;
const PYTHON = '/usr/bin/python3';
const PIPENV = '/usr/bin/pipenv';

const poetryLocks = readdirSync(FIXTURES)
  .filter((f) => f.startsWith('poetry') && f.endsWith('.lock'))
  .sort();
const pipfileLocks = readdirSync(FIXTURES)
  .filter((f) => f.startsWith('Pipfile') && f.endsWith('.lock'))
  .sort();

let home: string;

/** Environment of the tools: nothing from the user's HOME, no index, no virtualenv made. */
function toolEnv(): NodeJS.ProcessEnv {
  return {
    PATH: '/usr/bin:/bin',
    HOME: home,
    XDG_CACHE_HOME: path.join(home, 'cache'),
    XDG_CONFIG_HOME: path.join(home, 'config'),
    PIP_NO_INDEX: '1',
    PIP_CONFIG_FILE: '/dev/null',
    PIPENV_IGNORE_VIRTUALENVS: '1',
    PIPENV_DONT_LOAD_ENV: '1',
    PIPENV_NOSPIN: '1',
    PIPENV_YES: '1',
    PIPENV_VERBOSITY: '-1',
    POETRY_CACHE_DIR: path.join(home, 'poetry-cache'),
    LC_ALL: 'C.UTF-8',
  };
}

function run(cmd: string, args: string[], cwd: string): string {
  const res = spawnSync(cmd, args, { cwd, env: toolEnv(), encoding: 'utf8', timeout: 120_000 });
  assert.equal(res.status, 0, `${cmd} ${args.join(' ')} failed in ${cwd}: ${res.stderr}`);
  return res.stdout;
}

interface PoetryPkg {
  name: string;
  version: string;
  category: string;
  optional: boolean;
  groups: string[] | null;
  source_type: string | null;
  source_url: string | null;
  source_reference: string | null;
  source_resolved_reference: string | null;
  requires: string[];
}

const key = (name: string, version: string): string => `${normalizePypiName(name)}@${version}`;

function byKey(pkgs: LangPackage[]): Map<string, LangPackage> {
  return new Map(pkgs.map((p) => [key(p.name, p.version), p]));
}

before(() => {
  requireTool(PYTHON, 'python3 (with python3-poetry)');
  requireTool('/usr/lib/python3/dist-packages/poetry/packages/locker.py', 'python3-poetry');
  requireTool(PIPENV, 'pipenv');
  home = mkdtempSync(path.join(os.tmpdir(), 'bulwark-pylock-'));
  // pipenv reads an editable path entry's project: the offline lock's `../st-local` is this one
  mkdirSync(path.join(home, 'st-local', 'st_local'), { recursive: true });
  writeFileSync(path.join(home, 'st-local', 'st_local', '__init__.py'), '');
  writeFileSync(
    path.join(home, 'st-local', 'setup.py'),
    'from setuptools import setup\nsetup(name="st-local", version="0.8.0", packages=["st_local"], install_requires=["beta>=2"])\n',
  );
});

after(() => rmSync(home, { recursive: true, force: true }));

describe("poetry.lock against Poetry's own lock reader", () => {
  it('has fixtures of lock-version 1.1, 2.0 and 2.1', () => {
    const versions = poetryLocks.map(
      (f) => /lock-version = "([\d.]+)"/.exec(readFileSync(FIXTURES + f, 'utf8'))?.[1],
    );
    assert.deepEqual([...new Set(versions)].sort(), ['1.1', '2.0', '2.1']);
  });

  let oracle: Record<string, { lock_version: string; packages: PoetryPkg[] }>;
  before(() => {
    oracle = JSON.parse(run(PYTHON, [ORACLE, ...poetryLocks], FIXTURES)) as typeof oracle;
  });

  for (const file of poetryLocks) {
    it(`${file}: same packages, versions, dev and optional marks, sources and dependencies`, () => {
      const tool = oracle[file]!;
      const ours = parsePoetryLock(readFileSync(FIXTURES + file, 'utf8'));
      assert.deepEqual(ours.problems, []);
      const mine = byKey(ours.packages);
      const releases = tool.packages.filter((p) => p.source_type !== 'directory');
      // by design: local source trees are the project's code, not releases
      for (const p of tool.packages.filter((x) => x.source_type === 'directory'))
        assert.equal(mine.has(key(p.name, p.version)), false, `${p.name} is a directory source`);
      assert.deepEqual([...mine.keys()].sort(), releases.map((p) => key(p.name, p.version)).sort());

      const inLock = new Map(releases.map((p) => [p.name, key(p.name, p.version)]));
      for (const p of releases) {
        const m = mine.get(key(p.name, p.version))!;
        let dev = p.category === 'dev';
        if (tool.lock_version === '2.1') {
          // Poetry 1.3 does not read Poetry 2's groups: every package comes back as main
          assert.equal(p.category, 'main');
          assert.ok(p.groups, `${p.name} has groups in a 2.1 lock`);
          dev = !p.groups.includes('main');
        }
        assert.equal(m.dev === true, dev, `${p.name} dev`);
        assert.equal(m.metadata?.optional === true, p.optional, `${p.name} optional`);
        assert.equal(m.metadata?.source, p.source_type ?? undefined, `${p.name} source`);
        assert.equal(m.metadata?.url, p.source_url ?? undefined, `${p.name} source url`);
        assert.equal(m.metadata?.reference, p.source_reference ?? undefined, `${p.name} reference`);
        assert.equal(
          m.metadata?.resolved_reference,
          p.source_resolved_reference ?? undefined,
          `${p.name} resolved reference`,
        );
        if (p.source_type === 'git')
          assert.match(m.purl, /\?vcs_url=git%2B/, `${p.name} git purl carries vcs_url`);
        else assert.equal(m.purl, `pkg:pypi/${p.name}@${p.version}`);
        const deps = m.dependsOn?.map((purl) => {
          const hit = [...mine.values()].find((x) => x.purl === purl)!;
          return key(hit.name, hit.version);
        });
        const expected = p.requires.flatMap((r) => {
          const k = inLock.get(r);
          return k ? [k] : [];
        });
        assert.deepEqual((deps ?? []).sort(), expected.sort(), `${p.name} dependencies`);
      }
    });
  }

  it('the offline lock holds every kind of source Poetry writes', () => {
    const tool = oracle['poetry-v2.0-offline-sources.lock']!;
    assert.deepEqual([...new Set(tool.packages.map((p) => p.source_type))].sort(), [
      'directory',
      'git',
      'legacy',
      'url',
    ]);
    assert.ok(tool.packages.some((p) => p.optional));
    assert.ok(tool.packages.some((p) => p.category === 'dev'));
  });
});

interface ReqLine {
  kind: 'pin' | 'url' | 'editable';
  name: string;
  version?: string;
}

/** One line of `pipenv requirements` output; index options are skipped. */
function reqLine(line: string): ReqLine | undefined {
  const l = line.trim();
  if (!l || l.startsWith('-i ') || l.startsWith('--')) return undefined;
  const egg = /#egg=([A-Za-z0-9._-]+)/.exec(l)?.[1];
  if (l.startsWith('-e ')) return { kind: 'editable', name: egg ?? l.slice(3) };
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(l)) {
    assert.ok(egg, `URL line without an egg name: ${l}`);
    return { kind: 'url', name: egg };
  }
  const pin = /^([A-Za-z0-9._-]+)(?:\[[^\]]*\])?==([^\s;]+)/.exec(l);
  assert.ok(pin, `unexpected pipenv requirements line: ${l}`);
  return { kind: 'pin', name: pin[1]!, version: pin[2]! };
}

describe('Pipfile.lock against pipenv requirements', () => {
  for (const file of pipfileLocks) {
    it(`${file}: pinned packages of default and develop, dev marks, file sources`, () => {
      const dir = mkdtempSync(path.join(home, 'pipenv-'));
      mkdirSync(dir, { recursive: true });
      copyFileSync(FIXTURES + file, path.join(dir, 'Pipfile.lock'));
      const lines = (args: string[]): ReqLine[] =>
        run(PIPENV, ['requirements', ...args], dir)
          .split('\n')
          .flatMap((l) => reqLine(l) ?? []);
      const prod = lines([]);
      const devOnly = lines(['--dev-only']);
      const lock = JSON.parse(readFileSync(FIXTURES + file, 'utf8')) as Record<
        string,
        Record<string, Record<string, unknown>>
      >;

      const ours = parsePipfileLock(readFileSync(FIXTURES + file, 'utf8'));
      assert.deepEqual(ours.problems, []);
      const mine = byKey(ours.packages);
      const expected = new Map<string, boolean>();
      for (const l of prod) if (l.kind === 'pin') expected.set(key(l.name, l.version!), false);
      for (const l of devOnly)
        if (l.kind === 'pin' && !expected.has(key(l.name, l.version!)))
          expected.set(key(l.name, l.version!), true);
      // by design: pipenv prints a file entry as its URL; bulwark lists it with the locked version
      for (const [section, lst] of [
        ['default', prod],
        ['develop', devOnly],
      ] as const)
        for (const l of lst.filter((x) => x.kind === 'url')) {
          const entry = Object.entries(lock[section]!).find(
            ([n]) => normalizePypiName(n) === normalizePypiName(l.name),
          );
          assert.ok(entry, `${l.name} in ${section}`);
          const k = key(l.name, String(entry[1].version).replace(/^===?/, ''));
          if (!(section === 'develop' && expected.get(k) === false)) expected.set(k, section === 'develop');
          assert.equal(mine.get(k)?.metadata?.source, 'file', `${l.name} is a file source`);
          assert.equal(mine.get(k)?.metadata?.url, entry[1].file);
        }
      assert.deepEqual([...mine.keys()].sort(), [...expected.keys()].sort());
      for (const [k, dev] of expected) assert.equal(mine.get(k)!.dev === true, dev, `${k} dev`);
      // by design: editable and VCS entries carry no version and are not listed
      for (const l of [...prod, ...devOnly].filter((x) => x.kind === 'editable'))
        assert.ok(
          ![...mine.values()].some((p) => normalizePypiName(p.name) === normalizePypiName(l.name)),
          `${l.name} is editable`,
        );
    });
  }

  it('the offline lock holds editable git and path entries, a file URL, extras and markers', () => {
    const lock = readFileSync(`${FIXTURES}Pipfile-offline-sources.lock`, 'utf8');
    for (const field of ['"editable": true', '"git":', '"path":', '"file":', '"extras":', '"markers":'])
      assert.ok(lock.includes(field), field);
  });
});
