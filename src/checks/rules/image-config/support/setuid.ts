import type { FileFact } from '../../../../core/types.js';
import type { ImageConfigInput } from './input.js';

/**
 * setuid/setgid programs the base distributions ship on purpose (Debian, Ubuntu, Alpine, RHEL
 * families): reported at LOW so a review can confirm them, while anything else is MEDIUM.
 */
const EXPECTED = new Set([
  'bin/su',
  'bin/mount',
  'bin/umount',
  'bin/ping',
  'bin/bbsuid',
  'usr/bin/su',
  'usr/bin/mount',
  'usr/bin/umount',
  'usr/bin/ping',
  'usr/bin/passwd',
  'usr/bin/chsh',
  'usr/bin/chfn',
  'usr/bin/gpasswd',
  'usr/bin/newgrp',
  'usr/bin/chage',
  'usr/bin/expiry',
  'usr/bin/sudo',
  'usr/bin/wall',
  'usr/bin/write',
  'usr/bin/bsd-write',
  'usr/bin/crontab',
  'usr/bin/at',
  'usr/bin/ssh-agent',
  'usr/bin/pkexec',
  'usr/bin/newuidmap',
  'usr/bin/newgidmap',
  'usr/bin/fusermount',
  'usr/bin/fusermount3',
  'usr/bin/dotlockfile',
  'usr/bin/staprun',
  'usr/bin/locate',
  'usr/bin/mlocate',
  'sbin/unix_chkpwd',
  'usr/sbin/unix_chkpwd',
  'usr/sbin/pam_extrausers_chkpwd',
  'sbin/pam_timestamp_check',
  'usr/sbin/pam_timestamp_check',
  'usr/sbin/userhelper',
  'usr/sbin/mount.nfs',
  'usr/lib/openssh/ssh-keysign',
  'usr/libexec/openssh/ssh-keysign',
  'usr/lib/dbus-1.0/dbus-daemon-launch-helper',
  'usr/libexec/dbus-1/dbus-daemon-launch-helper',
  'usr/lib/policykit-1/polkit-agent-helper-1',
  'usr/lib/polkit-1/polkit-agent-helper-1',
  'usr/libexec/polkit-agent-helper-1',
  'usr/sbin/postdrop',
  'usr/sbin/postqueue',
]);

/** Expected wherever the multiarch triplet puts them (`usr/lib/x86_64-linux-gnu/utempter/utempter`). */
const EXPECTED_SUFFIXES = ['/utempter/utempter'];

export function expectedSetuid(path: string): boolean {
  return EXPECTED.has(path) || EXPECTED_SUFFIXES.some((s) => path.endsWith(s));
}

export function setuidFacts(input: ImageConfigInput): FileFact[] {
  return input.facts.filter((f) => f.kind === 'setuid');
}

export function describeBits(f: FileFact): string {
  const bits = [f.data.setuid ? 'setuid' : '', f.data.setgid ? 'setgid' : ''].filter(Boolean);
  return bits.join('+') || 'setuid';
}
