"""The alert rule of the digest: the pooled two-proportion z-test of every stage rate,
this period against the previous one (docs/DIGEST.md "Alerts"). Numbers only, no text."""
from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

from .. import metrics
from ..limits import MIN_N

ALPHA = 0.05
STAGES = ("contact_rate", "pay_rate", "overall_rate")
STAGE_COUNTS = {s: metrics.counts(s) for s in STAGES}  # (numerator, denominator): the metrics layer


def two_proportion_z(k1: int, n1: int, k2: int, n2: int) -> tuple[float | None, float | None]:
    """Pooled two-proportion z-test of k1/n1 (before) vs k2/n2 (now): (z, two-sided p).

    z > 0 when the rate rose. (None, None) when a sample is empty; (0, 1) when
    the pooled rate is 0 or 1 (no variation: nothing to test)."""
    if not n1 or not n2:
        return None, None
    pooled = (k1 + k2) / (n1 + n2)
    se = math.sqrt(pooled * (1 - pooled) * (1 / n1 + 1 / n2))
    if se == 0:
        return 0.0, 1.0
    z = (k2 / n2 - k1 / n1) / se
    return z, math.erfc(abs(z) / math.sqrt(2))


@dataclass(frozen=True)
class Alert:
    channel: str | None  # None: all channels
    stage: str  # contact_rate | pay_rate | overall_rate
    k_prev: int
    n_prev: int
    k_cur: int
    n_cur: int
    z: float
    p: float

    @property
    def rate_prev(self) -> float:
        return metrics.ratio(self.k_prev, self.n_prev)

    @property
    def rate_cur(self) -> float:
        return metrics.ratio(self.k_cur, self.n_cur)

    @property
    def direction(self) -> str:
        return "down" if self.rate_cur < self.rate_prev else "up"

    @property
    def severity(self) -> str:
        """error (a drop at p < 0.01), warning (another drop), good (a rise)."""
        if self.direction == "up":
            return "good"
        return "error" if self.p < 0.01 else "warning"


def find_alerts(segments: list[dict[str, Any]], alpha: float = ALPHA,
                min_n: int = MIN_N) -> tuple[list[Alert], int]:
    """Significant stage-rate changes of every segment, and how many were tested.

    Order: drops before rises, then the smallest p first; all channels first."""
    out, tested = [], 0
    for row in segments:
        channel = row["channel"] if row["level"] == "channel" else None
        for stage in STAGES:
            num, den = STAGE_COUNTS[stage]
            k1, n1, k2, n2 = (int(row[f"{num}_prev"]), int(row[f"{den}_prev"]),
                              int(row[num]), int(row[den]))
            if n1 < min_n or n2 < min_n:
                continue
            tested += 1
            z, p = two_proportion_z(k1, n1, k2, n2)
            if p is not None and p < alpha:
                out.append(Alert(channel, stage, k1, n1, k2, n2, z, p))
    out.sort(key=lambda a: (a.direction != "down", a.p, a.channel is not None, a.channel or "",
                            STAGES.index(a.stage)))
    return out, tested
