"""Meta's two send limits, as the simulator enforces them.

- Throughput (error 130429): at most N messages in any sliding one-second window per business
  number (80 by default, 20 for coexistence numbers). Meta counts inbound and outbound traffic.
- Pair rate (error 131056): one business number → one user. Meta states "1 message every 6
  seconds … bursts up to 45 messages in 6 s borrow future quota (a burst of 20 means ~2 min
  wait)". That is a token bucket: capacity 45 tokens, one token back every 6 s. Each accepted
  message takes a token; without a whole token the send is refused and takes nothing.

Both classes take the clock as an argument so tests can drive them without sleeping; they are
not thread-safe on their own (the simulator's state lock guards them).
"""

from __future__ import annotations

from collections import deque
from dataclasses import dataclass, field


@dataclass
class SlidingWindow:
    """Counts events in the last `window` seconds."""

    limit: int
    window: float = 1.0
    events: deque[float] = field(default_factory=deque)

    def _trim(self, now: float) -> None:
        while self.events and self.events[0] <= now - self.window:
            self.events.popleft()

    def allows(self, now: float) -> bool:
        self._trim(now)
        return len(self.events) < self.limit

    def record(self, now: float) -> None:
        self._trim(now)
        self.events.append(now)


@dataclass
class TokenBucket:
    """`capacity` tokens, refilled at one token per `interval` seconds."""

    capacity: float
    interval: float
    tokens: float = -1.0
    updated: float = 0.0

    def _refill(self, now: float) -> None:
        if self.tokens < 0:  # a fresh bucket starts full
            self.tokens, self.updated = self.capacity, now
            return
        if now > self.updated:
            self.tokens = min(self.capacity, self.tokens + (now - self.updated) / self.interval)
            self.updated = now

    def take(self, now: float) -> bool:
        self._refill(now)
        if self.tokens >= 1.0:
            self.tokens -= 1.0
            return True
        return False
