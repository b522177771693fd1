"""Reconnect pacing for the WebSocket: exponential backoff with jitter, never below a floor.

ALOR drops sockets now and then and expects clients to come back on their own (alor-api.md
3.8). The policy here sits between the clients surveyed there: like the C# SDK it doubles the
wait and never gives up; unlike a naive loop it resets only after a connection stayed healthy
for a while, so a server that accepts and immediately closes is still retried at most about
once a second at first and then ever more slowly. A manual reconnect (:meth:`Backoff.hurry`)
skips the wait once but still keeps the floor, so a key held down cannot hammer the server.
"""

from __future__ import annotations

import asyncio
import contextlib
import random
import time
from collections.abc import Callable

_MAX_EXPONENT = 30  # 2**30 s is far beyond any cap; keeps the float power finite


class Backoff:
    """Delays before reconnect attempts.

    The ``n``-th consecutive delay is ``min(cap, initial * factor**n)`` stretched by a random
    factor in ``[1, 1 + jitter)``; jitter only ever lengthens a delay, so no attempt follows
    the previous one sooner than ``initial`` seconds.

    Args:
        initial: First delay and the floor between attempts (seconds).
        cap: Largest delay before jitter (seconds).
        factor: Growth per consecutive failure.
        jitter: Fraction by which a delay may be stretched, spreading many clients apart.
        healthy_after: A connection that lasted this long resets the sequence.
        rng: Source of uniform ``[0, 1)`` numbers (tests pass a fixed one).
        now: Monotonic seconds, for the floor between attempts.
    """

    def __init__(self, initial: float = 1.0, cap: float = 30.0, *, factor: float = 2.0,
                 jitter: float = 0.2, healthy_after: float = 60.0,
                 rng: Callable[[], float] = random.random,
                 now: Callable[[], float] = time.monotonic) -> None:
        if initial <= 0 or cap < initial or factor < 1 or jitter < 0:
            raise ValueError("backoff needs 0 < initial <= cap, factor >= 1, jitter >= 0")
        self.initial = initial
        self.cap = cap
        self.factor = factor
        self.jitter = jitter
        self.healthy_after = healthy_after
        self._rng = rng
        self._now = now
        self.attempt = 0
        """Consecutive delays handed out since the last reset."""
        self.waiting = False
        """:meth:`sleep` is waiting for the next attempt."""
        self._attempt_at = -float("inf")
        self._hurried = asyncio.Event()

    def attempt_started(self) -> None:
        """Note that a connection attempt starts now: the floor counts from here."""
        self._attempt_at = self._now()
        self._hurried.clear()

    def hurry(self) -> None:
        """Skip the wait before the next attempt, or cut the current one short, down to the
        floor; the sequence starts again from ``initial``."""
        self.reset()
        self._hurried.set()

    def next_delay(self) -> float:
        """The wait before the next attempt; each call counts one more failure.

        After :meth:`hurry` it is only what the floor still asks, and counts nothing.
        """
        if self._hurried.is_set():
            return self._floor_left()
        base = min(self.cap, self.initial * self.factor ** min(self.attempt, _MAX_EXPONENT))
        self.attempt += 1
        return base * (1.0 + self.jitter * self._rng())

    async def sleep(self, delay: float) -> None:
        """Wait ``delay`` seconds, less if :meth:`hurry` is called, never less than the floor."""
        self.waiting = True
        try:
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._hurried.wait(), delay)
            await asyncio.sleep(self._floor_left())
        finally:
            self.waiting = False

    def _floor_left(self) -> float:
        return max(0.0, self.initial - (self._now() - self._attempt_at))

    def connection_ended(self, lasted: float) -> None:
        """Report how long a connection stayed up; a healthy one resets the sequence."""
        if lasted >= self.healthy_after:
            self.reset()

    def reset(self) -> None:
        """Start again from ``initial``."""
        self.attempt = 0
