"""``POST /refresh`` and the JWT checks of HTTP and WS (alor-api.md 1.2-1.4, 7.1)."""

from __future__ import annotations

import base64
import time
from collections.abc import Awaitable, Callable
from typing import Any

import aiohttp
import orjson
import pytest

from alortui.sim.jwt import InvalidToken, JwtIssuer
from alortui.sim.server import SimExchange

REFRESH = "sim-test-refresh-token"  # the sim fixture's refresh token
WsFactory = Callable[..., Awaitable[Any]]


def decode(part: str) -> dict[str, object]:
    return orjson.loads(base64.urlsafe_b64decode(part + "=" * (-len(part) % 4)))


def claims_of(jwt: str) -> tuple[dict[str, object], dict[str, object]]:
    header, payload, _ = jwt.split(".")
    return decode(header), decode(payload)


async def refresh(session: aiohttp.ClientSession, sim: SimExchange, **kwargs: object
                  ) -> aiohttp.ClientResponse:
    return await session.post(f"{sim.oauth_url}/refresh", **kwargs)  # type: ignore[arg-type]


async def test_refresh_by_query_gives_an_alor_shaped_jwt(
        sim: SimExchange, session: aiohttp.ClientSession) -> None:
    before = time.time()
    response = await refresh(session, sim, params={"token": REFRESH})
    assert response.status == 200
    body = await response.json()
    assert list(body) == ["AccessToken"]
    header, claims = claims_of(body["AccessToken"])
    assert header == {"alg": "ES256", "typ": "JWT", "cty": "JWT"}
    assert claims["portfolios"] == "D39004 G39004 7500GHC"
    assert claims["iss"] == "Alor.Identity" and claims["ent"] == "client"
    assert isinstance(claims["exp"], int) and claims["exp"] - claims["iat"] == 1800
    assert before - 1 <= claims["iat"] <= time.time() + 1
    assert {"sub", "ein", "clientid", "azp", "agreements", "scope", "aud"} <= set(claims)


@pytest.mark.parametrize("key", ["token", "Token", "TOKEN"])
async def test_refresh_by_json_body_in_any_key_case(
        sim: SimExchange, session: aiohttp.ClientSession, key: str) -> None:
    response = await refresh(session, sim, json={key: REFRESH})
    assert response.status == 200
    assert "AccessToken" in await response.json()


async def test_body_wins_over_query(sim: SimExchange, session: aiohttp.ClientSession) -> None:
    good_body = await refresh(session, sim, params={"token": "wrong"}, json={"token": REFRESH})
    bad_body = await refresh(session, sim, params={"token": REFRESH}, json={"token": "wrong"})
    assert (good_body.status, bad_body.status) == (200, 403)


@pytest.mark.parametrize("kwargs", [
    {"params": {"token": "not-the-token"}}, {"json": {"token": ""}}, {}, {"data": b"{oops"}])
async def test_unknown_or_missing_refresh_token_is_403(
        sim: SimExchange, session: aiohttp.ClientSession, kwargs: dict[str, object]) -> None:
    response = await refresh(session, sim, **kwargs)
    assert response.status == 403
    assert await response.read() == b""


async def test_allowed_portfolios_narrow_the_claim(
        sim: SimExchange, session: aiohttp.ClientSession) -> None:
    body = await (await refresh(session, sim, json={
        "token": REFRESH, "allowedPortfolios": ["G39004", "D39004"]})).json()
    assert claims_of(body["AccessToken"])[1]["portfolios"] == "D39004 G39004"
    query = await (await refresh(session, sim, params={
        "token": REFRESH, "allowedPortfolios": '["7500GHC"]'})).json()
    assert claims_of(query["AccessToken"])[1]["portfolios"] == "7500GHC"


async def test_the_refresh_token_never_reaches_the_log_or_repr(
        sim: SimExchange, session: aiohttp.ClientSession) -> None:
    await refresh(session, sim, params={"token": REFRESH})
    (entry,) = sim.log.http_requests("/refresh")
    assert entry.query == {"token": "REDACTED"} and entry.status == 200
    assert REFRESH not in repr(sim.log.http) + repr(sim)


def test_issuer_rejects_forged_foreign_and_expired_tokens() -> None:
    now = [1_000_000.0]
    issuer = JwtIssuer(60, clock=lambda: now[0])
    token = issuer.issue()
    assert issuer.verify(token)["exp"] == 1_000_060
    head, _, sig = token.split(".")
    forged_claims = base64.urlsafe_b64encode(orjson.dumps({"exp": 9_999_999_999})).rstrip(b"=")
    for bad in (f"{head}.{forged_claims.decode()}.{sig}", JwtIssuer(60).issue(), "abc", "a.b.c"):
        with pytest.raises(InvalidToken):
            issuer.verify(bad)
    now[0] += 61
    with pytest.raises(InvalidToken, match="expired") as caught:
        issuer.verify(token)
    assert token not in str(caught.value)


@pytest.mark.parametrize("path", ["/md/v2/time", "/md/v2/orderbooks/MOEX/SBER"])
async def test_http_rejects_expired_or_foreign_bearer_with_401(
        sim: SimExchange, session: aiohttp.ClientSession, path: str) -> None:
    for token in (sim.issue_jwt(lifetime=-5), JwtIssuer().issue(), "garbage"):
        response = await session.get(sim.api_url + path,
                                     headers={"Authorization": f"Bearer {token}"})
        assert response.status == 401
        assert response.headers["WWW-Authenticate"].startswith("Bearer")
    fresh = await session.get(sim.api_url + path,
                              headers={"Authorization": f"Bearer {sim.issue_jwt()}"})
    assert fresh.status == 200


async def test_ws_rejects_expired_foreign_or_missing_token(
        sim: SimExchange, ws_client: WsFactory) -> None:
    for token in (sim.issue_jwt(lifetime=-5), JwtIssuer().issue(), ""):
        client = await ws_client(sim, token=token)
        guid = await client.send("QuotesSubscribe", code="SBER", exchange="MOEX")
        assert await client.recv() == {"requestGuid": guid, "httpCode": 401,
                                       "message": "Invalid JWT token!"}
        assert await client.drain(0.15) == []  # no data follows a rejection


async def test_ws_checks_the_token_per_request_not_per_connection(
        sim: SimExchange, ws_client: WsFactory) -> None:
    client = await ws_client(sim)
    await client.confirm("ping")
    client.token = sim.issue_jwt(lifetime=-1)
    guid = await client.send("ping")
    assert (await client.recv())["httpCode"] == 401
    client.token = sim.issue_jwt()
    assert guid != await client.confirm("ping")
