# Reference: python3-rpm (rpm 4.18). The EVR split is rpm's own (rpm.ver, rpmverParse), the order
# is rpm.labelCompare on that split (rpmverNew + rpmverCmp). rpm.ver refuses only the empty
# string; labelCompare also refuses an empty version part (`-1`, `1:`, `1:-1`): both print "!".
# Reads "A<TAB>B" lines, prints -1/0/1 per line. Where rpm.ver's own comparison of the same two
# versions differs from labelCompare, prints "X" (no such pair has been seen).
import sys

import rpm

out = []
for line in sys.stdin.read().split("\n"):
    if not line:
        continue
    a, b = line.split("\t")
    try:
        va, vb = rpm.ver(a), rpm.ver(b)
        r = rpm.labelCompare((va.e, va.v, va.r), (vb.e, vb.v, vb.r))
    except ValueError:
        out.append("!")
        continue
    direct = -1 if va < vb else 0 if va == vb else 1
    out.append(str(r) if r == direct else "X")
sys.stdout.write("\n".join(out) + "\n")
