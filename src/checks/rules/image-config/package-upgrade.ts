import { defineRule } from '../../define-rule.js';
import { commandSegments, historyEntries, type ImageConfigInput } from './support/input.js';

const UPGRADES: Record<string, { sub: readonly string[]; wholeOnly: boolean }> = {
  'apt-get': { sub: ['upgrade', 'dist-upgrade', 'full-upgrade'], wholeOnly: false },
  apt: { sub: ['upgrade', 'dist-upgrade', 'full-upgrade'], wholeOnly: false },
  aptitude: { sub: ['upgrade', 'safe-upgrade', 'full-upgrade', 'dist-upgrade'], wholeOnly: false },
  apk: { sub: ['upgrade'], wholeOnly: false },
  // `yum update foo` updates one package: only the whole-system form counts
  yum: { sub: ['update', 'upgrade', 'distro-sync'], wholeOnly: true },
  dnf: { sub: ['update', 'upgrade', 'distro-sync'], wholeOnly: true },
  microdnf: { sub: ['update', 'upgrade'], wholeOnly: true },
  zypper: { sub: ['update', 'up', 'dist-upgrade', 'dup'], wholeOnly: true },
};

/** The upgrade command of a segment (`apt-get dist-upgrade`), or undefined. */
function upgradeIn(words: string[]): string | undefined {
  let i = 0;
  while (i < words.length && (words[i] === 'sudo' || /^[A-Z_][A-Z0-9_]*=/.test(words[i]!))) i++;
  const tool = words[i]?.split('/').pop() ?? '';
  const spec = UPGRADES[tool];
  if (!spec) return undefined;
  const rest = words.slice(i + 1).filter((w) => !w.startsWith('-'));
  const sub = rest[0];
  if (!sub || !spec.sub.includes(sub)) return undefined;
  if (spec.wholeOnly && rest.length > 1) return undefined;
  return `${tool} ${sub}`;
}

export default defineRule({
  meta: {
    id: 'image-config/package-upgrade',
    aliases: ['DKL-DI-0003', 'AVD-DS-0024'],
    title: 'Whole-system package upgrade in the build',
    severity: 'LOW',
    category: 'reproducibility',
    references: [
      'https://github.com/goodwithtech/dockle/blob/master/CHECKPOINT.md',
      'https://avd.aquasec.com/misconfig/ds024',
    ],
    remediation:
      'Rebuild from an updated base image instead of upgrading everything in a layer; pin and install only the packages you need.',
    appliesTo: ['image-config'],
    messages: {
      upgrade: 'the build ran `{{command}}`, so the image content depends on the day it was built',
    },
  },
  check(input: ImageConfigInput) {
    const out = [];
    for (const h of historyEntries(input)) {
      for (const seg of commandSegments(h.createdBy)) {
        const command = upgradeIn(seg);
        if (!command) continue;
        out.push({
          messageId: 'upgrade' as const,
          data: { command },
          line: 0,
          column: 0,
          field: `history[${h.index}].created_by`,
          ...(h.layer ? { layer: h.layer } : {}),
        });
        break;
      }
    }
    return out;
  },
});
