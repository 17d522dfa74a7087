import { decodeAuditText, targetLabel, type AuditInput } from '../../../audit/index.js';
import { BulwarkError } from '../../../core/errors.js';
import type { ParsedFile, RuleFamily } from '../../types.js';
import anonymousAllowed from './anonymous-allowed.js';
import clusterAdminBinding from './cluster-admin-binding.js';
import configmapCredentials from './configmap-credentials.js';
import hostNamespacePod from './host-namespace-pod.js';
import kubeSystemPod from './kube-system-pod.js';
import nodeportService from './nodeport-service.js';
import podExec from './pod-exec.js';
import privilegedPod from './privileged-pod.js';
import rbacDenialBurst from './rbac-denial-burst.js';
import saTokenCreated from './sa-token-created.js';
import secretAccess from './secret-access.js';
import sensitiveHostMount from './sensitive-host-mount.js';
import wildcardRole from './wildcard-role.js';

/** audit rules (Kubernetes audit events), sorted by id. */
export const rules = [
  anonymousAllowed,
  clusterAdminBinding,
  configmapCredentials,
  hostNamespacePod,
  kubeSystemPod,
  nodeportService,
  podExec,
  privilegedPod,
  rbacDenialBurst,
  saTokenCreated,
  secretAccess,
  sensitiveHostMount,
  wildcardRole,
];

/** A whole audit log as rule inputs (tests and one-shot use); `bulwark audit` streams instead. */
export function parseAuditLog(text: string, file: string): ParsedFile<AuditInput> {
  const inputs = [];
  for (const it of decodeAuditText(text)) {
    if (it.kind === 'error') throw new BulwarkError(it.code, it.message, { input: file });
    if (it.kind === 'event')
      inputs.push({
        input: { event: it.event, line: it.line, ...(it.item !== undefined ? { item: it.item } : {}) },
        object: targetLabel(it.event),
      });
  }
  return { inputs };
}

/**
 * Audit rules run through `bulwark audit`, which streams the log; `bulwark config` never claims a
 * file for them (an audit log has no conventional name and can be any size).
 */
export const family: RuleFamily<AuditInput> = {
  name: 'audit',
  target: 'audit',
  matchName: () => 'no',
  matchContent: () => false,
  parse: parseAuditLog,
  rules,
};
