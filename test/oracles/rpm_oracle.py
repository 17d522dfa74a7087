# Reference: python3-rpm's rpm.labelCompare on (epoch, version, release), the EVR split done as
# rpm's rpmverParse does it. Reads "A<TAB>B" lines, prints -1/0/1 per line.
import re
import sys

import rpm


def evr(s):
    m = re.match(r"^([0-9]*):", s)
    epoch = None
    if m:
        epoch = m.group(1) or "0"
        s = s[m.end():]
    release = None
    if "-" in s:
        s, release = s.rsplit("-", 1)
    return (epoch, s, release)


out = []
for line in sys.stdin.read().split("\n"):
    if not line:
        continue
    a, b = line.split("\t")
    out.append(str(rpm.labelCompare(evr(a), evr(b))))
sys.stdout.write("\n".join(out) + "\n")
