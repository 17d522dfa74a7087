# Reference: python3-apt's apt_pkg.version_compare. Reads "A<TAB>B" lines, prints -1/0/1 per line.
import sys

import apt_pkg

apt_pkg.init_system()
out = []
for line in sys.stdin.read().split("\n"):
    if not line:
        continue
    a, b = line.split("\t")
    r = apt_pkg.version_compare(a, b)
    out.append(str((r > 0) - (r < 0)))
sys.stdout.write("\n".join(out) + "\n")
