"""Helpers of the service tests: a fake clock, sim test timings, bounded waits."""

from __future__ import annotations

import asyncio
import heapq
import itertools
import time
from collections.abc import AsyncIterator, Callable
from typing import TypeVar

from alortui.service.options import ServiceOptions

T = TypeVar("T")

REFRESH = "service-test-refresh-7f3a"
FAST = ServiceOptions(poll_interval=0.3, ping_interval=0.3, ping_timeout=0.3,
                      silence_timeout=2.0, backoff=(0.2, 1.0), healthy_after=5.0,
                      open_wait=2.0, subscribe_retry=0.2, token_retry=0.2)
"""Short timings so every sim test ends within a few seconds."""


class FakeTime:
    """A monotonic clock plus a matching ``sleep`` that the test moves forward by hand."""

    def __init__(self, start: float = 1000.0) -> None:
        self.now = start
        self._sleepers: list[tuple[float, int, asyncio.Future[None]]] = []
        self._order = itertools.count()

    def clock(self) -> float:
        return self.now

    async def sleep(self, seconds: float) -> None:
        future: asyncio.Future[None] = asyncio.get_running_loop().create_future()
        heapq.heappush(self._sleepers, (self.now + max(0.0, seconds), next(self._order), future))
        await future

    async def settle(self) -> None:
        """Let every task that can run, run."""
        for _ in range(5):
            await asyncio.sleep(0)

    async def advance(self, seconds: float) -> None:
        """Move time forward, waking sleepers in order of their deadlines."""
        target = self.now + seconds
        await self.settle()
        while self._sleepers and self._sleepers[0][0] <= target:
            at, _, future = heapq.heappop(self._sleepers)
            self.now = max(self.now, at)
            if not future.done():
                future.set_result(None)
            await self.settle()
        self.now = target
        await self.settle()


async def next_item(iterator: AsyncIterator[T], wait: float = 3.0) -> T:
    """The iterator's next item, or fail after ``wait`` seconds."""
    return await asyncio.wait_for(anext(iterator), wait)


async def until(predicate: Callable[[], object], wait: float = 3.0,
                what: str = "condition", poll: float = 0.02) -> None:
    """Poll ``predicate`` every ``poll`` s until it is true; fail after ``wait`` seconds."""
    deadline = time.monotonic() + wait
    while not predicate():
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out after {wait} s waiting for {what}")
        await asyncio.sleep(poll)
