"""Fixtures for the wire client against the simulated exchange on a loopback port."""

from __future__ import annotations

from collections.abc import AsyncIterator

import aiohttp
import pytest
from client_helpers import StreamFactory, endpoints_of

from alortui.alor.auth import TokenManager
from alortui.alor.rest import AlorRest
from alortui.alor.stream import AlorStream
from alortui.sim.server import SimExchange

REFRESH_TOKEN = "test-refresh-0f1e2d3c4b5a"


@pytest.fixture
async def sim() -> AsyncIterator[SimExchange]:
    async with SimExchange(seed=7, refresh_token=REFRESH_TOKEN) as exchange:
        yield exchange


@pytest.fixture
async def session() -> AsyncIterator[aiohttp.ClientSession]:
    async with aiohttp.ClientSession() as client_session:
        yield client_session


@pytest.fixture
def tokens(session: aiohttp.ClientSession, sim: SimExchange) -> TokenManager:
    return TokenManager(session, sim.oauth_url, sim.refresh_token)


@pytest.fixture
def rest(session: aiohttp.ClientSession, sim: SimExchange, tokens: TokenManager) -> AlorRest:
    return AlorRest(session, endpoints_of(sim), tokens)


@pytest.fixture
def anonymous(session: aiohttp.ClientSession, sim: SimExchange) -> AlorRest:
    return AlorRest(session, endpoints_of(sim), None)


@pytest.fixture
async def make_stream(session: aiohttp.ClientSession, sim: SimExchange,
                      tokens: TokenManager) -> AsyncIterator[StreamFactory]:
    """Build started streams with fast test timings; all are closed at the end."""
    made: list[AlorStream] = []

    def factory(**options: object) -> AlorStream:
        settings: dict[str, object] = {
            "ping_interval": 1.0, "ping_timeout": 0.5, "silence_timeout": 3.0,
            "confirm_timeout": 3.0, "connect_timeout": 2.0, "close_timeout": 0.5,
            "backoff": (0.2, 1.0), "healthy_after": 5.0, **options}
        stream = AlorStream(session, str(settings.pop("ws_url", sim.ws_url)),
                            settings.pop("tokens", tokens), **settings)  # type: ignore[arg-type]
        made.append(stream)
        return stream

    yield factory
    for stream in made:
        await stream.close()


@pytest.fixture
async def stream(make_stream: StreamFactory) -> AlorStream:
    started = make_stream()
    await started.start()
    return started
