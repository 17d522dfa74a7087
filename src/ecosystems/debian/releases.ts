/**
 * Debian release codenames and the release numbers OSV's Debian ecosystem uses (`Debian:12`):
 * OS detection reads them from os-release, the security tracker keys its data by them.
 */

/** Debian codenames -> major release; testing/unstable images only say `trixie/sid`. */
const DEBIAN_CODENAMES: Readonly<Record<string, string>> = {
  buzz: '1.1',
  rex: '1.2',
  bo: '1.3',
  hamm: '2.0',
  slink: '2.1',
  potato: '2.2',
  woody: '3.0',
  sarge: '3.1',
  etch: '4',
  lenny: '5',
  squeeze: '6',
  wheezy: '7',
  jessie: '8',
  stretch: '9',
  buster: '10',
  bullseye: '11',
  bookworm: '12',
  trixie: '13',
  forky: '14',
  duke: '15',
};

export function debianCodenameRelease(codename: string): string | undefined {
  const key = codename.toLowerCase();
  // own keys only: a codename of `constructor` from hostile input names no release
  return Object.hasOwn(DEBIAN_CODENAMES, key) ? DEBIAN_CODENAMES[key] : undefined;
}
