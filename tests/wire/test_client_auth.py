"""TokenManager against the simulator's token server (alor-api.md 1.2, 1.3)."""

from __future__ import annotations

import asyncio

import aiohttp
import pytest

from alortui.alor.auth import TokenManager, decode_jwt_claims
from alortui.alor.errors import AuthRejected, NetworkError, RateLimited, ServerError
from alortui.sim.server import SimExchange


class Clock:
    """A hand-driven wall clock for the token manager."""

    def __init__(self, now: float) -> None:
        self.now = now

    def __call__(self) -> float:
        return self.now


async def test_refresh_token_goes_in_the_body_and_claims_are_read(
        tokens: TokenManager, sim: SimExchange) -> None:
    jwt = await tokens.access_token()
    claims = decode_jwt_claims(jwt)
    assert tokens.claims == claims
    assert tokens.portfolios == ("D39004", "G39004", "7500GHC")
    assert tokens.expires_at is not None
    (entry,) = sim.log.http_requests("/refresh")
    assert entry.method == "POST"
    assert entry.query == {}  # nothing in the URL


async def test_the_cached_token_is_reused(tokens: TokenManager, sim: SimExchange) -> None:
    first = await tokens.access_token()
    assert await tokens.access_token() == first
    assert tokens.refreshes == 1
    assert len(sim.log.http_requests("/refresh")) == 1


async def test_refreshed_ahead_of_expiry(session: aiohttp.ClientSession) -> None:
    async with SimExchange(seed=3, jwt_lifetime=3) as sim:
        tokens = TokenManager(session, sim.oauth_url, sim.refresh_token)
        first = await tokens.access_token()
        # 3 s claims give 2 s of sure validity; renewed when less than 20 % of that is left.
        assert tokens.refresh_margin == pytest.approx(0.4)
        await asyncio.sleep(0.5)
        assert await tokens.access_token() == first
        await asyncio.sleep(1.3)  # now inside the margin, before expiry
        second = await tokens.access_token()
        assert second != first
        assert tokens.refreshes == 2
        assert len(sim.log.http_requests("/refresh")) == 2


async def test_margin_is_sixty_seconds_for_alors_half_hour_tokens(
        tokens: TokenManager) -> None:
    await tokens.access_token()
    assert tokens.refresh_margin == 60.0


async def test_single_flight(tokens: TokenManager, sim: SimExchange) -> None:
    results = await asyncio.gather(*(tokens.access_token() for _ in range(10)))
    assert len(set(results)) == 1
    assert len(sim.log.http_requests("/refresh")) == 1
    forced = await asyncio.gather(*(tokens.force_refresh(results[0]) for _ in range(10)))
    assert len(set(forced)) == 1
    assert len(sim.log.http_requests("/refresh")) == 2
    assert tokens.refreshes == 2


async def test_a_cancelled_caller_does_not_cancel_the_shared_refresh(
        tokens: TokenManager, sim: SimExchange) -> None:
    sim.faults.delay(0.3)
    first = asyncio.ensure_future(tokens.access_token())
    second = asyncio.ensure_future(tokens.access_token())
    await asyncio.sleep(0.05)
    first.cancel()
    assert (await second).count(".") == 2
    assert len(sim.log.http_requests("/refresh")) == 1


async def test_a_rejected_refresh_token(session: aiohttp.ClientSession, sim: SimExchange) -> None:
    tokens = TokenManager(session, sim.oauth_url, "not-the-right-token")
    with pytest.raises(AuthRejected) as caught:
        await tokens.access_token()
    assert "not-the-right-token" not in str(caught.value)
    assert "403" in str(caught.value)


async def test_transient_failure_keeps_the_valid_token(session: aiohttp.ClientSession,
                                                       sim: SimExchange) -> None:
    clock = Clock(1_000.0)
    tokens = TokenManager(session, sim.oauth_url, sim.refresh_token, clock=clock)
    first = await tokens.access_token()
    assert tokens.expires_at is not None
    clock.now = tokens.expires_at - 30  # inside the 60 s margin, still valid
    sim.faults.refresh_error(503)
    assert await tokens.access_token() == first
    assert await tokens.access_token() == first  # and no new attempt for a few seconds
    assert len(sim.log.http_requests("/refresh")) == 2
    clock.now += 6
    await tokens.access_token()  # the token server is back: a new attempt, and it works
    assert len(sim.log.http_requests("/refresh")) == 3
    assert tokens.expires_at > clock.now + 60


async def test_transient_failure_without_a_valid_token_raises(
        session: aiohttp.ClientSession, sim: SimExchange) -> None:
    clock = Clock(1_000.0)
    tokens = TokenManager(session, sim.oauth_url, sim.refresh_token, clock=clock)
    await tokens.access_token()
    assert tokens.expires_at is not None
    clock.now = tokens.expires_at + 1
    sim.faults.refresh_error(500)
    with pytest.raises(ServerError):
        await tokens.access_token()
    sim.faults.refresh_error(429, retry_after=9)
    with pytest.raises(RateLimited) as caught:
        await tokens.access_token()
    assert caught.value.retry_after == 9.0


async def test_a_403_is_final_even_with_a_valid_token(session: aiohttp.ClientSession,
                                                      sim: SimExchange) -> None:
    clock = Clock(1_000.0)
    tokens = TokenManager(session, sim.oauth_url, sim.refresh_token, clock=clock)
    await tokens.access_token()
    assert tokens.expires_at is not None
    clock.now = tokens.expires_at - 10
    sim.faults.refresh_error(403)
    with pytest.raises(AuthRejected):
        await tokens.access_token()


async def test_unreachable_token_server(session: aiohttp.ClientSession) -> None:
    tokens = TokenManager(session, "http://127.0.0.1:9", "x", timeout=2)
    with pytest.raises(NetworkError, match="token refresh"):
        await tokens.access_token()


async def test_the_refresh_token_may_come_wrapped(session: aiohttp.ClientSession,
                                                  sim: SimExchange) -> None:
    # The CLI's token source hands over its own Secret wrapper (alortui.tokens).
    from alortui.tokens import Secret as SourceSecret

    tokens = TokenManager(session, sim.oauth_url, SourceSecret(sim.refresh_token))
    assert (await tokens.access_token()).count(".") == 2
