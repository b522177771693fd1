"""Each fault hook of the simulator does what it says, on real sockets."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime
from typing import Any

import aiohttp
import pytest
from aiohttp import WSMsgType

from alortui.sim.server import SimExchange

WsFactory = Callable[..., Awaitable[Any]]
MOEX_SBER = {"code": "SBER", "exchange": "MOEX"}


async def until_closed(ws: aiohttp.ClientWebSocketResponse) -> aiohttp.WSMessage:
    """Read until the socket ends; the last message (CLOSE/CLOSED/ERROR)."""
    while (msg := await asyncio.wait_for(ws.receive(), 2)).type in (WSMsgType.TEXT,
                                                                     WSMsgType.BINARY):
        pass
    return msg


async def test_drop_all_abrupt_is_1006(sim: SimExchange, ws_client: WsFactory) -> None:
    clients = [await ws_client(sim) for _ in range(2)]
    for client in clients:
        await client.confirm("QuotesSubscribe", **MOEX_SBER)
    await sim.faults.drop_all()
    for client in clients:
        await until_closed(client.ws)
        assert client.ws.close_code == 1006
    await asyncio.sleep(0.05)
    assert sim.ws.connections == []


@pytest.mark.parametrize("code", [1001, 1011, 4000])
async def test_drop_all_with_a_close_code(
        sim: SimExchange, ws_client: WsFactory, code: int) -> None:
    client = await ws_client(sim)
    await client.confirm("ping")
    closing = sim.faults.drop_all(code)  # completes when the client has answered the close
    msg = await until_closed(client.ws)
    await closing
    assert msg.type is WSMsgType.CLOSE and msg.data == client.ws.close_code == code


async def test_half_open_keeps_the_socket_but_goes_silent(
        sim: SimExchange, session: aiohttp.ClientSession) -> None:
    ws = await session.ws_connect(sim.ws_url, autoping=False)
    token = sim.issue_jwt()
    request = {"opcode": "QuotesSubscribe", **MOEX_SBER, "guid": "q", "token": token}
    await ws.send_json(request)
    assert (await asyncio.wait_for(ws.receive_json(), 2))["requestGuid"] == "q"
    sim.faults.half_open(True)
    await asyncio.sleep(0.05)
    while True:  # frames already in flight
        try:
            await asyncio.wait_for(ws.receive(), 0.2)
        except TimeoutError:
            break
    await ws.send_json({"opcode": "ping", "guid": "p1", "token": token})
    await ws.ping(b"hb")
    with pytest.raises(TimeoutError):
        await asyncio.wait_for(ws.receive(), 0.5)  # no data, no confirmation, no pong
    assert not ws.closed and len(sim.ws.connections) == 1
    sim.faults.half_open(False)
    await ws.ping(b"hb2")
    assert (await asyncio.wait_for(ws.receive(), 2)).type is WSMsgType.PONG
    await ws.close()


@pytest.mark.parametrize("code", [1001, 1006])
async def test_close_after_accept(
        sim: SimExchange, session: aiohttp.ClientSession, code: int) -> None:
    sim.faults.close_after_accept(True, code=code)
    ws = await session.ws_connect(sim.ws_url)  # the upgrade itself succeeds
    await until_closed(ws)
    assert ws.close_code == code
    sim.faults.close_after_accept(False)
    ok = await session.ws_connect(sim.ws_url)
    await ok.send_json({"opcode": "ping", "guid": "p", "token": sim.issue_jwt()})
    assert (await asyncio.wait_for(ok.receive_json(), 2))["httpCode"] == 200
    await ok.close()


async def test_send_raw_text_and_binary(sim: SimExchange, ws_client: WsFactory) -> None:
    client = await ws_client(sim)
    await client.confirm("ping")
    sim.faults.send_raw("{not json")
    sim.faults.send_raw(b"\x00\x01binary")
    text, binary = await client.raw(), await client.raw()
    assert (text.type, text.data) == (WSMsgType.TEXT, "{not json")
    assert (binary.type, binary.data) == (WSMsgType.BINARY, b"\x00\x01binary")


async def test_ws_reject_answers_an_opcode_with_an_envelope_n_times(
        sim: SimExchange, ws_client: WsFactory) -> None:
    client = await ws_client(sim)
    sim.faults.ws_reject("QuotesSubscribe", 403, "No access", times=2)
    for _ in range(2):
        guid = await client.send("QuotesSubscribe", **MOEX_SBER)
        assert await client.reply(guid) == {"requestGuid": guid, "httpCode": 403,
                                            "message": "No access"}
    await client.confirm("ping")  # other opcodes are unaffected
    await client.confirm("QuotesSubscribe", **MOEX_SBER)


async def get(session: aiohttp.ClientSession, sim: SimExchange,
              path: str) -> aiohttp.ClientResponse:
    response = await session.get(sim.api_url + path)
    await response.read()
    return response


async def test_http_error_on_a_prefix_for_n_requests(
        sim: SimExchange, session: aiohttp.ClientSession) -> None:
    sim.faults.http_error("/md/v2/securities", 500, times=2)
    assert (await get(session, sim, "/md/v2/time")).status == 200
    statuses = [(await get(session, sim, "/md/v2/Securities?query=SBER")).status
                for _ in range(3)]
    assert statuses == [500, 500, 200]
    assert [e.status for e in sim.log.http_requests("/md/v2/Securities")] == statuses


async def test_http_429_with_retry_after_seconds_or_date(
        sim: SimExchange, session: aiohttp.ClientSession) -> None:
    sim.faults.http_error("/md", 429, retry_after=7)
    first = await get(session, sim, "/md/v2/time")
    assert (first.status, first.headers["Retry-After"]) == (429, "7")
    sim.faults.http_error("/md", 429, retry_after=datetime(2030, 1, 2, 3, 4, 5, tzinfo=UTC))
    second = await get(session, sim, "/md/v2/time")
    assert second.headers["Retry-After"] == "Wed, 02 Jan 2030 03:04:05 GMT"
    sim.faults.http_error("/md/v2/orderbooks", 401, times=None)
    for _ in range(3):
        assert (await get(session, sim, "/md/v2/orderbooks/MOEX/SBER")).status == 401
    sim.faults.reset()
    assert (await get(session, sim, "/md/v2/time")).status == 200


async def test_refresh_error_then_recovery(
        sim: SimExchange, session: aiohttp.ClientSession) -> None:
    sim.faults.refresh_error(503, times=2, retry_after=3)
    statuses = []
    for _ in range(3):
        response = await session.post(f"{sim.oauth_url}/refresh",
                                      params={"token": sim.refresh_token})
        statuses.append(response.status)
        if response.status == 503:
            assert response.headers["Retry-After"] == "3"
    assert statuses == [503, 503, 200]


async def test_delay_slows_http_and_ws_answers(
        sim: SimExchange, session: aiohttp.ClientSession, ws_client: WsFactory) -> None:
    client = await ws_client(sim)
    sim.faults.delay(0.3)
    started = time.monotonic()
    assert (await get(session, sim, "/md/v2/time")).status == 200
    assert time.monotonic() - started >= 0.3
    started = time.monotonic()
    await client.confirm("ping")
    assert time.monotonic() - started >= 0.3
    sim.faults.delay(0)
    started = time.monotonic()
    await client.confirm("ping")
    assert time.monotonic() - started < 0.3
