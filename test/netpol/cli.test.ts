import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { cp, mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';

// The real CLI in a child process on the examples: formats, stdin, per-item errors, exit codes.
const MAIN = path.resolve('src/cli/main.ts');
const TSX = import.meta.resolve('tsx');
const EXAMPLES = path.resolve('examples/netpol');
let dir: string;

function cli(args: string[], input?: string) {
  const code = `import(${JSON.stringify(MAIN)}).then(async (m) => { process.exitCode = await m.main(${JSON.stringify(args)}); })`;
  const r = spawnSync(process.execPath, ['--import', TSX, '-e', code], {
    timeout: 60000,
    cwd: dir,
    encoding: 'utf8',
    env: { ...process.env, NO_COLOR: '1' },
    ...(input !== undefined ? { input } : {}),
  });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

before(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'bulwark-netpol-cli-'));
  await cp(EXAMPLES, path.join(dir, 'ex'), { recursive: true });
  await writeFile(path.join(dir, 'ex', 'manifests', 'notes.yaml'), 'just: some\nconfig: file\n');
  await writeFile(
    path.join(dir, 'broken.yaml'),
    'apiVersion: v1\nkind: Pod\nmetadata: { name: ok }\nspec: { containers: [{ name: c, image: x }] }\n---\nkind: [\n',
  );
});
after(() => rm(dir, { recursive: true, force: true }));

describe('bulwark netpol', () => {
  it('lists connections as src => dst : conns, sorted, and warns about files that are not Kubernetes resources', () => {
    const r = cli(['netpol', 'ex/manifests']);
    assert.equal(r.status, 0, r.stderr);
    const lines = r.stdout.trim().split('\n');
    assert.deepEqual(lines, [...lines].sort());
    assert.ok(lines.includes('shop/web[Deployment] => shop/api[Deployment] : TCP 9090'), 'web to api');
    assert.ok(
      lines.includes('{ingress-controller} => shop/web[Deployment] : TCP 8080'),
      'ingress controller',
    );
    assert.ok(
      !lines.some((l) => l.includes('=> shop/db') && !l.startsWith('shop/api')),
      'only api reaches db',
    );
    assert.match(r.stderr, /warning: ex\/manifests\/notes\.yaml: no Kubernetes resources/);
  });

  it('--format json is a list of {src, dst, conn}; csv quotes conns with commas', () => {
    const r = cli(['netpol', 'ex/manifests', '-f', 'json']);
    const doc = JSON.parse(r.stdout) as { src: string; dst: string; conn: string }[];
    assert.ok(
      doc.some(
        (x) => x.src === 'shop/api[Deployment]' && x.dst === 'shop/db[StatefulSet]' && x.conn === 'TCP 5432',
      ),
      'api to db',
    );
    const c = cli(['netpol', 'ex/changed', '-f', 'csv']);
    assert.match(c.stdout, /^src,dst,conn\n/);
    assert.match(c.stdout, /shop\/api\[Deployment\],shop\/db\[StatefulSet\],"TCP 5432,6432"/);
  });

  it('reads stdin with -, and --focus-workload narrows to one workload', () => {
    const yaml =
      'apiVersion: v1\nkind: Pod\nmetadata: { name: a }\nspec: { containers: [{ name: c, image: x }] }\n---\napiVersion: v1\nkind: Pod\nmetadata: { name: b }\nspec: { containers: [{ name: c, image: x }] }\n';
    const r = cli(['netpol', '-', '--focus-workload', 'a', '--focus-direction', 'egress'], yaml);
    assert.equal(r.status, 0, r.stderr);
    assert.deepEqual(r.stdout.trim().split('\n'), [
      'default/a[Pod] => 0.0.0.0-255.255.255.255[External] : All Connections',
      'default/a[Pod] => default/b[Pod] : All Connections',
    ]);
  });

  it('a malformed document is an error naming file and document; the rest is still analysed (exit 5)', () => {
    const r = cli(['netpol', 'broken.yaml']);
    assert.equal(r.status, 5);
    assert.match(r.stderr, /MALFORMED_INPUT.*broken\.yaml.*document 2/);
    assert.match(r.stdout, /default\/ok\[Pod\]/);
    assert.equal(cli(['netpol', 'missing-dir']).status, 4);
  });

  it('html is one self-contained page with an SVG graph and escaped names', async () => {
    await writeFile(
      path.join(dir, 'evil.yaml'),
      'apiVersion: v1\nkind: Pod\nmetadata: { name: "<img src=x onerror=alert(1)>" }\nspec: { containers: [{ name: c, image: x }] }\n',
    );
    const r = cli(['netpol', 'evil.yaml', '-f', 'html']);
    assert.equal(r.status, 0, r.stderr);
    assert.match(r.stdout, /<svg role="img"/);
    assert.match(r.stdout, /Content-Security-Policy/);
    assert.ok(!r.stdout.includes('<img src=x'), 'raw name in page');
    assert.ok(r.stdout.includes('&lt;img src=x onerror=alert(1)&gt;'), 'escaped name');
    assert.ok(!/(src|href)="https?:/.test(r.stdout), 'no network reference');
  });

  it('dot is a Graphviz digraph with one cluster per namespace', () => {
    const r = cli(['netpol', 'ex/manifests', '-f', 'dot']);
    assert.match(r.stdout, /^digraph \{\n\tsubgraph "cluster_shop\[namespace\]" \{/);
    assert.match(r.stdout, /"shop\/web\[Deployment\]" -> "shop\/api\[Deployment\]" \[label="TCP 9090"/);
  });

  it('--findings reports coverage and exposure through the rule engine; the ignore file suppresses', async () => {
    const r = cli(['netpol', 'ex/manifests', '--findings', '-f', 'json']);
    assert.equal(r.status, 0, r.stderr);
    const doc = JSON.parse(r.stdout) as {
      findings: { ruleId: string; message: string; file: string; line: number }[];
    };
    const ids = new Set(doc.findings.map((f) => f.ruleId));
    for (const id of [
      'netpol/externally-reachable',
      'netpol/policy-selects-nothing',
      'netpol/no-ingress-policy',
      'netpol/namespace-no-default-deny',
    ])
      assert.ok(ids.has(id), `missing ${id}`);
    const lb = doc.findings.find((f) => f.message.includes('LoadBalancer Service shop/web'));
    assert.ok(
      lb && lb.file === 'ex/manifests/shop.yaml' && lb.line > 1,
      'LoadBalancer finding at the Service',
    );
    await writeFile(
      path.join(dir, '.bulwarkignore.yaml'),
      'ignore:\n  - id: netpol/externally-reachable\n    reason: public shop, reviewed\n',
    );
    const s = cli(['netpol', 'ex/manifests', '--findings', '-f', 'sarif', '--exit-code', '3']);
    const j = cli(['netpol', 'ex/manifests', '--findings', '-f', 'json']);
    await rm(path.join(dir, '.bulwarkignore.yaml'));
    const sarif = JSON.parse(s.stdout) as { runs: { tool: { driver: { name: string } } }[] };
    assert.ok(sarif.runs.length === 1, 'one SARIF run');
    const after = JSON.parse(j.stdout) as {
      findings: { ruleId: string }[];
      suppressed: { ruleId: string; reason: string }[];
    };
    assert.ok(
      !after.findings.some((x) => x.ruleId === 'netpol/externally-reachable'),
      'suppressed by the ignore file',
    );
    assert.ok(
      after.suppressed.some(
        (x) => x.ruleId === 'netpol/externally-reachable' && x.reason === 'public shop, reviewed',
      ),
      'listed as suppressed',
    );
    assert.equal(s.status, 3);
  });

  it('--vulns ranks reachable workloads by exploit probability and shows lateral paths to KEV', () => {
    const r = cli([
      'netpol',
      'ex/manifests',
      '--vulns',
      'ex/reports/web.json,ex/reports/api.json',
      '-f',
      'json',
    ]);
    assert.equal(r.status, 0, r.stderr);
    const doc = JSON.parse(r.stdout) as {
      ranked: { workload: string; probability: number }[];
      lateral: { via: string; target: string; kev: string[] }[];
    };
    const web = doc.ranked.find((x) => x.workload === 'shop/web[Deployment]')!;
    assert.ok(Math.abs(web.probability - (1 - 0.88 * 0.97)) < 1e-9, `probability ${web.probability}`);
    assert.deepEqual(
      doc.lateral.map((l) => [l.via, l.target, l.kev]),
      [['shop/web[Deployment]', 'shop/api[Deployment]', ['CVE-2023-44487']]],
    );
    const bad = cli(['netpol', 'ex/manifests', '--vulns', 'ex/manifests/shop.yaml']);
    assert.equal(bad.status, 5);
  });

  it('diff lists connections added, removed and changed', () => {
    const r = cli(['netpol', 'diff', 'ex/manifests', 'ex/changed']);
    assert.equal(r.status, 0, r.stderr);
    assert.deepEqual(r.stdout.trim().split('\n'), [
      '~ shop/api[Deployment] => shop/db[StatefulSet] : TCP 5432 -> TCP 5432,6432',
      '- tools/debug[Pod] => shop/api[Deployment] : All Connections',
    ]);
    const j = JSON.parse(cli(['netpol', 'diff', 'ex/changed', 'ex/manifests', '-f', 'json']).stdout) as {
      kind: string;
    }[];
    assert.deepEqual(j.map((x) => x.kind).sort(), ['added', 'changed']);
    assert.equal(cli(['netpol', 'diff', 'ex/manifests', 'ex/changed', '--exit-code', '9']).status, 9);
  });

  it('rejects formats that do not fit the mode (exit 2)', () => {
    assert.equal(cli(['netpol', 'ex/manifests', '-f', 'sarif']).status, 2);
    assert.equal(cli(['netpol', 'ex/manifests', '--focus-direction', 'ingress']).status, 2);
  });
});
