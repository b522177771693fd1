"""Fixtures of the hardening tests: a simulator, a proxy in front of it, services bound to them."""

from __future__ import annotations

import time
from collections.abc import AsyncIterator, Awaitable, Callable
from dataclasses import replace
from typing import Any

import aiohttp
import pytest
from hardening_helpers import FAST, REFRESH, endpoints_at, port_of
from tcp_proxy import TcpProxy

from alortui.alor.endpoints import Endpoints
from alortui.service.service import MarketData
from alortui.sim.clock import ManualClock
from alortui.sim.server import SimExchange

ServiceFactory = Callable[..., Awaitable[MarketData]]


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line("markers", "frozen_market: the simulator's market never moves on "
                            "its own (a manual clock), so the first values are the only good ones")


@pytest.fixture
async def sim(request: pytest.FixtureRequest) -> AsyncIterator[SimExchange]:
    frozen = request.node.get_closest_marker("frozen_market") is not None
    clock = ManualClock(time.time()) if frozen else None
    async with SimExchange(seed=11, refresh_token=REFRESH, tick=0.01, clock=clock) as exchange:
        yield exchange


@pytest.fixture
async def proxy(sim: SimExchange) -> AsyncIterator[TcpProxy]:
    """A started proxy in front of ``sim`` (stopped at the end)."""
    started = TcpProxy(port_of(sim))
    await started.start()
    yield started
    await started.stop()


@pytest.fixture
async def session() -> AsyncIterator[aiohttp.ClientSession]:
    async with aiohttp.ClientSession() as client:
        yield client


@pytest.fixture
async def make_service(session: aiohttp.ClientSession,
                       sim: SimExchange) -> AsyncIterator[ServiceFactory]:
    """``await make_service(token=REFRESH, port=None, start=True, **options)``: a service bound
    to the simulator (or to whatever listens on ``port``), closed at the end."""
    made: list[MarketData] = []

    async def factory(token: str | None = REFRESH, *, port: int | None = None,
                      start: bool = True, **options: Any) -> MarketData:
        endpoints: Endpoints = endpoints_at(port if port is not None else port_of(sim))
        service = MarketData(session, endpoints, refresh_token=token,
                             options=replace(FAST, **options))
        made.append(service)
        if start:
            await service.start()
        return service

    yield factory
    for service in made:
        await service.close()
