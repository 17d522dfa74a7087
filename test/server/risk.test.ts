import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { JsonReport } from '../../src/report/index.js';
import { startPostgres, type PostgresCluster } from '../helpers/postgres.js';
import { asImage, demoDbPath, demoReport } from './fixtures.js';
import { TestServer, type Backend } from './harness.js';

type Finding = JsonReport['findings'][number];

// The demo data has no EPSS scores: these stand in for them, so the probabilities are not 0 or 1
const EPSS: Record<string, number> = { 'CVE-2022-1664': 0.4, 'CVE-2022-37434': 0.2, 'CVE-2021-23337': 0.1 };

function scored(r: JsonReport): JsonReport {
  for (const f of r.findings) if (EPSS[f.id] !== undefined) f.epss = { score: EPSS[f.id]!, percentile: 0.9 };
  return r;
}

/** The demo image's bottom layer (its Debian root filesystem) as a base image of its own. */
function baseOf(
  r: JsonReport,
  tag: string,
  drop: (f: Finding) => boolean = () => false,
  rebuilt = false,
): JsonReport {
  const out = asImage(r, tag);
  const bottom = out.target.layers[0]!.diffId;
  out.target.layers = out.target.layers.slice(0, 1);
  out.target.digest = `sha256:${Buffer.from(tag).toString('hex').padEnd(64, '0').slice(0, 64)}`;
  out.packages = out.packages.filter((p) => p.layer?.diffId === bottom);
  out.findings = out.findings.filter((f) => f.layer?.diffId === bottom && !drop(f));
  out.summary.packages = out.packages.length;
  out.summary.findings = out.findings.length;
  if (rebuilt) {
    // another release has another root filesystem layer
    const other = `sha256:${Buffer.from(`rootfs of ${tag}`).toString('hex').padEnd(64, '0').slice(0, 64)}`;
    const swap = (l: { diffId: string; digest: string } | null) => {
      if (l?.diffId === bottom) {
        l.diffId = other;
        l.digest = other;
      }
    };
    out.target.layers.forEach(swap);
    out.packages.forEach((p) => swap(p.layer));
    out.findings.forEach((f) => swap(f.layer));
  }
  return out;
}

function riskSuite(name: string, backend: () => Promise<{ backend: Backend; done?: () => Promise<void> }>) {
  describe(`risk and plans on ${name}`, () => {
    let s: TestServer;
    let done: (() => Promise<void>) | undefined;
    let viewer: Awaited<ReturnType<TestServer['userWithToken']>>;
    const ids: Record<string, number> = {};

    before(async () => {
      const b = await backend();
      done = b.done;
      s = await TestServer.start(b.backend, {
        maxReportBytes: 4 * 1024 * 1024,
        vulnDbPath: await demoDbPath(),
      });
      const analyst = await s.userWithToken('analyst');
      viewer = await s.userWithToken('viewer');
      const demo = scored(await demoReport());
      const log4j = (f: Finding) => f.package.name === 'liblog4j2-java';
      const app2 = asImage(demo, 'registry.local/team/worker:2.0');
      app2.findings = app2.findings.filter((f) => !log4j(f));
      const uploads: [string, JsonReport][] = [
        ['debian:11', baseOf(demo, 'debian:11')],
        // the next point release: dpkg and zlib fixed
        [
          'debian:11.9',
          baseOf(demo, 'debian:11.9', (f) => f.package.name === 'dpkg' || f.id === 'CVE-2022-37434', true),
        ],
        // an older release: never a bump
        ['debian:10', baseOf(demo, 'debian:10', () => false, true)],
        ['app', asImage(demo, 'registry.local/team/app:1.0')],
        ['worker', app2],
        ['broken', asImage(demo, 'registry.local/other/broken:1')],
      ];
      for (const [k, r] of uploads) {
        const up = await s.request('POST', '/api/v1/reports', { token: analyst.token, body: r });
        assert.equal(up.status, 201, `${k}: ${up.text}`);
        ids[k] = (up.body as { imageId: number }).imageId;
        if (k === 'broken')
          // a stored report that no longer reads (a bug, a bad restore): only that image suffers
          await s.store.db
            .updateTable('scans')
            .set({ report: '{"kind":"scan","target":{}}' })
            .where('id', '=', (up.body as { scanId: number }).scanId)
            .execute();
      }
    });
    after(async () => {
      await s?.close();
      await done?.();
    });

    it('explains an image: probability, contributors, base layers found by the layers shared with debian:11', async () => {
      const r = await s.request('GET', `/api/v1/images/${ids.worker}/risk?top=50`, { token: viewer.token });
      assert.equal(r.status, 200, r.text);
      const body = r.body as {
        repository: string;
        risk: {
          probability: number;
          base: { method: string; baseLayers: number; baseName: string };
          byOrigin: Record<string, { probability: number }>;
          contributors: { id: string; p: number; layer: { origin: string }; package: { name: string } }[];
        };
      };
      assert.equal(body.repository, 'registry.local/team/worker');
      assert.ok(Math.abs(body.risk.probability - (1 - 0.6 * 0.8 * 0.9)) < 1e-6);
      const debian = await s.request('GET', `/api/v1/images/${ids['debian:11']}`, { token: viewer.token });
      assert.deepEqual(body.risk.base, {
        method: 'shared-prefix',
        baseLayers: 1,
        baseName: 'docker.io/library/debian:11',
        baseDigest: (debian.body as { digest: string }).digest,
      });
      assert.deepEqual(
        body.risk.contributors.slice(0, 3).map((c) => [c.id, c.layer.origin]),
        [
          ['CVE-2022-1664', 'base'],
          ['CVE-2022-37434', 'base'],
          ['CVE-2021-23337', 'own'],
        ],
      );
      assert.ok(Math.abs(body.risk.byOrigin.base!.probability - (1 - 0.6 * 0.8)) < 1e-6);
      assert.equal(body.risk.byOrigin.own!.probability, 0.1);
      // the base itself has no base: its layers are shared with no image of another repository as a prefix of its own
      const base = await s.request('GET', `/api/v1/images/${ids['debian:11']}/risk`, { token: viewer.token });
      assert.equal((base.body as { risk: { base: { method: string } } }).risk.base.method, 'none');
    });

    it('ranks the portfolio by risk, filters by repository, pages', async () => {
      const r = await s.request('GET', '/api/v1/risk', { token: viewer.token });
      assert.equal(r.status, 200, r.text);
      const body = r.body as {
        total: number;
        images: { imageId: number; probability: number; kev: number }[];
      };
      assert.equal(body.total, 5);
      assert.deepEqual(
        body.images.map((i) => i.imageId),
        [ids.app, ids.worker, ids['debian:10'], ids['debian:11'], ids['debian:11.9']],
      );
      assert.equal(body.images[0]!.probability, 1);
      assert.equal(body.images[0]!.kev, 2);
      assert.deepEqual(
        (r.body as { skipped: { imageId: number; code: string }[] }).skipped.map((x) => [x.imageId, x.code]),
        [[ids.broken, 'MALFORMED_INPUT']],
      );
      // the risk facts of each latest scan are stored once and read back the same
      const stored = await s.store.db.selectFrom('scan_risk').select('scan_id').execute();
      assert.equal(stored.length, 5);
      assert.deepEqual((await s.request('GET', '/api/v1/risk', { token: viewer.token })).body, r.body);
      const team = await s.request('GET', '/api/v1/risk?repository=team/&limit=1&offset=1', {
        token: viewer.token,
      });
      assert.deepEqual(
        (team.body as { total: number; images: { imageId: number }[] }).images.map((i) => i.imageId),
        [ids.worker],
      );
      assert.equal((team.body as { total: number }).total, 2);
      for (const bad of ["' OR '1'='1", '%', '_'])
        assert.equal(
          (
            (
              await s.request('GET', `/api/v1/risk?repository=${encodeURIComponent(bad)}`, {
                token: viewer.token,
              })
            ).body as { total: number }
          ).total,
          0,
          bad,
        );
    });

    it('plans an image as bulwark plan does, with the base-image bump that removes the most risk', async () => {
      const r = await s.request('GET', `/api/v1/images/${ids.worker}/plan`, { token: viewer.token });
      assert.equal(r.status, 200, r.text);
      const doc = r.body as {
        kind: string;
        basis: string;
        plan: { steps: { name: string; target: string; command: string; origins: string[] }[] };
        baseImage: {
          current: { name: string };
          candidates: {
            name: string;
            probabilityAfter: number;
            riskRemoved: number;
            findingsRemoved: number;
          }[];
          best: string;
        };
      };
      assert.equal(doc.kind, 'plan');
      assert.equal(doc.basis, 'database');
      const dpkg = doc.plan.steps.find((x) => x.name === 'dpkg')!;
      assert.equal(dpkg.command, 'apt-get install dpkg=1.20.10');
      assert.deepEqual(dpkg.origins, ['base']);
      assert.equal(doc.plan.steps[0]!.name, 'dpkg', 'the largest EPSS first');
      assert.equal(doc.baseImage.current.name, 'docker.io/library/debian:11');
      assert.deepEqual(
        doc.baseImage.candidates.map((c) => c.name),
        ['docker.io/library/debian:11.9'],
        'debian:10 is older: no bump',
      );
      assert.equal(doc.baseImage.best, 'docker.io/library/debian:11.9');
      const c = doc.baseImage.candidates[0]!;
      assert.ok(Math.abs(c.probabilityAfter - 0.1) < 1e-6);
      assert.ok(Math.abs(c.riskRemoved - (1 - 0.6 * 0.8 * 0.9 - 0.1)) < 1e-6);
      assert.equal(c.findingsRemoved, 2);
    });

    it('refuses the unauthenticated, unknown images and bad parameters', async () => {
      assert.equal((await s.request('GET', `/api/v1/images/${ids.app}/risk`)).status, 401);
      assert.equal((await s.request('GET', '/api/v1/risk')).status, 401);
      assert.equal(
        (await s.request('GET', '/api/v1/images/999999/plan', { token: viewer.token })).status,
        404,
      );
      assert.equal((await s.request('GET', '/api/v1/images/abc/risk', { token: viewer.token })).status, 400);
      assert.equal((await s.request('GET', '/api/v1/risk?limit=0', { token: viewer.token })).status, 400);
      assert.equal(
        (await s.request('GET', `/api/v1/images/${ids.app}/risk?top=x`, { token: viewer.token })).status,
        400,
      );
      assert.ok(s.checked > 10);
    });

    it('leaves out findings triaged closed: not_affected lowers the risk, so does an acceptance until it expires', async () => {
      const analyst = await s.userWithToken('analyst');
      const risk = async () =>
        (
          (await s.request('GET', `/api/v1/images/${ids.worker}/risk`, { token: viewer.token })).body as {
            risk: { probability: number };
          }
        ).risk.probability;
      assert.ok(Math.abs((await risk()) - (1 - 0.6 * 0.8 * 0.9)) < 1e-6);
      const na = await s.request('POST', '/api/v1/triage', {
        token: analyst.token,
        body: {
          vulnId: 'CVE-2022-1664',
          status: 'not_affected',
          justification: 'vulnerable_code_not_in_execute_path',
          scope: 'image',
          imageId: ids.worker,
        },
      });
      assert.equal(na.status, 201, na.text);
      assert.ok(Math.abs((await risk()) - (1 - 0.8 * 0.9)) < 1e-6, 'dpkg no longer counts');
      const accepted = await s.request('POST', '/api/v1/triage', {
        token: analyst.token,
        body: {
          vulnId: 'CVE-2022-37434',
          status: 'accepted_risk',
          owner: 'platform',
          reason: 'until the rebuild',
          expiresAt: '2999-01-01T00:00:00Z',
          scope: 'image',
          imageId: ids.worker,
        },
      });
      assert.equal(accepted.status, 201, accepted.text);
      assert.ok(Math.abs((await risk()) - (1 - 0.9)) < 1e-6, 'zlib is accepted');
    });
  });
}

riskSuite('SQLite', async () => ({ backend: { kind: 'sqlite' } }));

riskSuite('PostgreSQL', async () => {
  const cluster: PostgresCluster = await startPostgres();
  return { backend: { kind: 'postgres', url: await cluster.newDatabase() }, done: () => cluster.stop() };
});
