#!/bin/sh
# Reference for Debian: validity from `dpkg --compare-versions` (a version it rejects or warns
# about is invalid; dpkg has no batch mode, so this one shell runs it per distinct version),
# order from python3-apt's apt_pkg.version_compare (the same algorithm as dpkg's verrevcmp) over
# the whole batch in one process, on the versions as dpkg parses them (surrounding whitespace
# dropped: apt_pkg compares the raw text, dpkg does not). Reads "A<TAB>B" lines, prints -1/0/1 or
# "!" per line.
set -eu
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
cat >"$tmp/pairs"
tr '\t' '\n' <"$tmp/pairs" | LC_ALL=C sort -u >"$tmp/distinct"
: >"$tmp/bad"
while IFS= read -r v || [ -n "$v" ]; do
  if ! dpkg --compare-versions "$v" eq "$v" 2>"$tmp/err" || [ -s "$tmp/err" ]; then
    printf '%s\n' "$v" >>"$tmp/bad"
  fi
done <"$tmp/distinct"
# The empty string is a line `sort -u` may drop; dpkg rejects it.
printf '\n' >>"$tmp/bad"
/usr/bin/python3 - "$tmp/pairs" "$tmp/bad" <<'PY'
import sys

import apt_pkg

apt_pkg.init_system()
pairs = open(sys.argv[1], newline="").read().split("\n")
bad = set(open(sys.argv[2], newline="").read().split("\n"))
ws = " \t\n\v\f\r"
out = []
for line in pairs:
    if not line:
        continue
    a, b = line.split("\t")
    if a in bad or b in bad:
        out.append("!")
        continue
    r = apt_pkg.version_compare(a.strip(ws), b.strip(ws))
    out.append(str((r > 0) - (r < 0)))
sys.stdout.write("\n".join(out) + "\n")
PY
