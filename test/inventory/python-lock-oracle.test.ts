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
 * - Poetry resolves a `file` source's path against the project folder; bulwark keeps the path
 *   the lock writes (the folder may be inside an image, where a host path means nothing).
 * - `pipenv requirements` prints a `file` entry as its URL (`...whl#egg=name`) without a version;
 *   bulwark lists it with the version pipenv locked, and the URL as `metadata.url`.
 */
import assert from 'node:assert/strict';
import { execFile, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import {
  copyFileSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
  existsSync,
} from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { promisify } from 'node:util';
import { normalizePypiName, parsePipfileLock, parsePoetryLock } from '../../src/ecosystems/pypi/index.js';
import type { LangPackage } from '../../src/ecosystems/lang-types.js';
import { requireTool } from '../oracles/harness.js';

const FIXTURES = new URL('../../src/ecosystems/pypi/__fixtures__/', import.meta.url).pathname;
const ORACLE = new URL('./python-lock-oracle.py', import.meta.url).pathname;
const PYTHON = '/usr/bin/python3';
const PIPENV = '/usr/bin/pipenv';
const execFileAsync = promisify(execFile);

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

interface PoetryLock {
  lock_version: string;
  packages: PoetryPkg[];
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
});

after(() => rmSync(home, { recursive: true, force: true }));

/** bulwark's parse of a poetry.lock against what Poetry's lock reader made of the same file. */
function assertPoetryAgreement(text: string, tool: PoetryLock, lockDir: string): void {
  const ours = parsePoetryLock(text);
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
    if (p.source_type === 'file')
      // by design: Poetry resolves an archive's path against the project; bulwark keeps it as written
      assert.equal(path.resolve(lockDir, String(m.metadata?.url)), path.resolve(lockDir, p.source_url!));
    else assert.equal(m.metadata?.url, p.source_url ?? undefined, `${p.name} source url`);
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
}

describe("poetry.lock against Poetry's own lock reader", () => {
  it('has fixtures of lock-version 1.1, 2.0 and 2.1', () => {
    const versions = poetryLocks.map(
      (f) => /lock-version = "([\d.]+)"/.exec(readFileSync(FIXTURES + f, 'utf8'))?.[1],
    );
    assert.deepEqual([...new Set(versions)].sort(), ['1.1', '2.0', '2.1']);
  });

  let oracle: Record<string, PoetryLock>;
  before(() => {
    oracle = JSON.parse(run(PYTHON, [ORACLE, ...poetryLocks], FIXTURES)) as typeof oracle;
  });

  for (const file of poetryLocks) {
    it(`${file}: same packages, versions, dev and optional marks, sources and dependencies`, () => {
      assertPoetryAgreement(readFileSync(FIXTURES + file, 'utf8'), oracle[file]!, FIXTURES);
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

/** Wheels with real METADATA, written by Python's zipfile: what Poetry downloads to read requirements. */
const MAKE_WHEELS = `
import json, sys, zipfile
out, specs = sys.argv[1], json.loads(sys.argv[2])
for s in specs:
    dist = s["name"].replace("-", "_")
    info = f"{dist}-{s['version']}.dist-info"
    meta = ["Metadata-Version: 2.1", f"Name: {s['name']}", f"Version: {s['version']}", "Requires-Python: >=3.8"]
    meta += [f"Provides-Extra: {e}" for e in s.get("extras", [])]
    meta += [f"Requires-Dist: {r}" for r in s.get("requires", [])]
    with zipfile.ZipFile(f"{out}/{dist}-{s['version']}-py3-none-any.whl", "w") as z:
        z.writestr(f"{dist}/__init__.py", "")
        z.writestr(f"{info}/METADATA", "\\n".join(meta) + "\\n")
        z.writestr(f"{info}/WHEEL", "Wheel-Version: 1.0\\nGenerator: bulwark-tests\\nRoot-Is-Purelib: true\\nTag: py3-none-any\\n")
        z.writestr(f"{info}/RECORD", "")
`;

const WHEELS = [
  { name: 'alpha', version: '1.0.0' },
  {
    name: 'beta',
    version: '2.0.0',
    extras: ['fast'],
    requires: ['alpha>=1.0', 'gamma-fast<0.4,>=0.3; extra == "fast"'],
  },
  { name: 'gamma-fast', version: '0.3.1' },
  { name: 'dev-tool', version: '0.1.0', requires: ['alpha'] },
  { name: 'win-only', version: '1.2.0' },
  { name: 'url-pkg', version: '0.5.0' },
  { name: 'vendored', version: '0.9.0' },
];

function poetryProject(dir: string, name: string, version: string, extra: string): void {
  mkdirSync(path.join(dir, name.replace(/-/g, '_')), { recursive: true });
  writeFileSync(path.join(dir, name.replace(/-/g, '_'), '__init__.py'), '');
  writeFileSync(
    path.join(dir, 'pyproject.toml'),
    `[tool.poetry]\nname = "${name}"\nversion = "${version}"\ndescription = "bulwark test project"\n` +
      `authors = ["bulwark tests <tests@example.invalid>"]\n\n[tool.poetry.dependencies]\npython = ">=3.8"\n` +
      `${extra}\n[build-system]\nrequires = ["poetry-core>=1.0.0"]\nbuild-backend = "poetry.core.masonry.api"\n`,
  );
}

async function runAsync(cmd: string, args: string[], cwd: string): Promise<string> {
  const { stdout } = await execFileAsync(cmd, args, {
    cwd,
    env: toolEnv(),
    encoding: 'utf8',
    timeout: 120_000,
    maxBuffer: 16 * 1024 * 1024,
  });
  return stdout;
}

describe('a poetry.lock Poetry writes here, offline', () => {
  let server: Server;
  let work: string;
  let lockText: string;
  let tool: PoetryLock;
  let committed: PoetryLock;

  before(async () => {
    work = mkdtempSync(path.join(home, 'poetry-live-'));
    const www = path.join(work, 'www');
    mkdirSync(path.join(www, 'files'), { recursive: true });
    const wheels = path.join(work, 'wheels');
    mkdirSync(wheels);
    run(PYTHON, ['-c', MAKE_WHEELS, wheels, JSON.stringify(WHEELS)], work);
    for (const f of readdirSync(wheels)) {
      const name = normalizePypiName(f.split('-')[0]!);
      if (name === 'vendored') continue; // a wheel in the project's tree: a `file` source
      if (name === 'url-pkg') {
        copyFileSync(path.join(wheels, f), path.join(www, 'files', f));
        continue;
      }
      const sha = createHash('sha256')
        .update(readFileSync(path.join(wheels, f)))
        .digest('hex');
      mkdirSync(path.join(www, 'simple', name), { recursive: true });
      copyFileSync(path.join(wheels, f), path.join(www, 'simple', name, f));
      writeFileSync(
        path.join(www, 'simple', name, 'index.html'),
        `<html><body><a href="${f}#sha256=${sha}">${f}</a></body></html>\n`,
      );
    }
    // a PEP 503 index: /simple/<name>/ and the files beside it; nothing else answers
    server = createServer((req, res) => {
      const rel = decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname);
      const file = path.join(www, rel.endsWith('/') ? `${rel}index.html` : rel);
      if (!file.startsWith(www + path.sep) || !existsSync(file) || !statSync(file).isFile()) {
        res.writeHead(404).end();
        return;
      }
      res.writeHead(200).end(readFileSync(file));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const port = (server.address() as AddressInfo).port;

    const gitLib = path.join(work, 'git-lib');
    poetryProject(gitLib, 'git-lib', '0.4.0', 'alpha = "^1.0"');
    const git = (...args: string[]): string =>
      run('/usr/bin/git', ['-c', 'user.name=t', '-c', 'user.email=t@example.invalid', ...args], gitLib);
    git('init', '-q', '-b', 'main');
    git('add', '.');
    git('commit', '-q', '-m', 'init');
    git('tag', 'v0.4.0');
    poetryProject(path.join(work, 'local-lib'), 'local-lib', '0.2.0', 'beta = "^2.0"');
    const app = path.join(work, 'app');
    poetryProject(
      app,
      'demo-app',
      '0.1.0',
      [
        'beta = { version = "^2.0", extras = ["fast"] }',
        `Win_Only = { version = "^1.2", optional = true, markers = "sys_platform == 'win32'" }`,
        `git-lib = { git = "file://${gitLib}", tag = "v0.4.0" }`,
        'local-lib = { path = "../local-lib", develop = true }',
        'vendored = { path = "../wheels/vendored-0.9.0-py3-none-any.whl" }',
        `url-pkg = { url = "http://127.0.0.1:${port}/files/url_pkg-0.5.0-py3-none-any.whl" }`,
        '',
        '[tool.poetry.extras]',
        'windows = ["Win_Only"]',
        '',
        '[tool.poetry.group.dev.dependencies]',
        'dev-tool = "^0.1"',
        '',
        '[[tool.poetry.source]]',
        'name = "local"',
        `url = "http://127.0.0.1:${port}/simple/"`,
        'default = true',
        '',
      ].join('\n'),
    );
    await runAsync('/usr/bin/poetry', ['lock', '-n', '--no-ansi'], app);
    lockText = readFileSync(path.join(app, 'poetry.lock'), 'utf8');
    const fixture = `${FIXTURES}poetry-v2.0-offline-sources.lock`;
    const both = JSON.parse(
      await runAsync(PYTHON, [ORACLE, path.join(app, 'poetry.lock'), fixture], app),
    ) as Record<string, PoetryLock>;
    tool = both[path.join(app, 'poetry.lock')]!;
    committed = both[fixture]!;
  });

  after(() => new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve())));

  it('bulwark reads it as Poetry does', () => {
    assertPoetryAgreement(lockText, tool, path.join(work, 'app'));
  });

  it('locks the same packages and sources as the committed offline fixture, plus a file source', () => {
    const shape = (l: PoetryLock): string[] =>
      l.packages.map((p) => `${p.name}@${p.version} ${p.category} ${p.optional} ${p.source_type}`).sort();
    assert.deepEqual(
      shape(tool).filter((p) => !p.startsWith('vendored@')),
      shape(committed),
    );
    assert.deepEqual(
      shape(tool).filter((p) => p.startsWith('vendored@')),
      ['vendored@0.9.0 main false file'],
    );
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
      const lock = JSON.parse(readFileSync(FIXTURES + file, 'utf8')) as Record<
        string,
        Record<string, Record<string, unknown>>
      >;
      // pipenv reads the setup.py of each local path entry: recreate those projects, named as locked
      for (const section of ['default', 'develop'])
        for (const [name, entry] of Object.entries(lock[section] ?? {})) {
          if (typeof entry.path !== 'string') continue;
          const project = path.resolve(dir, entry.path);
          assert.ok(project.startsWith(home + path.sep), `${entry.path} stays in the temp dir`);
          mkdirSync(project, { recursive: true });
          writeFileSync(
            path.join(project, 'setup.py'),
            `from setuptools import setup\nsetup(name=${JSON.stringify(name)}, version="0.0.0")\n`,
          );
        }
      const lines = (args: string[]): ReqLine[] =>
        run(PIPENV, ['requirements', ...args], dir)
          .split('\n')
          .flatMap((l) => reqLine(l) ?? []);
      const prod = lines([]);
      const devOnly = lines(['--dev-only']);

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
      // by design: editable and VCS entries carry no version: pipenv prints them as `-e` lines,
      // bulwark does not list them
      for (const [section, lst] of [
        ['default', prod],
        ['develop', devOnly],
      ] as const) {
        const versionless = Object.entries(lock[section] ?? {}).filter(([, e]) => e.version === undefined);
        assert.equal(lst.filter((l) => l.kind === 'editable').length, versionless.length, section);
        for (const [name] of versionless)
          assert.ok(
            ![...mine.values()].some((p) => normalizePypiName(p.name) === normalizePypiName(name)),
            `${name} has no version`,
          );
      }
    });
  }

  it('the offline lock holds editable git and path entries, a file URL, extras and markers', () => {
    const lock = readFileSync(`${FIXTURES}Pipfile-offline-sources.lock`, 'utf8');
    for (const field of ['"editable": true', '"git":', '"path":', '"file":', '"extras":', '"markers":'])
      assert.ok(lock.includes(field), field);
  });
});
