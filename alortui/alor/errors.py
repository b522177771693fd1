"""Typed errors of the ALOR client.

Every error's ``str()`` is a complete, human-readable sentence that can go straight into a status
line, and never contains a token: text taken from a server goes through
:func:`alortui.alor.redact.clean_server_text` first. Status codes follow alor-api.md 2.0.
"""

from __future__ import annotations

import email.utils
import math
import time

from alortui.alor.redact import clean_server_text


class AlorError(Exception):
    """Base of every error raised by :mod:`alortui.alor`."""


class InvalidEndpoint(AlorError, ValueError):
    """A user-given API/WS/OAuth URL (or environment name) is not usable."""


class NetworkError(AlorError):
    """The server could not be reached or stopped answering: refused, DNS, timeout, reset."""


class ProtocolError(AlorError):
    """The server answered with something that is not the documented shape."""


class StreamClosed(AlorError):
    """The WebSocket stream was closed by its owner; no more requests can be sent."""


class SubscriptionQuarantined(AlorError):
    """A subscription kept sending frames too large to accept; the stream dropped it for good
    rather than re-subscribing it in a loop (see :class:`alortui.alor.router.Router`)."""


class HttpError(AlorError):
    """An HTTP error status from ALOR.

    Attributes:
        status: The HTTP status code.
        message: Cleaned server text (may be empty: ALOR's error bodies are undocumented).
    """

    def __init__(self, status: int, message: str = "", *, what: str = "") -> None:
        self.status = status
        self.message = message
        self.what = what
        super().__init__(self._describe())

    def _explain(self) -> str:
        return f"HTTP {self.status}"

    def _describe(self) -> str:
        text = self._explain()
        if self.what:
            text = f"{self.what}: {text}"
        return f"{text} ({self.message})" if self.message else text


class BadRequest(HttpError):
    """400: ALOR rejected the request's syntax or values."""

    def _explain(self) -> str:
        return "bad request (HTTP 400)"


class NotAuthorized(HttpError):
    """401: the JWT is missing, expired or from the other environment (alor-api.md 2.0)."""

    def __init__(self, status: int = 401, message: str = "", *, what: str = "",
                 anonymous: bool = False) -> None:
        self.anonymous = anonymous
        super().__init__(status, message, what=what)

    def _explain(self) -> str:
        if self.anonymous:
            return "needs authorization: this data requires a refresh token (HTTP 401)"
        return "access token was not accepted (HTTP 401)"


class Forbidden(HttpError):
    """403: no rights for that resource (e.g. a portfolio not in the token)."""

    def _explain(self) -> str:
        return "forbidden (HTTP 403)"


class NotFound(HttpError):
    """404: no such resource."""

    def _explain(self) -> str:
        return "not found (HTTP 404)"


class UnknownInstrument(NotFound):
    """The instrument does not exist (HTTP 404, or a GraphQL ``instrument`` that is null)."""

    def _explain(self) -> str:
        return "unknown instrument"


class RateLimited(HttpError):
    """429: too many concurrently executing requests (alor-api.md 5).

    Attributes:
        retry_after: Seconds to wait as the server asked (``Retry-After``), or ``None``.
    """

    def __init__(self, status: int = 429, message: str = "", *, what: str = "",
                 retry_after: float | None = None) -> None:
        self.retry_after = retry_after
        super().__init__(status, message, what=what)

    def _explain(self) -> str:
        if self.retry_after is None:
            return "rate limited (HTTP 429)"
        return f"rate limited (HTTP 429), retry after {self.retry_after:g} s"


class ServerError(HttpError):
    """5xx: ALOR failed; usually transient."""

    def _explain(self) -> str:
        return f"server error (HTTP {self.status})"


class AuthRejected(AlorError):
    """The token server refused the refresh token (403): malformed, expired or revoked."""


class SubscriptionRejected(AlorError):
    """A WebSocket request was answered with an error envelope (alor-api.md 3.4).

    Attributes:
        http_code: The envelope's ``httpCode`` (401, 400, 403, ...).
        message: The envelope's ``message``, cleaned.
    """

    def __init__(self, http_code: int, message: str, *, what: str = "") -> None:
        self.http_code = http_code
        self.message = clean_server_text(message)
        prefix = f"{what}: " if what else ""
        super().__init__(f"{prefix}rejected with {http_code}: {self.message}")


class GraphQLError(AlorError):
    """GraphQL ``/hyperion`` answered with ``errors`` (alor-api.md 4).

    Attributes:
        messages: The cleaned ``message`` of each error.
    """

    def __init__(self, messages: list[str]) -> None:
        self.messages = [clean_server_text(m) for m in messages] or ["unknown error"]
        super().__init__("GraphQL query failed: " + "; ".join(self.messages))


_BY_STATUS: dict[int, type[HttpError]] = {
    400: BadRequest, 401: NotAuthorized, 403: Forbidden, 404: NotFound,
}


def parse_retry_after(value: str | None, *, now: float | None = None) -> float | None:
    """Seconds to wait from a ``Retry-After`` header: delta-seconds or an HTTP-date (RFC 9110).

    Returns ``None`` for a missing or unreadable header; a date in the past gives ``0.0``.
    """
    if not value or not value.strip():
        return None
    text = value.strip()
    try:
        seconds = float(text)
    except ValueError:
        try:
            when = email.utils.parsedate_to_datetime(text)
        except (TypeError, ValueError):
            return None
        if when.tzinfo is None:  # RFC 9110 dates are GMT; a naive parse means it was omitted
            return None
        seconds = when.timestamp() - (time.time() if now is None else now)
    return max(0.0, seconds) if math.isfinite(seconds) else None


def http_error(status: int, body: str = "", *, what: str = "", retry_after: str | None = None,
               anonymous: bool = False, instrument: bool = False) -> HttpError:
    """The typed error for an HTTP error ``status`` (``body`` is cleaned here).

    Args:
        status: HTTP status code (>= 400).
        body: The response body as text; it is redacted, flattened and truncated.
        what: What was being done, e.g. ``"GET /md/v2/time"``, for the message.
        retry_after: The raw ``Retry-After`` header of a 429.
        anonymous: The request carried no JWT (a 401 then means "needs authorization").
        instrument: The path names an instrument, so a 404 is :class:`UnknownInstrument`.
    """
    message = clean_server_text(body)
    if status == 401:
        return NotAuthorized(status, message, what=what, anonymous=anonymous)
    if status == 429:
        return RateLimited(status, message, what=what, retry_after=parse_retry_after(retry_after))
    if status == 404 and instrument:
        return UnknownInstrument(status, message, what=what)
    if status >= 500:
        return ServerError(status, message, what=what)
    return _BY_STATUS.get(status, HttpError)(status, message, what=what)


def network_error(what: str, exc: BaseException) -> NetworkError:
    """A :class:`NetworkError` for a transport failure ``exc`` while doing ``what``.

    aiohttp's own messages name the host and the OS error, never request headers or bodies, so
    they are safe to keep; a bare timeout has no message and gets one here.
    """
    if isinstance(exc, TimeoutError):
        reason = "timed out"
    else:
        reason = clean_server_text(str(exc)) or type(exc).__name__
    return NetworkError(f"{what}: {reason}")
