"""The data-driven model `markov` (CONTRACT §2; docs/METRICS.md "The markov model").

The hand-checked world (window 30 days; articles XA..XD of channels a..d):

  u1  a 03-01, b 03-02, pays 100 (O1) 03-03         converting path  a > b
  u2  b 03-01 12:00, pays 200 (O2) 03-02, refund 50  converting path  b
  u3  a 03-01, a 03-02, c 03-03, never pays          null path        a > a > c
  u4  c 03-04, never pays                            null path        c
  u5  d 03-01, pays 50 (O5) 04-19: 49 days later     null path        d   (W < 49)
                                                     converting path  d   (W >= 49)
Transitions at W = 30 (a -> a dropped): (start) -> a 2, b 1, c 1, d 1; a -> b 1, a -> c 1;
b -> (conversion) 2; c -> (null) 2; d -> (null) 1.
  P = 2/5 * 1/2 + 1/5 = 2/5.  Without a: 1/5 -> RE_a = 1/2.  Without b: 0 -> RE_b = 1.
  c is on no converting path and d never converts: RE_c = RE_d = 0.
  O1 (100): a 0.5 / 1.5, b 1 / 1.5 -> XA 33.33, XB 66.67;  O2 (net 150) -> XB 150.
  O5 has no eligible touch: unattributed 50.
At W = 60 u5's path converts: P = 3/5; without a 2/5, without b 1/5, without d 2/5:
  RE_a = 1/3, RE_b = 2/3, RE_c = 0, RE_d = 1/3.  O1: a 1/3 / 1, b 2/3 -> 33.33 / 66.67.
"""
from __future__ import annotations

import datetime as dt
import itertools

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from contentroi import engine, markov
from contentroi.engine import MODELS, Params
from contentroi.store import Store

from .worlds import make_store

ARTICLES = [(f"X{c.upper()}", f"Article {c}", c, "2026-02-01 00:00", None, 100, 10) for c in "abcd"]
JOINS = [
    ("u1", "2026-03-01 10:00", "XA"), ("u1", "2026-03-02 10:00", "XB"),
    ("u2", "2026-03-01 12:00", "XB"),
    ("u3", "2026-03-01 09:00", "XA"), ("u3", "2026-03-02 09:00", "XA"), ("u3", "2026-03-03 09:00", "XC"),
    ("u4", "2026-03-04 09:00", "XC"),
    ("u5", "2026-03-01 00:00", "XD"),
]
SALES = [
    ("u1", "payment", "2026-03-03 10:00", "R1", 100, "O1"),
    ("u2", "payment", "2026-03-02 12:00", "R1", 200, "O2"),
    ("u2", "refund", "2026-03-05 12:00", "R1", 50, "O2"),
    ("u5", "payment", "2026-04-19 00:00", "R2", 50, "O5"),
]


@pytest.fixture(scope="module")
def world():
    s = make_store(ARTICLES, JOINS, SALES)
    yield s
    s.close()


def removal(store: Store, w: int) -> dict[str, float]:
    df = store.cursor().execute(
        "SELECT channel, removal_effect FROM mk_removal WHERE window_days = ?", [w]).df()
    return dict(zip(df["channel"], df["removal_effect"]))


def revenue(store: Store, model: str, w: int = 30) -> dict[str, float]:
    df = engine.articles(store, Params(model=model, window_days=w))
    return dict(zip(df["article_id"], df["revenue"]))


# -- the hand-checked world --------------------------------------------------

def test_transition_counts(world):
    df = world.cursor().execute(
        "SELECT from_channel, to_channel, to_state, n FROM mk_transitions WHERE window_days = 30").df()
    got = {(f if isinstance(f, str) else None, t if isinstance(t, str) else None, s): n
           for f, t, s, n in df.itertuples(index=False)}
    assert got == {
        (None, "a", "channel"): 2, (None, "b", "channel"): 1, (None, "c", "channel"): 1,
        (None, "d", "channel"): 1, ("a", "b", "channel"): 1, ("a", "c", "channel"): 1,
        ("b", None, "conversion"): 2, ("c", None, "null"): 2, ("d", None, "null"): 1,
    }


@pytest.mark.parametrize("w, expected, p", [
    (30, {"a": 1 / 2, "b": 1.0, "c": 0.0, "d": 0.0}, 2 / 5),
    (48, {"a": 1 / 2, "b": 1.0, "c": 0.0, "d": 0.0}, 2 / 5),     # 49 days: not yet
    (49, {"a": 1 / 3, "b": 2 / 3, "c": 0.0, "d": 1 / 3}, 3 / 5),  # d's payment is eligible
    (60, {"a": 1 / 3, "b": 2 / 3, "c": 0.0, "d": 1 / 3}, 3 / 5),
])
def test_removal_effects(world, w, expected, p):
    got = removal(world, w)
    assert got.keys() == expected.keys()
    for c in expected:
        assert got[c] == pytest.approx(expected[c], abs=1e-12), c
    pc = world.cursor().execute("SELECT DISTINCT p_conv FROM mk_removal WHERE window_days = ?", [w]).fetchall()
    assert len(pc) == 1 and pc[0][0] == pytest.approx(p, abs=1e-12)


def test_markov_revenue(world):
    assert revenue(world, "markov") == {"XA": 33.33, "XB": 216.67, "XC": 0.0, "XD": 0.0}
    assert revenue(world, "markov", 60) == {"XA": 33.33, "XB": 216.67, "XC": 0.0, "XD": 50.0}
    tot = engine.totals(world, Params(model="markov"))
    assert tot["revenue"] == 250.0 and tot["unattributed_revenue"] == 50.0
    assert engine.totals(world, Params(model="markov", window_days=60))["unattributed_revenue"] == 0.0
    # the channel filter chooses rows, never the split
    ch = engine.channels(world, Params(model="markov", channels=("a",)))
    assert dict(zip(ch["channel"], ch["revenue"])) == {"a": 33.33}


def test_paths_per_channel(world):
    df = world.cursor().execute(
        "SELECT channel, paths, conv_paths FROM mk_channel_paths WHERE window_days = 30").df()
    assert {r.channel: (r.paths, r.conv_paths) for r in df.itertuples()} == {
        "a": (2, 1), "b": (2, 2), "c": (2, 0), "d": (1, 0)}


def test_one_channel_world():
    """One channel: removing it loses everything (RE 1), and every payment is split
    equally over its touches, as linear splits it."""
    s = make_store(
        [("A1", "t", "solo", "2026-01-01 00:00", None, None, None),
         ("A2", "t", "solo", "2026-01-01 00:00", None, None, None)],
        [("u1", "2026-01-02 00:00", "A1"), ("u1", "2026-01-03 00:00", "A2"), ("u1", "2026-01-04 00:00", "A2"),
         ("u2", "2026-01-02 00:00", "A1"), ("u2", "2026-01-05 00:00", "A1")],
        [("u1", "payment", "2026-01-05 00:00", None, 90, "O1")])
    try:
        assert removal(s, 30) == {"solo": 1.0}
        assert revenue(s, "markov") == revenue(s, "linear") == {"A1": 30.0, "A2": 60.0}
        tm = s.cursor().execute("SELECT to_state, n FROM mk_transitions WHERE window_days = 30 "
                                "AND from_channel = 'solo'").fetchall()
        assert sorted(tm) == [("conversion", 1), ("null", 1)]  # solo -> solo dropped
    finally:
        s.close()


def test_no_payment_world():
    s = make_store(ARTICLES[:1], [("u1", "2026-03-01 00:00", "XA")], [])
    try:
        assert removal(s, 30) == {"a": 0.0}
        assert revenue(s, "markov") == {"XA": 0.0}
    finally:
        s.close()


def test_empty_store():
    s = make_store()
    try:
        assert removal(s, 30) == {}
        assert engine.totals(s, Params(model="markov"))["revenue"] == 0.0
        assert markov.removal_table(s.cursor(), 30).empty
        assert markov.user_patterns(s.cursor(), 30).empty
    finally:
        s.close()


# -- models as data ----------------------------------------------------------

def test_models_in_python_are_the_models_of_the_sql(world):
    got = world.cursor().execute("SELECT DISTINCT model FROM fct_attribution(365)").fetchall()
    assert {m for (m,) in got} == set(MODELS)
    for m in MODELS:  # and each model's branch answers to its own name only
        rows = world.cursor().execute(
            "SELECT DISTINCT model FROM fct_weights(30, $m)", {"m": m}).fetchall()
        assert rows == [(m,)]
    # the side-by-side sums read one weight column per model (attribution_by_model.sql)
    cols = [d[0] for d in world.cursor().execute("SELECT * FROM fct_weights_wide(30) LIMIT 0").description]
    assert sorted(c[2:] for c in cols if c.startswith("w_")) == sorted(MODELS)
    # which sums a payment with one eligible touch once for every model: each gives it all
    for w in (1, 30, 365):
        one = world.cursor().execute("SELECT * FROM fct_weights_wide($w) WHERE n = 1", {"w": w}).df()
        assert len(one) > 0
        for c in cols:
            if c.startswith("w_"):
                assert (one[c] == 1.0).all(), (c, w)


def test_each_window_reads_the_weights_of_its_eligible_set(sample_store):
    """fct_touch_weights keeps every eligible set a payment can have with the window range
    it holds for; the weights a window reads equal those computed from the window's
    eligible touches directly (an independent pandas computation of the five rules)."""
    world = sample_store
    pt = world.cursor().execute(
        "SELECT payment_id, touch_id, age_days, touched_at, article_id FROM fct_payment_touch").df()
    assert pt.groupby("payment_id").size().max() >= 3  # middle touches exist (position)
    for w in (1, 3, 7, 30, 365):
        e = pt[pt.age_days <= w].sort_values(["payment_id", "touched_at", "article_id", "touch_id"]).copy()
        g = e.groupby("payment_id")
        e["n"] = g["touch_id"].transform("size")
        e["pos"] = g.cumcount() + 1
        e["decay"] = 2.0 ** (-e.age_days / 7.0)
        want = {
            "first_touch": (e.pos == 1).astype(float),
            "last_touch": (e.pos == e.n).astype(float),
            "linear": 1.0 / e.n,
            "position": np.where(e.n == 1, 1.0, np.where(e.n == 2, 0.5, np.where(
                (e.pos == 1) | (e.pos == e.n), 0.4, 0.2 / np.maximum(e.n - 2, 1)))),
            "time_decay": e.decay / g["decay"].transform("sum"),
        }
        got = world.cursor().execute(
            "SELECT payment_id, touch_id, model, weight FROM fct_attribution($w) WHERE model <> 'markov'",
            {"w": w}).df().pivot(index=["payment_id", "touch_id"], columns="model", values="weight")
        e = e.set_index(["payment_id", "touch_id"])
        assert len(got) == len(e) and set(got.index) == set(e.index), w
        for m, v in want.items():
            np.testing.assert_allclose(got.loc[e.index, m].to_numpy(), np.asarray(v, dtype=float),
                                       rtol=1e-12, atol=0, err_msg=f"{m} at window {w}")


def test_the_model_list_is_read_from_the_sql_and_every_model_has_its_texts():
    """Adding a model is its branch in 22_fct_attribution.sql plus its texts: the list
    follows the SQL, in the branches' order, and a repeated or unreadable branch is an error."""
    from contentroi import i18n
    from contentroi.paths import QUERIES_DIR

    text = (QUERIES_DIR / "models" / "22_fct_attribution.sql").read_text(encoding="utf-8")
    assert engine._models_of(text) == MODELS
    last = "FROM fct_weights_wide(window_days) WHERE (model_name IS NULL OR model_name = 'markov');"
    assert last in text
    extra = text.replace(last, last[:-1] + "\nUNION ALL\n"
                         "SELECT * REPLACE ('u_shape' AS model) FROM v WHERE (model_name IS NULL OR model_name = 'u_shape');")
    assert engine._models_of(extra) == MODELS + ("u_shape",)
    with pytest.raises(RuntimeError):
        engine._models_of(text.replace("model_name = 'linear'", "model_name = 'position'"))
    for m in MODELS:  # its label, its explanation, its worked example, in both languages
        for key in (f"model_{m}", f"at_explain_{m}", f"at_example_{m}"):
            assert key in i18n.TEXT and all(i18n.TEXT[key]), key


def test_long_form_weights_sum_to_one(world):
    bad = world.cursor().execute(
        "SELECT model, payment_id, sum(weight) AS s FROM fct_attribution(60) GROUP BY ALL "
        "HAVING abs(s - 1) > 1e-12").fetchall()
    assert bad == []


def test_by_model_refuses_an_unknown_model():
    long = pd.DataFrame({"channel": ["a"], "model": ["nope"], "revenue": [1.0]})
    with pytest.raises(ValueError, match="nope"):
        engine.by_model(long, ["channel"])


# -- the exact solve against an independent one ---------------------------------

def raw_user_paths(store: Store, w: int) -> dict[str, list[tuple[list[str], str]]]:
    """Every user's paths for the window, built in pandas from the raw logs, not from
    our SQL: (channels, 'conversion') per payment with an eligible touch, else the
    user's (channels of all touches, 'null')."""
    cur = store.cursor()
    arts = cur.execute("SELECT article_id, channel FROM articles").df()
    joins = cur.execute("SELECT user_id, joined_at, article_id FROM joins WHERE article_id IS NOT NULL").df()
    pays = cur.execute("SELECT user_id, occurred_at FROM sales WHERE event = 'payment'").df()
    t = joins.merge(arts, on="article_id").reset_index(names="j")
    t = t.sort_values(["user_id", "joined_at", "article_id", "j"], kind="stable")
    p = pays.reset_index(names="pid")
    m = p.merge(t, on="user_id")
    m = m[(m.joined_at <= m.occurred_at) & (m.occurred_at <= m.joined_at + pd.Timedelta(days=w))]
    m = m.sort_values(["pid", "joined_at", "article_id", "j"], kind="stable")
    out: dict[str, list[tuple[list[str], str]]] = {}
    for (u, _), g in m.groupby(["user_id", "pid"]):
        out.setdefault(u, []).append((list(g["channel"]), "conversion"))
    for u, g in t.groupby("user_id", sort=True):
        if u not in out:
            out[u] = [(list(g["channel"]), "null")]
    return out


def raw_paths(store: Store, w: int) -> tuple[list[list[str]], list[list[str]]]:
    """(converting, null) paths built in pandas from the raw logs, not from our SQL."""
    paths = [pe for ps in raw_user_paths(store, w).values() for pe in ps]
    return [p for p, e in paths if e == "conversion"], [p for p, e in paths if e == "null"]


def transitions(path: list[str], end: str) -> list[tuple[str, str]]:
    """A path's transitions, a channel to itself dropped: ('S', c1), ..., (ck, end)."""
    seq = [c for i, c in enumerate(path) if i == 0 or path[i - 1] != c]
    return list(zip(["S", *seq], [*seq, end]))


def direct_solve(cnt: np.ndarray, chans: list[str]) -> dict[str, float]:
    """Removal effects of a count matrix (rows S, *chans; columns S, *chans, conversion,
    null) by re-solving every removed chain (transitions into c redirected to (null))
    with np.linalg.solve: a method independent of markov.solve_counts."""
    n = len(chans) + 1

    def p_conv(removed: int | None) -> float:
        c = cnt.copy()
        if removed is not None:
            c[:, n + 1] += c[:, removed]
            c[:, removed] = 0
        tot = c.sum(axis=1)
        tot[tot == 0] = 1
        pr = c / tot[:, None]
        a = np.eye(n) - pr[:, :n]
        return float(np.linalg.solve(a, pr[:, n])[0])

    p = p_conv(None)
    return {c: (1 - p_conv(i + 1) / p) if p > 0 else 0.0 for i, c in enumerate(chans)}


def direct_removal(conv: list[list[str]], null: list[list[str]]) -> dict[str, float]:
    """Removal effects of the paths, through :func:`direct_solve`."""
    chans = sorted({c for p in conv + null for c in p})
    ix = {s: i for i, s in enumerate(["S", *chans, "conversion", "null"])}
    cnt = np.zeros((len(chans) + 1, len(chans) + 3))
    for paths, end in ((conv, "conversion"), (null, "null")):
        for path in paths:
            for f, t in transitions(path, end):
                cnt[ix[f], ix[t]] += 1
    return direct_solve(cnt, chans)


@pytest.mark.parametrize("w", [7, 30])
def test_removal_effects_equal_an_independent_solve(sample_store, w):
    expected = direct_removal(*raw_paths(sample_store, w))
    got = removal(sample_store, w)
    assert got.keys() == expected.keys()
    for c in expected:
        assert abs(got[c] - expected[c]) < 1e-9, (c, got[c], expected[c])


def test_hand_world_equals_an_independent_solve(world):
    for w in (30, 60):
        expected = direct_removal(*raw_paths(world, w))
        got = removal(world, w)
        assert {c: round(v, 12) for c, v in got.items()} == {c: round(v, 12) for c, v in expected.items()}


# -- ChannelAttribution as a witness ---------------------------------------------

@pytest.fixture(scope="module")
def ca():
    return pytest.importorskip("ChannelAttribution")


def ca_data(conv, null) -> pd.DataFrame:
    rows = [(">".join(p), 1, 0) for p in conv] + [(">".join(p), 0, 1) for p in null]
    df = pd.DataFrame(rows, columns=["path", "conv", "null"])
    return df.groupby("path", as_index=False)[["conv", "null"]].sum()


def test_transition_probabilities_equal_channelattribution(sample_store, ca):
    conv, null = raw_paths(sample_store, 30)
    res = ca.transition_matrix(ca_data(conv, null), "path", "conv", "null", flg_equal=False, flg_pro=False)
    names = dict(zip(res["channels"]["id_channel"].astype(str), res["channels"]["channel_name"]))
    theirs = {}
    for f, t, p in res["transition_matrix"].itertuples(index=False):
        f, t = names.get(str(f), str(f)), names.get(str(t), str(t))
        theirs[(None if f == "(start)" else f, t)] = p
    tm = sample_store.cursor().execute(
        "SELECT from_channel, to_channel, to_state, n FROM mk_transitions WHERE window_days = 30").df()
    tot = tm.groupby(tm["from_channel"].fillna("(start)"))["n"].transform("sum")
    ours = {}
    for (f, t, s, n), d in zip(tm.itertuples(index=False), tot):
        to = t if s == "channel" else f"({s})"
        ours[(f if isinstance(f, str) else None, to)] = n / d
    assert ours.keys() == theirs.keys()
    for k in ours:
        assert ours[k] == pytest.approx(theirs[k], abs=1e-6), k


def test_removal_effects_near_channelattribution_markov_model(sample_store, ca):
    """ChannelAttribution simulates (a witness, not the reference): within 3 % (relative)
    for every channel above 0.01. Its simulation runs until two estimates differ by less
    than conv_par: 0.01 here (the sample: 1.6 % at most from ours, in 2.7 s), where 0.005
    took 27 s of the suite for 1.1 % (nsim_start changes neither)."""
    conv, null = raw_paths(sample_store, 30)
    res = ca.markov_model(ca_data(conv, null), "path", "conv", var_null="null", out_more=True,
                          seed=0, nsim_start=1e5, conv_par=0.01, verbose=False, flg_pro=False)
    re = res["removal_effects"]  # without var_value: channel_name, removal_effect(s_conversion)
    col = next(c for c in re.columns if c.startswith("removal_effect") and "value" not in c)
    theirs = dict(zip(re["channel_name"], re[col]))
    ours = removal(sample_store, 30)
    assert ours.keys() == theirs.keys()
    checked = 0
    for c, v in ours.items():
        if v > 0.01:
            assert abs(theirs[c] - v) / v < 0.03, (c, v, theirs[c])
            checked += 1
    assert checked >= 4


# -- properties ------------------------------------------------------------------

CH = st.sampled_from("abcd")
PATHS = st.lists(st.lists(CH, min_size=1, max_size=6), min_size=1, max_size=12)


def counts(conv, null):
    """(the chain's solution, channels) through the module's own solver."""
    chans = tuple(sorted({c for p in conv + null for c in p}))
    rows = []
    for paths, end in ((conv, "conversion"), (null, "null")):
        for p in paths:
            prev = None
            for i, c in enumerate(p):
                if i and p[i - 1] == c:
                    continue
                rows.append((prev, c, "channel", 1))
                prev = c
            rows.append((prev, None, end, 1))
    c = markov.chain(pd.DataFrame(rows, columns=["from_channel", "to_channel", "to_state", "n"]))
    return dict(zip(c.channels, c.removal))


@settings(max_examples=60, deadline=None)
@given(PATHS, PATHS)
def test_solver_equals_a_direct_solve(conv, null):
    got = counts(conv, null)
    expected = direct_removal(conv, null)
    for c in expected:
        assert abs(got[c] - expected[c]) < 1e-9


@settings(max_examples=60, deadline=None)
@given(PATHS, PATHS, st.permutations("abcd"))
def test_renaming_channels_changes_nothing(conv, null, perm):
    ren = dict(zip("abcd", [f"x{p}" for p in perm]))
    a = counts(conv, null)
    b = counts([[ren[c] for c in p] for p in conv], [[ren[c] for c in p] for p in null])
    assert {ren[c]: v for c, v in a.items()} == pytest.approx(b, abs=1e-12)


@settings(max_examples=60, deadline=None)
@given(PATHS, PATHS)
def test_collapsing_repeats_changes_nothing(conv, null):
    def collapse(p):
        return [c for c, _ in itertools.groupby(p)]
    assert counts([collapse(p) for p in conv], [collapse(p) for p in null]) == pytest.approx(
        counts(conv, null), abs=1e-12)


@settings(max_examples=60, deadline=None)
@given(PATHS, PATHS)
def test_a_channel_absent_from_every_path_gets_zero(conv, null):
    """A channel of the data that no path passes through gets 0 (here: "e", in the
    chain's state list with no transitions); one on a converting path gets more than 0.
    (A channel only on null paths may get more than 0: the chain generalises, e.g.
    null path b > a with converting path a gives b a share of a's conversions.)"""
    rows = pd.DataFrame([(None, "a", "channel", 0)], columns=["from_channel", "to_channel", "to_state", "n"])
    base = counts(conv, null)
    chans = tuple(sorted([*base, "e"]))
    m = markov.count_matrix(rows.iloc[:0], chans)
    k = len(chans)
    for paths, end in ((conv, k + 1), (null, k + 2)):
        for p in paths:
            prev = 0
            for i, c in enumerate(p):
                if i and p[i - 1] == c:
                    continue
                m[prev, chans.index(c) + 1] += 1
                prev = chans.index(c) + 1
            m[prev, end] += 1
    p, pw = markov.solve_counts(m)
    re = dict(zip(chans, markov.removal_effects(p, pw)))
    assert re["e"] == 0.0
    assert {c: v for c, v in re.items() if c != "e"} == pytest.approx(base, abs=1e-12)
    for c in {c for p in conv for c in p}:
        assert re[c] > 0.0


# Small stores: touches of users on four channels' articles, some payments.
TOUCH = st.tuples(st.sampled_from(["u1", "u2", "u3", "u4", "u5"]), st.integers(0, 40),
                  st.sampled_from(["XA", "XB", "XC", "XD"]))
PAY = st.tuples(st.sampled_from(["u1", "u2", "u3", "u4", "u5"]), st.integers(0, 60),
                st.integers(1, 500))


def store_of(touches, pays, names=dict(zip("abcd", "abcd"))):
    base = dt.datetime(2026, 3, 1)
    arts = [(a, "t", names[c], "2026-02-01 00:00", None, None, None)
            for a, c in (("XA", "a"), ("XB", "b"), ("XC", "c"), ("XD", "d"))]
    joins = [(u, (base + dt.timedelta(hours=6 * h)).isoformat(sep=" "), a) for u, h, a in touches]
    sales = [(u, "payment", (base + dt.timedelta(hours=6 * h)).isoformat(sep=" "), None, amt, f"O{i}")
             for i, (u, h, amt) in enumerate(pays)]
    return make_store(arts, joins, sales)


@settings(max_examples=8, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(TOUCH, min_size=1, max_size=12), st.lists(PAY, max_size=5), st.permutations("abcd"))
def test_store_properties(touches, pays, perm):
    """Per-payment markov weights sum to 1; renaming the channels changes no article's
    revenue nor removal effect; a channel on a converting path has a removal effect
    above 0, one no path passes through has none (no row: weight 0)."""
    s = store_of(touches, pays)
    r = store_of(touches, pays, dict(zip("abcd", [f"z{p}" for p in perm])))
    try:
        sums = s.cursor().execute(
            "SELECT payment_id, sum(weight) FROM fct_weights(3, 'markov') GROUP BY ALL").fetchall()
        assert all(abs(x - 1) < 1e-12 for _, x in sums)
        assert revenue(s, "markov", 3) == revenue(r, "markov", 3)
        rs, rr = removal(s, 3), removal(r, 3)
        assert {f"z{dict(zip('abcd', perm))[c]}": v for c, v in rs.items()} == pytest.approx(rr, abs=1e-12)
        on_conv = {c for (c,) in s.cursor().execute(
            "SELECT DISTINCT channel FROM fct_payment_touch WHERE age_days <= 3").fetchall()}
        for c in on_conv:
            assert rs[c] > 0, c
        touched = {c for (c,) in s.cursor().execute(
            "SELECT DISTINCT a.channel FROM stg_touches JOIN articles AS a USING (article_id)").fetchall()}
        assert on_conv <= set(rs) <= touched  # a touch after the user's payments is on no path
    finally:
        s.close()
        r.close()


# -- the bootstrap ---------------------------------------------------------------

def independent_interval(store: Store, w: int, draws: int = markov.BOOTSTRAP_DRAWS,
                         seed: int = markov.BOOTSTRAP_SEED) -> dict[str, tuple[float, float]]:
    """The percentile bootstrap of the removal effects written out from the raw logs:
    every user's transitions (raw_user_paths), users with the same multiset of
    transitions grouped into a pattern, the patterns in the order the contract of
    17_mk_chain.sql gives them (their sorted codes from * (K + 3) + to, states 0 start,
    1..K the store's channels in name order, K + 1 conversion, K + 2 null), a draw a
    multinomial count of the users over the patterns from numpy's generator seeded
    by (seed, w), each draw's chain re-solved per removed channel (direct_solve)."""
    all_ch = sorted({c for (c,) in store.cursor().execute("SELECT DISTINCT channel FROM articles").fetchall()})
    code_of = {"S": 0, **{c: i + 1 for i, c in enumerate(all_ch)},
               "conversion": len(all_ch) + 1, "null": len(all_ch) + 2}
    base = len(all_ch) + 3
    users: dict[tuple[int, ...], int] = {}
    for paths in raw_user_paths(store, w).values():
        codes = tuple(sorted(code_of[f] * base + code_of[t] for p, e in paths for f, t in transitions(p, e)))
        if codes:
            users[codes] = users.get(codes, 0) + 1
    patterns = sorted(users)
    chans = sorted({all_ch[c % base - 1] for pat in patterns for c in pat if 1 <= c % base <= len(all_ch)})
    ix = {"S": 0, **{c: i + 1 for i, c in enumerate(chans)}}
    k = len(chans)
    per = np.zeros((len(patterns), k + 1, k + 3))
    for r, pat in enumerate(patterns):
        for code in pat:
            f, t = divmod(code, base)
            fi = 0 if f == 0 else ix[all_ch[f - 1]]
            ti = k + 1 if t == len(all_ch) + 1 else k + 2 if t == len(all_ch) + 2 else ix[all_ch[t - 1]]
            per[r, fi, ti] += 1
    n_users = np.array([users[p] for p in patterns], dtype=float)
    rng = np.random.default_rng([seed, w])
    mult = rng.multinomial(int(n_users.sum()), n_users / n_users.sum(), size=draws)
    res = np.array([[direct_solve(np.tensordot(m, per, axes=1), chans)[c] for c in chans] for m in mult])
    lo, hi = np.quantile(res, [0.025, 0.975], axis=0)
    return {c: (lo[i], hi[i]) for i, c in enumerate(chans)}


@pytest.mark.parametrize("w", [7, 30])
def test_interval_equals_an_independent_resampling(sample_store, w):
    """The interval the page shows (computed on demand) is the seeded bootstrap of the
    users written out independently from the raw logs, to 1e-9."""
    got = markov.removal_table(sample_store.cursor(), w).set_index("channel")
    expected = independent_interval(sample_store, w)
    assert sorted(got.index) == sorted(expected)
    for c, (lo, hi) in expected.items():
        assert abs(got.at[c, "lo"] - lo) < 1e-9 and abs(got.at[c, "hi"] - hi) < 1e-9, (c, got.loc[c], lo, hi)


def test_interval_on_the_hand_world_equals_an_independent_resampling(world):
    for w in (30, 60):
        got = markov.removal_table(world.cursor(), w).set_index("channel")
        for c, (lo, hi) in independent_interval(world, w).items():
            assert (round(got.at[c, "lo"], 9), round(got.at[c, "hi"], 9)) == (round(lo, 9), round(hi, 9)), c


def test_bootstrap_is_seeded_and_brackets_the_estimate(sample_store):
    a = markov.removal_table(sample_store.cursor(), 30)
    assert (a["lo"] <= a["removal_effect"]).all() and (a["removal_effect"] <= a["hi"]).all()
    assert (a["hi"] - a["lo"] > 0).all()
    # the same store and window: the same interval, to the bit
    again = markov.removal_table(sample_store.cursor(), 30)
    assert again[["lo", "hi"]].to_numpy().tolist() == a[["lo", "hi"]].to_numpy().tolist()
    # the bootstrap's estimate is the stored removal effect
    boot = markov.bootstrap(markov.user_patterns(sample_store.cursor(), 30), 30).set_index("channel")
    stored = a.set_index("channel")
    assert boot["removal_effect"].to_dict() == pytest.approx(stored["removal_effect"].to_dict(), abs=1e-12)
    # a different seed gives (slightly) different intervals, the same estimate
    other = markov.bootstrap(markov.user_patterns(sample_store.cursor(), 30), 30, seed=1).set_index("channel")
    assert other["lo"].to_dict() != stored["lo"].to_dict()
    assert other["removal_effect"].to_dict() == boot["removal_effect"].to_dict()


def test_a_load_does_not_bootstrap(monkeypatch, tmp_path):
    """The interval is computed when a page asks, never on load (issue 12: an upload costs
    what it adds): a load with the bootstrap made to fail succeeds and stores no interval;
    asking for the window's table then runs it."""
    def refuse(*a, **k):
        raise AssertionError("bootstrap during a load")

    monkeypatch.setattr(markov, "_draws", refuse)
    s = make_store(ARTICLES, JOINS, SALES, path=str(tmp_path / "w.duckdb"))
    try:
        tables = {t for (t,) in s.cursor().execute(
            "SELECT table_name FROM duckdb_tables() WHERE table_name LIKE 'mk_%'").fetchall()}
        assert "mk_removal" in tables and "mk_bootstrap" not in tables
        assert removal(s, 30) == pytest.approx({"a": 0.5, "b": 1.0, "c": 0.0, "d": 0.0}, abs=1e-12)
        plain = markov.removal_table(s.cursor(), 30, interval=False)
        assert plain["lo"].isna().all() and len(plain) == 4
        with pytest.raises(AssertionError, match="bootstrap during a load"):
            markov.removal_table(s.cursor(), 30)
    finally:
        s.close()


def test_migration_drops_the_stored_intervals(tmp_path):
    """A store of schema version 4 (intervals stored on load in mk_bootstrap) loses the
    table when opened: the migration 4 -> 5."""
    import duckdb

    from contentroi.store import MIGRATIONS

    path = tmp_path / "old.duckdb"
    con = duckdb.connect(str(path))
    for ddls in MIGRATIONS[:4]:
        for ddl in ddls:
            con.execute(ddl)
    con.execute("CREATE TABLE mk_bootstrap (window_days INTEGER, channel VARCHAR, lo DOUBLE, hi DOUBLE)")
    con.execute("INSERT OR REPLACE INTO meta VALUES ('schema_version', '4')")
    con.close()
    s = Store(path)
    try:
        assert s.schema_version() == len(MIGRATIONS) >= 5
        assert s.cursor().execute(
            "SELECT count(*) FROM duckdb_tables() WHERE table_name = 'mk_bootstrap'").fetchone()[0] == 0
    finally:
        s.close()


def test_user_patterns_count_every_user_once(world):
    pat = markov.user_patterns(world.cursor(), 30)
    assert pat.groupby("pattern_id")["users"].first().sum() == 5  # u1..u5
    pat60 = markov.user_patterns(world.cursor(), 60)
    assert pat60.groupby("pattern_id")["users"].first().sum() == 5
