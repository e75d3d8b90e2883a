"""The metrics layer: every registered rate and derived measure is computed through its
one definition (queries/models/35_metrics.sql, described by contentroi/metrics.py), in
every query and in Python. Each test names the file and line that broke the rule."""
from __future__ import annotations

import re
from pathlib import Path

import duckdb
import pytest

from contentroi import i18n, metrics

ROOT = Path(__file__).resolve().parent.parent
LAYER = ROOT / "queries" / "models" / "35_metrics.sql"
WILSON = ROOT / "queries" / "models" / "30_wilson.sql"  # the interval's formula, used by the layer
QUERIES = sorted((ROOT / "queries").glob("*.sql")) + sorted(
    p for p in (ROOT / "queries" / "models").glob("*.sql") if p not in (LAYER, WILSON))


def _code_lines(path: Path):
    for i, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        code = line.split("--", 1)[0]
        if code.strip():
            yield i, code


# the layer's building blocks: only the layer itself may call them
GENERIC = re.compile(r"\b(rate|ratio|wilson_lo|wilson_hi)\s*\(|/\s*nullif\s*\(")
# an output column named like a registered rate / derived measure (with a suffix)
DERIVED = [m.key for m in metrics.REGISTRY if m.grain == "ratio"]
ALIAS = re.compile(r"\bAS\s+(" + "|".join(DERIVED) + r")(_prev|_lo|_hi)?\b", re.I)


def test_no_query_computes_a_rate_outside_the_layer():
    bad = [f"{p.relative_to(ROOT)}:{i}: {code.strip()}"
           for p in QUERIES for i, code in _code_lines(p) if GENERIC.search(code)]
    assert not bad, ("a rate computed outside queries/models/35_metrics.sql — call the metric's "
                     "macro instead:\n" + "\n".join(bad))


def test_every_registered_output_column_comes_from_its_macro():
    bad = []
    for p in QUERIES:
        for i, code in _code_lines(p):
            for m in ALIAS.finditer(code):
                key, suffix = m.group(1), m.group(2) or ""
                fn = key + (suffix if suffix in ("_lo", "_hi") else "")
                if not re.search(rf"\b{fn}\s*\(", code[: m.start()]):
                    bad.append(f"{p.relative_to(ROOT)}:{i}: {key}{suffix} not computed by {fn}(...)")
    assert not bad, "\n".join(bad)


def test_python_computes_no_registered_rate_by_hand():
    """A registered rate's numerator divided by its denominator, written out in Python."""
    pairs = {(m.num, m.den) for m in metrics.REGISTRY if m.num}
    pat = re.compile(r"""\[?["']?(\w+)["']?\]?\s*/\s*\w*\[?["']?(\w+)["']?\]?""")
    bad = []
    for p in list((ROOT / "contentroi").rglob("*.py")) + list((ROOT / "pages").glob("*.py")):
        if p.name == "metrics.py":
            continue
        for i, line in enumerate(p.read_text(encoding="utf-8").splitlines(), 1):
            code = line.split("#", 1)[0]
            for a, b in pat.findall(code):
                if (a, b) in pairs:
                    bad.append(f"{p.relative_to(ROOT)}:{i}: {code.strip()}")
    assert not bad, "use metrics.ratio / the SQL macro:\n" + "\n".join(bad)


def _layer() -> duckdb.DuckDBPyConnection:
    con = duckdb.connect()
    con.execute((ROOT / "queries" / "models" / "30_wilson.sql").read_text(encoding="utf-8"))
    con.execute(LAYER.read_text(encoding="utf-8"))
    return con


def test_registry_and_macros_agree():
    con = _layer()
    macros = {r[0] for r in con.execute(
        "SELECT function_name FROM duckdb_functions() WHERE function_type = 'macro'").fetchall()}
    for m in metrics.REGISTRY:
        assert m.kind in metrics.KINDS and len(m.label) == 2 and all(m.label)
        assert i18n.t(f"m_{m.key}", "zh") == m.label[1]
        if m.grain == "ratio":
            fn, args = re.match(r"(\w+)\((.*)\)", m.sql).groups()
            assert fn == m.key and fn in macros, m.key
            if m.num:
                assert [a.strip() for a in args.split(",")] == [m.num, m.den]
                assert m.num in metrics.METRICS and m.den in metrics.METRICS
    for r in metrics.RATES:
        assert {f"{r}_lo", f"{r}_hi"} <= macros


@pytest.mark.parametrize("reads,joins,contacted,paid", [(1000, 90, 40, 7), (0, 0, 0, 0), (None, 5, 0, 0)])
def test_rate_macros_and_long_form_agree(reads, joins, contacted, paid):
    con = _layer()
    counts = {"reads": reads, "joins": joins, "contacted": contacted, "paid": paid}
    steps = con.execute("SELECT unnest(funnel_steps($reads, $joins, $contacted, $paid), recursive := true)",
                        counts).fetchall()
    for stage, num, den, r in steps:
        n, d = metrics.counts(stage)
        assert (num, den) == (counts[n], counts[d])
        named = con.execute(f"SELECT {stage}($n, $d)", {"n": counts[n], "d": counts[d]}).fetchone()[0]
        assert named == (None if r is None else round(r, 4))
        py = metrics.ratio(counts[n], counts[d])
        assert (py is None and named is None) or round(py, 4) == named


def test_kinds_of_columns():
    assert metrics.kind_of("revenue_prev") == "money"
    assert metrics.kind_of("overall_rate_lo") == "rate"
    assert metrics.kind_of("roi") == "roi"
    assert metrics.kind_of("rev_linear") == "money"
    assert metrics.kind_of("joins_previous") == "count"
    assert metrics.kind_of("title") is None


def test_one_format_per_kind_in_both_languages():
    from contentroi import fmt

    assert fmt.by_kind(326392.4, "money", "en") == "¥326,392.40"
    assert fmt.by_kind(326392.4, "money", "zh") == "¥32.64万"
    assert fmt.by_kind(9876.5, "money", "zh") == "¥9,876.50"
    assert fmt.by_kind(-3.2e8, "money", "zh") == "-¥3.20亿"
    assert fmt.by_kind(123456, "count", "zh") == "12.35万" and fmt.by_kind(123456, "count", "en") == "123,456"
    assert fmt.by_kind(0.1234, "rate") == "12.3%"
    assert fmt.by_kind(3.1098, "roi") == "+311%" and fmt.by_kind(-0.207, "roi") == "-21%"
    assert fmt.by_kind(3.25, "days", "zh") == "3.2 天"
    assert fmt.pp(0.012, "zh") == "+1.2 个百分点" and fmt.pp(-0.012, "en") == "-1.2 pp"
    for kind in ("money", "rate", "roi", "count", "days"):
        assert fmt.by_kind(None, kind) == fmt.NULL
    with fmt.using("zh"):
        assert fmt.money(5e4) == "¥5.00万"
    assert fmt.money(5e4) == "¥50,000.00"
    # tables show the same text (Streamlit printf on display_frame's values, rates x 100)
    assert fmt.TABLE_FORMAT["rate"] == "%.1f%%" and fmt.TABLE_FORMAT["roi"] == "%+,.0f%%"


def test_a_channel_keeps_its_colour_whatever_else_is_drawn():
    from contentroi.charts import channel_color, channel_scale

    chans = ["wechat", "公众号", "newsletter", "podcast", "zhihu", "b站"]
    full = dict(zip(channel_scale(chans).domain, channel_scale(chans).range))
    for subset in (chans[::-1], chans[2:], ["podcast"], sorted(chans)):
        sc = channel_scale(subset)
        assert dict(zip(sc.domain, sc.range)) == {c: full[c] for c in subset}
    assert channel_color("wechat") == "#2BA471"
    assert channel_color("podcast") == channel_color("podcast")


def test_one_now_and_one_set_of_limits():
    """"Now" is data_now() (models/05_now.sql) and the limits are contentroi/limits.py:
    no query writes the latest event or the 365-day bound out again, no module sets its own."""
    now_file = ROOT / "queries" / "models" / "05_now.sql"
    bad = []
    for p in sorted((ROOT / "queries").rglob("*.sql")):
        for i, code in _code_lines(p):
            if p != now_file and re.search(r"greatest\s*\(\s*\(\s*SELECT\s+max", code, re.I):
                bad.append(f"{p.relative_to(ROOT)}:{i}: the latest event: call data_now()")
            if re.search(r"\b365\b", code) or re.search(r"<\s*30\b", code):
                bad.append(f"{p.relative_to(ROOT)}:{i}: a limit: call max_window_days() / min_n()")
    for p in list((ROOT / "contentroi").rglob("*.py")) + list((ROOT / "pages").glob("*.py")):
        if p.name == "limits.py":
            continue
        for i, line in enumerate(p.read_text(encoding="utf-8").splitlines(), 1):
            code = line.split("#", 1)[0]
            if re.match(r"\s*(MIN_N|WINDOW_MIN|WINDOW_MAX|DEFAULT_WINDOW|PERIODS|LOGS)\s*(,\s*\w+\s*)?=\s*[\d(\"]", code):
                bad.append(f"{p.relative_to(ROOT)}:{i}: {code.strip()} (use contentroi/limits.py)")
    assert not bad, "\n".join(bad)


REVENUE = ROOT / "queries" / "models" / "24_fct_revenue.sql"


def test_attributed_money_is_summed_exactly():
    """An attributed amount (net amount x weight) is computed only by revenue_share, which
    holds it as an exact decimal, so every sum of it is exact: a sum of doubles over
    parallel threads depends on the order they finish in, and moved a half-cent total by
    a cent between two runs of the same query at the 1x world."""
    weight = re.compile(r"\*\s*weight\b|\bweight\s*\*", re.I)
    bad = [f"{p.relative_to(ROOT)}:{i}: {code.strip()}" for p in QUERIES if p != REVENUE
           for i, code in _code_lines(p) if weight.search(code)]
    assert not bad, "net amount x weight outside revenue_share:\n" + "\n".join(bad)
    con = duckdb.connect()
    text = "\n".join(code for _, code in _code_lines(REVENUE))
    con.execute(next(s.query for s in duckdb.extract_statements(text) if "MACRO revenue_share" in s.query))
    # the doubles' sum depends on the order; the shares' does not, and equals the exact sum
    shares = [(1234.57, 1 / 3), (0.05, 0.1), (99.99, 2 / 7), (0.01, 0.5)] * 250
    con.execute("CREATE TABLE t AS SELECT * FROM (VALUES " +
                ", ".join(f"({a}, {w!r})" for a, w in shares) + ") v(net_amount, weight)")
    fwd = con.execute("SELECT sum(revenue_share(net_amount, weight)) FROM (SELECT * FROM t ORDER BY weight)").fetchone()[0]
    back = con.execute("SELECT sum(revenue_share(net_amount, weight)) FROM (SELECT * FROM t ORDER BY weight DESC)").fetchone()[0]
    from decimal import ROUND_HALF_UP, Decimal
    exact = sum(Decimal(a * w).quantize(Decimal("1e-9"), rounding=ROUND_HALF_UP) for a, w in shares)
    assert fwd == back == exact
