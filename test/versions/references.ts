import { ORACLE_DIR } from '../oracles/harness.js';
import type { Reference } from './conformance.js';
import { HERE } from './conformance.js';

const MAVEN_JAR = '/usr/share/maven/lib/maven-artifact-3.x.jar';

/** The reference implementation of each ecosystem that runs here, and what random versions are made of. */
// prettier-ignore
export const REFERENCES: Record<string, Reference> = {
  rpm: {
    ecosystem: 'Red Hat',
    name: 'python3-rpm labelCompare on rpm.ver',
    cmd: '/usr/bin/python3',
    args: [`${HERE}rpm_ver.py`],
    pkg: 'python3-rpm',
    fixtureFiles: ['src/ecosystems/rpm/version.test.ts', 'test/oracles/rpm.test.ts'],
    goFiles: ['go-rpm-version/version_test.go', 'go-rpm-version/version_testcase.go'],
    starts: ['#', '#', '#', '#.#', '#:#', ':#', '0#:#', 'a', 'A:#', '~', '^', '-', '', '.#', ' #', 'git', '#.#-#.el#'],
    fragments: ['.#', '.#', '_#', '+#', '~', '~rc#', '~~', '^', '^git#', '^~', 'a', 'b#', 'el#', 'fc#', 'Z', '-#', '-', '..', '.', '#', ':', ':#', ' ', '%', '@', 'é', '-el#_#', '.el#_#.#', '~0', '^0', '0', '00', '+'],
  },
  dpkg: {
    ecosystem: 'Debian',
    name: 'dpkg --compare-versions + apt_pkg',
    cmd: '/bin/sh',
    args: [`${HERE}dpkg_oracle.sh`],
    pkg: 'dpkg, python3-apt',
    // dpkg --compare-versions runs once per distinct version (about 6 ms each).
    random: 1500,
    fixtureFiles: ['src/ecosystems/debian/version.test.ts', 'test/oracles/dpkg.test.ts'],
    goFiles: ['go-deb-version/version_test.go'],
    starts: ['#', '#', '#', '#.#', '#:#', ':#', '0#:#', 'a', '~', '-#', '', '.#', ' #', '#.#-#', '#a', 'a:#'],
    fragments: ['.#', '.#', '~', '~rc#', '~~', '+', '+b#', '+dfsg', '+deb#u#', '~deb#u#', '-#', '-', '-0', 'a', 'A', 'z', '.', '..', ':', ':#', '#', ' ', '_', '%', '~a', '+~', '-#ubuntu#', 'é', '0', '00'],
  },
  pep440: {
    ecosystem: 'PyPI',
    name: 'python3-packaging Version',
    cmd: '/usr/bin/python3',
    args: [`${ORACLE_DIR}pep440_oracle.py`],
    pkg: 'python3-packaging',
    fixtureFiles: ['src/ecosystems/pypi/version.test.ts', 'test/oracles/pypi.test.ts'],
    starts: ['#', '#', '#.#', '#.#', '#.#.#', '#.#.#', 'v#', 'V#.#', '#!#', '#!#.#', ' #'],
    rareStarts: ['', '.#', 'a'],
    maxFragments: 3,
    fragments: ['.#', '.#', '.#', 'a#', 'a', 'b', 'b#', 'rc#', 'c#', 'pre#', 'preview', 'alpha#', 'beta', '.post#', '-#', 'post', 'r#', 'rev', '.dev#', 'dev', '-dev', '_dev#', '+local', '+#', '+a.#', '+a-b_c', 'RC', 'Post#', '.0', '0', '00', ' ', '\u00a0', '\u2003', '\x1f', '\x85', '+\u017f', 'prev\u0131ew#', 'po\u017ft#', '+K', '+\u0130'],
    rare: ['.abc', '_', '-', '.', '*', '\ufeff', '!#', '..'],
  },
  rubygems: {
    ecosystem: 'RubyGems',
    name: 'ruby Gem::Version',
    cmd: '/usr/bin/ruby',
    args: [`${ORACLE_DIR}gem_oracle.rb`],
    pkg: 'ruby',
    fixtureFiles: ['src/ecosystems/rubygems/version.test.ts', 'test/oracles/rubygems.test.ts'],
    starts: ['#', '#', '#.#', '#.#', '#.#.#', '#.#.#', ' #'],
    rareStarts: ['', 'a', '-#', '.#'],
    maxFragments: 3,
    fragments: ['.#', '.#', '.#', '.pre', '.pre.#', '.rc#', '.a', 'a', 'b#', '-#', 'x', '.0', '0', 'A', '-pre', '-rc.#', '.beta#', '-0', '00', '  '],
    rare: ['-', '.', '..', ' ', '_', '+', '\f'],
  },
  maven: {
    ecosystem: 'Maven',
    name: "maven-artifact's ComparableVersion",
    cmd: '/usr/bin/java',
    args: ['-cp', MAVEN_JAR, `${ORACLE_DIR}MavenOracle.java`],
    pkg: 'maven, default-jdk-headless',
    fixtureFiles: ['src/ecosystems/maven/version.test.ts', 'test/oracles/maven.test.ts'],
    starts: ['#', '#', '#.#', 'a', '', '-', '.', 'v#', '#.#.#', 'SNAPSHOT', 'x#'],
    fragments: ['.#', '.#', '-#', '-SNAPSHOT', '-snapshot', '-alpha#', '-alpha-#', 'a#', 'b', '-beta-#', 'rc#', '-RC', '-cr#', 'm#', '-milestone', '.Final', '-ga', '-final', '-GA', '-release', 'sp#', '-sp', '.', '-', '..', '--', '-.', '.-', 'x', '_', '+#', 'RC#', '.0', '0', '-0', '00', '.00', '-#-SNAPSHOT', '#', 'é', 'I', '\u0663', '\u0660\u0660\u0660\u0660\u0660\u0660\u0660\u0660\u0660#', '\u0966#', '\uff11', '-#.#'],
  },
  packagist: {
    ecosystem: 'Packagist',
    name: "Composer's VersionParser + Comparator",
    cmd: '/usr/bin/php',
    args: [`${ORACLE_DIR}composer_oracle.php`],
    pkg: 'php-cli, php-composer-semver',
    fixtureFiles: ['src/ecosystems/packagist/version.test.ts', 'test/oracles/packagist.test.ts'],
    starts: [
      '#', '#.#', '#.#.#', '#.#.#', '#.#.#', '#.#.#.#', 'v#.#', 'V#', 'dev-', 'dev-master', 'dev-#.x', '#.#.x-dev', 'master',
      '#-#-#', '####.##.##', 'trunk', ' #',
    ],
    rareStarts: ['', '.', 'x', '-'],
    maxFragments: 2,
    fragments: [
      '.#', '.#', '.#', '-dev', '-alpha#', '-a#', '-beta', '-b#', '-RC#', '-rc', '-p#', '-pl#', '-patch#', '-patch', '-stable',
      '@dev', '@stable', '@beta', '.x-dev', '+#', '+build.#', ' as #.#', 'a#', '_#', '-#', '-dev#', 'alpha', 'pl', '.#-beta.#',
      '-beta.#', '-beta-#', '#', '-#-#', 'beta#', 'RC', '.#',
    ],
    rare: ['.x', '.*', '-', '.', 'feature', ' ', '/x'],
  },
  semver: {
    ecosystem: 'npm',
    name: 'node-semver',
    cmd: process.execPath,
    args: [`${HERE}semver_oracle.mjs`],
    pkg: 'nodejs',
    fixtureFiles: ['src/ecosystems/npm/version.test.ts'],
    starts: ['%.%.%', '%.%.%', '%.%.%', '#.#.#', 'v%.%.%', ' %.%.%', '%.%.% '],
    rareStarts: ['=#.#.#', '#.#', '#', 'V#.#.#', '=v#.#.#', 'vv#.#.#', '0#.#.#', ''],
    maxFragments: 3,
    fragments: [
      '-#', '-#', '-#', '-alpha', '-alpha', '-alpha', '-rc.#', '-rc.#', '-rc.#', '-beta.#.c', '-a-b', '-x.#', '-A', '-0',
      '-0', '+build', '+#', '+0#', '+b.#', '-#', '-alpha', '-rc.#', '-beta.#.c', '-a-b', '-x.#', '-A', '-0', '+build',
    ],
    rare: ['.#', '-rc.0#', '-', '.', '-0#', ' ', 'x', '+', '-a..b', '.a', '-\u00e9'],
  },
};
