"""Step 4, store: :func:`load_file` (one file, all or nothing, in one transaction:
de-duplication, inserts, the ``uploads`` record, the models' refresh) and
:func:`load_files` (several, one refresh at the end)."""
from __future__ import annotations

import csv
import json
import os
import uuid
from typing import Any, Callable

from .. import overlay
from ..sql import ident
from ..columns import header_shape
from ..paths import workspace_tz
from . import bounds
from .head import _Head
from .mapping import _check_log, _missing, _read_head, _refusal_for_missing, _resolve_mapping
from .result import LoadResult, Progress, RefusedFile, RejectedRow, Source, _counts_message
from .source import _Workspace
from .typed import (_keep_sql, _MACROS, _malformed_reason, _NULL_SENTINEL, _TRIM, _typed_sql,
                    _used_columns)

# Test hook: called with each stage name in turn -- "read" and "typed" (rows
# parsed in the scratch database), then "insert", "record" and "refresh"
# (inside the store transaction). Raising from it must leave the store as it was.
_FAULT: Callable[[str], None] | None = None


def _stage(name: str) -> None:
    if _FAULT is not None:
        _FAULT(name)


def load_file(store, source: Source, log: str, file_name: str | None = None,
              mapping: dict[str, str] | None = None, sheet: str | None = None,
              source_kind: str = "page", save_mapping: bool = False,
              progress: Progress | None = None, refresh: bool = True) -> LoadResult:
    """Load one file of ``log`` into ``store``; all or nothing.

    The derived models are brought up to date in the file's transaction
    (incrementally); ``refresh=False`` leaves that to the caller, who loads
    several files and then calls ``store.refresh_models(cur, full=False)`` once
    before anyone reads the store (see :func:`load_files`).

    Returns ``status='refused'`` (loading nothing, recording nothing) for a
    file that cannot be loaded: empty, unreadable, or lacking a required
    column. Any other error rolls the file back and is raised."""
    _check_log(log)
    say = progress or (lambda fraction, message: None)
    try:
        ws = _Workspace(source, file_name)
    except RefusedFile as exc:
        name = file_name or (os.path.basename(str(source)) if isinstance(source, (str, os.PathLike)) else "upload")
        return LoadResult(log=log, file_name=name, status="refused", message=exc.message,
                          message_key=exc.key, message_params=exc.params)
    with ws:
        say(0.0, f"reading {ws.name}")
        result = LoadResult(log=log, file_name=ws.name, status="refused", message="")
        try:
            head = _read_head(ws, sheet, full=False)
            result.encoding = head.encoding.label if head.encoding else None
            result.delimiter, result.sheet, result.headers = head.delimiter, head.sheet, head.headers
            eff, _src = _resolve_mapping(log, head.headers, store, mapping)
            result.mapping = eff
            missing = _missing(log, eff)
            if missing:
                raise _refusal_for_missing(log, missing, head.headers)
            say(0.05, "checking the text encoding")
            full = _read_head(ws, sheet, full=True)
            if full.headers != head.headers:  # cannot happen for CSV; xlsx width may grow
                eff, _src = _resolve_mapping(log, full.headers, store, mapping)
                missing = _missing(log, eff)
                if missing:
                    raise _refusal_for_missing(log, missing, full.headers)
                result.mapping = eff
            head = full
        except RefusedFile as exc:
            result.message, result.message_key, result.message_params = exc.message, exc.key, exc.params
            return result
        result.encoding = head.encoding.label if head.encoding else None
        result.headers = head.headers
        used = set(eff.values())
        extra_names = [h for h in head.headers if h not in used]
        result.extra = extra_names
        if len(extra_names) > bounds.MAX_EXTRA_COLUMNS:
            head.notes.append(f"only the first {bounds.MAX_EXTRA_COLUMNS} of {len(extra_names)} extra columns were kept")
        kept_extra = extra_names[:bounds.MAX_EXTRA_COLUMNS]
        say(0.3, "reading rows")
        try:
            _load_sql(store, ws, head, log, eff, kept_extra, source_kind, save_mapping, result, say, refresh)
        except RefusedFile as exc:  # found while reading the rows: nothing was written
            return LoadResult(log=log, file_name=ws.name, status="refused", message=exc.message,
                              message_key=exc.key, message_params=exc.params,
                              encoding=result.encoding, delimiter=result.delimiter, headers=result.headers)
        if result.rejects:
            result.reject_rows = _original_rows(head, {r.line for r in result.rejects})
        result.status = "loaded"
        result.message = _counts_message(result)
        if len(result.rejects) >= bounds.MAX_REJECTS_KEPT:
            head.notes.append(f"only the first {bounds.MAX_REJECTS_KEPT} reject reasons are listed")
        if head.notes:
            result.message += " (" + "; ".join(head.notes) + ")"
        say(1.0, "done")
        return result


def _original_rows(head: _Head, lines: set[int]) -> dict[int, list[str]]:
    """The rejected records as the file has them (all columns), by line number: read
    again from the UTF-8 copy the load parsed (record 1 is the header)."""
    out: dict[int, list[str]] = {}
    if head.csv_path is None or not lines:
        return out
    last = max(lines)
    off = int(head.line_offset)
    csv.field_size_limit(1 << 30)
    with open(head.csv_path, encoding="utf-8-sig", errors="replace", newline="") as f:
        for k, rec in enumerate(csv.reader(f, delimiter=head.delimiter or ",", quotechar='"'), start=1):
            line = k + off
            if line in lines:
                out[line] = [v[:10_000] for v in rec[:bounds.MAX_FIELDS]]
            if line >= last:
                break
    return out


def _load_sql(store, ws: _Workspace, head: _Head, log: str, mapping: dict[str, str],
              extra_names: list[str], source_kind: str, save_mapping: bool,
              result: LoadResult, say: Progress, refresh: bool = True) -> None:
    """Parse and type the rows in a scratch in-memory database attached for
    this load (outside the store's transaction: nothing there touches the
    store), then de-duplicate and write in one store transaction."""
    tag = uuid.uuid4().hex[:12]
    name = f"_cr_scratch_{tag}"
    scratch = ident(name, (name,))  # our own name, quoted like every name written into SQL
    scur = store.cursor()
    scur.execute(f"ATTACH ':memory:' AS {scratch}")
    try:
        typed = _parse_rows(scur, scratch, tag, head, log, mapping, extra_names, result, say)
        # In a delta (a writer's snapshot: nobody reads it before it is published) the models
        # are refreshed in a transaction of their own, as load_files does: a refresh that
        # turns full flattens the delta, dropping the tables this file's transaction wrote,
        # and DuckDB refuses that commit ("another transaction has dropped this table").
        apart = refresh and overlay.is_delta(scur)
        with store.transaction() as cur:
            _write_rows(store, cur, typed, head, log, mapping, source_kind, save_mapping, result, say,
                        refresh and not apart)
        if apart:
            say(0.9, "updating the models")
            with store.transaction() as cur:
                store.refresh_models(cur, full=False)
    finally:
        try:
            scur.execute(f"DETACH {scratch}")
        finally:
            scur.close()


def _parse_rows(scur, scratch: str, tag: str, head: _Head, log: str, mapping: dict[str, str],
                extra_names: list[str], result: LoadResult, say: Progress) -> str:
    rej, scan = f"_cr_rej_{tag}", f"_cr_scan_{tag}"
    raw, excl, lined, typed = (f"{scratch}.main.{x}" for x in ("raw", "excluded", "lined", "typed"))
    n = head.ncols
    for m in _MACROS:
        scur.execute(m)
    idx = {h: i for i, h in enumerate(head.headers)}
    extra_idx = [idx[h] for h in extra_names]
    # A CSV whose records all have the header's width (a clean export) is read
    # strictly, in parallel. A ragged one (see _count_fields) is read with
    # room for its widest record (`width` columns) and padded, serially
    # (padding needs the serial reader when a quoted field spans lines; ~0.1 s
    # per million rows), so DuckDB rejects no row for its field count. Present
    # empty fields then read as '' (nullstr is a value no export contains) and
    # only missing ones as NULL: a NULL last header field marks a short row, a
    # value past the header a long one, and _typed_sql rejects both. An xlsx
    # sheet is padded without flagging: trailing empty cells are not written.
    counts = head.field_counts
    ragged = head.width > 0
    width = max(n, head.width)
    cols = "{" + ", ".join(f"'c{i}': 'VARCHAR'" for i in range(width)) + "}"
    used = _used_columns(head, mapping, extra_idx)
    params = {"path": str(head.csv_path), "delim": head.delimiter or ","}
    if ragged:
        shape = (f"CASE WHEN {'false' if n == 1 else f'c{n - 1} IS NULL'} THEN 'MISSING COLUMNS' "
                 f"WHEN {'false' if width == n else f'c{n} IS NOT NULL'} THEN 'TOO MANY COLUMNS' END")
        shown = ", ".join(f"c{i}" for i in range(min(width, bounds.MAX_VALUE_CHARS)))
        flags = [f"{shape} AS _shape", f"CASE WHEN _shape IS NOT NULL THEN concat_ws($delim, {shown}) END AS _row"]
        reader = "null_padding = true, nullstr = $nullstr, parallel = false"
        params["nullstr"] = _NULL_SENTINEL
    else:
        flags = ["NULL::VARCHAR AS _shape", "NULL::VARCHAR AS _row"]
        # (padding an xlsx sheet needs the serial reader too: a cell may hold a line break)
        reader = "null_padding = true, parallel = false" if head.null_padding else "null_padding = false"
    sel = ", ".join([f"c{i}" for i in used] + [f"{_keep_sql(width)} AS _keep"] + flags)
    scur.execute(
        f"""CREATE TABLE {raw} AS
            SELECT {sel} FROM read_csv($path, header = false, skip = 1, all_varchar = true,
                auto_detect = false, columns = {cols}, delim = $delim, quote = '"', escape = '"',
                {reader}, ignore_errors = true, store_rejects = true,
                rejects_table = '{rej}', rejects_scan = '{scan}')""",
        params,
    )
    # A quoted field left open at the end of the file: the padded reader drops
    # that record (and the rest of the file) without a reject, so compare the
    # records DuckDB returned with those Python counted.
    # Every record Python counted must come back, as a row or a reject: a record
    # DuckDB's reader lost (a line past its buffer, quoting it read differently)
    # refuses the file rather than going missing from the counts.
    lost_tail: int | None = None
    if counts:
        records = sum(v for k, v in counts.items() if k > 0) - 1
        seen = scur.execute(f"SELECT (SELECT count(*) FROM {raw}) + "
                            f"(SELECT count(DISTINCT line) FROM {rej})").fetchone()[0]
        if ragged and records == seen + 1:
            lost_tail = 2 + int(seen) + counts.get(0, 0) + int(head.line_offset)
        elif records > seen:
            raise RefusedFile.said("ingest_rows_lost", seen=f"{int(seen):,}", n=f"{records:,}")
    _stage("read")
    say(0.45, "checking rows")
    # -- line numbers: the complement of rejected and blank record numbers ----
    # rowid is the row's position among the good rows (file order).
    off = int(head.line_offset)
    scur.execute(f"CREATE TABLE {excl} AS SELECT DISTINCT line::BIGINT AS line FROM {rej}")
    if head.blank_records:
        scur.execute(f"INSERT INTO {excl} SELECT unnest($b)::BIGINT EXCEPT SELECT line FROM {excl}",
                     {"b": head.blank_records})
    n_excluded = scur.execute(f"SELECT count(*) FROM {excl}").fetchone()[0]
    if n_excluded == 0:  # read in place by the typing SELECT (no copy of the rows)
        src = f"(SELECT rowid + 2 + {off} AS line, * FROM {raw})"
    else:
        src = lined
        # The i-th excluded record number e_i (in order) has e_i - 1 - i good
        # rows before it; good row k (0-based) therefore comes after exactly
        # the excluded records whose threshold is <= k.
        scur.execute(f"""
            CREATE TABLE {lined} AS
            WITH ex AS (SELECT line - 1 - row_number() OVER (ORDER BY line) AS t,
                               row_number() OVER (ORDER BY line) AS i FROM {excl}),
                 th AS (SELECT t, max(i) AS i FROM ex GROUP BY t),
                 r AS (SELECT rowid AS rid, * FROM {raw})
            SELECT r.rid + 2 + coalesce(th.i, 0) + {off} AS line, r.* EXCLUDE (rid)
            FROM r ASOF LEFT JOIN th ON r.rid >= th.t
        """)
        scur.execute(f"DROP TABLE {raw}")
    params: dict[str, Any] = {"tz": workspace_tz()}
    for j, h in enumerate(extra_names):
        params[f"x{j}"] = h
    scur.execute(_typed_sql(log, head, mapping, extra_idx, src, typed), params)
    scur.execute(f"DROP TABLE {raw if src != lined else lined}")
    _stage("typed")
    say(0.6, "listing rejected rows")

    # -- rejects ----------------------------------------------------------------
    malformed = f"""
        SELECT line::BIGINT + {off} AS line, any_value(error_type::VARCHAR) AS et,
               left(trim(any_value(csv_line), '{_TRIM}'), {bounds.MAX_VALUE_CHARS}) AS val
        FROM {rej}
        GROUP BY line
        HAVING trim(any_value(csv_line), '{_TRIM}') <> ''"""
    n_bad_rows = scur.execute(f"SELECT count(*) FROM ({malformed})").fetchone()[0]
    n_bad_values, n_rows = scur.execute(
        f"SELECT count(*) FILTER (WHERE errs IS NOT NULL), count(*) FROM {typed}").fetchone()
    rejects_sql = f"""
        SELECT line, col, reason, val FROM (
            SELECT line, '(row)' AS col, et AS reason, val, 0 AS k FROM ({malformed})
            UNION ALL
            SELECT line, e.col, e.reason, e.val, e.k
            FROM (SELECT line, unnest(errs) AS e FROM {typed} WHERE errs IS NOT NULL)
        ) ORDER BY line, k LIMIT {bounds.MAX_REJECTS_KEPT}"""
    rejects = []
    for line, col, reason, val in scur.execute(rejects_sql).fetchall():
        if col == "(row)":
            if reason == "LINE SIZE OVER MAXIMUM":
                val = None  # DuckDB's copy of an over-long line can be another line's text
            reason = _malformed_reason(reason, n)
        rejects.append(RejectedRow(int(line), col, reason, val))
    if lost_tail is not None:
        n_bad_rows += 1
        if len(rejects) < bounds.MAX_REJECTS_KEPT:
            rejects.append(RejectedRow(lost_tail, "(row)", _malformed_reason("UNCLOSED TAIL", n), None))
    result.rejects = rejects
    result.rows_read = int(n_rows + n_bad_rows)
    result.rejected = int(n_bad_rows + n_bad_values)
    if head.records is not None:
        result.blank = max(0, head.records - result.rows_read)
    for t in (rej, scan):
        scur.execute(f"DROP TABLE IF EXISTS {t}")
    return typed


_JOIN_COLS = "user_id, joined_at, article_id, group_id, extra, upload_id"
_SALES_COLS = "user_id, event, occurred_at, rep, amount, order_id, extra, upload_id"
_NEW_ROWS = "_cr_new_rows"


def _insert_numbered(cur, into: str, cols: str, seq: str, rows_sql: str, params: dict) -> int:
    """Insert the rows ``rows_sql`` selects (``cols`` and the file's ``line``) into ``into``
    with their uh and row ids from the sequence ``seq`` in line order: a block of ids is
    taken from the sequence and numbered by ``row_number() OVER (ORDER BY line)``.
    (``nextval()`` in the INSERT's own projection ran before its ORDER BY, in whatever
    order a parallel GROUP BY or join gave: the same file could get other ids in another
    store.) Returns the count."""
    seq_sql = {"joins_row_seq": "nextval('joins_row_seq')", "sales_row_seq": "nextval('sales_row_seq')"}[seq]
    cur.execute(f"CREATE OR REPLACE TEMP TABLE {_NEW_ROWS} AS {rows_sql}", params)
    try:
        n = cur.execute(f"SELECT count(*) FROM {_NEW_ROWS}").fetchone()[0]
        if n:
            first = cur.execute(f"SELECT {seq_sql}").fetchone()[0]
            if n > 1:  # the rest of the block: the sequence moves on by n in all
                cur.execute(f"SELECT max({seq_sql}) FROM range($k)", {"k": n - 1})
            # and each row's uh (the models' user_hash: 10_stg_touches.sql), which the next
            # refresh would otherwise fill in (refresh.assign_user_hashes)
            cur.execute(f"INSERT INTO {into} ({cols}, row_id, uh) SELECT {cols}, "
                        f"$first + row_number() OVER (ORDER BY line) - 1, user_hash(user_id) "
                        f"FROM {_NEW_ROWS} ORDER BY line",
                        {"first": first})
        return int(n)
    finally:
        cur.execute(f"DROP TABLE IF EXISTS {_NEW_ROWS}")


def _write_rows(store, cur, typed: str, head: _Head, log: str, mapping: dict[str, str],
                source_kind: str, save_mapping: bool, result: LoadResult, say: Progress,
                refresh: bool = True) -> None:
    say(0.7, "checking for duplicates")
    upload_id = cur.execute("SELECT nextval('upload_seq')").fetchone()[0]
    result.upload_id = int(upload_id)
    good = f"(SELECT * EXCLUDE (errs) FROM {typed} WHERE errs IS NULL)"
    n_good = result.rows_read - result.rejected
    p = {"uid": upload_id}
    if log == "joins":
        accepted = _insert_numbered(cur, overlay.target(cur, "joins"), _JOIN_COLS, "joins_row_seq", f"""
            WITH n AS (
                SELECT user_id, joined_at, article_id, group_id,
                       arg_min_null(extra, line) AS extra, min(line) AS line
                FROM {good} GROUP BY user_id, joined_at, article_id, group_id),
            -- the stored rows that may repeat one: found by the two NOT NULL keys (plain
            -- equality, so the scan skips row groups outside the file's times: 10x, 0.4 s
            -- -> 5 ms for a new day's file), then compared in full below
            seen AS (SELECT j.user_id, j.joined_at, j.article_id, j.group_id FROM joins AS j
                     SEMI JOIN n ON j.user_id = n.user_id AND j.joined_at = n.joined_at)
            SELECT user_id, joined_at, article_id, group_id, extra, $uid AS upload_id, line FROM n
            WHERE NOT EXISTS (
                SELECT 1 FROM seen AS j
                WHERE j.user_id = n.user_id AND j.joined_at = n.joined_at
                  AND j.article_id IS NOT DISTINCT FROM n.article_id
                  AND j.group_id IS NOT DISTINCT FROM n.group_id)""", p)
        updated = 0
    elif log == "sales":
        into = overlay.target(cur, "sales")  # the delta's own rows in a delta snapshot
        accepted = _insert_numbered(cur, into, _SALES_COLS, "sales_row_seq", f"""
            SELECT user_id, event, occurred_at, rep, amount, order_id, extra, $uid AS upload_id, line FROM (
                SELECT * FROM {good} WHERE order_id IS NOT NULL
                QUALIFY row_number() OVER (PARTITION BY order_id, event ORDER BY line) = 1) AS n
            WHERE NOT EXISTS (
                SELECT 1 FROM sales AS s WHERE s.order_id = n.order_id AND s.event = n.event)""", p)
        accepted += _insert_numbered(cur, into, _SALES_COLS, "sales_row_seq", f"""
            WITH n AS (
                -- the first line of each duplicate group (a hash GROUP BY: 2x faster than
                -- a window over the five keys at 3 M rows)
                SELECT user_id, event, occurred_at, rep, amount,
                       arg_min_null(extra, line) AS extra, min(line) AS line
                FROM {good} WHERE order_id IS NULL
                GROUP BY user_id, event, occurred_at, rep, amount),
            seen AS (  -- as for joins: the stored rows that may repeat one, by equality first
                SELECT s.user_id, s.event, s.occurred_at, s.rep, s.amount, s.order_id FROM sales AS s
                SEMI JOIN n ON s.user_id = n.user_id AND s.occurred_at = n.occurred_at)
            SELECT user_id, event, occurred_at, rep, amount, NULL AS order_id, extra, $uid AS upload_id,
                   line FROM n
            WHERE NOT EXISTS (
                SELECT 1 FROM seen AS s
                WHERE s.order_id IS NULL AND s.user_id = n.user_id AND s.event = n.event
                  AND s.occurred_at = n.occurred_at
                  AND s.rep IS NOT DISTINCT FROM n.rep
                  AND s.amount IS NOT DISTINCT FROM n.amount)""", p)
        updated = 0
    else:
        latest = f"_cr_latest_{uuid.uuid4().hex[:12]}"
        cur.execute(f"""CREATE TEMP TABLE {latest} AS SELECT * FROM {good}
                        QUALIFY row_number() OVER (PARTITION BY article_id ORDER BY line DESC) = 1""")
        same_cond = """a.title = n.title AND a.channel = n.channel AND a.published_at = n.published_at
              AND a.author IS NOT DISTINCT FROM n.author AND a.reads IS NOT DISTINCT FROM n.reads
              AND a.cost IS NOT DISTINCT FROM n.cost
              AND a.extra::VARCHAR IS NOT DISTINCT FROM n.extra::VARCHAR"""
        updated = cur.execute(f"""
            SELECT count(DISTINCT n.article_id) FROM {latest} AS n JOIN articles AS a USING (article_id)
            WHERE NOT ({same_cond})""").fetchone()[0]
        cur.execute(f"""
            DELETE FROM articles AS a USING {latest} AS n
            WHERE a.article_id = n.article_id AND NOT ({same_cond})""")
        accepted = cur.execute(f"""
            INSERT INTO articles (article_id, title, channel, published_at, author, reads, cost, extra, upload_id)
            SELECT article_id, title, channel, published_at, author, reads, cost, extra, $uid
            FROM {latest} AS n
            WHERE NOT EXISTS (SELECT 1 FROM articles AS a WHERE a.article_id = n.article_id)
            ORDER BY line""", p).fetchone()[0]
        cur.execute(f"DROP TABLE {latest}")
    result.accepted = int(accepted)
    result.updated = int(updated)
    result.duplicates = int(n_good - accepted)
    _stage("insert")
    say(0.8, "recording the upload")

    cur.execute(
        """INSERT INTO uploads (upload_id, log, file_name, uploaded_at, source, encoding, delimiter,
                                sheet, rows_read, accepted, rejected, duplicates, updated, mapping)
           VALUES ($uid, $log, $name, timezone($tz, now()), $src, $enc, $delim, $sheet,
                   $read, $acc, $rej, $dup, $upd, $mapping::JSON)""",
        {"uid": upload_id, "log": log, "name": result.file_name, "tz": workspace_tz(),
         "src": source_kind, "enc": result.encoding, "delim": result.delimiter,
         "sheet": result.sheet, "read": result.rows_read, "acc": result.accepted,
         "rej": result.rejected, "dup": result.duplicates, "upd": result.updated,
         "mapping": json.dumps(mapping, ensure_ascii=False)},
    )
    if save_mapping:
        cur.execute(
            """INSERT OR REPLACE INTO column_mappings (log, shape, mapping, saved_at)
               VALUES ($log, $shape, $mapping::JSON, timezone($tz, now()))""",
            {"log": log, "shape": header_shape(head.headers), "tz": workspace_tz(),
             "mapping": json.dumps(mapping, ensure_ascii=False)},
        )
    _stage("record")
    if refresh:
        say(0.9, "updating the models")
        store.refresh_models(cur, full=False)
    _stage("refresh")


def load_files(store, files: list[dict[str, Any]], source_kind: str = "page",
               progress: Progress | None = None) -> list[LoadResult]:
    """Load several files into ``store`` with one model refresh at the end.

    ``files``: dicts of ``load_file``'s arguments (``source``, ``log``, and any of
    ``file_name``, ``mapping``, ``sheet``, ``save_mapping``). Each file is still
    all or nothing (its own transaction; a refused file loads nothing and the
    others go on); the derived models are brought up to date once, after the last
    file, in their own transaction. Meant for a store nobody reads until this
    returns (a Workspace writer's unpublished snapshot, a fresh temporary store).
    If a file raises, the models are refreshed for the files before it, then the
    error is raised."""
    say = progress or (lambda fraction, message: None)
    results: list[LoadResult] = []
    n = max(len(files), 1)
    try:
        for i, spec in enumerate(files):
            spec = dict(spec)

            def part(frac: float, msg: str, i: int = i) -> None:
                say(min(0.9, (i + frac) / n * 0.9), msg)

            results.append(load_file(store, spec.pop("source"), spec.pop("log"), source_kind=source_kind,
                                     progress=part, refresh=False, **spec))
    finally:
        if any(r.status == "loaded" for r in results):
            say(0.9, "updating the models")
            with store.transaction() as cur:
                store.refresh_models(cur, full=False)
    say(1.0, "done")
    return results


def _size(source: Any) -> int:
    """A source's size in bytes, as far as it is known without reading it (0 if not)."""
    if isinstance(source, (bytes, bytearray)):
        return len(source)
    size = getattr(source, "size", None)  # Streamlit's UploadedFile
    if isinstance(size, int):
        return size
    try:
        return os.stat(source).st_size
    except (TypeError, ValueError, OSError):
        return 0


def publish_files(workspace, files: list[dict[str, Any]], source_kind: str = "page",
                  progress: Progress | None = None, prepare: Callable[[Any], None] | None = None
                  ) -> list[LoadResult]:
    """THE way files reach a published store -- the ``load`` command and the Data page's
    upload both come here: every file into ONE new snapshot of ``workspace`` (a
    store.Workspace) with one model refresh (:func:`load_files`), published once, so one
    Undo takes them all back. Each file is all or nothing; when every file is refused
    nothing is published. ``prepare(store)`` runs first, in the same snapshot (the page's
    "replace the sample")."""
    from ..store import Abort

    results: list[LoadResult] = []
    with workspace.writer(adds=sum(_size(f.get("source")) for f in files), whole=prepare is not None) as store:
        if prepare is not None:
            prepare(store)
        results = load_files(store, files, source_kind=source_kind, progress=progress)
        if all(r.status == "refused" for r in results):
            raise Abort()  # leaves the writer without publishing
    return results
