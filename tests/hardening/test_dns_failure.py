"""Fault matrix item 1, DNS: ALOR's host name does not resolve when the app starts.

The app's HTTP session gets a resolver that fails every lookup of ``alor.invalid`` (RFC 6761:
never a real name) the way a failed ``getaddrinfo`` does, until the test lets it answer with
the simulator's loopback address: the real service and the real app, only the name lookup is
the test's. The user sees OFFLINE with the retry countdown, can still use the app, and gets
live values once the name resolves.
"""

from __future__ import annotations

import socket
from collections.abc import AsyncIterator

import aiohttp
import pytest
from aiohttp.abc import AbstractResolver, ResolveResult
from hardening_helpers import FAST, REFRESH, SBER, port_of, screen_text, until

from alortui.alor.endpoints import Endpoints
from alortui.service.api import Link, Mode
from alortui.service.service import MarketData
from alortui.sim.server import SimExchange
from alortui.ui.app import AlorTUI
from alortui.ui.screens.keys import KeysScreen

HOST = "alor.invalid"


class FlakyDns(AbstractResolver):
    """Fails every lookup until :attr:`up`; then ``HOST`` is 127.0.0.1."""

    def __init__(self) -> None:
        self.up = False
        self.failed = 0

    async def resolve(self, host: str, port: int = 0,
                      family: socket.AddressFamily = socket.AF_INET) -> list[ResolveResult]:
        if not self.up or host != HOST:
            self.failed += 1
            raise socket.gaierror(socket.EAI_NONAME, "Name or service not known")
        return [{"hostname": host, "host": "127.0.0.1", "port": port, "family": socket.AF_INET,
                 "proto": 0, "flags": socket.AI_NUMERICHOST}]

    async def close(self) -> None:
        pass


def sber_row(app: AlorTUI) -> str:
    (row,) = [line for line in screen_text(app).splitlines() if line.lstrip().startswith("SBER ")]
    return row


@pytest.fixture
def dns() -> FlakyDns:
    return FlakyDns()


@pytest.fixture
async def service(sim: SimExchange, dns: FlakyDns) -> AsyncIterator[MarketData]:
    base = f"http://{HOST}:{port_of(sim)}"
    endpoints = Endpoints(base, f"ws://{HOST}:{port_of(sim)}/ws", base)
    async with aiohttp.ClientSession(connector=aiohttp.TCPConnector(resolver=dns)) as session:
        market = MarketData(session, endpoints, refresh_token=REFRESH, options=FAST)
        await market.start()
        yield market
        await market.close()


async def test_a_name_that_does_not_resolve_is_offline_with_a_countdown_then_recovers(
        dns: FlakyDns, service: MarketData) -> None:
    app = AlorTUI(service, watchlists={"W": [SBER]}, theme="textual-dark")
    async with app.run_test(size=(120, 30)) as pilot:
        await until(lambda: service.status.mode is Mode.OFFLINE
                    and service.status.next_retry_at is not None, 4.0, "OFFLINE, a countdown")
        assert service.status.link is Link.RECONNECTING
        assert "Name or service not known" in (service.status.reason or "")
        await until(lambda: " OFFLINE " in screen_text(app).splitlines()[0], 2.0, "the line")
        shown = screen_text(app)
        assert "reconnecting #" in shown.splitlines()[0] and " in " in shown.splitlines()[0]
        assert "OFFLINE — no connection to ALOR" in shown
        assert not any(c.isdigit() for c in sber_row(app))  # listed, waiting for values

        await pilot.press("question_mark")  # still usable: the keys screen opens and closes
        await until(lambda: isinstance(app.screen, KeysScreen), 2.0, "the keys screen")
        await pilot.press("escape")
        await until(lambda: not isinstance(app.screen, KeysScreen), 2.0, "back")
        assert dns.failed >= 2 and app.is_running

        dns.up = True  # the name resolves again
        await until(lambda: service.status.mode is Mode.LIVE
                    and service.status.link is Link.CONNECTED, 6.0, "LIVE")
        await until(lambda: "OFFLINE" not in screen_text(app), 3.0, "the banner gone")
        await until(lambda: any(c.isdigit() for c in sber_row(app)), 4.0, "SBER's values")
        assert service.status.reason is None
