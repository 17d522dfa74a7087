import assert from 'node:assert/strict';
import { it } from 'node:test';
import { ruleTester, testedRuleIds } from '../../../src/checks/testing.js';
import { parseKubernetesInput, rules } from '../../../src/checks/rules/kubernetes/index.js';
import type { Rule } from '../../../src/checks/types.js';
import type { K8sObject } from '../../../src/checks/kubernetes/index.js';

// A pod every Kubernetes rule accepts; invalid cases change one thing in it. Line numbers in the
// expectations refer to this text (containers start at line 13, the container's
// securityContext at line 18).
const GOOD = `apiVersion: v1
kind: Pod
metadata:
  name: good
  namespace: shop
spec:
  automountServiceAccountToken: false
  securityContext:
    runAsNonRoot: true
    seccompProfile:
      type: RuntimeDefault
  containers:
    - name: app
      image: registry.example/app:1.0@sha256:0000000000000000000000000000000000000000000000000000000000000000
      resources:
        limits: { cpu: 500m, memory: 128Mi }
        requests: { cpu: 100m, memory: 64Mi }
      securityContext:
        allowPrivilegeEscalation: false
        readOnlyRootFilesystem: true
        capabilities:
          drop: [ALL]
`;

function good(edit?: (s: string) => string): string {
  if (!edit) return GOOD;
  const out = edit(GOOD);
  if (out === GOOD) throw new Error('edit changed nothing');
  return out;
}

const addToContainerSc = (extra: string) => (s: string) =>
  s.replace('        readOnlyRootFilesystem: true\n', `        readOnlyRootFilesystem: true\n${extra}`);
const addToPodSpec = (extra: string) => (s: string) =>
  s.replace('  automountServiceAccountToken: false\n', `  automountServiceAccountToken: false\n${extra}`);
const addToPodSc = (extra: string) => (s: string) =>
  s.replace('    runAsNonRoot: true\n', `    runAsNonRoot: true\n${extra}`);

const byId = new Map(rules.map((r) => [r.meta.id.slice('kubernetes/'.length), r as Rule<K8sObject>]));
function rule(name: string): Rule<K8sObject> {
  const r = byId.get(name);
  if (!r) throw new Error(`no rule ${name}`);
  return r;
}

const tester = ruleTester(parseKubernetesInput, 'pod.yaml');

tester.run(rule('pss-privileged'), {
  valid: [good()],
  invalid: [
    {
      code: good(addToContainerSc('        privileged: true\n')),
      errors: [
        {
          messageId: 'violation',
          line: 21,
          column: 9,
          field: 'spec.containers[0].securityContext.privileged',
        },
      ],
    },
    {
      name: 'init container of a CronJob',
      code: `apiVersion: batch/v1
kind: CronJob
metadata: { name: c, namespace: ops }
spec:
  schedule: "@daily"
  jobTemplate:
    spec:
      template:
        spec:
          initContainers:
            - name: setup
              image: busybox
              securityContext: { privileged: true }
`,
      errors: [{ messageId: 'violation', line: 13, column: 34 }],
    },
  ],
});

tester.run(rule('pss-host-namespaces'), {
  valid: [good(addToPodSpec('  hostNetwork: false\n'))],
  invalid: [
    {
      name: 'one violation naming both fields, as PSA reports it',
      code: good(addToPodSpec('  hostNetwork: true\n  hostPID: true\n')),
      errors: [
        {
          messageId: 'violation',
          line: 8,
          column: 3,
          data: {
            object: 'Pod/good',
            control: 'hostNamespaces',
            level: 'baseline',
            reason: 'host namespaces',
            detail: 'hostNetwork=true, hostPID=true',
          },
        },
      ],
    },
    {
      code: good(addToPodSpec('  hostIPC: true\n')),
      errors: [{ messageId: 'violation', line: 8, column: 3 }],
    },
  ],
});

tester.run(rule('pss-host-ports'), {
  valid: [
    good((s) => s.replace('      resources:\n', '      ports: [{ containerPort: 80 }]\n      resources:\n')),
  ],
  invalid: [
    {
      code: good((s) =>
        s.replace(
          '      resources:\n',
          '      ports:\n        - containerPort: 80\n          hostPort: 8080\n      resources:\n',
        ),
      ),
      errors: [{ messageId: 'violation', line: 17, column: 11 }],
    },
  ],
});

const hostPathVolume = (path: string) =>
  addToPodSpec(`  volumes:\n    - name: host\n      hostPath:\n        path: ${path}\n`);

tester.run(rule('pss-host-path-volumes'), {
  valid: [good(addToPodSpec('  volumes:\n    - name: tmp\n      emptyDir: {}\n'))],
  invalid: [
    { code: good(hostPathVolume('/etc')), errors: [{ messageId: 'violation', line: 10, column: 7 }] },
  ],
});

tester.run(rule('pss-restricted-volumes'), {
  valid: [
    good(
      addToPodSpec('  volumes:\n    - name: img\n      image: { reference: "registry.example/data:1" }\n'),
    ),
  ],
  invalid: [
    {
      code: good(addToPodSpec('  volumes:\n    - name: nfs\n      nfs: { server: nas, path: /x }\n')),
      errors: [{ messageId: 'violation', line: 10, column: 7 }],
    },
  ],
});

tester.run(rule('pss-windows-host-process'), {
  valid: [good()],
  invalid: [
    {
      code: good(addToPodSc('    windowsOptions:\n      hostProcess: true\n')),
      errors: [{ messageId: 'violation', line: 11, column: 7 }],
    },
  ],
});

tester.run(rule('pss-capabilities-baseline'), {
  valid: [
    good((s) =>
      s.replace(
        '          drop: [ALL]\n',
        '          drop: [ALL]\n          add: [NET_BIND_SERVICE, CHOWN]\n',
      ),
    ),
  ],
  invalid: [
    {
      code: good((s) =>
        s.replace('          drop: [ALL]\n', '          drop: [ALL]\n          add: [CHOWN, SYS_ADMIN]\n'),
      ),
      errors: [{ messageId: 'violation', line: 23, column: 24 }],
    },
  ],
});

tester.run(rule('pss-capabilities-restricted'), {
  valid: [
    good((s) =>
      s.replace('          drop: [ALL]\n', '          drop: [ALL]\n          add: [NET_BIND_SERVICE]\n'),
    ),
  ],
  invalid: [
    {
      code: good((s) => s.replace('          drop: [ALL]\n', '          drop: [NET_RAW]\n')),
      errors: [{ messageId: 'violation', line: 21, column: 9 }],
    },
  ],
});

tester.run(rule('pss-app-armor-profile'), {
  valid: [good(addToPodSc('    appArmorProfile: { type: RuntimeDefault }\n'))],
  invalid: [
    {
      code: good((s) =>
        s.replace(
          '  name: good\n',
          '  name: good\n  annotations:\n    container.apparmor.security.beta.kubernetes.io/app: unconfined\n',
        ),
      ),
      errors: [{ messageId: 'violation', line: 6, column: 5 }],
    },
    {
      code: good(addToPodSc('    appArmorProfile:\n      type: Unconfined\n')),
      errors: [{ messageId: 'violation', line: 11, column: 7 }],
    },
  ],
});

tester.run(rule('pss-se-linux-options'), {
  valid: [good(addToPodSc('    seLinuxOptions: { type: container_t, level: "s0:c1,c2" }\n'))],
  invalid: [
    {
      code: good(addToPodSc('    seLinuxOptions:\n      type: spc_t\n')),
      errors: [{ messageId: 'violation', line: 11, column: 7 }],
    },
  ],
});

tester.run(rule('pss-proc-mount'), {
  valid: [good(addToContainerSc('        procMount: Default\n'))],
  invalid: [
    {
      code: good(addToContainerSc('        procMount: Unmasked\n')),
      errors: [{ messageId: 'violation', line: 21, column: 9 }],
    },
  ],
});

tester.run(rule('pss-proc-mount-restricted'), {
  valid: [good()],
  invalid: [
    {
      code: good((s) =>
        addToContainerSc('        procMount: Unmasked\n')(addToPodSpec('  hostUsers: false\n')(s)),
      ),
      errors: [{ messageId: 'violation', line: 22, column: 9 }],
    },
  ],
});

tester.run(rule('pss-seccomp-profile-baseline'), {
  valid: [good()],
  invalid: [
    {
      code: good((s) => s.replace('      type: RuntimeDefault\n', '      type: Unconfined\n')),
      errors: [{ messageId: 'violation', line: 11, column: 7 }],
    },
    {
      name: 'policy v1.18 reads the annotation',
      settings: { pssVersion: 'v1.18' },
      code: good((s) =>
        s.replace(
          '  name: good\n',
          '  name: good\n  annotations:\n    seccomp.security.alpha.kubernetes.io/pod: unconfined\n',
        ),
      ),
      errors: [{ messageId: 'violation', line: 6, column: 5 }],
    },
  ],
});

tester.run(rule('pss-seccomp-profile-restricted'), {
  valid: [good()],
  invalid: [
    {
      code: good((s) => s.replace('    seccompProfile:\n      type: RuntimeDefault\n', '')),
      errors: [{ messageId: 'violation', line: 16, column: 7 }],
    },
  ],
});

tester.run(rule('pss-sysctls'), {
  valid: [good(addToPodSc('    sysctls: [{ name: net.ipv4.tcp_syncookies, value: "1" }]\n'))],
  invalid: [
    {
      code: good(addToPodSc('    sysctls:\n      - name: kernel.msgmax\n        value: "65536"\n')),
      errors: [{ messageId: 'violation', line: 11, column: 9 }],
    },
    {
      name: 'tcp_rmem is unsafe before policy v1.32',
      settings: { pssVersion: 'v1.31' },
      code: good(
        addToPodSc('    sysctls:\n      - name: net.ipv4.tcp_rmem\n        value: "4096 87380 16777216"\n'),
      ),
      errors: [{ messageId: 'violation', line: 11, column: 9 }],
    },
  ],
});

tester.run(rule('pss-host-probes-and-host-lifecycle'), {
  valid: [
    good((s) =>
      s.replace(
        '      resources:\n',
        '      livenessProbe: { httpGet: { port: 8080, path: /healthz } }\n      resources:\n',
      ),
    ),
  ],
  invalid: [
    {
      code: good((s) =>
        s.replace(
          '      resources:\n',
          '      livenessProbe:\n        httpGet: { host: 169.254.169.254, port: 80 }\n      resources:\n',
        ),
      ),
      errors: [{ messageId: 'violation', line: 16, column: 20 }],
    },
  ],
});

tester.run(rule('pss-allow-privilege-escalation'), {
  valid: [good()],
  invalid: [
    {
      code: good((s) =>
        s.replace('        allowPrivilegeEscalation: false\n', '        allowPrivilegeEscalation: true\n'),
      ),
      errors: [{ messageId: 'violation', line: 19, column: 9 }],
    },
  ],
});

tester.run(rule('pss-run-as-non-root'), {
  valid: [good()],
  invalid: [
    {
      code: good((s) => s.replace('    runAsNonRoot: true\n', '    runAsNonRoot: false\n')),
      errors: [{ messageId: 'violation', line: 9, column: 5 }],
    },
  ],
});

tester.run(rule('pss-run-as-user'), {
  valid: [good(addToPodSc('    runAsUser: 1000\n'))],
  invalid: [
    {
      code: good(addToContainerSc('        runAsUser: 0\n')),
      errors: [{ messageId: 'violation', line: 21, column: 9 }],
    },
  ],
});

tester.run(rule('resources-missing'), {
  valid: [good()],
  invalid: [
    {
      code: good((s) => s.replace('        requests: { cpu: 100m, memory: 64Mi }\n', '')),
      errors: [
        { messageId: 'missingCpuRequest', line: 15, column: 7 },
        { messageId: 'missingMemoryRequest', line: 15, column: 7 },
      ],
    },
    {
      name: 'no resources at all',
      code: good((s) => s.replace(/ {6}resources:\n.*\n.*\n/, '')),
      errors: [
        { messageId: 'missingCpuLimit', line: 13, column: 7 },
        { messageId: 'missingMemoryLimit', line: 13, column: 7 },
        { messageId: 'missingCpuRequest', line: 13, column: 7 },
        { messageId: 'missingMemoryRequest', line: 13, column: 7 },
      ],
    },
  ],
});

tester.run(rule('read-only-root-filesystem'), {
  valid: [good()],
  invalid: [
    {
      code: good((s) =>
        s.replace('        readOnlyRootFilesystem: true\n', '        readOnlyRootFilesystem: false\n'),
      ),
      errors: [{ messageId: 'writable', line: 20, column: 9 }],
    },
    {
      name: 'field missing: points at the securityContext',
      code: good((s) => s.replace('        readOnlyRootFilesystem: true\n', '')),
      errors: [{ messageId: 'writable', line: 18, column: 7 }],
    },
  ],
});

tester.run(rule('service-account-token-automount'), {
  valid: [
    good(),
    'apiVersion: v1\nkind: ServiceAccount\nmetadata: { name: sa }\nautomountServiceAccountToken: false\n',
  ],
  invalid: [
    {
      code: good((s) =>
        s.replace('  automountServiceAccountToken: false\n', '  automountServiceAccountToken: true\n'),
      ),
      errors: [{ messageId: 'automount', line: 7, column: 3 }],
    },
    {
      code: 'apiVersion: v1\nkind: ServiceAccount\nmetadata: { name: sa }\n',
      errors: [{ messageId: 'serviceAccount', line: 1, column: 1 }],
    },
  ],
});

const withImage = (image: string) => (s: string) => s.replace(/image: .*\n/, `image: ${image}\n`);

tester.run(rule('image-latest-tag'), {
  valid: [
    good(withImage('nginx:1.27')),
    good(withImage('localhost:5000/nginx'.concat('@sha256:', '1'.repeat(64)))),
  ],
  invalid: [
    { code: good(withImage('nginx:latest')), errors: [{ messageId: 'latest', line: 14, column: 7 }] },
    {
      code: good(withImage('localhost:5000/team/nginx')),
      errors: [{ messageId: 'untagged', line: 14, column: 7 }],
    },
  ],
});

tester.run(rule('image-not-pinned-by-digest'), {
  valid: [good()],
  invalid: [
    { code: good(withImage('nginx:1.27')), errors: [{ messageId: 'noDigest', line: 14, column: 7 }] },
  ],
});

tester.run(rule('host-path-runtime-socket'), {
  valid: [good(hostPathVolume('/var/log'))],
  invalid: [
    {
      code: good(hostPathVolume('/var/run/docker.sock')),
      errors: [{ messageId: 'socket', line: 11, column: 9 }],
    },
    {
      code: good(hostPathVolume('/run/containerd/containerd.sock')),
      errors: [{ messageId: 'socket', line: 11, column: 9 }],
    },
    {
      code: good(hostPathVolume('/var/run/crio/crio.sock')),
      errors: [{ messageId: 'socket', line: 11, column: 9 }],
    },
    { code: good(hostPathVolume('/var/run/')), errors: [{ messageId: 'parent', line: 11, column: 9 }] },
  ],
});

tester.run(rule('secret-env-literal'), {
  valid: [
    good((s) =>
      s.replace(
        '      resources:\n',
        '      env:\n        - name: LOG_LEVEL\n          value: debug\n        - name: DB_PASSWORD\n          valueFrom: { secretKeyRef: { name: db, key: password } }\n      resources:\n',
      ),
    ),
  ],
  invalid: [
    {
      code: good((s) =>
        s.replace(
          '      resources:\n',
          '      env:\n        - name: DB_PASSWORD\n          value: hunter2\n        - name: API_KEY\n          value: "abc123"\n      resources:\n',
        ),
      ),
      errors: [
        { messageId: 'literal', line: 17, column: 11 },
        { messageId: 'literal', line: 19, column: 11 },
      ],
    },
  ],
});

tester.run(rule('rbac-wildcard'), {
  valid: [
    'apiVersion: rbac.authorization.k8s.io/v1\nkind: Role\nmetadata: { name: r }\nrules:\n  - apiGroups: [""]\n    resources: [pods]\n    verbs: [get, list]\n',
  ],
  invalid: [
    {
      code: 'apiVersion: rbac.authorization.k8s.io/v1\nkind: ClusterRole\nmetadata: { name: r }\nrules:\n  - apiGroups: ["*"]\n    resources: ["*"]\n    verbs: ["*"]\n',
      errors: [
        { messageId: 'resources', line: 6, column: 17 },
        { messageId: 'verbs', line: 7, column: 13 },
      ],
    },
  ],
});

tester.run(rule('rbac-cluster-admin-binding'), {
  valid: [
    'apiVersion: rbac.authorization.k8s.io/v1\nkind: RoleBinding\nmetadata: { name: b }\nroleRef: { apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: view }\nsubjects: [{ kind: User, name: amy }]\n',
  ],
  invalid: [
    {
      code: 'apiVersion: rbac.authorization.k8s.io/v1\nkind: ClusterRoleBinding\nmetadata:\n  name: b\nroleRef:\n  apiGroup: rbac.authorization.k8s.io\n  kind: ClusterRole\n  name: cluster-admin\nsubjects:\n  - kind: ServiceAccount\n    name: ci\n    namespace: build\n',
      errors: [
        {
          messageId: 'clusterAdmin',
          line: 8,
          column: 3,
          data: { object: 'ClusterRoleBinding/b', subjects: 'ServiceAccount/ci' },
        },
      ],
    },
  ],
});

tester.run(rule('service-exposed'), {
  valid: [
    'apiVersion: v1\nkind: Service\nmetadata: { name: s }\nspec:\n  type: ClusterIP\n  ports: [{ port: 80 }]\n',
    'apiVersion: v1\nkind: Service\nmetadata: { name: s }\nspec:\n  type: LoadBalancer\n  loadBalancerSourceRanges: [10.0.0.0/8]\n',
  ],
  invalid: [
    {
      code: 'apiVersion: v1\nkind: Service\nmetadata: { name: s }\nspec:\n  type: NodePort\n',
      errors: [{ messageId: 'nodePort', line: 5, column: 3 }],
    },
    {
      code: 'apiVersion: v1\nkind: Service\nmetadata: { name: s }\nspec:\n  ports: [{ port: 443 }]\n  type: LoadBalancer\n',
      errors: [{ messageId: 'loadBalancer', line: 6, column: 3 }],
    },
  ],
});

tester.run(rule('ingress-without-tls'), {
  valid: [
    'apiVersion: networking.k8s.io/v1\nkind: Ingress\nmetadata: { name: i }\nspec:\n  tls: [{ hosts: [a.example], secretName: a-tls }]\n  rules: [{ host: a.example }]\n',
  ],
  invalid: [
    {
      code: 'apiVersion: networking.k8s.io/v1\nkind: Ingress\nmetadata: { name: i }\nspec:\n  rules: [{ host: a.example }]\n',
      errors: [{ messageId: 'noTls', line: 4, column: 1 }],
    },
  ],
});

tester.run(rule('default-namespace'), {
  valid: [good()],
  invalid: [
    {
      code: good((s) => s.replace('  namespace: shop\n', '  namespace: default\n')),
      errors: [{ messageId: 'defaultNamespace', line: 5, column: 3 }],
    },
    {
      code: good((s) => s.replace('  namespace: shop\n', '')),
      errors: [{ messageId: 'noNamespace', line: 3, column: 1 }],
    },
  ],
});

it('every Kubernetes rule has valid and invalid cases', () => {
  for (const r of rules) assert.ok(testedRuleIds().has(r.meta.id), `${r.meta.id} untested`);
});

it('detects Kubernetes manifests by content, YAML and JSON alike', async () => {
  const { family } = await import('../../../src/checks/rules/kubernetes/index.js');
  assert.equal(family.matchName('deploy.yaml'), 'maybe');
  assert.equal(family.matchName('Dockerfile'), 'no');
  assert.ok(family.matchContent('apiVersion: v1\nkind: Pod\n'));
  assert.ok(family.matchContent('{"apiVersion":"v1","kind":"List","items":[]}'));
  assert.ok(family.matchContent('{\n  "kind": "Pod",\n  "apiVersion": "v1"\n}'));
  assert.ok(!family.matchContent('services:\n  web:\n    image: nginx\n'));
  assert.ok(!family.matchContent('name: ci\non: push\njobs: {}\n'));
});
