"""Switching between live streaming and delayed polling on request, against the simulator."""

from __future__ import annotations

import asyncio
import time
from typing import Any

import pytest
from svc_helpers import REFRESH, until

from alortui.models import InstrumentKey
from alortui.service.api import ANONYMOUS_DELAY, Mode, StreamIssue
from alortui.service.modes import NoRefreshToken

SBER = InstrumentKey.parse("MOEX:SBER")
GAZP = InstrumentKey.parse("MOEX:GAZP")


def quote_polls(sim: Any) -> int:
    return sum(1 for e in sim.log.http_requests("/md/v2/Securities/") if e.path.endswith("/quotes"))


async def test_live_to_delayed_and_back_keeps_the_consumer_fed(
        sim: Any, make_service: Any) -> None:
    service = await make_service(sim, REFRESH)
    arrivals: list[tuple[float, Any]] = []

    async def consume() -> None:
        async for item in service.quotes([SBER, GAZP]):
            arrivals.append((time.monotonic(), item))

    reader = asyncio.create_task(consume())
    try:
        await until(lambda: arrivals)
        await service.set_anonymous(True)
        assert service.status.mode is Mode.DELAYED
        assert service.status.delayed_by == ANONYMOUS_DELAY
        switched = time.monotonic()
        await until(lambda: quote_polls(sim) >= 2)
        await until(lambda: any(t > switched for t, _ in arrivals))
        delayed = [item for t, item in arrivals
                   if t > switched and not isinstance(item, StreamIssue)]
        assert delayed and all(s.received - s.as_of > ANONYMOUS_DELAY - 5
                               for s in delayed[-1].values())
        await until(lambda: not sim.ws.connections)  # the live socket is gone

        await service.set_anonymous(False)
        assert service.status.mode is Mode.LIVE
        assert len(sim.ws.connections) == 1
        polls = quote_polls(sim)
        await asyncio.sleep(0.8)
        assert quote_polls(sim) == polls  # polling stopped
        assert not any(isinstance(item, StreamIssue) for _, item in arrivals)
    finally:
        reader.cancel()


async def test_switching_to_the_mode_already_on_changes_nothing(
        sim: Any, make_service: Any) -> None:
    service = await make_service(sim, REFRESH)
    await service.set_anonymous(False)
    assert service.status.mode is Mode.LIVE
    assert quote_polls(sim) == 0


async def test_going_live_without_a_token_says_how_to_add_one(
        sim: Any, make_service: Any) -> None:
    service = await make_service(sim)
    with pytest.raises(NoRefreshToken, match="ALOR_REFRESH_TOKEN"):
        await service.set_anonymous(False)
    assert service.status.mode is Mode.DELAYED
