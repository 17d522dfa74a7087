import { arr, isSet, joinQuote, obj, pluralize, sortedUnique, spec, str } from '../helpers.js';
import type { FieldPath, PssCheck } from '../types.js';

const ALLOWED = [
  'configMap',
  'csi',
  'downwardAPI',
  'emptyDir',
  'ephemeral',
  // image volumes (read-only OCI artifacts) were allowed in place, for every policy version
  'image',
  'persistentVolumeClaim',
  'projected',
  'secret',
];
const NAMED = [
  'hostPath',
  'gcePersistentDisk',
  'awsElasticBlockStore',
  'gitRepo',
  'nfs',
  'iscsi',
  'glusterfs',
  'rbd',
  'flexVolume',
  'cinder',
  'cephfs',
  'flocker',
  'fc',
  'azureFile',
  'vsphereVolume',
  'quobyte',
  'azureDisk',
  'photonPersistentDisk',
  'portworxVolume',
  'scaleIO',
  'storageos',
];

export const restrictedVolumes: PssCheck = {
  id: 'restrictedVolumes',
  level: 'restricted',
  versions: [
    {
      minor: 0,
      overrides: ['hostPathVolumes'],
      check(pod) {
        const bad: string[] = [];
        const types: string[] = [];
        const paths: FieldPath[] = [];
        arr(spec(pod).volumes).forEach((raw, i) => {
          const v = obj(raw) ?? {};
          if (ALLOWED.some((k) => isSet(v[k]))) return;
          const t = NAMED.find((k) => isSet(v[k]));
          // The API server defaults a volume with no source to `emptyDir: {}` before admission
          // (SetDefaults_Volume), so PSA never sees one: PSA's own fixture restrictedvolumes0
          // (a volume with only a name) is allowed. Every source PSA's switch names is either
          // allowed or in NAMED, so a volume here with no NAMED source is such a volume.
          if (t === undefined) return;
          bad.push(str(v.name));
          types.push(t);
          paths.push(['spec', 'volumes', i, t]);
        });
        if (bad.length === 0) return undefined;
        const typeList = sortedUnique(types);
        return {
          reason: 'restricted volume types',
          detail: `${pluralize('volume', 'volumes', bad.length)} ${joinQuote(bad)} ${pluralize('uses', 'use', bad.length)} ${pluralize('restricted volume type', 'restricted volume types', typeList.length)} ${joinQuote(typeList)}`,
          paths,
        };
      },
    },
  ],
};
