import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import {
  parsePipfileLock,
  parsePoetryLock,
  parsePythonMetadata,
  parseRequirements,
  parseUvLock,
} from './parse.js';

const fixture = (f: string): string => readFileSync(new URL(`./__fixtures__/${f}`, import.meta.url), 'utf8');
const short = (r: { packages: { name: string; version: string; dev?: boolean }[] }): string[] =>
  r.packages.map((p) => `${p.name}@${p.version}${p.dev ? ' dev' : ''}`);

const DIST = '/usr/lib/python3/dist-packages';

/** The metadata file of every distribution in a folder, as importlib.metadata would find it. */
function metadataFiles(dir: string): string[] {
  return readdirSync(dir)
    .flatMap((e) => {
      const p = path.join(dir, e);
      if (e.endsWith('.dist-info')) return [path.join(p, 'METADATA')];
      if (e.endsWith('.egg-info')) return [statSync(p).isDirectory() ? path.join(p, 'PKG-INFO') : p];
      return [];
    })
    .sort();
}

describe('python installed metadata', () => {
  it(`lists what importlib.metadata reports for Debian's ${DIST}`, () => {
    const reference = execFileSync(
      '/usr/bin/python3',
      [
        '-c',
        `import importlib.metadata as m, json
print(json.dumps(sorted(d.metadata["Name"] + "@" + d.version for d in m.distributions(path=["${DIST}"]))))`,
      ],
      { encoding: 'utf8' },
    );
    const expected = JSON.parse(reference) as string[];
    assert.ok(expected.length >= 5, 'python3-* packages installed');
    const ours = metadataFiles(DIST)
      .flatMap((f) => short(parsePythonMetadata(readFileSync(f, 'utf8'))))
      .sort();
    assert.deepEqual(ours, expected);
  });

  it('reads licences: expression, short License field, else classifiers', () => {
    const packaging = readdirSync(DIST).find((e) => /^packaging-.*\.dist-info$/.test(e));
    assert.ok(packaging, 'python3-packaging installed');
    const r = parsePythonMetadata(readFileSync(path.join(DIST, packaging, 'METADATA'), 'utf8'));
    assert.equal(r.packages[0]?.purl.startsWith('pkg:pypi/packaging@'), true);
    assert.ok(r.packages[0]?.licenses?.some((l) => /Apache|BSD/.test(l)));
    assert.deepEqual(
      parsePythonMetadata(
        'Metadata-Version: 2.4\nName: x\nVersion: 1\nLicense-Expression: MIT OR Apache-2.0\n',
      ).packages[0]?.licenses,
      ['MIT OR Apache-2.0'],
    );
    assert.deepEqual(
      parsePythonMetadata(
        'Name: Foo_Bar\nVersion: 2.0\nLicense: UNKNOWN\nClassifier: License :: OSI Approved :: MIT License\nClassifier: Programming Language :: Python\n',
      ).packages[0],
      { name: 'Foo_Bar', version: '2.0', purl: 'pkg:pypi/foo-bar@2.0', licenses: ['MIT License'] },
    );
    // a licence text pasted into License (continuation lines) is not a licence name
    assert.deepEqual(
      parsePythonMetadata(
        'Name: y\nVersion: 1\nLicense: Copyright (c) me\n        Permission is granted\nClassifier: License :: OSI Approved :: BSD License\n',
      ).packages[0]?.licenses,
      ['BSD License'],
    );
  });

  it('reports metadata without name or version', () => {
    for (const bad of ['', 'Name: x\n', 'Version: 1\n', 'Name: bad name\nVersion: 1\n', '\uFFFD\uFFFD']) {
      const r = parsePythonMetadata(bad);
      assert.deepEqual(r.packages, []);
      assert.equal(r.problems.length, 1);
    }
  });
});

describe('requirements.txt', () => {
  it("pins what pip's own requirements parser reads as exactly one == or === clause", () => {
    const file = new URL('./__fixtures__/requirements.txt', import.meta.url).pathname;
    const reference = execFileSync(
      '/usr/bin/python3',
      [
        '-c',
        `import json, sys
from pip._internal.req.req_file import parse_requirements
from pip._internal.network.session import PipSession
from packaging.requirements import Requirement
out = []
for r in parse_requirements(sys.argv[1], session=PipSession()):
    if r.is_editable: continue
    q = Requirement(r.requirement)
    pins = [s.version for s in q.specifier if s.operator in ("==", "===") and "*" not in s.version]
    if q.url is None and len(pins) == 1: out.append(q.name + "@" + pins[0])
print(json.dumps(sorted(out)))`,
        file,
      ],
      { encoding: 'utf8' },
    );
    const ours = parseRequirements(readFileSync(file, 'utf8'))
      .packages.map((p) => `${p.name}@${p.version}`)
      .sort();
    assert.deepEqual(ours, JSON.parse(reference));
    assert.ok(ours.includes('urllib3@1.26.18'));
  });

  it('keeps exact pins only, with hashes, markers, extras, comments and continuations', () => {
    const r = parseRequirements(
      [
        '# pinned by pip-compile',
        'FooProject == 1.2 --hash=sha256:2cf24dba5fb0a30e26e83b2ac5b9e29e1b161e5c1fa7425e73043362938b9824 \\',
        '                  --hash=sha256:486ea46224d1bb4fb680f34f7c9ad96a8f24ec88be73ea8e5a6c65260e9cb8a7',
        '',
        'Jinja2 == 3.0.0 \\',
        '    --hash=sha256:2cf24dba5fb0a30e26e83b2ac5b9e29e1b161e5c1fa7425e73043362938b9824',
        'requests[security,socks]==2.31.0 ; python_version >= "3.8"  # web',
        'django>=4.2',
        'numpy~=1.26',
        'pkg==1.*',
        'attrs===23.1.0',
        'git+https://github.com/x/y.git#egg=y',
        'local @ file:///tmp/local',
        '-e .',
        '-r base.txt',
        '--index-url https://example.test/simple',
        'zope.interface==6.0',
      ].join('\r\n'),
    );
    // sorted by purl, whose names are PEP 503 normalised
    assert.deepEqual(short(r), [
      'attrs@23.1.0',
      'FooProject@1.2',
      'Jinja2@3.0.0',
      'requests@2.31.0',
      'zope.interface@6.0',
    ]);
    assert.deepEqual(r.problems, ['include "base.txt" not followed']);
    assert.ok(r.packages.some((p) => p.purl === 'pkg:pypi/fooproject@1.2'));
    assert.ok(r.packages.some((p) => p.purl === 'pkg:pypi/zope-interface@6.0'));
  });
});

describe('poetry.lock', () => {
  it('Poetry 2 groups: dev-only packages are the ones without the main group; graph by normalised name', () => {
    const r = parsePoetryLock(fixture('poetry-v2-flask.lock'));
    assert.deepEqual(r.problems, []);
    assert.deepEqual(
      r.packages.filter((p) => !p.dev).map((p) => p.name),
      ['click', 'colorama', 'flask', 'itsdangerous', 'jinja2', 'markupsafe', 'pluggy', 'werkzeug'],
    );
    assert.equal(r.packages.length, 15);
    const flask = r.packages.find((p) => p.name === 'flask');
    assert.deepEqual(flask?.dependsOn, [
      'pkg:pypi/click@8.1.8',
      'pkg:pypi/itsdangerous@2.2.0',
      'pkg:pypi/jinja2@3.1.5',
      'pkg:pypi/werkzeug@3.1.3',
    ]);
  });

  it('Poetry 1 category', () => {
    const r = parsePoetryLock(fixture('poetry-v1-normal.lock'));
    assert.deepEqual(short(r), ['pypi@2.1']);
    const dev = parsePoetryLock('[[package]]\nname = "pytest"\nversion = "7.0.0"\ncategory = "dev"\n');
    assert.deepEqual(short(dev), ['pytest@7.0.0 dev']);
  });

  it('keeps the source of git, url, file and private-index packages; optional ones are marked', () => {
    const r = parsePoetryLock(fixture('poetry-v2.0-offline-sources.lock'));
    const by = new Map(r.packages.map((p) => [p.name, p]));
    assert.equal(by.has('local-lib'), false);
    assert.deepEqual(by.get('git-lib')?.metadata, {
      source: 'git',
      url: 'file:///tmp/s2/gen/src/git-lib',
      reference: 'v0.4.0',
      resolved_reference: 'ebaba2f5a78ad35b8dfc4a906d07b581ccdcdb46',
    });
    assert.equal(
      by.get('git-lib')?.purl,
      'pkg:pypi/git-lib@0.4.0?vcs_url=git%2Bfile%3A%2F%2F%2Ftmp%2Fs2%2Fgen%2Fsrc%2Fgit-lib%40ebaba2f5a78ad35b8dfc4a906d07b581ccdcdb46',
    );
    assert.deepEqual(by.get('url-pkg')?.metadata, {
      source: 'url',
      url: 'http://127.0.0.1:32829/files/url_pkg-0.5.0-py3-none-any.whl',
    });
    assert.deepEqual(by.get('win-only')?.metadata, {
      source: 'legacy',
      url: 'http://127.0.0.1:32829/simple',
      reference: 'local',
      optional: true,
    });
    assert.equal(by.get('dev-tool')?.dev, true);
    const file = parsePoetryLock(
      '[[package]]\nname = "vendored"\nversion = "1.0"\n[package.source]\ntype = "file"\nurl = "vendor/vendored-1.0.whl"\n',
    );
    assert.deepEqual(file.packages[0]?.metadata, { source: 'file', url: 'vendor/vendored-1.0.whl' });
    const scp = parsePoetryLock(
      '[[package]]\nname = "g"\nversion = "1.0"\n[package.source]\ntype = "git"\nurl = "git@github.com:o/g.git"\nresolved_reference = "abc"\n',
    );
    assert.equal(
      scp.packages[0]?.purl,
      'pkg:pypi/g@1.0?vcs_url=git%2Bssh%3A%2F%2Fgit%40github.com%2Fo%2Fg.git%40abc',
    );
  });

  it('skips local directory packages and reports bad TOML', () => {
    const r = parsePoetryLock(
      '[[package]]\nname = "mylib"\nversion = "0.1.0"\n[package.source]\ntype = "directory"\nurl = "../mylib"\n',
    );
    assert.deepEqual(r, { packages: [], problems: [] });
    assert.equal(parsePoetryLock('[[package]\nname = ').problems.length, 1);
    assert.equal(parsePoetryLock(`a = ${'['.repeat(10000)}`).problems.length, 1);
  });
});

describe('Pipfile.lock', () => {
  it('reads default and develop sections', () => {
    const r = parsePipfileLock(fixture('Pipfile.lock'));
    assert.deepEqual(short(r), [
      'certifi@2019.3.9',
      'chardet@3.0.4',
      'idna@2.8',
      'pyyaml@5.1',
      'requests@2.21.0',
      'urllib3@1.24.2',
    ]);
    const dev = parsePipfileLock(
      '{"default":{},"develop":{"pytest":{"version":"==8.0.0"},"mylib":{"editable":true,"path":"."}}}',
    );
    assert.deepEqual(short(dev), ['pytest@8.0.0 dev']);
    const src = parsePipfileLock(fixture('Pipfile-offline-sources.lock'));
    assert.deepEqual(short(src), [
      'alpha@1.0.0',
      'beta@2.0.0',
      'dev-tool@0.1.0 dev',
      'gamma-fast@0.3.1',
      'url-pkg@0.5.0 dev',
      'win-only@1.2.0',
    ]);
    assert.deepEqual(src.packages.find((p) => p.name === 'url-pkg')?.metadata, {
      source: 'file',
      url: 'http://127.0.0.1:32829/files/url_pkg-0.5.0-py3-none-any.whl',
    });
    const git = parsePipfileLock(
      '{"default":{"g":{"git":"https://example.invalid/g.git","ref":"abc","version":"==1.0"}}}',
    );
    assert.equal(
      git.packages[0]?.purl,
      'pkg:pypi/g@1.0?vcs_url=git%2Bhttps%3A%2F%2Fexample.invalid%2Fg.git%40abc',
    );
    assert.equal(parsePipfileLock('{').problems.length, 1);
    assert.equal(parsePipfileLock('[]').problems.length, 1);
  });
});

describe('uv.lock', () => {
  it('skips the workspace members and marks what only dev groups reach', () => {
    const r = parseUvLock(fixture('uv-workspace-rooted.lock'));
    assert.deepEqual(r.problems, []);
    assert.deepEqual(short(r), [
      'click@8.1.7',
      'colorama@0.4.6 dev',
      'idna@3.10',
      'pillow@11.0.0',
      'pytest@8.3.4 dev',
      'requests@2.32.3',
      'ruff@0.9.0 dev',
      'tomli@2.2.1 dev',
      'urllib3@2.2.3',
    ]);
    assert.deepEqual(r.packages.find((p) => p.name === 'requests')?.dependsOn, ['pkg:pypi/urllib3@2.2.3']);
  });

  it('follows extras and pinned versions of forked packages', () => {
    const r = parseUvLock(`version = 1
[[package]]
name = "app"
version = "0.1.0"
source = { editable = "." }
dependencies = [{ name = "httpx", extra = ["http2"] }, { name = "numpy", version = "2.0.0", marker = "python_version >= '3.10'" }]
[[package]]
name = "httpx"
version = "0.27.0"
source = { registry = "https://pypi.org/simple" }
[package.optional-dependencies]
http2 = [{ name = "h2" }]
[[package]]
name = "h2"
version = "4.1.0"
source = { registry = "https://pypi.org/simple" }
[[package]]
name = "numpy"
version = "1.26.4"
source = { registry = "https://pypi.org/simple" }
[[package]]
name = "numpy"
version = "2.0.0"
source = { registry = "https://pypi.org/simple" }
`);
    assert.deepEqual(short(r), ['h2@4.1.0', 'httpx@0.27.0', 'numpy@1.26.4 dev', 'numpy@2.0.0']);
  });
});
