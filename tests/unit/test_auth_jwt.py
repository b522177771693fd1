"""Reading JWT claims without verifying them (alor-api.md 1.3) and a repr that hides tokens."""

from __future__ import annotations

import base64

import aiohttp
import orjson
import pytest

from alortui.alor.auth import TokenManager, decode_jwt_claims


def _b64(data: object) -> str:
    raw = data.encode() if isinstance(data, str) else orjson.dumps(data)
    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode()


def test_claims_of_a_token_shaped_like_alors() -> None:
    claims = {"sub": "P039004", "portfolios": "D39004 G39004 7500GHC", "exp": 1747141500,
              "iat": 1747139700, "iss": "Alor.Identity", "name": "Сбер ✓"}
    jwt = f"{_b64({'alg': 'ES256', 'typ': 'JWT'})}.{_b64(claims)}.c2lnbmF0dXJl"
    assert decode_jwt_claims(jwt) == claims


@pytest.mark.parametrize("bad", [
    "", "only.two", "a.b.c.d", "eyJhbGciOiJFUzI1NiJ9.!!!notbase64!!!.sig",
    f"x.{_b64([1, 2])}.y", f"x.{_b64('not json')}.y",
])
def test_malformed_tokens_are_refused_without_echoing_them(bad: str) -> None:
    with pytest.raises(ValueError, match="not a JWT") as caught:
        decode_jwt_claims(bad)
    if bad:
        assert bad not in str(caught.value)


async def test_repr_hides_the_refresh_token() -> None:
    async with aiohttp.ClientSession() as session:
        tokens = TokenManager(session, "https://oauth.alor.ru/", "refresh-secret-123")
        text = repr(tokens)
    assert "refresh-secret-123" not in text
    assert "https://oauth.alor.ru/refresh" in text
    assert tokens.portfolios == ()
    assert tokens.claims is None and tokens.expires_at is None
    assert tokens.redact("a refresh-secret-123 b") == "a <redacted> b"
