import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { ociPurl } from '../../src/vex/index.js';
import { startPostgres, type PostgresCluster } from '../helpers/postgres.js';
import { cycloneDxErrors, openVexErrors } from '../vex/schemas.js';
import { demoReport } from './fixtures.js';
import { TestServer, type Backend } from './harness.js';

interface OpenVexDoc {
  '@id': string;
  statements: {
    vulnerability: { name: string };
    status: string;
    justification?: string;
    action_statement?: string;
    products?: { '@id': string; subcomponents?: { '@id': string }[] }[];
  }[];
}
interface ImportResult {
  created: number[];
  updated: number[];
  unchanged: number;
  skipped: number;
  warnings: { code: string }[];
}

function vexSuite(name: string, backend: () => Promise<{ backend: Backend; done?: () => Promise<void> }>) {
  describe(`VEX export and import on ${name}`, () => {
    let s: TestServer;
    let done: (() => Promise<void>) | undefined;
    let analyst: Awaited<ReturnType<TestServer['userWithToken']>>;
    let viewer: Awaited<ReturnType<TestServer['userWithToken']>>;
    let image: { id: number; repository: string; digest: string; tag: string };
    let curlPurl: string;

    before(async () => {
      const b = await backend();
      done = b.done;
      s = await TestServer.start(b.backend, { maxReportBytes: 4 * 1024 * 1024 });
      analyst = await s.userWithToken('analyst');
      viewer = await s.userWithToken('viewer');
      const r = await demoReport();
      curlPurl = r.findings.find((f) => f.package.name === 'curl')!.package.purl;
      const up = await s.request('POST', '/api/v1/reports', { token: analyst.token, body: r });
      assert.equal(up.status, 201, up.text);
      const id = (up.body as { imageId: number }).imageId;
      image = (await s.request('GET', `/api/v1/images/${id}`, { token: viewer.token })).body as typeof image;
      assert.ok(image.digest, 'the demo image has a digest');
      const decisions = [
        {
          vulnId: 'CVE-2022-1664',
          purl: 'pkg:deb/debian/dpkg',
          status: 'not_affected',
          justification: 'vulnerable_code_not_in_execute_path',
          scope: 'image',
          imageId: id,
        },
        {
          vulnId: 'DSA-5197-1',
          packageName: 'curl',
          status: 'affected',
          actionStatement: 'upgrade curl',
          scope: 'repository',
          repository: image.repository,
        },
        {
          vulnId: 'DSA-5330-1',
          status: 'accepted_risk',
          owner: 'team-web',
          reason: 'build-time only',
          expiresAt: '2027-01-01T00:00:00Z',
        },
        { vulnId: 'CVE-2099-0001', purl: 'pkg:npm/left-pad', status: 'fixed' },
      ];
      for (const body of decisions) {
        const d = await s.request('POST', '/api/v1/triage', { token: analyst.token, body });
        assert.equal(d.status, 201, d.text);
      }
    });
    after(async () => {
      await s?.close();
      await done?.();
    });

    const exportVex = async (q: string) => {
      const r = await s.request('GET', `/api/v1/vex${q}`, { token: viewer.token });
      assert.equal(r.status, 200, r.text);
      return r.body;
    };
    const importVex = (body: unknown, q = '', token = analyst.token) =>
      s.request('POST', `/api/v1/vex${q}`, { token, body });

    it('exports every decision as OpenVEX 0.2.0 and CycloneDX 1.6 VEX, each valid by its schema', async () => {
      const ov = (await exportVex('?format=openvex')) as OpenVexDoc;
      assert.equal(openVexErrors(ov), null);
      const byVuln = new Map(ov.statements.map((x) => [x.vulnerability.name, x]));
      assert.deepEqual([...byVuln.keys()].sort(), [
        'CVE-2022-1664',
        'CVE-2099-0001',
        'DSA-5197-1',
        'DSA-5330-1',
      ]);
      const dpkg = byVuln.get('CVE-2022-1664')!;
      assert.equal(
        dpkg.products![0]!['@id'],
        ociPurl(image.repository, image.digest, image.tag || undefined),
      );
      assert.deepEqual(dpkg.products![0]!.subcomponents, [
        { '@id': 'pkg:deb/debian/dpkg', identifiers: { purl: 'pkg:deb/debian/dpkg' } },
      ]);
      // a name-only decision is named by the purls its findings had; a repository has no digest
      const curl = byVuln.get('DSA-5197-1')!;
      assert.equal(curl.products![0]!['@id'], ociPurl(image.repository));
      assert.deepEqual(
        curl.products![0]!.subcomponents!.map((c) => c['@id']),
        ['pkg:deb/debian/curl'],
      );
      // accepted risk: affected, with the acceptance as the action
      assert.equal(byVuln.get('DSA-5330-1')!.status, 'affected');
      assert.match(byVuln.get('DSA-5330-1')!.action_statement!, /team-web.*2027-01-01/);
      assert.equal(byVuln.get('CVE-2099-0001')!.products![0]!['@id'], 'pkg:npm/left-pad');

      const cdx = await exportVex('?format=cyclonedx');
      assert.equal(await cycloneDxErrors(cdx), null);
      assert.equal((cdx as { vulnerabilities: unknown[] }).vulnerabilities.length, 4);
    });

    it('exports the decisions applying to one image, per open finding with exact purls', async () => {
      const ov = (await exportVex(`?format=openvex&image=${image.id}`)) as OpenVexDoc;
      assert.equal(openVexErrors(ov), null);
      const vulns = ov.statements.map((x) => x.vulnerability.name).sort();
      assert.ok(vulns.includes('CVE-2022-1664') && vulns.includes('DSA-5197-1'));
      assert.ok(!vulns.includes('CVE-2099-0001'), 'no finding of the image has it');
      const dpkg = ov.statements.find((x) => x.vulnerability.name === 'CVE-2022-1664')!;
      assert.match(dpkg.products![0]!.subcomponents![0]!['@id'], /^pkg:deb\/debian\/dpkg@/);
      const curl = ov.statements.find((x) => x.vulnerability.name === 'DSA-5197-1')!;
      assert.deepEqual(
        curl.products![0]!.subcomponents!.map((c) => c['@id']),
        [curlPurl],
      );
      assert.equal(await cycloneDxErrors(await exportVex(`?format=cyclonedx&image=${image.id}`)), null);
      assert.equal((await s.request('GET', '/api/v1/vex?image=999999', { token: viewer.token })).status, 404);
    });

    it('imports its own export without duplicates, and another tool’s CycloneDX VEX by image digest', async () => {
      const ov = await exportVex('?format=openvex');
      const again = await importVex(ov);
      assert.equal(again.status, 200, again.text);
      const a = again.body as ImportResult;
      // nothing changed; the accepted risk (exported as affected) stays an acceptance
      assert.deepEqual([a.created, a.updated, a.unchanged, a.skipped], [[], [], 4, 0], again.text);
      const acc = await s.request('GET', '/api/v1/triage?vulnId=DSA-5330-1', { token: viewer.token });
      const [kept] = (acc.body as { decisions: { status: string; owner: string }[] }).decisions;
      assert.deepEqual([kept!.status, kept!.owner], ['accepted_risk', 'team-web']);
      const list = await s.request('GET', '/api/v1/triage?limit=1000', { token: viewer.token });
      const before = (list.body as { decisions: unknown[] }).decisions.length;
      const third = (await importVex(ov)).body as ImportResult;
      assert.deepEqual([third.created, third.updated], [[], []]);
      const after = await s.request('GET', '/api/v1/triage?limit=1000', { token: viewer.token });
      assert.equal((after.body as { decisions: unknown[] }).decisions.length, before);

      const bom = {
        bomFormat: 'CycloneDX',
        specVersion: '1.6',
        serialNumber: 'urn:uuid:3e671687-395b-41f5-a30f-a58921a69b79',
        version: 1,
        components: [
          {
            type: 'container',
            'bom-ref': 'img',
            name: 'demo',
            purl: ociPurl(image.repository, image.digest),
            components: [
              { type: 'library', 'bom-ref': 'pkg', name: 'libcurl4', purl: 'pkg:deb/debian/libcurl4' },
            ],
          },
          {
            type: 'container',
            'bom-ref': 'other',
            name: 'x',
            purl: ociPurl('x/y', 'sha256:' + '1'.repeat(64)),
          },
        ],
        vulnerabilities: [
          {
            id: 'DSA-5197-1',
            analysis: {
              state: 'not_affected',
              justification: 'code_not_reachable',
              detail: 'libcurl unused',
            },
            affects: [{ ref: 'pkg' }],
          },
          { id: 'CVE-2022-1664', analysis: { state: 'resolved' }, affects: [{ ref: 'other' }] },
        ],
      };
      assert.equal(await cycloneDxErrors(bom), null);
      const r = await importVex(bom);
      assert.equal(r.status, 200, r.text);
      const b = r.body as ImportResult;
      assert.equal(b.created.length, 1);
      assert.ok(b.warnings.some((w) => w.code === 'VEX_PRODUCT_UNKNOWN'));
      const f = await s.request('GET', `/api/v1/images/${image.id}/findings?triage=not_affected`, {
        token: viewer.token,
      });
      const keys = (
        f.body as { findings: { vulnId: string; packageKey: string; triage: { id: number } }[] }
      ).findings
        .filter((x) => x.vulnId === 'DSA-5197-1')
        .map((x) => x.packageKey);
      assert.deepEqual(keys.length, 1);
      assert.match(keys[0]!, /\/libcurl4 /);
      const c = await s.request('GET', `/api/v1/triage/${b.created[0]}/comments`, { token: viewer.token });
      assert.match(
        (c.body as { comments: { body: string }[] }).comments[0]!.body,
        /CycloneDX VEX document urn:uuid:3e67/,
      );

      // the same target again with another status: that decision is updated, and says so
      bom.vulnerabilities[0]!.analysis = { state: 'exploitable', detail: 'reachable after all' } as never;
      const u = (await importVex(bom)).body as ImportResult;
      assert.deepEqual([u.created, u.updated], [[], b.created]);
      const d = await s.request('GET', `/api/v1/triage/${b.created[0]}`, { token: viewer.token });
      const dv = d.body as { status: string; actionStatement: string; justification: unknown; purl: string };
      assert.deepEqual(
        [dv.status, dv.actionStatement, dv.justification, dv.purl],
        ['affected', 'reachable after all', null, 'pkg:deb/debian/libcurl4'],
      );

      const log = await s.request('GET', '/api/v1/audit?action=vex.import', await s.admin());
      assert.equal((log.body as { entries: unknown[] }).entries.length, 4);
    });

    it('refuses hostile or foreign input with typed 4xx and writes nothing', async () => {
      const count = async () =>
        (
          (await s.request('GET', '/api/v1/triage?limit=1000', { token: viewer.token })).body as {
            decisions: unknown[];
          }
        ).decisions.length;
      const n = await count();
      assert.equal((await importVex({ statements: [] })).status, 400);
      assert.equal(
        ((await importVex({ a: 1 })).body as { error: { code: string } }).error.code,
        'INVALID_VEX',
      );
      const raw = await s.request('POST', '/api/v1/vex', {
        token: analyst.token,
        raw: '{"@context": "https://openvex.dev/ns',
      });
      assert.equal(raw.status, 400);
      const big = await s.request('POST', '/api/v1/vex', {
        token: analyst.token,
        raw: JSON.stringify({
          '@context': 'https://openvex.dev/ns/v0.2.0',
          pad: 'x'.repeat(17 * 1024 * 1024),
          statements: [],
        }),
      });
      assert.equal(big.status, 413);
      const many = {
        '@context': 'https://openvex.dev/ns/v0.2.0',
        statements: Array.from({ length: 20_001 }, () => ({ vulnerability: { name: 'x' }, status: 'fixed' })),
      };
      assert.equal((await importVex(many)).status, 413);
      assert.equal(
        (await importVex({ '@context': 'https://openvex.dev/ns/v0.2.0', statements: [] }, '', viewer.token))
          .status,
        403,
      );
      assert.equal(
        (await importVex({ '@context': 'https://openvex.dev/ns/v0.2.0', statements: [] }, '?image=999999'))
          .status,
        400,
      );
      const mixed = await importVex({
        '@context': 'https://openvex.dev/ns/v0.2.0',
        statements: [
          { vulnerability: { name: 'CVE-2099-0002' }, status: 'bogus' },
          {
            vulnerability: { name: 'CVE-2099-0003' },
            status: 'not_affected',
            impact_statement: 'no justification',
          },
          {
            vulnerability: { name: "'; DROP TABLE triage_decisions; --" },
            status: 'fixed',
            products: [{ '@id': 'pkg:npm/x' }],
          },
        ],
      });
      assert.equal(mixed.status, 200, mixed.text);
      const m = mixed.body as ImportResult;
      assert.deepEqual([m.created.length, m.skipped], [1, 2]);
      assert.equal(await count(), n + 1);
    });
  });
}

vexSuite('SQLite', async () => ({ backend: { kind: 'sqlite' } }));
vexSuite('PostgreSQL', async () => {
  const cluster: PostgresCluster = await startPostgres();
  const url = await cluster.newDatabase();
  return { backend: { kind: 'postgres', url }, done: () => cluster.stop() };
});
