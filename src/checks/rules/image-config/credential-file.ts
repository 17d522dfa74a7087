import { defineRule } from '../../define-rule.js';
import type { ImageConfigInput } from './support/input.js';

const WHAT: Record<string, string> = {
  'ssh-private-key': 'an SSH private key',
  'ssh-host-key': 'an SSH host private key (every container of the image shares it)',
  'private-key': 'a PEM private key',
  'git-credentials': 'stored git credentials',
  npmrc: 'an .npmrc with a registry auth token',
  pypirc: 'a .pypirc with a password',
  'docker-config': 'a Docker config.json with registry auths',
  netrc: 'a .netrc with a password',
};

export default defineRule({
  meta: {
    id: 'image-config/credential-file',
    aliases: ['CIS-DI-0010', 'CIS-Docker-4.10'],
    title: 'Credential file left in the image',
    severity: 'HIGH',
    category: 'secrets',
    references: [
      'https://github.com/goodwithtech/dockle/blob/master/CHECKPOINT.md',
      'https://docs.docker.com/build/building/secrets/',
    ],
    remediation:
      'Remove the file and rotate the credential: deleting it in a later layer does not help, it stays in the layer that added it. Mount build credentials with `RUN --mount=type=secret` (or `--mount=type=ssh`).',
    appliesTo: ['image-config'],
    messages: { file: '{{path}} is {{what}}' },
  },
  check(input: ImageConfigInput) {
    return input.facts
      .filter((f) => f.kind === 'credential-file')
      .map((f) => ({
        messageId: 'file' as const,
        data: { path: f.path, what: WHAT[String(f.data.type)] ?? 'a credential file' },
        line: 0,
        column: 0,
        object: f.path,
        ...(f.layer ? { layer: f.layer } : {}),
      }));
  },
});
