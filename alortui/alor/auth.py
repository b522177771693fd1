"""Refresh token -> short-lived JWT, refreshed ahead of expiry, one refresh at a time.

ALOR publishes no JWT lifetime, so the ``exp`` claim is the only truth (alor-api.md 1.2, 1.3).
Every HTTP request and WS message asks :meth:`TokenManager.access_token` first (as Astras does),
so they always carry a token that is not about to expire.
"""

from __future__ import annotations

import asyncio
import base64
import binascii
import logging
import time
from collections.abc import Callable, Mapping

import aiohttp
import orjson

from alortui.alor.errors import (
    AuthRejected,
    NetworkError,
    ProtocolError,
    RateLimited,
    ServerError,
    http_error,
    network_error,
)
from alortui.alor.redact import REDACTED, Revealable, Secret, redact

log = logging.getLogger(__name__)

_TRANSIENT = (NetworkError, ServerError, RateLimited)
_RETRY_PAUSE = 5.0
"""Seconds between refresh attempts after a transient failure while the old JWT still works."""
_LIFETIME_WITHOUT_EXP = 60.0
"""Assumed lifetime of a JWT without ``exp`` (AlorPy's conservative 60 s, alor-api.md 1.2)."""


def decode_jwt_claims(jwt: str) -> dict[str, object]:
    """The claims of a JWT: its base64url middle part as JSON (no signature check, 1.3).

    Raises:
        ValueError: not three dot-separated parts, or the payload is not a base64url JSON object.
            The message never contains the token.
    """
    parts = jwt.split(".")
    if len(parts) != 3:
        raise ValueError("not a JWT: expected three dot-separated parts")
    payload = parts[1] + "=" * (-len(parts[1]) % 4)
    try:
        claims = orjson.loads(base64.urlsafe_b64decode(payload))
    except (binascii.Error, orjson.JSONDecodeError, ValueError):
        raise ValueError("not a JWT: the payload is not base64url-encoded JSON") from None
    if not isinstance(claims, dict):
        raise ValueError("not a JWT: the payload is not a JSON object")
    return claims


def jwt_portfolios(jwt: str) -> tuple[str, ...]:
    """The portfolios a JWT may use: its space-separated ``portfolios`` claim, in order (1.3).

    No signature check (clients cannot verify ALOR's). A token without the claim gives ``()``.

    Raises:
        ValueError: the token is not a readable JWT (the message never contains the token).
    """
    return portfolios_claim(decode_jwt_claims(jwt))


def portfolios_claim(claims: Mapping[str, object]) -> tuple[str, ...]:
    """The ``portfolios`` claim of decoded JWT claims, split on whitespace; ``()`` if absent."""
    value = claims.get("portfolios")
    return tuple(value.split()) if isinstance(value, str) else ()


class TokenManager:
    """Holds the refresh token and hands out a fresh JWT.

    Refresh policy: a JWT is renewed when less than ``min(refresh_margin, 20 % of its
    lifetime)`` remains. With ALOR's ~30 min tokens that is the recommended 60 s (alor-api.md
    1.2); the 20 % cap keeps short-lived tokens (the simulator's, a few seconds) from being
    refreshed on every call. The lifetime is ``exp - iat`` and is counted from the moment the
    JWT arrived on the local ``clock`` (less 1 s, as claims are whole seconds), so a skewed
    local clock does not cause a refresh storm.

    Concurrency: one refresh at a time; concurrent callers await the same request.

    Failures: ``403`` -> :class:`AuthRejected` (the refresh token is dead; stop and tell the
    user). Network trouble, ``429`` and ``5xx`` are transient: while the current JWT is still
    valid it keeps being returned (with a retry every few seconds); otherwise the typed error
    is raised.

    Attributes:
        claims: Claims of the current JWT, or ``None`` before the first refresh.
        expires_at: Local-clock time the current JWT expires, or ``None``.
        refreshes: Number of refresh requests sent (diagnostics).
    """

    def __init__(self, session: aiohttp.ClientSession, oauth_url: str,
                 refresh_token: str | Revealable, *, refresh_margin: float = 60.0,
                 clock: Callable[[], float] = time.time, timeout: float = 10.0) -> None:
        self._session = session
        self._refresh_url = oauth_url.rstrip("/") + "/refresh"
        self._refresh_token = Secret(refresh_token if isinstance(refresh_token, str)
                                     else refresh_token.reveal())
        self._margin = refresh_margin
        self._clock = clock
        self._timeout = aiohttp.ClientTimeout(total=timeout)
        self._jwt: Secret | None = None
        self._lifetime = 0.0
        self._retry_at = 0.0
        self._renew_at = 0.0
        self._inflight: asyncio.Task[str] | None = None
        self.claims: dict[str, object] | None = None
        self.expires_at: float | None = None
        self.refreshes = 0

    def __repr__(self) -> str:
        token = REDACTED if self._jwt else None
        return (f"TokenManager(url={self._refresh_url!r}, refresh_token={REDACTED}, "
                f"access_token={token}, expires_at={self.expires_at})")

    def redact(self, text: str) -> str:
        """``text`` without the refresh token or any JWT (for server text in messages)."""
        return redact(text, self._refresh_token.reveal())

    @property
    def portfolios(self) -> tuple[str, ...]:
        """Portfolios the JWT may use: its space-separated ``portfolios`` claim (1.3)."""
        return portfolios_claim(self.claims or {})

    @property
    def refresh_margin(self) -> float:
        """Seconds before expiry at which the current JWT is renewed."""
        return min(self._margin, 0.2 * self._lifetime)

    async def access_token(self) -> str:
        """A JWT valid for at least the refresh margin, refreshing if needed.

        Raises:
            AuthRejected: the refresh token was refused.
            NetworkError | ServerError | RateLimited | ProtocolError: no valid JWT is available.
        """
        now = self._clock()
        current = self._valid_jwt(now)
        if current is not None and (now < self._renew_at or now < self._retry_at):
            return current
        try:
            return await self._refresh_once()
        except _TRANSIENT as exc:
            current = self._valid_jwt(self._clock())
            if current is None:
                raise
            pause = getattr(exc, "retry_after", None) or _RETRY_PAUSE
            self._retry_at = self._clock() + pause
            log.warning("token refresh failed, keeping the current token until it expires: %s",
                        exc)
            return current

    def _valid_jwt(self, now: float) -> str | None:
        if self._jwt is None or self.expires_at is None or now >= self.expires_at:
            return None
        return self._jwt.reveal()

    async def force_refresh(self, rejected: str | None = None) -> str:
        """Get a new JWT now, e.g. after the server answered ``401``.

        Args:
            rejected: The JWT the server refused. If the current JWT is already a different
                one, another caller has refreshed meanwhile and it is returned as is.
        """
        if rejected is not None and self._jwt is not None and self._jwt.reveal() != rejected:
            return self._jwt.reveal()
        return await self._refresh_once()

    async def _refresh_once(self) -> str:
        # Single flight: the task is shared and shielded, so a cancelled caller does not
        # cancel the refresh the other callers are waiting for.
        if self._inflight is None:
            self._inflight = asyncio.get_running_loop().create_task(self._refresh())
            self._inflight.add_done_callback(self._refresh_done)
        return await asyncio.shield(self._inflight)

    def _refresh_done(self, task: asyncio.Task[str]) -> None:
        self._inflight = None
        if not task.cancelled():
            task.exception()  # retrieved here too, in case every caller was cancelled

    async def _refresh(self) -> str:
        self.refreshes += 1
        log.debug("requesting an access token from %s", self._refresh_url)
        body_json = {"token": self._refresh_token.reveal()}
        try:
            # The refresh token goes in the JSON body, never the URL (alor-api.md 1.2).
            async with self._session.post(self._refresh_url, json=body_json,
                                          timeout=self._timeout) as resp:
                body = await resp.read()
                status, retry_after = resp.status, resp.headers.get("Retry-After")
        except (aiohttp.ClientError, TimeoutError, OSError) as exc:
            raise network_error("token refresh", exc) from None
        if status == 403:
            raise AuthRejected("ALOR refused the refresh token (HTTP 403): it is malformed, "
                               "expired or revoked; issue a new one at alor.dev")
        if status != 200:
            raise http_error(status, self.redact(body.decode("utf-8", "replace")),
                             what="token refresh", retry_after=retry_after)
        return self._accept(self._parse_jwt(body))

    @staticmethod
    def _parse_jwt(body: bytes) -> str:
        try:
            obj = orjson.loads(body)
        except orjson.JSONDecodeError:
            raise ProtocolError("token refresh: the token server's answer is not JSON") from None
        # The key is "AccessToken" with a capital A (alor-api.md 1.2); match it loosely.
        found = [v for k, v in obj.items() if k.lower() == "accesstoken"] if isinstance(
            obj, dict) else []
        if not found or not isinstance(found[0], str):
            raise ProtocolError("token refresh: the answer carries no AccessToken")
        return found[0]

    def _accept(self, jwt: str) -> str:
        try:
            claims = decode_jwt_claims(jwt)
        except ValueError as exc:
            raise ProtocolError(f"token refresh: the access token is unreadable ({exc})") from None
        now = self._clock()
        exp, iat = claims.get("exp"), claims.get("iat")
        if isinstance(exp, int | float) and isinstance(iat, int | float) and exp > iat:
            # Claims are whole seconds: the token may have been minted up to 1 s after `iat`
            # was truncated, so up to 1 s of `exp - iat` may already be gone.
            self._lifetime = max(0.0, float(exp - iat) - 1.0)
        elif isinstance(exp, int | float):
            self._lifetime = max(0.0, float(exp) - now)
        else:
            log.warning("the access token has no exp claim; assuming %.0f s", _LIFETIME_WITHOUT_EXP)
            self._lifetime = _LIFETIME_WITHOUT_EXP
        self._jwt, self.claims = Secret(jwt), claims
        self.expires_at, self._retry_at = now + self._lifetime, 0.0
        self._renew_at = self.expires_at - self.refresh_margin
        log.info("access token refreshed; valid for %.0f s, portfolios: %s",
                 self._lifetime, " ".join(self.portfolios) or "none")
        return jwt
