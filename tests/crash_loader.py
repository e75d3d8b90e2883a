"""Load one file straight into a store file, in one ``ingest.load_file``
transaction (no Workspace snapshot): the process tests/test_crash.py kills.

    python tests/crash_loader.py DB LOG FILE

Prints ``loading`` once the store is open (the load starts), then the result.
"""
from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from contentroi import ingest  # noqa: E402
from contentroi.store import Store  # noqa: E402


def main(db: str, log: str, path: str) -> int:
    with Store(db) as store:
        print("loading", flush=True)
        r = ingest.load_file(store, path, log, file_name=Path(path).name, source_kind="cli")
    print(r.status, r.accepted, flush=True)
    return 0 if r.status == "loaded" else 1


if __name__ == "__main__":
    sys.exit(main(*sys.argv[1:4]))
