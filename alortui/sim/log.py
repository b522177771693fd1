"""What the simulated exchange received, for tests to assert on.

Tokens never enter the log in clear: the ``token`` query parameter of ``/refresh``, the
``token`` field of every WS request and any JSON body key named like a token are replaced by
``REDACTED``; for HTTP only *whether* a Bearer header came is kept (contract: "a refresh token or
JWT never appears in a repr, log line, ...").
"""

from __future__ import annotations

import time
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field

REDACTED = "REDACTED"
_SECRET_KEYS = frozenset({"token", "refreshtoken", "accesstoken", "jwt"})


def redact(params: Mapping[str, object]) -> dict[str, object]:
    """A copy of ``params`` with token-like keys (any case) replaced by ``REDACTED``."""
    return {k: REDACTED if k.lower() in _SECRET_KEYS else v for k, v in params.items()}


@dataclass(frozen=True, slots=True)
class HttpEntry:
    """One HTTP request as received (``status`` is what the simulator answered)."""

    method: str
    path: str
    query: dict[str, object]
    bearer: bool
    status: int
    time: float = field(default_factory=time.monotonic)


@dataclass(frozen=True, slots=True)
class WsEntry:
    """One WS request frame: its opcode, guid and the other fields (token redacted)."""

    connection: int
    opcode: str | None
    guid: str | None
    params: dict[str, object]
    time: float = field(default_factory=time.monotonic)


class RequestLog:
    """Append-only record of HTTP and WS requests; ``clear()`` between test phases."""

    def __init__(self) -> None:
        self.http: list[HttpEntry] = []
        self.ws: list[WsEntry] = []

    def add_http(self, method: str, path: str, query: Mapping[str, object], *,
                 bearer: bool, status: int) -> None:
        """Record an HTTP request (query redacted here, so callers cannot forget)."""
        self.http.append(HttpEntry(method, path, redact(query), bearer, status))

    def add_ws(self, connection: int, request: Mapping[str, object]) -> None:
        """Record a WS request frame."""
        opcode, guid = request.get("opcode"), request.get("guid")
        params = {k: v for k, v in redact(request).items() if k not in ("opcode", "guid")}
        self.ws.append(WsEntry(
            connection,
            opcode if isinstance(opcode, str) else None,
            guid if isinstance(guid, str) else None,
            params,
        ))

    def http_requests(self, path_prefix: str = "") -> list[HttpEntry]:
        """HTTP requests whose path starts with ``path_prefix`` (case-insensitive)."""
        prefix = path_prefix.lower()
        return [e for e in self.http if e.path.lower().startswith(prefix)]

    def ws_requests(self, opcode: str | None = None) -> list[WsEntry]:
        """WS requests, optionally only those with ``opcode``."""
        return [e for e in self.ws if opcode is None or e.opcode == opcode]

    def clear(self) -> None:
        """Forget everything recorded so far."""
        self.http.clear()
        self.ws.clear()

    def __iter__(self) -> Iterator[HttpEntry | WsEntry]:
        entries: list[HttpEntry | WsEntry] = [*self.http, *self.ws]
        return iter(sorted(entries, key=lambda e: e.time))

    def __len__(self) -> int:
        return len(self.http) + len(self.ws)
