"""HTTP pacing: under 100 requests/s, a 429 pauses everyone, 5xx backs off."""

from __future__ import annotations

import asyncio
from typing import Any

import pytest

from alortui.alor.errors import RateLimited, ServerError
from alortui.service.pacing import Pacer


def test_rate_plus_burst_must_stay_within_alors_limit() -> None:
    with pytest.raises(ValueError):
        Pacer(rate=95, burst=10)


async def test_token_bucket_never_starts_more_than_100_in_a_second(fake_time: Any) -> None:
    pacer = Pacer(rate=90, burst=10, max_concurrent=50, clock=fake_time.clock,
                  sleep=fake_time.sleep)
    starts: list[float] = []

    async def request() -> None:
        starts.append(fake_time.now)

    tasks = [asyncio.create_task(pacer.call(request)) for _ in range(400)]
    for _ in range(500):
        await fake_time.advance(0.01)
    await asyncio.gather(*tasks)
    assert len(starts) == 400
    worst = max(sum(1 for t in starts if s <= t < s + 1.0) for s in starts)
    assert 90 <= worst <= 100, worst


async def test_429_pauses_every_request_for_retry_after(fake_time: Any) -> None:
    pacer = Pacer(clock=fake_time.clock, sleep=fake_time.sleep)
    calls: list[float] = []

    async def limited() -> None:
        calls.append(fake_time.now)
        raise RateLimited(retry_after=3.0)

    async def fine() -> str:
        calls.append(fake_time.now)
        return "ok"

    with pytest.raises(RateLimited):
        await pacer.call(limited)
    start = calls[0]
    other = asyncio.create_task(pacer.call(fine))
    await fake_time.advance(2.9)
    assert not other.done() and pacer.paused
    await fake_time.advance(0.2)
    assert await other == "ok"
    assert calls[1] - start == pytest.approx(3.0)


async def test_5xx_backoff_doubles_and_resets_after_success(fake_time: Any) -> None:
    pacer = Pacer(backoff=(1.0, 4.0), clock=fake_time.clock, sleep=fake_time.sleep)

    async def broken() -> None:
        raise ServerError(503)

    pauses = []
    for _ in range(4):
        task = asyncio.create_task(pacer.call(broken))
        while not task.done():
            await fake_time.advance(0.05)
        with pytest.raises(ServerError):
            task.result()
        pauses.append(round(pacer.paused_until - fake_time.now, 1))
    assert pauses == [1.0, 2.0, 4.0, 4.0]
