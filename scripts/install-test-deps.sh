#!/usr/bin/env bash
# Installs the Debian packages bulwark's test suite talks to for real:
#   docker-registry  - a real OCI distribution registry on loopback (registry tests)
#   skopeo, umoci    - build and push test images as files (no Docker engine here)
#   rpm, python3-rpm - real rpm databases and rpm's own labelCompare (version oracle)
#   python3-apt      - apt's own version_compare (dpkg ordering oracle)
#   python3-packaging- PEP 440 reference implementation
#   ruby             - Gem::Version (RubyGems ordering oracle)
#   maven            - Maven's ComparableVersion (maven-artifact.jar)
#   zstd             - makes zstd-compressed layers for tests
#   db5.3-util       - db5.3_load writes real BerkeleyDB hash rpm databases
#   apache2-utils    - htpasswd makes the bcrypt file for registry basic-auth tests
#   php-cli, php-composer-semver - Composer's own VersionParser (Packagist ordering oracle)
#   golang-go        - builds real Go binaries whose build info the Go analyzer must read
#   zip, unzip       - build and inspect real jars (Java analyzer)
#   openssh-client   - ssh-keygen makes real private keys for the credential-file checks
#   composer         - writes a real composer.lock for the Packagist lockfile tests
#   python3-poetry   - Poetry's own lock reader and `poetry lock` (poetry.lock oracle)
#   pipenv           - `pipenv requirements` / `pipenv lock` (Pipfile.lock oracle)
#   git              - git sources for the Bundler, Poetry and pipenv lockfiles made in tests
#   openssl          - independent ECDSA/X.509 implementation the signing tests cross-check against
#   python3-nacl     - PyNaCl secretbox + hashlib.scrypt decrypt cosign-format keys bulwark writes
#   chromium         - the real headless browser the HTML report tests run in (through playwright-core)
#   postgresql       - initdb/pg_ctl for throwaway PostgreSQL clusters the server store and queue tests use
#   jq               - the README tours' transcripts (netpol, k8s) filter JSON reports with it
# Idempotent: skips apt when everything is already installed.
set -euo pipefail
pkgs=(docker-registry skopeo umoci rpm python3-rpm python3-apt python3-packaging ruby maven zstd debootstrap db5.3-util apache2-utils php-cli php-composer-semver golang-go zip unzip binutils openssh-client composer python3-poetry pipenv git openssl python3-nacl chromium postgresql jq)
missing=()
for p in "${pkgs[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
done
if [ ${#missing[@]} -eq 0 ]; then
  echo "test dependencies: all present" >&2
  exit 0
fi
SUDO=""
[ "$(id -u)" -ne 0 ] && SUDO=sudo
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
echo "test dependencies: installed ${missing[*]}" >&2
