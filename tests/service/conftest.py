"""Fixtures of the service tests: simulators on loopback and services bound to them."""

from __future__ import annotations

from collections.abc import AsyncIterator, Awaitable, Callable
from dataclasses import replace
from typing import Any

import aiohttp
import pytest
from svc_helpers import FAST, REFRESH, FakeTime

from alortui.alor.endpoints import Endpoints
from alortui.service.service import MarketData
from alortui.sim.server import SimExchange


@pytest.fixture
def fake_time() -> FakeTime:
    return FakeTime()


# -- the service against the simulated exchange on loopback -----------------------------------

SimFactory = Callable[..., Awaitable[SimExchange]]
ServiceFactory = Callable[..., Awaitable[MarketData]]


@pytest.fixture
async def make_sim() -> AsyncIterator[SimFactory]:
    """``await make_sim(**kwargs)``: a started simulator (stopped at the end)."""
    made: list[SimExchange] = []

    async def factory(**kwargs: Any) -> SimExchange:
        sim = SimExchange(**{"seed": 5, "refresh_token": REFRESH, "tick": 0.01, **kwargs})
        await sim.start()
        made.append(sim)
        return sim

    yield factory
    for sim in made:
        await sim.stop()


@pytest.fixture
async def sim(make_sim: SimFactory) -> SimExchange:
    return await make_sim()


@pytest.fixture
async def session() -> AsyncIterator[aiohttp.ClientSession]:
    async with aiohttp.ClientSession() as client:
        yield client


@pytest.fixture
async def make_service(session: aiohttp.ClientSession) -> AsyncIterator[ServiceFactory]:
    """``await make_service(sim, token=None, start=True, **options)`` (closed at the end)."""
    made: list[MarketData] = []

    async def factory(sim: SimExchange, token: str | None = None, *, start: bool = True,
                      **options: Any) -> MarketData:
        endpoints = Endpoints(sim.api_url, sim.ws_url, sim.oauth_url)
        service = MarketData(session, endpoints, refresh_token=token,
                             options=replace(FAST, **options))
        made.append(service)
        if start:
            await service.start()
        return service

    yield factory
    for service in made:
        await service.close()


