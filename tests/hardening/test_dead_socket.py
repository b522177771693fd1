"""A socket judged dead is dropped, not closed politely (fault matrix item 3).

A half-open link carries no close frame either way, so waiting for the closing handshake only
delays the reconnect by the whole close timeout. Here that timeout is a minute, far beyond
every wait of the test: the reconnect can only come in time if the stream skips it, after an
unanswered ping (the stream shuts the socket) as after a silent socket (aiohttp's own close
skips the handshake after a receive timeout; kept here as a guard).
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any

import aiohttp
import pytest
from hardening_helpers import SBER, until
from tcp_proxy import TcpProxy

from alortui.alor.auth import TokenManager
from alortui.alor.stream import AlorStream
from alortui.alor.stream_status import StreamState, StreamStatus
from alortui.models import Quote
from alortui.sim.server import SimExchange

NEVER = 60.0
"""A close handshake (and any deadline not under test) this long would fail the test."""
DEADLINES = {
    "ping": {"ping_interval": 0.3, "ping_timeout": 0.3, "silence_timeout": NEVER},
    "silence": {"ping_interval": NEVER, "ping_timeout": NEVER, "silence_timeout": 0.5},
}


@pytest.fixture
async def make_stream(sim: SimExchange, proxy: TcpProxy, session: aiohttp.ClientSession
                      ) -> AsyncIterator[Any]:
    streams: list[AlorStream] = []

    def factory(**deadlines: float) -> AlorStream:
        tokens = TokenManager(session, sim.oauth_url, sim.refresh_token)
        stream = AlorStream(session, proxy.ws_url, tokens, close_timeout=NEVER,
                            backoff=(0.2, 1.0), **deadlines)
        streams.append(stream)
        return stream

    yield factory
    for stream in streams:
        await stream.close()


@pytest.mark.parametrize("deadline", sorted(DEADLINES))
async def test_a_dead_link_is_dropped_without_a_close_handshake(
        proxy: TcpProxy, make_stream: Any, deadline: str) -> None:
    stream = make_stream(**DEADLINES[deadline])
    seen: list[StreamStatus] = []
    stream.on_status = seen.append
    await stream.start()
    quotes: list[Quote] = []
    params = {"code": SBER.symbol, "exchange": SBER.exchange, "instrumentGroup": "TQBR"}
    await stream.subscribe("QuotesSubscribe", params, quotes.append)
    await until(lambda: bool(quotes), 3.0, "the first quote")

    proxy.stall()  # no FIN, no RST: the old socket stays open and silent for good
    await until(lambda: stream.status.counters.reconnects == 1, 6.0, "a new connection")
    quotes.clear()
    await until(lambda: bool(quotes), 3.0, "quotes on the new connection")

    (dropped,) = [s for s in seen if s.state is StreamState.RECONNECTING and s.next_retry_at]
    assert deadline in (dropped.last_error or "").lower() or "no message" in (
        dropped.last_error or "")
    assert stream.status.state is StreamState.CONNECTED
    assert proxy.accepted == 2
