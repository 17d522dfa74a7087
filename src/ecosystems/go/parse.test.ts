import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { goModAnalyzer } from '../../inventory/analyzers/go-mod.js';
import { goPurl, parseGoMod, parseGoModinfo, stdlibVersion } from './parse.js';

const GO_MOD = `module example.com/service

go 1.22

toolchain go1.22.3

require github.com/single/line v1.0.0

require (
	github.com/google/uuid v1.6.0
	golang.org/x/net v0.25.0 // indirect
	"github.com/quoted/path" v0.1.0
	github.com/excluded/mod v1.2.0
	github.com/forked/lib v1.1.0
	github.com/local/lib v0.9.0 // indirect; pinned
	github.com/pinned/replace v2.0.0+incompatible
)

exclude github.com/excluded/mod v1.2.0

exclude (
	github.com/other/excluded v0.0.1
)

replace github.com/forked/lib => github.com/me/lib v1.1.1-fix

replace (
	github.com/local/lib => ../lib
	github.com/pinned/replace v2.0.0+incompatible => github.com/pinned/replace v2.0.1+incompatible
	github.com/pinned/replace v1.0.0 => github.com/never/used v1.0.0
)

retract v0.1.0 // published by mistake
`;

describe('go.mod', () => {
  it('reads require, replace and exclude in lines and blocks', () => {
    const mod = parseGoMod(GO_MOD);
    assert.equal(mod.module, 'example.com/service');
    assert.equal(mod.goVersion, '1.22');
    assert.deepEqual(mod.problems, []);
    assert.deepEqual(mod.requires, [
      { path: 'github.com/single/line', version: 'v1.0.0' },
      { path: 'github.com/google/uuid', version: 'v1.6.0' },
      { path: 'golang.org/x/net', version: 'v0.25.0', indirect: true },
      { path: 'github.com/quoted/path', version: 'v0.1.0' },
      { path: 'github.com/me/lib', version: 'v1.1.1-fix', replaces: 'github.com/forked/lib@v1.1.0' },
      { path: 'github.com/local/lib', version: 'v0.9.0', indirect: true, localReplacement: '../lib' },
      {
        path: 'github.com/pinned/replace',
        version: 'v2.0.1+incompatible',
        replaces: 'github.com/pinned/replace@v2.0.0+incompatible',
      },
    ]);
  });

  it('reports broken directives and unterminated blocks without throwing', () => {
    const mod = parseGoMod('module x\nrequire onlypath\nreplace a b\nrequire (\n\tgithub.com/a/b v1.0.0\n');
    assert.equal(mod.problems.length, 3);
    assert.deepEqual(mod.requires, [{ path: 'github.com/a/b', version: 'v1.0.0' }]);
  });

  it('analyzer: fs only, gated on the file name, Go packages with purls', () => {
    assert.deepEqual(goModAnalyzer.targets, ['fs']);
    assert.equal(goModAnalyzer.required('go.mod', 100), true);
    assert.equal(goModAnalyzer.required('svc/go.mod', 100), true);
    assert.equal(goModAnalyzer.required('svc/notgo.mod', 100), false);
    assert.equal(goModAnalyzer.required('svc/go.mod.bak', 100), false);
    const out = goModAnalyzer.analyze(
      { path: 'svc/go.mod', content: Buffer.from(GO_MOD), size: GO_MOD.length, mode: 0o644 },
      { maxBytes: 1 << 20 },
    );
    const net = out.packages!.find((p) => p.name === 'golang.org/x/net')!;
    assert.equal(net.purl, 'pkg:golang/golang.org/x/net@v0.25.0');
    assert.equal(net.ecosystem, 'Go');
    assert.equal(net.location, 'svc/go.mod');
    assert.equal(net.metadata?.indirect, true);
    assert.equal(out.warnings, undefined);
  });
});

describe('modinfo text', () => {
  it('keeps a versioned main module and records replacements of the main and deps', () => {
    const info = parseGoModinfo(
      'go1.22.1',
      'path\texample.com/cmd/x\nmod\texample.com\tv1.2.3\th1:abc=\ndep\ta.io/b\tv0.1.0\th1:x=\n=>\tc.io/d\tv0.2.0\th1:y=\nbuild\tvcs.revision=abc=def\nbogus\n',
    );
    assert.equal(info.main?.version, 'v1.2.3');
    assert.deepEqual(info.deps, [{ path: 'c.io/d', version: 'v0.2.0', replaces: 'a.io/b@v0.1.0' }]);
    assert.equal(info.settings['vcs.revision'], 'abc=def');
    assert.equal(info.problems.length, 1);
  });

  for (const [input, want] of [
    ['go1.22.1', '1.22.1'],
    ['go1.21rc2', '1.21rc2'],
    ['go1.22.3 X:nocoverageredesign', '1.22.3'],
    ['devel go1.23-abc', undefined],
    ['go', undefined],
  ] as const) {
    it(`stdlib version of ${JSON.stringify(input)} is ${want}`, () =>
      assert.equal(stdlibVersion(input), want));
  }

  it('purls put the module path before the last slash in the namespace', () => {
    assert.equal(goPurl('github.com/a/b/v2', 'v2.0.0'), 'pkg:golang/github.com/a/b/v2@v2.0.0');
    assert.equal(goPurl('stdlib', '1.22.1'), 'pkg:golang/stdlib@1.22.1');
  });
});
