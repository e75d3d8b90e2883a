"""The data-driven attribution model ``markov`` (CONTRACT §2; docs/METRICS.md "The markov model").

The SQL (queries/models/17_mk_chain.sql) counts the transitions of the order-1
absorbing chain for every window W = 1..365 on load; :func:`refresh` solves each
window's chain exactly and writes the removal effects to ``mk_removal``, which
``fct_attribution`` joins to, so a page view solves nothing.

The chain: transient states ``(start)`` and the channels, absorbing states
``(conversion)`` and ``(null)``. With Q the transient-to-transient probabilities
and r the probabilities into ``(conversion)``, the fundamental matrix
N = (I − Q)⁻¹ gives b = N r, the probability of conversion from each state, and
P = b[start]. Removing channel c (every transition into c sent to ``(null)``)
leaves exactly the conversions of the paths that never visit c; the probability
of visiting c from ``(start)`` is N[start, c] / N[c, c], and from c on the chain
converts with b[c], so P_c = P − N[start, c] / N[c, c] · b[c] and
RE_c = 1 − P_c / P (0 when P = 0). One inverse per window, exact up to floating
point (the tests compare with a direct re-solve of every removed chain at 1e-9).

The bootstrap interval of a removal effect resamples users (each user's paths
together), seeded by (BOOTSTRAP_SEED, window), from ``queries/markov_user_paths.sql``
(the users' transition patterns, stored on load). It is computed when asked
(:func:`removal_table`, one window at a time, ~0.1 s at the large world), not on
load: a load solves the 365 chains only, and the UI adapter caches a window's
table until the data changes.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Iterable

import duckdb
import numpy as np
from threadpoolctl import threadpool_limits

from . import sql

if TYPE_CHECKING:  # (pandas is imported where a page needs it: an upload's refresh uses numpy only)
    import pandas as pd

# One BLAS thread for the whole process. The products here are small (the bootstrap's
# 200 draws x ~800 patterns x (k+1)(k+3) counts); a second OpenBLAS thread saves
# nothing on them and then spins, busy, for some milliseconds after each one, which on
# two cores takes a core from the queries a page runs beside the bootstrap (measured at
# 1x: the bootstrap's CPU time 62 -> 40 ms, its own wall time 33 -> 40 ms; the
# Attribution page's window change, which runs it beside three queries, ~30 ms faster).
# Set once, on import.
threadpool_limits(limits=1, user_api="blas")

START, CONVERSION, NULL = "(start)", "(conversion)", "(null)"
BOOTSTRAP_DRAWS = 200
BOOTSTRAP_SEED = 20261202
LEVEL = 0.95


@dataclass(frozen=True)
class Chain:
    """One window's chain: channels (sorted), counts and the solution."""

    channels: tuple[str, ...]
    counts: np.ndarray          # (k+1) x (k+3): from (start, channels) to (start, channels, conv, null)
    p_conv: float
    p_without: np.ndarray       # P_c per channel
    removal: np.ndarray         # RE_c per channel

    def probabilities(self) -> np.ndarray:
        tot = self.counts.sum(axis=1, keepdims=True)
        with np.errstate(invalid="ignore", divide="ignore"):
            return np.where(tot > 0, self.counts / np.where(tot > 0, tot, 1), 0.0)


def _index(channels: Iterable[str]) -> dict[str, int]:
    return {c: i + 1 for i, c in enumerate(channels)}


def count_matrix(trans: pd.DataFrame, channels: tuple[str, ...]) -> np.ndarray:
    """Transition counts as a (k+1) x (k+3) matrix. ``trans``: from_channel (None =
    start), to_channel, to_state ('channel' | 'conversion' | 'null'), n."""
    k = len(channels)
    idx = _index(channels)
    m = np.zeros((k + 1, k + 3))
    for f, t, s, n in zip(trans["from_channel"], trans["to_channel"], trans["to_state"], trans["n"]):
        i = 0 if f is None or f != f else idx[f]
        j = idx[t] if s == "channel" else (k + 1 if s == "conversion" else k + 2)
        m[i, j] += float(n)
    return m


def solve_counts(m: np.ndarray) -> tuple[float, np.ndarray]:
    """(P, P_c per channel) of a count matrix (see the module's docstring)."""
    k = m.shape[0] - 1
    tot = m.sum(axis=1)
    safe = np.where(tot > 0, tot, 1.0)
    q = m[:, : k + 1] / safe[:, None]
    r = m[:, k + 1] / safe
    n = np.linalg.inv(np.eye(k + 1) - q)
    b = n @ r
    p = float(b[0])
    if k == 0:
        return p, np.zeros(0)
    diag = np.diag(n)[1:]
    p_without = p - n[0, 1:] / diag * b[1:]
    return p, p_without


def removal_effects(p: float, p_without: np.ndarray) -> np.ndarray:
    if p <= 0:
        return np.zeros_like(p_without)
    return np.clip(1.0 - p_without / p, 0.0, 1.0)


def removal_batch(m: np.ndarray) -> np.ndarray:
    """Removal effects of a stack of count matrices (B x (k+1) x (k+3)) -> B x k: the
    same formulas as solve_counts / removal_effects, one batched inverse."""
    k = m.shape[1] - 1
    tot = m.sum(axis=2)
    safe = np.where(tot > 0, tot, 1.0)
    q = m[:, :, : k + 1] / safe[:, :, None]
    r = m[:, :, k + 1] / safe
    n = np.linalg.inv(np.eye(k + 1)[None, :, :] - q)
    b = np.einsum("bij,bj->bi", n, r)
    p = b[:, 0]
    diag = np.diagonal(n, axis1=1, axis2=2)[:, 1:]
    pw = p[:, None] - n[:, 0, 1:] / diag * b[:, 1:]
    with np.errstate(invalid="ignore", divide="ignore"):
        re = np.where(p[:, None] > 0, 1.0 - pw / np.where(p > 0, p, 1.0)[:, None], 0.0)
    return np.clip(re, 0.0, 1.0)


def chain(trans: pd.DataFrame) -> Chain:
    """The solved chain of one window's transition counts."""
    chans = set(trans["from_channel"].dropna()) | set(trans.loc[trans["to_state"] == "channel", "to_channel"])
    channels = tuple(sorted(chans))
    m = count_matrix(trans, channels)
    p, pw = solve_counts(m)
    return Chain(channels, m, p, pw, removal_effects(p, pw))


def refresh(cur: duckdb.DuckDBPyConnection) -> None:
    """Solve the chain of every window from mk_transitions into mk_removal.

    Runs after the SQL models, in the same transaction (store.refresh_models). Its
    cost is one (k+1)-square inverse per window, 365 of them, on counts gathered
    into one array (k channels: every channel of any window, in name order; a
    channel absent from a window's paths has no transitions there and gets no row).
    (numpy only: an upload's process then never imports pandas, ~0.4 s.)"""
    trans = cur.execute(
        "SELECT window_days, from_channel, to_channel, to_state, n FROM mk_transitions").fetchall()
    cur.execute("DELETE FROM mk_removal")
    if not trans:
        return
    channels = tuple(sorted({f for _, f, _, _, _ in trans if f is not None}
                            | {t for _, _, t, s, _ in trans if s == "channel"}))
    k = len(channels)
    idx = _index(channels)
    windows = sorted({w for w, *_ in trans})
    wpos = {w: i for i, w in enumerate(windows)}
    to_code = {"conversion": k + 1, "null": k + 2}
    wi = np.array([wpos[w] for w, *_ in trans], dtype=int)
    fi = np.array([idx.get(f, 0) for _, f, _, _, _ in trans], dtype=int)
    ti = np.array([idx.get(t, 0) if s == "channel" else to_code[s] for _, _, t, s, _ in trans], dtype=int)
    counts = np.zeros((len(windows), k + 1, k + 3))
    np.add.at(counts, (wi, fi, ti), np.array([n for *_, n in trans], dtype=float))
    seen = np.zeros((len(windows), k + 1), dtype=bool)  # channels with paths in the window
    seen[:, 1:] = counts[:, 1:, :].sum(axis=2) > 0
    out: dict[str, list] = {"w": [], "c": [], "re": [], "p": [], "pw": []}
    for i, w in enumerate(windows):
        p, pw = solve_counts(counts[i])
        re = removal_effects(p, pw)
        for j in np.flatnonzero(seen[i, 1:]):
            for key, v in zip(out, (int(w), channels[j], float(re[j]), float(p), float(pw[j]))):
                out[key].append(v)
    if out["w"]:
        cur.execute("""INSERT INTO mk_removal (window_days, channel, removal_effect, p_conv, p_without)
                       SELECT unnest($w), unnest($c), unnest($re), unnest($p), unnest($pw)""", out)


# -- bootstrap -------------------------------------------------------------

def user_patterns(cur: duckdb.DuckDBPyConnection, window_days: int) -> pd.DataFrame:
    """Every distinct per-user set of transitions for the window, with its number of
    users: pattern_id, users, from_channel, to_channel, to_state, n (long form)."""
    return sql.run(cur, "markov_user_paths", window_days=int(window_days))


def bootstrap(patterns: pd.DataFrame, window_days: int, draws: int = BOOTSTRAP_DRAWS,
              seed: int = BOOTSTRAP_SEED, level: float = LEVEL) -> pd.DataFrame:
    """Percentile intervals of the removal effects, resampling users with replacement.

    A draw takes as many users as there are, each user's transitions together; users
    with the same transitions are interchangeable, so a draw is a multinomial count
    over the distinct patterns. Returns channel, removal_effect (of the data), lo, hi.
    """
    import pandas as pd

    if patterns.empty:
        return pd.DataFrame(columns=["channel", "removal_effect", "lo", "hi"])
    to_ch = patterns["to_state"] == "channel"
    channels = tuple(sorted(set(patterns["from_channel"].dropna().unique())
                            | set(patterns.loc[to_ch, "to_channel"].unique())))
    k = len(channels)
    idx = _index(channels)
    ids, inv = np.unique(patterns["pattern_id"].to_numpy(), return_inverse=True)
    users = patterns.groupby("pattern_id", sort=True)["users"].first().reindex(ids).to_numpy(dtype=float)
    f = patterns["from_channel"].map(idx).fillna(0).to_numpy(dtype=int)
    t = np.where(to_ch, patterns["to_channel"].map(idx).fillna(0),
                 np.where(patterns["to_state"] == "conversion", k + 1, k + 2)).astype(int)
    per = np.zeros((len(ids), (k + 1) * (k + 3)))  # each pattern's transition counts
    np.add.at(per, (inv, f * (k + 3) + t), patterns["n"].to_numpy(dtype=float))
    p, pw = solve_counts((users @ per).reshape(k + 1, k + 3))  # the data's chain (counts: exact)
    res = _draws(per, users, k, window_days, draws, seed)
    a = (1 - level) / 2
    lo, hi = np.quantile(res, [a, 1 - a], axis=0) if k else (np.zeros(0), np.zeros(0))
    return pd.DataFrame({"channel": list(channels), "removal_effect": removal_effects(p, pw), "lo": lo, "hi": hi})


def _draws(per: np.ndarray, users: np.ndarray, k: int, window_days: int, draws: int,
           seed: int) -> np.ndarray:
    """The removal effects of ``draws`` resamples of the users (draws x k): a draw is a
    multinomial count of users over the patterns (rows of ``per``, in pattern_id
    order), seeded by (seed, window)."""
    rng = np.random.default_rng([seed, int(window_days)])
    total = int(users.sum())
    mult = rng.multinomial(total, users / users.sum(), size=draws).astype(float)
    return removal_batch((mult @ per).reshape(draws, k + 1, k + 3))


def removal_table(cur: duckdb.DuckDBPyConnection, window_days: int, interval: bool = True) -> pd.DataFrame:
    """Per channel of the window's chain: removal_effect, share (of the removal
    effects), p_conv, p_without, paths, conv_paths (queries/markov_removal.sql:
    mk_removal and mk_channel_paths, computed on load) and the bootstrap 95 %
    interval lo, hi (:func:`bootstrap` of the window's users, computed here, on
    demand; ``interval=False`` leaves lo and hi null)."""
    eff = sql.run(cur, "markov_removal", window_days=int(window_days))
    total = float(eff["removal_effect"].sum()) if len(eff) else 0.0
    # how a payment touching every channel once would be split (null when all are 0)
    eff.insert(2, "share", eff["removal_effect"] / total if total > 0 else float("nan"))
    lo = hi = {}
    if interval and len(eff):
        ci = bootstrap(user_patterns(cur, window_days), window_days).set_index("channel")
        lo, hi = ci["lo"].to_dict(), ci["hi"].to_dict()
    eff["lo"] = [float(lo[c]) if c in lo else float("nan") for c in eff["channel"]]
    eff["hi"] = [float(hi[c]) if c in hi else float("nan") for c in eff["channel"]]
    return eff
