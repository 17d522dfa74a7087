import { scanSecrets } from '../../../secrets/index.js';
import { admittedWrite, at, isRecord, username, type AuditInput } from '../../../audit/index.js';
import { defineRule } from '../../define-rule.js';

/** Key names that say the value is a credential (Falco's list, plus the AWS secret key's own name). */
const CREDENTIAL_KEY =
  /(?:aws[_-](?:s3[_-])?access[_-]key[_-]id|aws[_-]secret[_-]access[_-]key|password|passphrase|passwd)/i;
/** `name = value` / `name: value` inside a value (properties, env and YAML files in a ConfigMap) */
const ASSIGNMENT = new RegExp(`${CREDENTIAL_KEY.source}\\w*["']?\\s*[:=]\\s*["']?([^\\s"'#]+)`, 'i');
/** values that point elsewhere rather than holding the credential */
const REFERENCE = /^(?:\$\{?|\{\{|<|%|\*+$)/;
/** longest value handed to the secrets detector (ConfigMaps hold at most 1 MiB in all) */
const MAX_SCAN_CHARS = 1024 * 1024;

function credential(key: string, value: string): string | undefined {
  if (CREDENTIAL_KEY.test(key) && value.trim() && !REFERENCE.test(value.trim())) return `key ${key}`;
  const m = ASSIGNMENT.exec(value);
  if (m && !REFERENCE.test(m[1]!)) return `assignment ${m[0].split(/[:=]/)[0]!.trim()}`;
  return undefined;
}

export default defineRule({
  meta: {
    id: 'audit/configmap-credentials',
    aliases: ['Create/Modify Configmap With Private Credentials'],
    title: 'ConfigMap holding a credential created or changed',
    severity: 'HIGH',
    category: 'credentials',
    references: [
      'https://github.com/falcosecurity/plugins/blob/main/plugins/k8saudit/rules/k8s_audit_rules.yaml',
      'https://kubernetes.io/docs/concepts/configuration/configmap/',
    ],
    remediation:
      "ConfigMaps are readable by anyone who may read the namespace's configuration and are not encrypted at rest: move the value to a Secret (or an external secret store), then rotate it, since the audit log and etcd have seen it.",
    appliesTo: ['audit'],
    messages: {
      secret: '{{user}} wrote ConfigMap {{configmap}} whose data.{{key}} holds a {{what}} ({{match}})',
      keyword: '{{user}} wrote ConfigMap {{configmap}} whose data.{{key}} holds a credential ({{what}})',
    },
  },
  check(input: AuditInput) {
    const e = input.event;
    const data = admittedWrite(e, 'configmaps')?.data;
    if (!isRecord(data)) return [];
    const a = at(input);
    const base = { user: username(e), configmap: a.object.replace(/^configmaps /, '') };
    const out = [];
    for (const key of Object.keys(data).sort()) {
      const value = data[key];
      if (typeof value !== 'string') continue;
      const field = `requestObject.data.${key}`;
      // the secrets detector first: it names the kind of credential and redacts it
      const found = scanSecrets(value.slice(0, MAX_SCAN_CHARS)).findings[0];
      if (found) {
        out.push({
          ...a,
          messageId: 'secret' as const,
          field,
          data: { ...base, key, what: `${found.title} (${found.ruleId})`, match: found.match },
        });
        continue;
      }
      const what = credential(key, value);
      if (what) out.push({ ...a, messageId: 'keyword' as const, field, data: { ...base, key, what } });
    }
    return out;
  },
});
