"""No refresh token or JWT in any log line, repr or exception message (CONTRACT, style.md 5)."""

from __future__ import annotations

import logging

import aiohttp
import pytest
from client_helpers import SBER, endpoints_of, until

from alortui.alor.auth import TokenManager
from alortui.alor.errors import AlorError
from alortui.alor.rest import AlorRest
from alortui.alor.stream import AlorStream
from alortui.models import InstrumentKey
from alortui.sim.server import SimExchange

KEY = InstrumentKey("MOEX", "SBER", "TQBR")


async def test_tokens_never_leak(session: aiohttp.ClientSession, sim: SimExchange,
                                 caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.DEBUG)
    tokens = TokenManager(session, sim.oauth_url, sim.refresh_token)
    rest = AlorRest(session, endpoints_of(sim), tokens)
    stream = AlorStream(session, sim.ws_url, tokens, ping_interval=0.2, backoff=(0.2, 1.0))
    jwts = [await tokens.access_token()]
    failures: list[AlorError] = []

    async def expect_failure(call: object) -> None:
        try:
            await call  # type: ignore[misc]
        except AlorError as exc:
            failures.append(exc)
        else:
            raise AssertionError("expected an AlorError")

    # HTTP: a 401 and its refresh, then server errors that echo the secrets back.
    sim.faults.http_error("/md/v2/orderbooks", 401)
    await rest.order_book(KEY)
    jwts.append(await tokens.access_token())
    echo = f"token {jwts[-1]} refresh {sim.refresh_token} Bearer {jwts[0]}"
    sim.faults.http_error("/md/v2/time", 500, body=echo)
    await expect_failure(rest.server_time())
    sim.faults.refresh_error(500)
    await expect_failure(tokens.force_refresh())
    await expect_failure(TokenManager(session, sim.oauth_url, "wrong-refresh").access_token())

    # WS: subscribe, a 401 envelope, a rejection that quotes the token, ping, reconnect.
    await stream.start()
    sim.faults.ws_reject("QuotesSubscribe", 401, "Invalid JWT token!")
    await stream.subscribe("QuotesSubscribe", SBER, lambda _: None)
    sim.faults.ws_reject("OrderBookGetAndSubscribe", 400, f"bad request token={jwts[-1]}")
    await expect_failure(stream.subscribe("OrderBookGetAndSubscribe", SBER, lambda _: None))
    jwts.append(await tokens.access_token())
    await stream.ping()
    await sim.faults.drop_all()
    await until(lambda: stream.status.counters.reconnects == 1)
    texts = [caplog.text, repr(tokens), repr(rest), repr(stream), repr(stream.status),
             repr(stream._router.subs), *map(str, failures), *map(repr, failures)]
    await stream.close()

    secrets = {sim.refresh_token, *jwts}
    assert len(failures) == 4
    assert len(caplog.records) > 10  # the flow really logged
    for text in texts:
        for secret in secrets:
            assert secret not in text
