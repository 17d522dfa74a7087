"""Prints, as JSON, what Poetry's own lock reader makes of each poetry.lock named on the command line.

Run with Debian's /usr/bin/python3 (python3-poetry). `Locker.locked_repository()` is what
`poetry install` and `poetry show` read; `lock_data` is the same file through Poetry's tomlkit,
used for the Poetry 2 `groups` field that this Poetry (1.3) does not interpret.
"""

import json
import sys
from pathlib import Path

from poetry.packages.locker import Locker

out = {}
for name in sys.argv[1:]:
    locker = Locker(Path(name), {})
    groups = {}
    for table in locker.lock_data.get("package", []):
        if "groups" in table:
            groups[(table["name"], table["version"])] = list(table["groups"])
    packages = []
    for p in locker.locked_repository().packages:
        packages.append(
            {
                "name": p.name,
                "version": p.pretty_version,
                "category": p.category,
                "optional": p.optional,
                "groups": groups.get((p.pretty_name, p.pretty_version)),
                "source_type": p.source_type,
                "source_url": p.source_url,
                "source_reference": p.source_reference,
                "source_resolved_reference": p.source_resolved_reference,
                "requires": sorted({d.name for d in p.requires}),
            }
        )
    out[name] = {
        "lock_version": str(locker.lock_data["metadata"].get("lock-version")),
        "packages": packages,
    }
json.dump(out, sys.stdout, indent=1, sort_keys=True)
