"""``python -m contentroi``: report, load, sample (CONTRACT §3)."""
from __future__ import annotations

import argparse
import datetime as dt
import io
import json
import sys
from pathlib import Path
from typing import Any, Sequence

import duckdb

from . import engine
from .engine import MODELS, Params
from .paths import default_db_path
from .store import Store, StoreError, Workspace


class UsageError(Exception):
    """Bad arguments or a refused file: exit 2 with one line."""


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> None:  # one line, exit 2 (not argparse's usage dump)
        raise UsageError(message)


def _date(text: str) -> dt.date:
    try:
        d = dt.date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a date (YYYY-MM-DD): {text!r}") from None
    if not engine.date_in_range(d):
        raise argparse.ArgumentTypeError(
            f"{text} is out of range: dates from {engine.DATE_MIN} to {engine.DATE_MAX}")
    return d


def _count(text: str) -> int:
    try:
        n = int(text)
    except ValueError:
        n = 0
    if n < 1:
        raise argparse.ArgumentTypeError(f"must be a whole number, at least 1: {text!r}")
    return n


def _db_path(db: str | None) -> Path:
    """The store named by --db (default: $CONTENTROI_DB or data/contentroi.duckdb)."""
    if db is None:
        return default_db_path()
    if not db.strip():
        raise UsageError("--db needs a file path")
    return Path(db)


def _existing_store(db: str | None) -> Path:
    path = _db_path(db)
    if not path.is_file():
        raise UsageError(f"no store at {path}: load files first (python -m contentroi load) or pass --db")
    if path.stat().st_size == 0:
        raise UsageError(f"{path} is an empty file, not a Content ROI store")
    return path


def _write_out(out: str | None, text: str) -> None:
    if not out:
        sys.stdout.write(text)
        return
    try:
        Path(out).write_text(text, encoding="utf-8")
    except OSError as exc:
        raise UsageError(f"cannot write {out}: {exc.strerror or exc}") from None


def _window(text: str) -> int:
    try:
        n = int(text)
    except ValueError:
        n = 0
    if not engine.WINDOW_MIN <= n <= engine.WINDOW_MAX:
        raise argparse.ArgumentTypeError(
            f"must be a whole number of days from {engine.WINDOW_MIN} to {engine.WINDOW_MAX}: {text!r}")
    return n


def _add_files(p: argparse.ArgumentParser, nargs: int | str) -> None:
    for log in ("articles", "joins", "sales"):
        p.add_argument(f"--{log}", action="extend", nargs=nargs, default=[], metavar="F",
                       help=f"{log} log file(s): CSV or .xlsx; repeatable")


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(prog="python -m contentroi", description="Content ROI: funnel and ROI of content.")
    sub = parser.add_subparsers(dest="command", required=True, parser_class=_Parser)

    rep = sub.add_parser("report", help="compute the metrics (the same SQL as the pages)")
    rep.add_argument("--db", help="a store file (default: $CONTENTROI_DB or data/contentroi.duckdb)")
    _add_files(rep, 1)
    rep.add_argument("--from", dest="date_from", type=_date, help="period start, YYYY-MM-DD (inclusive)")
    rep.add_argument("--to", dest="date_to", type=_date, help="period end, YYYY-MM-DD (inclusive)")
    rep.add_argument("--channel", action="append", default=[], help="a channel; repeat for several")
    rep.add_argument("--window-days", type=_window, default=engine.DEFAULT_WINDOW)
    rep.add_argument("--model", choices=MODELS, default=engine.DEFAULT_MODEL)
    rep.add_argument("--format", choices=("json", "csv", "md"), default="json")
    rep.add_argument("--out", help="write to this file instead of standard output")

    load = sub.add_parser("load", help="add log files to a store with the upload's rules")
    load.add_argument("--db", help="a store file (default: $CONTENTROI_DB or data/contentroi.duckdb)")
    _add_files(load, "+")

    rb = sub.add_parser("rebuild", help="rebuild every derived table from the logs (loads update them "
                        "incrementally; this is the full rebuild)")
    rb.add_argument("--db", help="a store file (default: $CONTENTROI_DB or data/contentroi.duckdb)")

    dg = sub.add_parser("digest", help="the daily or weekly digest (Markdown or self-contained HTML)")
    dg.add_argument("--period", choices=("day", "week"), default="week")
    dg.add_argument("--date", type=_date, help="the period's last day, YYYY-MM-DD (default: the last "
                    "complete period before the latest event in the store)")
    dg.add_argument("--db", help="a store file (default: $CONTENTROI_DB or data/contentroi.duckdb)")
    dg.add_argument("--channel", action="append", default=[], help="a channel; repeat for several")
    dg.add_argument("--window-days", type=_window, default=engine.DEFAULT_WINDOW)
    dg.add_argument("--model", choices=MODELS, default=engine.DEFAULT_MODEL)
    dg.add_argument("--format", choices=("md", "html"), default="md")
    dg.add_argument("--lang", choices=("en", "zh"), default=None, help="en (default) or zh; or `lang` in [digest]")
    dg.add_argument("--out", help="write to this file instead of standard output")
    dg.add_argument("--post", nargs="?", const="", default=None, metavar="URL",
                    help="post the digest to a chat webhook (WeCom, DingTalk, Feishu/Lark or generic JSON); "
                    "without URL: `webhook` of [digest] in the config or $CONTENTROI_WEBHOOK")
    dg.add_argument("--platform", choices=("auto", "wecom", "dingtalk", "feishu", "generic"), default=None,
                    help="the webhook's platform (default: by the URL's host, else generic)")
    dg.add_argument("--config", help="the config file with a [digest] section "
                    "(default: $CONTENTROI_CONFIG, else .streamlit/secrets.toml)")

    smp = sub.add_parser("sample", help="write the generated sample world as three CSV logs")
    smp.add_argument("out_dir")
    smp.add_argument("--articles", type=_count, default=200)
    smp.add_argument("--joins", type=_count, default=10_000)
    smp.add_argument("--seed", type=int, default=7)
    return parser


# ---- load ---------------------------------------------------------------------

def _file_args(args) -> list[tuple[str, str]]:
    return [(log, f) for log in ("articles", "joins", "sales") for f in getattr(args, log)]


def _file_specs(files: list[tuple[str, str]]) -> list[dict[str, Any]]:
    """``ingest.load_files``' specs of the named files (a missing one: exit 2, nothing loaded)."""
    missing = [f for _, f in files if not Path(f).is_file()]
    if missing:
        raise UsageError(f"no such file: {', '.join(missing)} (nothing was loaded)")
    return [{"source": f, "log": log, "file_name": Path(f).name} for log, f in files]


def cmd_load(args) -> int:
    """Load every named file into ONE new snapshot, published once at the end.

    Every file is all-or-nothing on its own (a refused file adds nothing; the others
    still load, and the command exits 1). Files that do not exist are caught before
    anything is loaded (exit 2, nothing changed). An error that stops the command
    part-way publishes nothing. Every file gets its summary line, and one Undo on the
    Data page takes back the whole command.
    """
    from . import ingest

    files = _file_args(args)
    if not files:
        raise UsageError("name at least one file: --articles F, --joins F or --sales F")
    specs = _file_specs(files)
    ws = Workspace(_db_path(args.db))
    try:
        broken = _damaged_note(ws)
        results = ingest.publish_files(ws, specs, "cli")  # the Data page's route too
    except StoreError as exc:
        raise UsageError(f"{exc} (nothing was loaded)") from None
    if broken:
        print(f"warning: {broken}", file=sys.stderr)
    print(ingest.format_summary(results))
    return 1 if any(r.status == "refused" for r in results) else 0


def cmd_rebuild(args) -> int:
    import time

    db = Path(args.db) if args.db else default_db_path()
    if not (db.is_file() or db.is_symlink()):
        raise UsageError(f"no store at {db}: load files first (python -m contentroi load) or pass --db")
    t = time.perf_counter()
    try:
        with Workspace(db).writer(whole=True) as store:
            store.drop_derived()  # (in the writer's new snapshot: the rebuild reuses their space)
            with store.transaction() as cur:
                store.refresh_models(cur, full=True)
    except StoreError as exc:
        raise UsageError(str(exc)) from None
    print(f"rebuilt the derived tables of {db} in {time.perf_counter() - t:.1f} s")
    return 0


def _damaged_note(ws: Workspace) -> str | None:
    """A line saying the published snapshot is damaged and which one a change starts from."""
    cur = ws.current()
    if cur is None or not ws.path.is_symlink():
        return None
    if ws.is_good(cur):  # (remembered: the writer after it does not open the snapshot again)
        return None
    store, status = ws.probe(cur)
    if store is not None:
        store.close()
        return None
    if status == "old":
        return None
    shown = ws.shown()
    reason = "missing" if status == "missing" else f"unreadable ({status})"
    base = f"continuing from {shown.name}" if shown else "no readable snapshot: starting from an empty store"
    return f"the published snapshot {cur.name} of {ws.path} is {reason}; {base}"


def _read_store(db_arg: str | None) -> Store:
    """The store to report on (``report``, ``digest``), read-only, by the pages' route
    (``Workspace.open_read``): a store whose models an older release built is refreshed
    first, in a new published snapshot. A published workspace (the path is a link to a
    snapshot) whose snapshot is missing or damaged is one line and exit 2, naming the
    newest readable snapshot; so is a missing store."""
    db = _db_path(db_arg)
    if not db.is_symlink():
        _existing_store(db_arg)
    try:
        view = Workspace(db).open_read(adopt=False)
    except StoreError as exc:
        raise UsageError(str(exc)) from None
    if view.fallback:
        view.store.close()
        reason = "missing" if view.error == "missing" else f"unreadable ({view.error})"
        raise UsageError(
            f"the published snapshot {view.broken.name} of the store {db} is {reason}; the newest "
            f"readable snapshot is {view.snapshot} (report on it with --db {view.snapshot}, "
            f"or undo on the Data page)")
    return view.store


# ---- report -------------------------------------------------------------------

def _ingest_summary(results) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for r in results:
        key = r.file_name if r.file_name not in out else f"{r.log}:{r.file_name}"
        out[key] = {"log": r.log, "accepted": r.accepted, "rejected": r.rejected, "duplicates": r.duplicates}
    return out


def cmd_report(args) -> int:
    try:
        params = Params(
            date_from=args.date_from, date_to=args.date_to, channels=tuple(args.channel),
            window_days=args.window_days, model=args.model,
        )
    except ValueError as exc:
        raise UsageError(str(exc)) from None
    from . import ingest

    files = _file_args(args)
    if files and args.db:
        raise UsageError("give either --db or --articles/--joins/--sales, not both")
    if files:
        store = Store(":memory:")
        results = ingest.load_files(store, _file_specs(files), source_kind="report")
        refused = [r for r in results if r.status == "refused"]
        if refused:
            raise UsageError(f"{refused[0].file_name}: {refused[0].message}")
        for r in results:
            if r.rejected:
                print(f"warning: {r.file_name}: {r.rejected} row(s) rejected", file=sys.stderr)
        ingest_info = _ingest_summary(results)
    else:
        store = _read_store(args.db)
        ingest_info = {}
    with store:
        _warn_unknown_channels(store, params)
        with store.cursor() as cur:
            text = render_report(cur, params, args.format, ingest_info)
    _write_out(args.out, text)
    return 0


def _warn_unknown_channels(store: Store, params: Params) -> None:
    """A channel the store does not have is reported (zeros) with a warning: a
    misspelt name should not pass for a channel without results."""
    if not params.channels:
        return
    known = engine.records(engine.query(store, "channel_list", Params()))
    names = [r["channel"] for r in known]
    unknown = [c for c in params.channels if c not in names]
    if unknown:
        print(f"warning: no such channel in the store: {', '.join(unknown)} "
              f"(channels: {', '.join(names) or 'none'})", file=sys.stderr)


def render_report(cur, params: Params, fmt: str, ingest_info: dict[str, Any]) -> str:
    """The report's text. JSON and CSV are written by DuckDB (contentroi/export.py):
    no pandas, no Python loop over rows."""
    from . import export

    if fmt == "json":
        return export.report_json(cur, params.bind(), params.as_dict(), ingest_info)
    if fmt == "csv":
        return export.report_csv(cur, params.bind())
    rep = engine.report(cur, params)
    rep.ingest = ingest_info
    return render(rep, fmt)


def render(rep: engine.Report, fmt: str) -> str:
    obj = rep.to_json_obj()
    if fmt == "json":
        return json.dumps(obj, ensure_ascii=False, indent=2) + "\n"
    if fmt == "csv":
        return _render_csv(obj)
    return _render_md(obj)


_CSV_FIELDS = ("level", "channel", "article_id", "title", "author", "published_at") + tuple(
    f for f in engine.ARTICLE_FIELDS if f not in ("article_id", "title", "channel", "author", "published_at")
) + ("unattributed_revenue",)


def _render_csv(obj: dict[str, Any]) -> str:
    from .fmt import safe_csv_rows

    rows = [{"level": "total", **obj["totals"]}]
    rows += [{"level": "channel", **r} for r in obj["channels"]]
    rows += [{"level": "article", **r} for r in obj["articles"]]
    return safe_csv_rows(rows, _CSV_FIELDS, bom=False).decode("utf-8")


_MD_TEXT_FIELDS = {"channel", "title", "author", "article_id"}  # user text: made inert


def _md_cell(v: Any, col: str = "") -> str:
    from .fmt import md_escape

    if v is None:
        return "—"
    if col in _MD_TEXT_FIELDS:
        return md_escape(v, limit=500)
    return str(v).replace("|", "\\|").replace("\n", " ")


def _md_table(rows: list[dict[str, Any]], cols: Sequence[str]) -> str:
    lines = ["| " + " | ".join(cols) + " |", "|" + "---|" * len(cols)]
    lines += ["| " + " | ".join(_md_cell(r.get(c), c) for c in cols) + " |" for r in rows]
    return "\n".join(lines)


def _render_md(obj: dict[str, Any]) -> str:
    from .fmt import md_escape

    p = obj["params"]
    parts = [
        "# Content ROI report",
        "",
        f"Period: {p['date_from'] or 'all'} to {p['date_to'] or 'all'} · channels: "
        f"{', '.join(md_escape(c, limit=500) for c in p['channels']) or 'all'} · window: {p['window_days']} days · model: {p['model']}",
        "",
        "## Totals",
        "",
        _md_table([obj["totals"]], engine.TOTAL_FIELDS),
        "",
        "## Channels",
        "",
        _md_table(obj["channels"], ("channel",) + engine.TOTAL_FIELDS),
        "",
        "## Articles",
        "",
        _md_table(obj["articles"], engine.ARTICLE_FIELDS),
        "",
    ]
    return "\n".join(parts)


# ---- sample -------------------------------------------------------------------

def cmd_sample(args) -> int:
    from . import sample

    try:
        paths = sample.generate(args.out_dir, n_articles=args.articles, n_joins=args.joins, seed=args.seed)
    except OSError as exc:
        raise UsageError(f"cannot write {args.out_dir}: {exc.strerror or exc}") from None
    for log, path in paths.items():
        print(f"{log}: {path}")
    return 0


# ---- digest -------------------------------------------------------------------

def cmd_digest(args) -> int:
    from functools import partial

    from . import digest

    params = Params(channels=tuple(args.channel), window_days=args.window_days, model=args.model)
    store = _read_store(args.db)
    target, lang = None, args.lang or "en"
    if args.post is not None or args.config:
        target, lang = _digest_target(args)
    with store:
        d = digest.build(partial(engine.query, store), params, args.period, args.date)
    text = digest.render(d, args.format, lang)
    if args.out:
        _write_out(args.out, text)
    elif target is None:
        sys.stdout.write(text)
    if target is not None:
        from . import webhooks

        try:
            webhooks.post_digest(target, d, lang)
        except webhooks.PostError as exc:
            raise UsageError(str(exc)) from None
        print(f"posted {digest.title(d, 'en')} to the {target.platform} webhook {webhooks.redact(target.url)}")
    return 0


def _digest_target(args) -> tuple[Any, str]:
    """The chat webhook of ``--post [URL]`` (URL, else [digest] / the environment) and the language."""
    from . import webhooks

    try:
        cfg = webhooks.read_config(Path(args.config) if args.config else None)
        if args.config and not Path(args.config).is_file():
            raise UsageError(f"no config file at {args.config}")
        lang = args.lang or str(cfg.get("lang") or "en")
        if lang not in ("en", "zh"):
            raise UsageError(f"lang in [digest] must be en or zh: {lang!r}")
        if args.post is None:
            return None, lang
        target = webhooks.target_from(cfg, url=args.post or None, platform=args.platform)
    except webhooks.PostError as exc:
        raise UsageError(str(exc)) from None
    if target is None:
        raise UsageError("--post needs a webhook: --post URL, `webhook` in the [digest] section of the config "
                         "or $CONTENTROI_WEBHOOK")
    return target, lang


COMMANDS = {"report": cmd_report, "load": cmd_load, "sample": cmd_sample, "digest": cmd_digest,
            "rebuild": cmd_rebuild}


def main(argv: Sequence[str] | None = None) -> int:
    try:
        args = build_parser().parse_args(argv)
        return COMMANDS[args.command](args)
    except UsageError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    except (StoreError, duckdb.Error, OSError) as exc:
        # A store that cannot be reached or read (damaged, truncated, a directory
        # that does not exist): one line, as for any other bad argument.
        text = " ".join(str(exc).split()) or exc.__class__.__name__
        print(f"error: the store cannot be used: {text}", file=sys.stderr)
        return 2
