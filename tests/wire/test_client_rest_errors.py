"""AlorRest failure paths: 401 refresh-and-retry, 429, 5xx, network failures, odd bodies."""

from __future__ import annotations

import socket
from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta

import aiohttp
import pytest
from aiohttp import web
from aiohttp.test_utils import TestServer
from aioresponses import aioresponses
from client_helpers import endpoints_of

from alortui.alor.auth import TokenManager
from alortui.alor.endpoints import Endpoints
from alortui.alor.errors import (
    BadRequest,
    NetworkError,
    NotAuthorized,
    ProtocolError,
    RateLimited,
    ServerError,
)
from alortui.alor.rest import AlorRest
from alortui.models import InstrumentKey
from alortui.sim.server import SimExchange

SBER = InstrumentKey("MOEX", "SBER", "TQBR")


async def test_a_401_refreshes_the_token_once_and_retries(rest: AlorRest, sim: SimExchange,
                                                          tokens: TokenManager) -> None:
    await rest.server_time()
    before = tokens.refreshes
    sim.faults.http_error("/md/v2/orderbooks", 401, times=1)
    sim.log.clear()
    book = await rest.order_book(SBER)
    assert book.bids
    assert tokens.refreshes == before + 1
    assert [e.status for e in sim.log.http_requests("/md/v2/orderbooks")] == [401, 200]
    assert len(sim.log.http_requests("/refresh")) == 1


async def test_a_second_401_is_not_retried_again(rest: AlorRest, sim: SimExchange) -> None:
    sim.faults.http_error("/md/v2/orderbooks", 401, times=2)
    with pytest.raises(NotAuthorized) as caught:
        await rest.order_book(SBER)
    assert not caught.value.anonymous
    assert len(sim.log.http_requests("/md/v2/orderbooks")) == 2


async def test_429_with_retry_after_seconds(rest: AlorRest, sim: SimExchange) -> None:
    sim.faults.http_error("/md/v2/Securities", 429, retry_after=7)
    with pytest.raises(RateLimited) as caught:
        await rest.quotes([SBER])
    assert caught.value.retry_after == 7.0
    assert caught.value.status == 429


async def test_429_with_retry_after_http_date(rest: AlorRest, sim: SimExchange) -> None:
    sim.faults.http_error("/md/v2/history", 429,
                          retry_after=datetime.now(UTC) + timedelta(seconds=20))
    with pytest.raises(RateLimited) as caught:
        await rest.history(SBER, 60, 0, 60)
    assert caught.value.retry_after is not None
    assert 17 <= caught.value.retry_after <= 21


@pytest.mark.parametrize("status", [500, 502, 503])
async def test_5xx_is_a_server_error(rest: AlorRest, sim: SimExchange, status: int) -> None:
    sim.faults.http_error("/md/v2/time", status, body="upstream \x1b\u202e failure")
    with pytest.raises(ServerError) as caught:
        await rest.server_time()
    assert caught.value.status == status
    assert str(caught.value) == (
        f"GET /md/v2/time: server error (HTTP {status}) (upstream failure)")


async def test_400_is_a_bad_request_with_the_servers_text(rest: AlorRest) -> None:
    with pytest.raises(BadRequest) as caught:
        await rest.history(SBER, "fortnight", 0, 60)
    assert caught.value.status == 400


async def test_connection_refused_is_a_network_error(session: aiohttp.ClientSession) -> None:
    with socket.socket() as probe:  # a port that was free a moment ago: nobody listens there
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    url = f"http://127.0.0.1:{port}"
    rest = AlorRest(session, Endpoints.for_env("dev").override(api_url=url, oauth_url=url))
    with pytest.raises(NetworkError) as caught:
        await rest.server_time()
    assert "GET /md/v2/time" in str(caught.value)


async def test_a_slow_server_times_out(session: aiohttp.ClientSession, sim: SimExchange) -> None:
    rest = AlorRest(session, endpoints_of(sim), None, timeout=0.3)
    sim.faults.delay(2.0)
    with pytest.raises(NetworkError, match="timed out"):
        await rest.server_time()


async def test_dns_failure_is_a_network_error(session: aiohttp.ClientSession) -> None:
    # The simulator cannot fail a DNS lookup; aioresponses raises what aiohttp would.
    rest = AlorRest(session, Endpoints.for_env("prod"))
    with aioresponses() as mocked:
        mocked.get("https://api.alor.ru/md/v2/time", exception=aiohttp.ClientConnectionError(
            "Cannot connect to host api.alor.ru:443 [Name or service not known]"))
        with pytest.raises(NetworkError, match="Name or service not known"):
            await rest.server_time()


@pytest.fixture
async def odd_server() -> AsyncIterator[tuple[str, list[str]]]:
    """A loopback server answering what the simulator never would (HTML; refused GraphQL)."""

    async def html(_: web.Request) -> web.Response:
        return web.Response(text="<html>maintenance</html>", content_type="text/html")

    async def hyperion(request: web.Request) -> web.Response:
        body = await request.json()
        requests.append(body["query"])
        if "... on Bond" in body["query"]:
            return web.json_response({"errors": [{"message": "Unknown type `Bond`."}]})
        return web.json_response({"data": {"instrument": {
            "basicInformation": {"symbol": "SBER", "exchange": "MOEX", "shortName": "Sber"},
            "boardInformation": {"board": "TQBR"}}}})

    requests: list[str] = []
    app = web.Application()
    app.router.add_get("/md/v2/time", html)
    app.router.add_post("/hyperion", hyperion)
    async with TestServer(app, host="127.0.0.1") as server:
        yield str(server.make_url("")).rstrip("/"), requests


async def test_a_body_that_is_not_json_is_a_protocol_error(
        session: aiohttp.ClientSession, odd_server: tuple[str, list[str]]) -> None:
    rest = AlorRest(session, Endpoints.for_env("prod").override(api_url=odd_server[0]))
    with pytest.raises(ProtocolError, match="not JSON"):
        await rest.server_time()


async def test_a_refused_full_graphql_query_falls_back_to_the_common_groups(
        session: aiohttp.ClientSession, odd_server: tuple[str, list[str]]) -> None:
    url, queries = odd_server
    rest = AlorRest(session, Endpoints.for_env("prod").override(api_url=url))
    info = await rest.instrument_info(SBER)
    assert info.key == SBER and info.short_name == "Sber"
    assert info.extra == {}
    assert [("... on Bond" in q) for q in queries] == [True, False]
