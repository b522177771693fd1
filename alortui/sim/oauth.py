"""The token server: ``POST /refresh`` and the Bearer check shared by HTTP endpoints.

``/refresh`` (alor-api.md 1.2): the refresh token comes as ``?token=`` or in a JSON body
``{"token": ...}`` with any key case (ALOR's C# SDK sends ``Token``); the body wins when both are
present. ``allowedPortfolios`` narrows the JWT's ``portfolios`` claim. Success is
``{"AccessToken": "<jwt>"}`` (capital A); an unknown refresh token gets 403 with no body.
"""

from __future__ import annotations

import hmac
import logging

import orjson
from aiohttp import web

from alortui.sim.faults import Faults
from alortui.sim.jwt import PORTFOLIOS, InvalidToken, JwtIssuer

log = logging.getLogger(__name__)


def _lower_keys(obj: object) -> dict[str, object]:
    return {str(k).lower(): v for k, v in obj.items()} if isinstance(obj, dict) else {}


def _portfolios(raw: object) -> list[str] | None:
    """``allowedPortfolios`` as given: a JSON array, or its text form in the query (1.2)."""
    if isinstance(raw, str):
        text = raw
        try:
            raw = orjson.loads(text)
        except orjson.JSONDecodeError:
            raw = [part.strip() for part in text.strip("[]").split(",")]
    if not isinstance(raw, list):
        return None
    wanted = {str(p).strip().strip('"') for p in raw}
    return [p for p in PORTFOLIOS if p in wanted]


class TokenServer:
    """Exchanges the one accepted refresh token for JWTs."""

    def __init__(self, refresh_token: str, issuer: JwtIssuer, faults: Faults) -> None:
        self._refresh_token = refresh_token
        self._issuer = issuer
        self._faults = faults

    def __repr__(self) -> str:
        return "TokenServer(refresh_token=<redacted>)"

    async def refresh(self, request: web.Request) -> web.Response:
        """``POST /refresh``."""
        fault = self._faults.take_refresh_error()
        if fault is not None:
            headers = {"Retry-After": fault.retry_after} if fault.retry_after else None
            return web.Response(status=fault.status, text=fault.body, headers=headers)
        body = _lower_keys(await self._json_body(request))
        token = body.get("token", request.query.get("token"))
        if not isinstance(token, str) or not hmac.compare_digest(
            token.encode(), self._refresh_token.encode()
        ):
            log.info("refresh rejected: unknown refresh token")
            return web.Response(status=403)
        raw = body.get("allowedportfolios", request.query.get("allowedPortfolios"))
        jwt = self._issuer.issue(_portfolios(raw) if raw is not None else None)
        return web.json_response({"AccessToken": jwt}, dumps=lambda o: orjson.dumps(o).decode())

    @staticmethod
    async def _json_body(request: web.Request) -> object:
        raw = await request.read()
        if not raw.strip():
            return None
        try:
            return orjson.loads(raw)
        except orjson.JSONDecodeError:
            return None


class BearerAuth:
    """Reads ``Authorization: Bearer <jwt>`` (1.4).

    No header means an anonymous caller (delayed data where allowed, 2.0); a header with a bad,
    foreign or expired token is a 401 — ALOR does not silently downgrade such a caller.
    """

    def __init__(self, issuer: JwtIssuer) -> None:
        self._issuer = issuer

    def claims(self, request: web.Request) -> dict[str, object] | None:
        """The caller's claims, or None when anonymous.

        Raises:
            web.HTTPUnauthorized: a token was sent but is not valid here.
        """
        header = request.headers.get("Authorization")
        if header is None:
            return None
        scheme, _, token = header.strip().partition(" ")
        if scheme.lower() != "bearer" or not token.strip():
            raise unauthorized()
        try:
            return self._issuer.verify(token.strip())
        except InvalidToken:
            raise unauthorized('Bearer error="invalid_token"') from None


def unauthorized(challenge: str = "Bearer") -> web.HTTPUnauthorized:
    """A 401 with an empty body and a Bearer challenge, as ASP.NET's JWT handler answers."""
    return web.HTTPUnauthorized(headers={"WWW-Authenticate": challenge}, text="")
