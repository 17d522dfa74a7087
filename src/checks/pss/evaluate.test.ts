import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { isBulwarkError } from '../../core/errors.js';
import { activeChecks, evaluatePod, LATEST_MINOR, parsePssVersion } from './index.js';
import type { PodLike } from './index.js';

function pod(spec: Record<string, unknown>, metadata: Record<string, unknown> = {}): PodLike {
  return { metadata, spec: { containers: [{ name: 'app', image: 'nginx' }], ...spec } };
}

const restrictedOk = {
  securityContext: { runAsNonRoot: true, seccompProfile: { type: 'RuntimeDefault' } },
  containers: [
    {
      name: 'app',
      image: 'nginx',
      securityContext: { allowPrivilegeEscalation: false, capabilities: { drop: ['ALL'] } },
    },
  ],
};

function controls(p: PodLike, level: 'baseline' | 'restricted', version: string): string[] {
  return evaluatePod(p, level, version).violations.map((v) => v.control);
}

describe('evaluatePod versions', () => {
  it('latest is the newest defined policy and newer versions clamp to it', () => {
    assert.equal(LATEST_MINOR, 37);
    assert.equal(parsePssVersion('latest'), 37);
    assert.equal(parsePssVersion('v1.99'), 37);
    assert.equal(evaluatePod(pod({}), 'baseline', 'latest').version, 'v1.37');
  });

  it('rejects malformed versions with USAGE', () => {
    for (const v of ['1', 'v2.1', 'v1.x', '']) {
      assert.throws(
        () => parsePssVersion(v),
        (e) => isBulwarkError(e) && e.code === 'USAGE',
      );
    }
  });

  it('grows the safe sysctl list at 1.27, 1.29, 1.32 and 1.37', () => {
    const sc = (name: string) => pod({ securityContext: { sysctls: [{ name, value: '1' }] } });
    const table: [string, string, boolean][] = [
      ['net.ipv4.ip_local_reserved_ports', 'v1.26', false],
      ['net.ipv4.ip_local_reserved_ports', 'v1.27', true],
      ['net.ipv4.tcp_fin_timeout', 'v1.28', false],
      ['net.ipv4.tcp_fin_timeout', 'v1.29', true],
      ['net.ipv4.tcp_rmem', 'v1.31', false],
      ['net.ipv4.tcp_rmem', 'v1.32', true],
      ['net.ipv4.tcp_notsent_lowat', 'v1.36', false],
      ['net.ipv4.tcp_notsent_lowat', 'v1.37', true],
      ['kernel.msgmax', 'latest', false],
    ];
    for (const [name, version, allowed] of table)
      assert.equal(evaluatePod(sc(name), 'baseline', version).allowed, allowed, `${name}@${version}`);
  });

  it('allows container_engine_t from 1.31', () => {
    const p = pod({ securityContext: { seLinuxOptions: { type: 'container_engine_t' } } });
    assert.deepEqual(controls(p, 'baseline', 'v1.30'), ['seLinuxOptions']);
    assert.deepEqual(controls(p, 'baseline', 'v1.31'), []);
  });

  it('checks seccomp annotations before 1.19 and fields from 1.19', () => {
    const ann = pod({}, { annotations: { 'seccomp.security.alpha.kubernetes.io/pod': 'unconfined' } });
    const field = pod({ securityContext: { seccompProfile: { type: 'Unconfined' } } });
    assert.deepEqual(controls(ann, 'baseline', 'v1.18'), ['seccompProfile_baseline']);
    assert.deepEqual(controls(ann, 'baseline', 'v1.19'), []);
    assert.deepEqual(controls(field, 'baseline', 'v1.18'), []);
    assert.deepEqual(controls(field, 'baseline', 'v1.19'), ['seccompProfile_baseline']);
    // container annotations count only for containers the pod has, as in PSA
    const other = pod(
      {},
      { annotations: { 'container.seccomp.security.alpha.kubernetes.io/gone': 'unconfined' } },
    );
    assert.deepEqual(controls(other, 'baseline', 'v1.18'), []);
    const app = pod(
      {},
      { annotations: { 'container.seccomp.security.alpha.kubernetes.io/app': 'unconfined' } },
    );
    assert.equal(
      evaluatePod(app, 'baseline', 'v1.18').violations[0]?.detail,
      'forbidden annotation container.seccomp.security.alpha.kubernetes.io/app="unconfined"',
    );
  });

  it('restricted replaces overridden baseline checks only from the overriding version', () => {
    const ids = (minor: number) => activeChecks('restricted', minor).map((c) => c.id);
    assert.ok(ids(21).includes('capabilities_baseline'));
    assert.ok(!ids(22).includes('capabilities_baseline'));
    assert.ok(ids(22).includes('capabilities_restricted'));
    assert.ok(!ids(0).includes('hostPathVolumes'));
    assert.ok(ids(34).includes('procMount') && !ids(35).includes('procMount'));
    assert.ok(!ids(7).includes('allowPrivilegeEscalation') && ids(8).includes('allowPrivilegeEscalation'));
  });

  it('restricted includes baseline: a privileged pod fails both', () => {
    const sc = { allowPrivilegeEscalation: false, capabilities: { drop: ['ALL'] }, privileged: true };
    const p = pod({ ...restrictedOk, containers: [{ name: 'app', image: 'nginx', securityContext: sc }] });
    assert.deepEqual(controls(p, 'restricted', 'latest'), ['privileged']);
    assert.deepEqual(controls(p, 'baseline', 'latest'), ['privileged']);
    assert.deepEqual(controls(pod(restrictedOk), 'restricted', 'latest'), []);
  });

  it('exempts Windows pods from the Linux-only restricted checks from 1.25', () => {
    const win = pod({ os: { name: 'windows' }, securityContext: { runAsNonRoot: true } });
    assert.deepEqual(controls(win, 'restricted', 'v1.24'), [
      'allowPrivilegeEscalation',
      'capabilities_restricted',
      'seccompProfile_restricted',
    ]);
    assert.deepEqual(controls(win, 'restricted', 'v1.25'), []);
  });

  it('relaxes runAsNonRoot, runAsUser and baseline procMount for user-namespace pods from 1.35', () => {
    const p = pod({
      ...restrictedOk,
      hostUsers: false,
      securityContext: { runAsUser: 0, seccompProfile: { type: 'RuntimeDefault' } },
    });
    assert.deepEqual(controls(p, 'restricted', 'v1.34'), ['runAsNonRoot', 'runAsUser']);
    assert.deepEqual(controls(p, 'restricted', 'v1.35'), []);
    assert.deepEqual(evaluatePod(p, 'restricted', 'v1.34', { relaxForUserNamespaces: true }).violations, []);
  });

  it('allows image volumes under restricted at every version', () => {
    const p = pod({ ...restrictedOk, volumes: [{ name: 'v', image: { reference: 'x' } }] });
    assert.deepEqual(controls(p, 'restricted', 'v1.0'), []);
    assert.deepEqual(controls(p, 'restricted', 'latest'), []);
  });

  it('forbids any probe or lifecycle host from 1.34 and reports PSA detail text', () => {
    const p = pod({
      containers: [
        { name: 'a', image: 'x', lifecycle: { preStop: { httpGet: { host: 'evil', port: 80 } } } },
        { name: 'b', image: 'x', readinessProbe: { tcpSocket: { host: '10.0.0.1', port: 1 } } },
      ],
    });
    assert.equal(evaluatePod(p, 'baseline', 'v1.33').allowed, true);
    const [v] = evaluatePod(p, 'baseline', 'v1.34').violations;
    assert.equal(v?.control, 'hostProbesAndHostLifecycle');
    assert.equal(v?.detail, 'containers "a", "b" use probe or lifecycle hosts "10.0.0.1", "evil"');
    assert.equal(v?.field, 'spec.containers[0].lifecycle.preStop.httpGet.host');
  });

  it('names offending fields, annotations included', () => {
    const p = pod(
      {},
      { annotations: { 'container.apparmor.security.beta.kubernetes.io/app': 'unconfined' } },
    );
    const [v] = evaluatePod(p, 'baseline').violations;
    assert.equal(v?.control, 'appArmorProfile');
    assert.equal(v?.field, 'metadata.annotations["container.apparmor.security.beta.kubernetes.io/app"]');
    assert.deepEqual(v?.paths, [
      ['metadata', 'annotations', 'container.apparmor.security.beta.kubernetes.io/app'],
    ]);
  });
});
