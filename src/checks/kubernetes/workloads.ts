import type { FieldPath } from '../pss/types.js';

/** Where each workload kind keeps its pod template (PSA evaluates these the same way). */
export const POD_TEMPLATE_PATHS: Readonly<Record<string, FieldPath>> = {
  Pod: [],
  PodTemplate: ['template'],
  Deployment: ['spec', 'template'],
  StatefulSet: ['spec', 'template'],
  DaemonSet: ['spec', 'template'],
  ReplicaSet: ['spec', 'template'],
  ReplicationController: ['spec', 'template'],
  Job: ['spec', 'template'],
  CronJob: ['spec', 'jobTemplate', 'spec', 'template'],
};

export function podTemplatePathOf(kind: string): FieldPath | undefined {
  return Object.prototype.hasOwnProperty.call(POD_TEMPLATE_PATHS, kind)
    ? POD_TEMPLATE_PATHS[kind]
    : undefined;
}
