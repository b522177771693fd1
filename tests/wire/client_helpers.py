"""Helpers shared by the wire-client tests (imported by name: tests/wire is on sys.path)."""

from __future__ import annotations

import asyncio
from collections.abc import Callable

from alortui.alor.endpoints import Endpoints
from alortui.alor.stream import AlorStream
from alortui.sim.server import SimExchange

SBER = {"code": "SBER", "exchange": "MOEX", "instrumentGroup": "TQBR"}
"""WS request fields for SBER on its primary board."""

StreamFactory = Callable[..., AlorStream]
"""The ``make_stream`` fixture: builds a not yet started stream with fast test timings."""


def endpoints_of(sim: SimExchange) -> Endpoints:
    """ALOR's dev endpoints redirected to the simulator."""
    return Endpoints.for_env("dev").override(api_url=sim.api_url, ws_url=sim.ws_url,
                                             oauth_url=sim.oauth_url)


async def until(check: Callable[[], bool], seconds: float = 3.0) -> None:
    """Wait until ``check()`` holds; fails the test (TimeoutError) after ``seconds``."""
    async with asyncio.timeout(seconds):
        while True:
            if check():
                return
            await asyncio.sleep(0.02)
