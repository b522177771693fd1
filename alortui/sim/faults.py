"""Misbehaviour on demand, so tests can prove the client survives a hostile network.

Every hook is plain state the HTTP, OAuth and WS handlers consult on each request (or, for
``drop_all``/``send_raw``, an action on the live sockets). ``reset()`` restores good behaviour.
The real server's failure modes this imitates: dropped sockets (3.8), 401/429/500 answers
(2.0, 5), a throttled or failing token server (1.2, 5).
"""

from __future__ import annotations

import asyncio
import math
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import datetime
from email.utils import format_datetime
from typing import Any, Protocol

ABRUPT = 1006
"""Close code meaning "no close frame": the transport is aborted."""


class FaultableConnection(Protocol):
    """What the WS side exposes to the fault hooks."""

    def abort(self) -> None:
        """Drop the TCP connection without a close frame."""

    async def close(self, code: int) -> None:
        """Send a close frame with ``code`` and close."""

    def push_raw(self, data: str | bytes) -> None:
        """Queue a raw text (str) or binary (bytes) frame, bypassing JSON encoding."""


@dataclass(slots=True)
class HttpFault:
    """A canned HTTP error answered instead of the real response."""

    status: int
    retry_after: str | None = None
    body: str = ""


@dataclass(slots=True)
class _Rule:
    match: str
    fault: HttpFault
    remaining: int | None


def _retry_after_header(value: float | datetime | str | None) -> str | None:
    if value is None or isinstance(value, str):
        return value
    if isinstance(value, datetime):
        return format_datetime(value, usegmt=True)
    return str(math.ceil(value))


def _take(rules: list[_Rule], matches: Callable[[str], bool]) -> HttpFault | None:
    for rule in rules:
        if matches(rule.match):
            if rule.remaining is not None:
                rule.remaining -= 1
                if rule.remaining <= 0:
                    rules.remove(rule)
            return rule.fault
    return None


class Faults:
    """Fault hooks of one :class:`~alortui.sim.server.SimExchange`."""

    def __init__(self) -> None:
        self._connections: Callable[[], Iterable[FaultableConnection]] = tuple
        self.reset()

    def reset(self) -> None:
        """Back to a well-behaved exchange (live sockets are left alone)."""
        self._http: list[_Rule] = []
        self._refresh: list[_Rule] = []
        self._ws: list[_Rule] = []
        self.response_delay = 0.0
        self.is_half_open = False
        self.closes_after_accept = False
        self.close_after_accept_code = 1001

    def bind(self, connections: Callable[[], Iterable[FaultableConnection]]) -> None:
        """Called by the server: how to reach the live WS connections."""
        self._connections = connections

    # --- WebSocket -----------------------------------------------------------------------

    def drop_all(self, code: int = ABRUPT) -> asyncio.Future[Any]:
        """Drop every WS connection now: ``code`` 1006 aborts the TCP connection, any other
        code sends a close frame with it. Await the result to wait until all are closed."""
        conns = list(self._connections())
        if code == ABRUPT:
            for conn in conns:
                conn.abort()
            return asyncio.gather()
        return asyncio.gather(*(conn.close(code) for conn in conns), return_exceptions=True)

    def half_open(self, on: bool = True) -> None:
        """Keep sockets open but stop answering requests, pings and forwarding data."""
        self.is_half_open = on

    def close_after_accept(self, on: bool = True, code: int = 1001) -> None:
        """Accept each new WS upgrade and close it straight away with ``code`` (1006 = abort)."""
        self.closes_after_accept = on
        self.close_after_accept_code = code

    def send_raw(self, data: str | bytes) -> None:
        """Send ``data`` as is to every WS connection: a str as a text frame (e.g. malformed
        JSON), bytes as a binary frame."""
        for conn in self._connections():
            conn.push_raw(data)

    def ws_reject(self, opcode: str, http_code: int, message: str, times: int | None = 1) -> None:
        """Answer the next ``times`` requests with ``opcode`` (None: until reset) with an error
        envelope ``{"requestGuid", "httpCode": http_code, "message": message}``."""
        self._ws.append(_Rule(opcode, HttpFault(http_code, body=message), times))

    def take_ws_reject(self, opcode: str) -> HttpFault | None:
        """Used by the WS handler: the pending rejection for ``opcode``, if any."""
        return _take(self._ws, lambda match: match == opcode)

    # --- HTTP ----------------------------------------------------------------------------

    def http_error(self, path_prefix: str, status: int, *,
                   retry_after: float | datetime | str | None = None,
                   times: int | None = 1, body: str = "") -> None:
        """Answer the next ``times`` HTTP requests under ``path_prefix`` (case-insensitive)
        with ``status``. ``retry_after``: seconds, a datetime (sent as an HTTP-date) or a raw
        header value."""
        fault = HttpFault(status, _retry_after_header(retry_after), body)
        self._http.append(_Rule(path_prefix.lower(), fault, times))

    def take_http_error(self, path: str) -> HttpFault | None:
        """Used by the HTTP middleware: the pending fault for ``path``, if any."""
        lowered = path.lower()
        return _take(self._http, lambda match: lowered.startswith(match))

    def refresh_error(self, status: int, times: int | None = 1, *,
                      retry_after: float | datetime | str | None = None) -> None:
        """Make the next ``times`` ``POST /refresh`` calls fail with ``status``."""
        self._refresh.append(_Rule("", HttpFault(status, _retry_after_header(retry_after)), times))

    def take_refresh_error(self) -> HttpFault | None:
        """Used by the OAuth handler."""
        return _take(self._refresh, lambda match: True)

    def delay(self, seconds: float) -> None:
        """Delay every HTTP response and WS request handling by ``seconds`` (0 = off)."""
        self.response_delay = max(0.0, seconds)
