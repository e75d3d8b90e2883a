"""A growing lockout after wrong passwords (the Data page's edit password).

Pure Python, no Streamlit. The page keeps one :class:`Lockout` per browser session
and one per server process: a guesser opening new sessions still meets the
process's. After ``free`` wrong tries in a row, each further wrong try locks
for ``base ** (n - free)`` seconds (2, 4, 8, … capped at ``cap``); while locked,
no try is checked at all, right or wrong. A right password clears the count;
so does ``forget`` seconds without a wrong try.
"""
from __future__ import annotations

import threading
import time
from typing import Callable

SESSION_FREE = 3     # wrong tries a session gets before the first lock
PROCESS_FREE = 10    # ... and all sessions of a server process together
BASE = 2.0
CAP = 300.0          # longest lock, seconds
FORGET = 900.0       # a quiet quarter of an hour clears the count


def _now() -> float:
    return time.monotonic()


class Lockout:
    def __init__(self, free: int, base: float = BASE, cap: float = CAP, forget: float = FORGET,
                 clock: Callable[[], float] | None = None):
        self.free, self.base, self.cap, self.forget = free, base, cap, forget
        self.clock = clock or (lambda: _now())
        self.failures = 0
        self.last = 0.0
        self.until = 0.0
        self._lock = threading.Lock()

    def wait(self) -> float:
        """Seconds until the next try may be checked (0: now)."""
        with self._lock:
            return max(0.0, self.until - self.clock())

    def fail(self) -> None:
        with self._lock:
            now = self.clock()
            if self.failures and now - self.last > self.forget:
                self.failures = 0
            self.failures += 1
            self.last = now
            if self.failures > self.free:
                self.until = now + min(self.cap, self.base ** (self.failures - self.free))

    def succeed(self) -> None:
        with self._lock:
            self.failures, self.until = 0, 0.0


def check(entered: str, password: str, locks: list[Lockout]) -> tuple[str, float]:
    """('ok' | 'wrong' | 'locked', seconds to wait). A locked try is not compared."""
    import hmac

    wait = max((lk.wait() for lk in locks), default=0.0)
    if wait > 0:
        return "locked", wait
    if hmac.compare_digest(entered.encode(), password.encode()):
        for lk in locks:
            lk.succeed()
        return "ok", 0.0
    for lk in locks:
        lk.fail()
    return "wrong", max((lk.wait() for lk in locks), default=0.0)
