/**
 * The demo image's Debian 11 (bullseye) package set, per layer. Every version is a real Debian
 * version: bullseye's release versions or a fixed version from a real DSA, chosen so that later DSAs
 * in the bundled feed (data/demo/osv, from shared/vulndata) still apply.
 */
export interface DemoDeb {
  name: string;
  version: string;
  arch: string;
  source?: string;
  multiArch?: string;
  section: string;
  description: string;
}

export const DEMO_LAYERS: { createdBy: string; debs: DemoDeb[] }[] = [
  {
    createdBy: '/bin/sh -c #(nop) ADD file:3a2a1f0a7c7d0b9b2b1b9e5d rootfs.tar /',
    debs: [
      {
        name: 'base-files',
        version: '11.1+deb11u1',
        arch: 'amd64',
        section: 'admin',
        description: 'Debian base system miscellaneous files',
      },
      {
        name: 'bash',
        version: '5.1-2+b3',
        arch: 'amd64',
        source: 'bash (5.1-2)',
        section: 'shells',
        description: 'GNU Bourne Again SHell',
      },
      {
        name: 'coreutils',
        version: '8.32-4+b1',
        arch: 'amd64',
        source: 'coreutils (8.32-4)',
        section: 'utils',
        description: 'GNU core utilities',
      },
      {
        name: 'dpkg',
        version: '1.20.9',
        arch: 'amd64',
        section: 'admin',
        description: 'Debian package management system',
      },
      {
        name: 'gzip',
        version: '1.10-4',
        arch: 'amd64',
        section: 'utils',
        description: 'GNU compression utilities',
      },
      {
        name: 'libc6',
        version: '2.31-13+deb11u2',
        arch: 'amd64',
        source: 'glibc',
        multiArch: 'same',
        section: 'libs',
        description: 'GNU C Library: Shared libraries',
      },
      {
        name: 'libgnutls30',
        version: '3.7.1-5',
        arch: 'amd64',
        source: 'gnutls28',
        multiArch: 'same',
        section: 'libs',
        description: 'GNU TLS library - main runtime library',
      },
      {
        name: 'liblzma5',
        version: '5.2.5-2',
        arch: 'amd64',
        source: 'xz-utils',
        multiArch: 'same',
        section: 'libs',
        description: 'XZ-format compression library',
      },
      {
        name: 'libssl1.1',
        version: '1.1.1k-1+deb11u1',
        arch: 'amd64',
        source: 'openssl',
        multiArch: 'same',
        section: 'libs',
        description: 'Secure Sockets Layer toolkit - shared libraries',
      },
      {
        name: 'libuuid1',
        version: '2.36.1-8',
        arch: 'amd64',
        source: 'util-linux',
        multiArch: 'same',
        section: 'libs',
        description: 'Universally Unique ID library',
      },
      {
        name: 'tar',
        version: '1.34+dfsg-1',
        arch: 'amd64',
        section: 'utils',
        description: 'GNU version of the tar archiving utility',
      },
      {
        name: 'zlib1g',
        version: '1:1.2.11.dfsg-2',
        arch: 'amd64',
        source: 'zlib',
        multiArch: 'same',
        section: 'libs',
        description: 'compression library - runtime',
      },
    ],
  },
  {
    createdBy: '/bin/sh -c apt-get update && apt-get install -y --no-install-recommends curl ca-certificates',
    debs: [
      {
        name: 'ca-certificates',
        version: '20210119',
        arch: 'all',
        multiArch: 'foreign',
        section: 'misc',
        description: 'Common CA certificates',
      },
      {
        name: 'curl',
        version: '7.74.0-1.3+deb11u1',
        arch: 'amd64',
        section: 'web',
        description: 'command line tool for transferring data with URL syntax',
      },
      {
        name: 'libcurl4',
        version: '7.74.0-1.3+deb11u1',
        arch: 'amd64',
        source: 'curl',
        multiArch: 'same',
        section: 'libs',
        description: 'easy-to-use client-side URL transfer library (OpenSSL flavour)',
      },
      {
        name: 'openssl',
        version: '1.1.1k-1+deb11u1',
        arch: 'amd64',
        section: 'utils',
        description: 'Secure Sockets Layer toolkit - cryptographic utility',
      },
    ],
  },
  {
    createdBy: '/bin/sh -c apt-get install -y --no-install-recommends libexpat1 libtiff5 liblog4j2-java',
    debs: [
      {
        name: 'libexpat1',
        version: '2.2.10-2',
        arch: 'amd64',
        source: 'expat',
        multiArch: 'same',
        section: 'libs',
        description: 'XML parsing C library - runtime library',
      },
      {
        name: 'liblog4j2-java',
        version: '2.13.3-1',
        arch: 'all',
        source: 'apache-log4j2',
        section: 'java',
        description: 'Apache Log4j - Logging Framework for Java',
      },
      {
        name: 'libtiff5',
        version: '4.2.0-1',
        arch: 'amd64',
        source: 'tiff',
        multiArch: 'same',
        section: 'libs',
        description: 'Tag Image File Format (TIFF) library',
      },
    ],
  },
];

/** Real npm packages at versions with published advisories in the bundled npm feed. */
export const DEMO_NPM: { name: string; version: string; license: string }[] = [
  { name: 'braces', version: '3.0.2', license: 'MIT' },
  { name: 'lodash', version: '4.17.15', license: 'MIT' },
  { name: 'minimist', version: '1.2.5', license: 'MIT' },
  { name: 'semver', version: '7.3.7', license: 'ISC' },
];
