/**
 * `bulwark admission manifests`: everything a cluster needs to run the webhook, as one YAML
 * stream: namespace, ServiceAccount, least-privilege RBAC, the TLS Secret and policy ConfigMap,
 * Deployment, Service, and the Validating/MutatingWebhookConfiguration with the CA bundle.
 * The webhook's own namespace and kube-system are never sent to it (a broken webhook must not
 * lock the cluster out of repairing it).
 */
import { stringify } from 'yaml';

export interface ManifestOptions {
  namespace: string;
  service: string;
  image: string;
  replicas?: number;
  caCertPem: string;
  certPem: string;
  keyPem: string;
  policyYaml: string;
  failurePolicy: 'open' | 'closed';
  timeoutSeconds?: number;
  mutate?: boolean;
  /** audit-only: the webhook admits everything and reports what the policy would deny */
  dryRun?: boolean;
}

const WORKLOAD_RULES = [
  { apiGroups: [''], apiVersions: ['v1'], resources: ['pods', 'replicationcontrollers', 'podtemplates'] },
  {
    apiGroups: ['apps'],
    apiVersions: ['v1'],
    resources: ['deployments', 'replicasets', 'statefulsets', 'daemonsets'],
  },
  { apiGroups: ['batch'], apiVersions: ['v1'], resources: ['jobs', 'cronjobs'] },
].map((r) => ({ ...r, operations: ['CREATE', 'UPDATE'], scope: '*' }));

/** The objects, in apply order. */
export function admissionManifestObjects(o: ManifestOptions): Record<string, unknown>[] {
  const labels = { 'app.kubernetes.io/name': o.service, 'app.kubernetes.io/part-of': 'bulwark' };
  const meta = (name: string, extra: Record<string, unknown> = {}) => ({
    name,
    namespace: o.namespace,
    labels,
    ...extra,
  });
  const b64 = (s: string) => Buffer.from(s).toString('base64');
  const webhook = (path: string, name: string) => ({
    name,
    admissionReviewVersions: ['v1'],
    sideEffects: 'None',
    failurePolicy: o.failurePolicy === 'open' ? 'Ignore' : 'Fail',
    matchPolicy: 'Equivalent',
    timeoutSeconds: o.timeoutSeconds ?? 5,
    clientConfig: {
      service: { name: o.service, namespace: o.namespace, path, port: 443 },
      caBundle: b64(o.caCertPem),
    },
    namespaceSelector: {
      matchExpressions: [
        { key: 'kubernetes.io/metadata.name', operator: 'NotIn', values: ['kube-system', o.namespace] },
      ],
    },
    rules: WORKLOAD_RULES,
  });
  const args = [
    'admission',
    'serve',
    '--listen',
    '0.0.0.0:8443',
    '--tls-cert',
    '/etc/bulwark/tls/tls.crt',
    '--tls-key',
    '/etc/bulwark/tls/tls.key',
    '--policy',
    '/etc/bulwark/policy/policy.yaml',
    '--failure-policy',
    o.failurePolicy,
    ...(o.dryRun ? ['--dry-run'] : []),
  ];
  const docs: Record<string, unknown>[] = [
    { apiVersion: 'v1', kind: 'Namespace', metadata: { name: o.namespace, labels } },
    {
      apiVersion: 'v1',
      kind: 'ServiceAccount',
      metadata: meta(o.service),
      automountServiceAccountToken: false,
    },
    {
      apiVersion: 'rbac.authorization.k8s.io/v1',
      kind: 'Role',
      metadata: meta(o.service),
      // the webhook needs no API access beyond reading its own policy and certificate
      rules: [
        {
          apiGroups: [''],
          resources: ['configmaps'],
          resourceNames: [`${o.service}-policy`],
          verbs: ['get', 'watch'],
        },
        {
          apiGroups: [''],
          resources: ['secrets'],
          resourceNames: [`${o.service}-tls`],
          verbs: ['get', 'watch'],
        },
      ],
    },
    {
      apiVersion: 'rbac.authorization.k8s.io/v1',
      kind: 'RoleBinding',
      metadata: meta(o.service),
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: o.service },
      subjects: [{ kind: 'ServiceAccount', name: o.service, namespace: o.namespace }],
    },
    {
      apiVersion: 'v1',
      kind: 'Secret',
      metadata: meta(`${o.service}-tls`),
      type: 'kubernetes.io/tls',
      data: { 'tls.crt': b64(o.certPem), 'tls.key': b64(o.keyPem) },
    },
    {
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: meta(`${o.service}-policy`),
      data: { 'policy.yaml': o.policyYaml },
    },
    {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: meta(o.service),
      spec: {
        replicas: o.replicas ?? 2,
        selector: { matchLabels: labels },
        template: {
          metadata: { labels },
          spec: {
            serviceAccountName: o.service,
            automountServiceAccountToken: false,
            securityContext: {
              runAsNonRoot: true,
              runAsUser: 65532,
              seccompProfile: { type: 'RuntimeDefault' },
            },
            containers: [
              {
                name: 'webhook',
                image: o.image,
                args,
                ports: [{ name: 'https', containerPort: 8443 }],
                readinessProbe: { httpGet: { path: '/readyz', port: 'https', scheme: 'HTTPS' } },
                livenessProbe: { httpGet: { path: '/healthz', port: 'https', scheme: 'HTTPS' } },
                resources: { requests: { cpu: '100m', memory: '128Mi' }, limits: { memory: '512Mi' } },
                securityContext: {
                  allowPrivilegeEscalation: false,
                  readOnlyRootFilesystem: true,
                  capabilities: { drop: ['ALL'] },
                },
                volumeMounts: [
                  { name: 'tls', mountPath: '/etc/bulwark/tls', readOnly: true },
                  { name: 'policy', mountPath: '/etc/bulwark/policy', readOnly: true },
                ],
              },
            ],
            volumes: [
              { name: 'tls', secret: { secretName: `${o.service}-tls` } },
              { name: 'policy', configMap: { name: `${o.service}-policy` } },
            ],
          },
        },
      },
    },
    {
      apiVersion: 'v1',
      kind: 'Service',
      metadata: meta(o.service),
      spec: { selector: labels, ports: [{ name: 'https', port: 443, targetPort: 'https' }] },
    },
    {
      apiVersion: 'admissionregistration.k8s.io/v1',
      kind: 'ValidatingWebhookConfiguration',
      metadata: { name: o.service, labels },
      webhooks: [webhook('/validate', `validate.${o.service}.bulwark.dev`)],
    },
  ];
  if (o.mutate)
    docs.push({
      apiVersion: 'admissionregistration.k8s.io/v1',
      kind: 'MutatingWebhookConfiguration',
      metadata: { name: o.service, labels },
      webhooks: [{ ...webhook('/mutate', `pin.${o.service}.bulwark.dev`), reinvocationPolicy: 'IfNeeded' }],
    });
  return docs;
}

/** One YAML stream (`kubectl apply -f -`), or with `json` a v1 List of the same objects. */
export function admissionManifests(o: ManifestOptions, format: 'yaml' | 'json' = 'yaml'): string {
  const docs = admissionManifestObjects(o);
  if (format === 'json')
    return `${JSON.stringify({ apiVersion: 'v1', kind: 'List', items: docs }, null, 2)}\n`;
  return docs.map((d) => stringify(d, { lineWidth: 0 })).join('---\n');
}
