import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { manifestAnalyzer } from './manifest.js';

const file = (path: string, text: string) => ({
  path,
  content: Buffer.from(text),
  size: text.length,
  mode: 0o644,
});

describe('manifest analyzer', () => {
  it('wants project manifests of folders, not those of installed dependencies', () => {
    assert.deepEqual(manifestAnalyzer.targets, ['fs']);
    for (const p of [
      'package.json',
      'web/package.json',
      'Cargo.toml',
      'crates/x/Cargo.toml',
      'Gemfile',
      'gems.rb',
    ])
      assert.equal(manifestAnalyzer.required(p, 100), true, p);
    for (const p of [
      'node_modules/a/package.json',
      'vendor/bundle/ruby/Gemfile',
      'xpackage.json',
      'Gemfile.lock',
    ])
      assert.equal(manifestAnalyzer.required(p, 100), false, p);
    assert.equal(manifestAnalyzer.required('package.json', 5 * 1024 * 1024), false);
  });

  it('emits one fact with scalar data (lists as JSON), nothing for an unreadable manifest', () => {
    const out = manifestAnalyzer.analyze(
      file('package.json', '{"name":"x","dependencies":{"a":"1"},"devDependencies":{"b":"2"}}'),
      { maxBytes: 1 << 20 },
    );
    assert.deepEqual(out.facts, [
      {
        kind: 'manifest',
        data: {
          name: 'x',
          prod: '[{"name":"a","req":"1"}]',
          dev: '[{"name":"b","req":"2"}]',
          workspaces: '[]',
          excluded: '[]',
          complete: true,
        },
      },
    ]);
    assert.deepEqual(manifestAnalyzer.analyze(file('Cargo.toml', '[package'), { maxBytes: 1 << 20 }), {});
  });
});
