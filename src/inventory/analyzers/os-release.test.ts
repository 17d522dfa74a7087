import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { osReleaseAnalyzer } from './os-release.js';

const run = (path: string, text: string) => {
  const content = Buffer.from(text);
  return osReleaseAnalyzer.analyze(
    { path, content, size: content.length, mode: 0o644 },
    { maxBytes: 1 << 20 },
  );
};

// os-release files as the official images ship them
const CASES: [
  label: string,
  path: string,
  text: string,
  family: string,
  version: string,
  ecosystem: string,
][] = [
  [
    'Debian 12',
    'etc/os-release',
    'PRETTY_NAME="Debian GNU/Linux 12 (bookworm)"\nNAME="Debian GNU/Linux"\nVERSION_ID="12"\nVERSION="12 (bookworm)"\nVERSION_CODENAME=bookworm\nID=debian\n',
    'debian',
    '12',
    'Debian:12',
  ],
  [
    'Ubuntu 22.04',
    'usr/lib/os-release',
    'PRETTY_NAME="Ubuntu 22.04.4 LTS"\nNAME="Ubuntu"\nVERSION_ID="22.04"\nVERSION="22.04.4 LTS (Jammy Jellyfish)"\nVERSION_CODENAME=jammy\nID=ubuntu\nID_LIKE=debian\nUBUNTU_CODENAME=jammy\n',
    'ubuntu',
    '22.04',
    'Ubuntu:22.04',
  ],
  [
    'Alpine 3.19',
    'etc/os-release',
    'NAME="Alpine Linux"\nID=alpine\nVERSION_ID=3.19.1\nPRETTY_NAME="Alpine Linux v3.19"\n',
    'alpine',
    '3.19.1',
    'Alpine:v3.19',
  ],
  [
    'UBI 9',
    'etc/os-release',
    'NAME="Red Hat Enterprise Linux"\nVERSION="9.3 (Plow)"\nID="rhel"\nID_LIKE="fedora"\nVERSION_ID="9.3"\n',
    'rhel',
    '9.3',
    'Red Hat:9',
  ],
  [
    'CentOS 7',
    'etc/os-release',
    'NAME="CentOS Linux"\nVERSION="7 (Core)"\nID="centos"\nID_LIKE="rhel fedora"\nVERSION_ID="7"\n',
    'centos',
    '7',
    'Red Hat:7',
  ],
  [
    'Rocky 9',
    'etc/os-release',
    'NAME="Rocky Linux"\nVERSION="9.3 (Blue Onyx)"\nID="rocky"\nVERSION_ID="9.3"\n',
    'rocky',
    '9.3',
    'Rocky Linux:9',
  ],
  [
    'Alma 8',
    'etc/os-release',
    'NAME="AlmaLinux"\nVERSION="8.9 (Midnight Oncilla)"\nID="almalinux"\nVERSION_ID="8.9"\n',
    'alma',
    '8.9',
    'AlmaLinux:8',
  ],
  [
    'Fedora 39',
    'etc/os-release',
    'NAME="Fedora Linux"\nVERSION="39 (Container Image)"\nID=fedora\nVERSION_ID=39\n',
    'fedora',
    '39',
    'Fedora:39',
  ],
  [
    'Amazon 2023',
    'etc/os-release',
    'NAME="Amazon Linux"\nVERSION="2023"\nID="amzn"\nID_LIKE="fedora"\nVERSION_ID="2023"\n',
    'amzn',
    '2023',
    'Amazon Linux:2023',
  ],
  [
    'Wolfi',
    'etc/os-release',
    'ID=wolfi\nNAME="Wolfi"\nPRETTY_NAME="Wolfi"\nVERSION_ID="20230201"\n',
    'wolfi',
    '20230201',
    'Wolfi',
  ],
  [
    'Chainguard',
    'etc/os-release',
    'ID=chainguard\nNAME="Chainguard"\nPRETTY_NAME="Chainguard"\nVERSION_ID="20230214"\n',
    'chainguard',
    '20230214',
    'Chainguard',
  ],
  ['debian_version', 'etc/debian_version', '11.9\n', 'debian', '11.9', 'Debian:11'],
  ['debian_version testing', 'etc/debian_version', 'trixie/sid\n', 'debian', 'trixie/sid', 'Debian:13'],
  ['alpine-release', 'etc/alpine-release', '3.18.6\n', 'alpine', '3.18.6', 'Alpine:v3.18'],
  [
    'redhat-release',
    'etc/redhat-release',
    'Red Hat Enterprise Linux release 8.9 (Ootpa)\n',
    'rhel',
    '8.9',
    'Red Hat:8',
  ],
  [
    'centos-release',
    'etc/centos-release',
    'CentOS Linux release 7.9.2009 (Core)\n',
    'centos',
    '7.9.2009',
    'Red Hat:7',
  ],
  [
    'rocky-release',
    'etc/rocky-release',
    'Rocky Linux release 9.3 (Blue Onyx)\n',
    'rocky',
    '9.3',
    'Rocky Linux:9',
  ],
  [
    'almalinux-release',
    'etc/almalinux-release',
    'AlmaLinux release 9.3 (Shamrock Pampas Cat)\n',
    'alma',
    '9.3',
    'AlmaLinux:9',
  ],
  ['fedora-release', 'etc/fedora-release', 'Fedora release 39 (Thirty Nine)\n', 'fedora', '39', 'Fedora:39'],
  [
    'system-release Amazon 2',
    'etc/system-release',
    'Amazon Linux release 2 (Karoo)\n',
    'amzn',
    '2',
    'Amazon Linux:2',
  ],
  [
    'lsb-release',
    'etc/lsb-release',
    'DISTRIB_ID=Ubuntu\nDISTRIB_RELEASE=20.04\nDISTRIB_CODENAME=focal\nDISTRIB_DESCRIPTION="Ubuntu 20.04.6 LTS"\n',
    'ubuntu',
    '20.04',
    'Ubuntu:20.04',
  ],
];

describe('os-release analyzer', () => {
  for (const [label, path, text, family, version, ecosystem] of CASES) {
    it(`detects ${label}`, () => {
      assert.ok(osReleaseAnalyzer.required(path, text.length));
      const os = run(path, text).os!;
      assert.equal(os.family, family);
      assert.equal(os.version, version);
      assert.equal(os.ecosystem, ecosystem);
    });
  }

  it('marks Google distroless by its PRETTY_NAME', () => {
    const os = run(
      'etc/os-release',
      'PRETTY_NAME="Distroless"\nNAME="Debian GNU/Linux"\nID="debian"\nVERSION_ID="12"\nVERSION="Debian GNU/Linux 12 (bookworm)"\nHOME_URL="https://github.com/GoogleContainerTools/distroless"\n',
    ).os!;
    assert.equal(os.distroless, true);
    assert.equal(os.ecosystem, 'Debian:12');
  });

  it('unquotes values with escapes and ignores comments', () => {
    const os = run(
      'etc/os-release',
      '# comment\nID=debian\nNAME="Debian \\"GNU\\"/Linux"\nVERSION_ID=\'10\'\n',
    ).os!;
    assert.equal(os.name, 'Debian "GNU"/Linux');
    assert.equal(os.version, '10');
  });

  it('warns on unrecognised or oversized files and only wants its own paths', () => {
    assert.equal(run('etc/os-release', '\0\x01garbage').warnings?.[0]?.code, 'OS_RELEASE_UNRECOGNISED');
    assert.equal(
      run('etc/redhat-release', 'Something else 1.0').warnings?.[0]?.code,
      'OS_RELEASE_UNRECOGNISED',
    );
    assert.equal(
      run('etc/os-release', `ID=x\n${'#'.repeat(70_000)}`).warnings?.[0]?.code,
      'OS_RELEASE_TOO_LARGE',
    );
    assert.equal(osReleaseAnalyzer.required('etc/os-release', 10 << 20), false);
    assert.equal(osReleaseAnalyzer.required('usr/etc/os-release', 10), false);
  });
});
