# Reference: python3-packaging's packaging.version.Version. Reads "A<TAB>B" lines, prints -1/0/1
# per line, or "!" when either side is not a valid PEP 440 version.
import sys

from packaging.version import InvalidVersion, Version

out = []
for line in sys.stdin.read().split("\n"):
    if not line:
        continue
    a, b = line.split("\t")
    try:
        va, vb = Version(a), Version(b)
    except InvalidVersion:
        out.append("!")
        continue
    out.append(str((va > vb) - (va < vb)))
sys.stdout.write("\n".join(out) + "\n")
