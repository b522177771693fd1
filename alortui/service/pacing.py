"""Pace of HTTP requests: a token bucket under ALOR's limit, a shared pause on 429, 5xx backoff.

ALOR allows at most 100 HTTP requests per second per user, and answers ``429`` ("too many
concurrently executing requests") with a ``Retry-After`` that every poller must honour, not only
the one that got it (alor-api.md 2.0, 5). One :class:`Pacer` per service gates every request.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Awaitable, Callable
from typing import Any, TypeVar

from alortui.alor.errors import RateLimited, ServerError

log = logging.getLogger(__name__)

T = TypeVar("T")

ALOR_MAX_RATE = 100.0
"""Requests per second ALOR allows one user (alor-api.md 5)."""


class Pacer:
    """Token bucket plus a pause that stops all requests until a given time.

    In any one-second window at most ``burst + rate`` requests start, and the constructor keeps
    that at or below ALOR's 100.

    Args:
        rate: Sustained requests per second.
        burst: Requests that may start back to back after a quiet spell.
        max_concurrent: Requests in flight at once (ALOR's 429 counts concurrent requests).
        default_retry_after: Pause after a 429 without a usable ``Retry-After``.
        backoff: First and largest pause after consecutive 5xx answers (doubling).
        clock: Monotonic seconds.
        sleep: Awaitable sleep matching ``clock``.
    """

    def __init__(self, *, rate: float = 40.0, burst: int = 10, max_concurrent: int = 4,
                 default_retry_after: float = 5.0, backoff: tuple[float, float] = (1.0, 60.0),
                 clock: Callable[[], float] = time.monotonic,
                 sleep: Callable[[float], Awaitable[Any]] = asyncio.sleep) -> None:
        if rate <= 0 or burst < 1 or rate + burst > ALOR_MAX_RATE:
            raise ValueError(f"rate + burst must be within ALOR's {ALOR_MAX_RATE:g} requests/s")
        self._rate, self._burst = rate, float(burst)
        self._tokens = float(burst)
        self._clock, self._sleep = clock, sleep
        self._stamp = clock()
        self._gate = asyncio.Semaphore(max_concurrent)
        self._turn = asyncio.Lock()
        self._default_retry_after = default_retry_after
        self._backoff = backoff
        self._failures = 0
        self.paused_until = 0.0
        """``clock`` time before which no request starts (0 when not paused)."""
        self.requests = 0
        """Requests started so far."""
        self.on_change: Callable[[], None] | None = None
        """Called when a pause starts (for the status line)."""

    @property
    def paused(self) -> bool:
        """Whether a pause is in force now."""
        return self._clock() < self.paused_until

    def pause_left(self) -> float:
        """Seconds until the pause ends (0 when not paused)."""
        return max(0.0, self.paused_until - self._clock())

    async def call(self, fn: Callable[..., Awaitable[T]], *args: Any, **kwargs: Any) -> T:
        """Run one request when pace allows; 429 and 5xx answers also pause everyone.

        Raises:
            Whatever ``fn`` raises (after recording a 429 pause or a 5xx backoff).
        """
        async with self._gate:
            await self._wait_turn()
            self.requests += 1
            try:
                result = await fn(*args, **kwargs)
            except RateLimited as exc:
                self.pause(exc.retry_after if exc.retry_after is not None
                           else self._default_retry_after)
                raise
            except ServerError:
                self._failures += 1
                first, cap = self._backoff
                self.pause(min(cap, first * 2 ** (self._failures - 1)))
                raise
            self._failures = 0
            return result

    def pause(self, seconds: float) -> None:
        """Stop every request for ``seconds`` (a longer pause in force is kept)."""
        until = self._clock() + max(0.0, seconds)
        if until > self.paused_until:
            self.paused_until = until
            log.info("HTTP requests paused for %.1f s", seconds)
            if self.on_change is not None:
                self.on_change()

    async def _wait_turn(self) -> None:
        # One waiter at a time (FIFO): the others queue on the lock instead of all waking for
        # every token.
        async with self._turn:
            while True:
                now = self._clock()
                if now < self.paused_until:
                    await self._sleep(self.paused_until - now)
                    continue
                self._tokens = min(self._burst, self._tokens + (now - self._stamp) * self._rate)
                self._stamp = now
                if self._tokens >= 1.0 - 1e-9:
                    self._tokens -= 1.0
                    return
                await self._sleep((1.0 - self._tokens) / self._rate)
