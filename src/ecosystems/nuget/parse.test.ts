import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { parseDepsJson, parsePackagesLockJson } from './parse.js';

const fixture = (f: string): string => readFileSync(new URL(`./__fixtures__/${f}`, import.meta.url), 'utf8');

describe('packages.lock.json', () => {
  it('lists direct and transitive packages with the graph', () => {
    const r = parsePackagesLockJson(fixture('packages.lock.json'));
    assert.deepEqual(r.problems, []);
    assert.deepEqual(
      r.packages.map((p) => `${p.name}@${p.version}${p.metadata?.direct ? ' direct' : ''}`),
      [
        'Microsoft.Extensions.ApiDescription.Server@3.0.0',
        'Microsoft.OpenApi@1.1.4',
        'Newtonsoft.Json@12.0.3 direct',
        'NuGet.Frameworks@5.7.0 direct',
        'Swashbuckle.AspNetCore.Swagger@5.5.1',
        'Swashbuckle.AspNetCore.SwaggerGen@5.5.1',
        'Swashbuckle.AspNetCore.SwaggerUI@5.5.1',
        'Swashbuckle.AspNetCore@5.5.1 direct',
      ],
    );
    assert.deepEqual(r.packages.find((p) => p.name === 'Swashbuckle.AspNetCore.SwaggerGen')?.dependsOn, [
      'pkg:nuget/Swashbuckle.AspNetCore.Swagger@5.5.1',
    ]);
  });

  it('merges frameworks and skips project references', () => {
    const r = parsePackagesLockJson(
      JSON.stringify({
        version: 2,
        dependencies: {
          'net6.0': {
            Serilog: { type: 'Direct', requested: '[3.0.1, )', resolved: '3.0.1' },
            MyLib: { type: 'Project', dependencies: { Serilog: '[3.0.1, )' } },
          },
          'net8.0': { Serilog: { type: 'Direct', requested: '[3.0.1, )', resolved: '3.0.1' } },
        },
      }),
    );
    assert.deepEqual(
      r.packages.map((p) => p.purl),
      ['pkg:nuget/Serilog@3.0.1'],
    );
  });

  it('reports malformed input', () => {
    assert.equal(parsePackagesLockJson('{').problems.length, 1);
    assert.equal(parsePackagesLockJson('{"version":1}').problems.length, 1);
    assert.equal(
      parsePackagesLockJson('{"dependencies":{"net6.0":{"X":{"type":"Direct"}}}}').problems.length,
      1,
    );
  });
});

describe('deps.json', () => {
  it('lists packages, projects and runtime packs, with the graph from targets', () => {
    const r = parseDepsJson(fixture('ExampleApp1.deps.json'));
    assert.deepEqual(r.problems, []);
    assert.deepEqual(r.packages, [
      {
        name: 'ExampleApp1',
        version: '1.0.0',
        purl: 'pkg:nuget/ExampleApp1@1.0.0',
        metadata: { source: 'project' },
        dependsOn: ['pkg:nuget/Newtonsoft.Json@13.0.1'],
      },
      { name: 'Newtonsoft.Json', version: '13.0.1', purl: 'pkg:nuget/Newtonsoft.Json@13.0.1' },
    ]);
    const graph = parseDepsJson(
      JSON.stringify({
        targets: {
          '.NETCoreApp,Version=v8.0': {
            'App/1.0.0': { dependencies: { 'Serilog.Sinks.Console': '5.0.0' } },
            'Serilog.Sinks.Console/5.0.0': { dependencies: { Serilog: '3.1.1' } },
            'Serilog/3.1.1': {},
          },
        },
        libraries: {
          'App/1.0.0': { type: 'project' },
          'Serilog.Sinks.Console/5.0.0': { type: 'package' },
          'Serilog/3.1.1': { type: 'package' },
          'runtimepack.Microsoft.NETCore.App.Runtime.linux-x64/8.0.0': { type: 'runtimepack' },
        },
      }),
    );
    assert.deepEqual(
      graph.packages.map((p) => [p.purl, p.dependsOn ?? [], p.metadata?.source ?? 'package']),
      [
        ['pkg:nuget/App@1.0.0', ['pkg:nuget/Serilog.Sinks.Console@5.0.0'], 'project'],
        ['pkg:nuget/Microsoft.NETCore.App.Runtime.linux-x64@8.0.0', [], 'runtimepack'],
        ['pkg:nuget/Serilog.Sinks.Console@5.0.0', ['pkg:nuget/Serilog@3.1.1'], 'package'],
        ['pkg:nuget/Serilog@3.1.1', [], 'package'],
      ],
    );
  });

  it('leaves out libraries whose runtime-target entry lists no assets (reference and meta packages)', () => {
    const r = parseDepsJson(
      JSON.stringify({
        runtimeTarget: { name: 'net8' },
        targets: {
          net8: {
            'App/1.0.0': { dependencies: { Meta: '1.0.0' }, runtime: { 'App.dll': {} } },
            'Meta/1.0.0': { dependencies: { Native: '2.0.0', Res: '1.0.0' } },
            'Native/2.0.0': { runtimeTargets: { 'runtimes/linux-x64/native/x.so': { rid: 'linux-x64' } } },
            'Res/1.0.0': { resources: { 'de/Res.resources.dll': { locale: 'de' } } },
            'Empty/1.0.0': { runtime: {} },
          },
          other: { 'Meta/1.0.0': { runtime: { 'Meta.dll': {} } } },
        },
        libraries: {
          'App/1.0.0': { type: 'project' },
          'Meta/1.0.0': { type: 'package' },
          'Native/2.0.0': { type: 'package' },
          'Res/1.0.0': { type: 'package' },
          'Empty/1.0.0': { type: 'package' },
          'NotInTarget/3.0.0': { type: 'package' },
          'Ref/1.0.0': { type: 'referenceassembly' },
        },
      }),
    );
    assert.deepEqual(
      r.packages.map((p) => `${p.name}@${p.version}`),
      ['App@1.0.0', 'Native@2.0.0', 'NotInTarget@3.0.0', 'Res@1.0.0'],
    );
  });

  it('reports malformed input', () => {
    assert.equal(parseDepsJson('[]').problems.length, 1);
    assert.equal(parseDepsJson('{"targets":{}}').problems.length, 1);
    assert.equal(parseDepsJson('{"libraries":{"noversion":{"type":"package"}}}').problems.length, 1);
  });
});
