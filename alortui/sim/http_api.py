"""Routing, access rules and parameter parsing of the simulated ``/md`` HTTP API.

Routes match case-insensitively (ALOR is an ASP.NET service; Astras and AlorPy spell paths
differently). Each route says whether anonymous callers may use it — exactly the table of
alor-api.md 2.0 — and anonymous callers see the market as it was 15 minutes ago. The handlers
themselves live in ``http_md.py``.
"""

from __future__ import annotations

import re
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass
from typing import overload

import orjson
from aiohttp import web

from alortui.models import Format
from alortui.sim.clock import Clock
from alortui.sim.oauth import BearerAuth, unauthorized

DELAY = 900.0
"""Anonymous data is 15 minutes old (2.0, 5)."""


class BadRequest(Exception):
    """A 400 with a plain-text reason (2.0: error bodies are opaque text)."""


class NotFound(Exception):
    """A 404 for an unknown instrument or resource."""


@dataclass(frozen=True, slots=True)
class Call:
    """One request as the handlers see it."""

    request: web.Request
    path: Mapping[str, str]
    anonymous: bool
    now: float
    """Market time the answer is for: real now, or 15 minutes ago when anonymous."""

    @property
    def query(self) -> Mapping[str, str]:
        """Query parameters (ASP.NET binds names case-insensitively)."""
        return {k.lower(): v for k, v in self.request.query.items()}

    @property
    def fmt(self) -> Format:
        """``format`` parameter, case-insensitive, Simple by default (2.0)."""
        raw = self.query.get("format")
        if raw is None or raw == "":
            return Format.SIMPLE
        try:
            return Format.parse(raw)
        except ValueError:
            raise BadRequest(f"The value '{raw}' is not valid for format.") from None

    def text(self, name: str, *, required: bool = False) -> str | None:
        """A string parameter (empty counts as missing)."""
        value = self.query.get(name.lower()) or None
        if value is None and required:
            raise BadRequest(f"The {name} field is required.")
        return value

    @overload
    def integer(self, name: str, default: int, *, required: bool = ...,
                lo: int | None = ..., hi: int | None = ...) -> int: ...

    @overload
    def integer(self, name: str, default: None = None, *, required: bool = ...,
                lo: int | None = ..., hi: int | None = ...) -> int | None: ...

    def integer(self, name: str, default: int | None = None, *, required: bool = False,
                lo: int | None = None, hi: int | None = None) -> int | None:
        """An integer parameter, range-checked."""
        raw = self.text(name, required=required)
        if raw is None:
            return default
        try:
            value = int(raw)
        except ValueError:
            raise BadRequest(f"The value '{raw}' is not valid for {name}.") from None
        if (lo is not None and value < lo) or (hi is not None and value > hi):
            raise BadRequest(f"The field {name} must be between {lo} and {hi}.")
        return value

    def number(self, name: str) -> float | None:
        """A decimal parameter."""
        raw = self.text(name)
        try:
            return None if raw is None else float(raw)
        except ValueError:
            raise BadRequest(f"The value '{raw}' is not valid for {name}.") from None

    def flag(self, name: str, default: bool = False) -> bool:
        """A boolean parameter (``true``/``false``, any case)."""
        raw = self.text(name)
        if raw is None:
            return default
        if raw.lower() not in ("true", "false"):
            raise BadRequest(f"The value '{raw}' is not valid for {name}.")
        return raw.lower() == "true"


Handler = Callable[[Call], Awaitable[object]]


@dataclass(frozen=True, slots=True)
class Route:
    """A GET endpoint: its path pattern, handler and whether anonymous callers may use it."""

    pattern: re.Pattern[str]
    handler: Handler
    anonymous: bool


def route(path: str, handler: Handler, *, anonymous: bool) -> Route:
    """A route for ``path`` with ``{name}`` placeholders for one path segment each."""
    regex = re.sub(r"\\{(\w+)\\}", r"(?P<\1>[^/]+)", re.escape(path))
    return Route(re.compile(f"^{regex}/?$", re.IGNORECASE), handler, anonymous)


def json_response(body: object) -> web.Response:
    """Compact JSON, as ALOR answers."""
    return web.Response(body=orjson.dumps(body), content_type="application/json",
                        charset="utf-8")


class Router:
    """Dispatches ``GET /md/...`` to the first matching route."""

    def __init__(self, routes: list[Route], auth: BearerAuth, clock: Clock) -> None:
        self._routes, self._auth, self._clock = routes, auth, clock

    async def dispatch(self, request: web.Request) -> web.StreamResponse:
        """The aiohttp handler for every path under ``/md``."""
        for candidate in self._routes:
            match = candidate.pattern.match(request.path)
            if match is not None:
                break
        else:
            raise web.HTTPNotFound(text="")
        if request.method != "GET":
            raise web.HTTPMethodNotAllowed(request.method, ["GET"], text="")
        anonymous = self._auth.claims(request) is None
        if anonymous and not candidate.anonymous:
            raise unauthorized()
        now = self._clock.now() - (DELAY if anonymous else 0.0)
        call = Call(request, match.groupdict(), anonymous, now)
        try:
            return json_response(await candidate.handler(call))
        except BadRequest as exc:
            return web.Response(status=400, text=str(exc))
        except NotFound as exc:
            return web.Response(status=404, text=str(exc))
