"""Per-caller token buckets: `rate` requests per minute on average, `burst` at once."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable

from assistant.errors import RateLimitedError


class RateLimiter:
    def __init__(self, per_minute: float, burst: int, clock: Callable[[], float] = time.monotonic,
                 max_callers: int = 100_000) -> None:
        self.rate = per_minute / 60.0
        self.burst = float(burst)
        self.clock = clock
        self.max_callers = max_callers
        self._buckets: dict[str, tuple[float, float]] = {}  # caller → (tokens, last refill)
        self._lock = threading.Lock()

    @property
    def enabled(self) -> bool:
        return self.rate > 0

    def take(self, caller: str) -> None:
        """Spend one token for `caller` or raise RateLimitedError with the wait in seconds."""
        if not self.enabled:
            return
        with self._lock:
            now = self.clock()
            tokens, last = self._buckets.get(caller, (self.burst, now))
            tokens = min(self.burst, tokens + (now - last) * self.rate)
            if tokens < 1.0:
                self._buckets[caller] = (tokens, now)
                raise RateLimitedError((1.0 - tokens) / self.rate)
            self._buckets[caller] = (tokens - 1.0, now)
            if len(self._buckets) > self.max_callers:  # forget the longest-idle callers
                for key, _ in sorted(self._buckets.items(), key=lambda kv: kv[1][1])[: self.max_callers // 10]:
                    del self._buckets[key]
