"""A reader in its own process, reading the store the way an app process does
(``st_app.read_view``: the cached reader of the published snapshot). The test
writes ``check`` lines to stdin; each gets one JSON line back: what it sees."""
from __future__ import annotations

import json
import sys
import warnings

warnings.filterwarnings("ignore")


sys.path.insert(0, str(__import__("pathlib").Path(__file__).resolve().parent.parent))


def main() -> None:
    import logging

    logging.disable(logging.WARNING)
    from contentroi import st_app

    for line in sys.stdin:
        if line.strip() != "check":
            continue
        try:
            v = st_app.read_view()
            cur = v.store.cursor()
            ids = sorted(r[0] for r in cur.execute("SELECT article_id FROM articles").fetchall())
            joins = cur.execute("SELECT count(*) FROM joins").fetchone()[0]
            sales = cur.execute("SELECT count(*) FROM sales").fetchone()[0]
            model = cur.execute("SELECT count(*) FROM fct_user_article").fetchone()[0]
            out = {"articles": ids, "joins": joins, "sales": sales, "facts": model,
                   "snapshot": v.snapshot.name, "fallback": v.fallback}
        except Exception as exc:  # noqa: BLE001
            out = {"error": f"{type(exc).__name__}: {exc}"}
        print(json.dumps(out), flush=True)


if __name__ == "__main__":
    main()
