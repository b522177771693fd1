"""HTTP market data (``/md/v2``, alor-api.md 2) and the GraphQL instrument card (4).

Each request asks the token manager for a fresh JWT and sends it as a Bearer header; without a
token manager the client is anonymous and ALOR answers with 15-minute-old data where it allows
anonymous access at all (2.0, 5). A ``401`` while a token was sent gets one forced refresh and
one retry. Bodies are parsed with orjson and decoded by :mod:`alortui.alor.wire`; every failure
surfaces as an :mod:`alortui.alor.errors` type.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable, Mapping, Sequence
from typing import Any, TypeVar
from urllib.parse import quote

import aiohttp
import orjson

from alortui.alor import graphql, wire
from alortui.alor.auth import TokenManager
from alortui.alor.endpoints import Endpoints
from alortui.alor.errors import (
    GraphQLError,
    ProtocolError,
    UnknownInstrument,
    http_error,
    network_error,
)
from alortui.alor.redact import clean_server_text
from alortui.models import (
    CandlePage,
    Format,
    InstrumentInfo,
    InstrumentKey,
    MarketStatus,
    OrderBook,
    Quote,
    Security,
    Trade,
)

log = logging.getLogger(__name__)

T = TypeVar("T")


def _segment(text: str) -> str:
    """One path segment; a ``/`` or ``?`` in a user-typed symbol cannot change the path."""
    return quote(text, safe="")


def _params(raw: Mapping[str, object]) -> dict[str, str]:
    """Query parameters: ``None`` dropped, booleans as ALOR spells them, formats by name."""
    out: dict[str, str] = {}
    for name, value in raw.items():
        if value is None:
            continue
        if isinstance(value, bool):
            out[name] = "true" if value else "false"
        elif isinstance(value, Format):
            out[name] = value.value
        else:
            out[name] = str(value)
    return out


def _decode(what: str, decoder: Callable[..., T], obj: object, *args: Any) -> T:
    try:
        return decoder(obj, *args)
    except wire.MalformedMessage as exc:
        raise ProtocolError(f"{what}: unexpected answer: {clean_server_text(str(exc))}") from None


def _decode_list(what: str, decoder: Callable[..., T], body: object, fmt: Format) -> list[T]:
    """Decode an array; an item that does not decode is logged and skipped, not fatal."""
    if not isinstance(body, list):
        raise ProtocolError(f"{what}: expected a JSON array")
    items: list[T] = []
    for obj in body:
        try:
            items.append(decoder(obj, fmt))
        except wire.MalformedMessage as exc:
            log.warning("%s: skipped an item: %s", what, clean_server_text(str(exc)))
    return items


class AlorRest:
    """ALOR's HTTP API.

    Args:
        session: aiohttp session (owned by the caller).
        endpoints: Where the API lives.
        tokens: Token source; ``None`` for anonymous, delayed access.
        timeout: Total seconds per request.
        max_concurrency: Requests in flight at once; ALOR answers ``429`` to "too many
            concurrently executing requests" (alor-api.md 5).
    """

    def __init__(self, session: aiohttp.ClientSession, endpoints: Endpoints,
                 tokens: TokenManager | None = None, *, timeout: float = 10.0,
                 max_concurrency: int = 4) -> None:
        self._session = session
        self._endpoints = endpoints
        self._tokens = tokens
        self._timeout = aiohttp.ClientTimeout(total=timeout)
        self._slots = asyncio.Semaphore(max_concurrency)

    @property
    def anonymous(self) -> bool:
        """No token: data is 15 minutes old and some endpoints answer 401."""
        return self._tokens is None

    async def server_time(self) -> float:
        """``GET /md/v2/time``: Unix seconds (anonymous: 15 minutes ago, 2.1)."""
        body = await self._get("/md/v2/time")
        if isinstance(body, bool) or not isinstance(body, int | float):
            raise ProtocolError("GET /md/v2/time: expected a bare number")
        return float(body)

    async def search(self, query: str, *, limit: int = 25, offset: int = 0,
                     exchange: str | None = None, board: str | None = None,
                     fmt: Format = Format.SIMPLE) -> list[Security]:
        """``GET /md/v2/Securities``: instruments matching ``query``, most traded first (2.2)."""
        body = await self._get("/md/v2/Securities", {
            "query": query, "limit": limit, "offset": offset or None, "exchange": exchange,
            "instrumentGroup": board, "format": fmt})
        return _decode_list("search", wire.decode_security, body, fmt)

    async def security(self, key: InstrumentKey, *, fmt: Format = Format.SIMPLE) -> Security:
        """``GET /md/v2/Securities/{exchange}/{symbol}`` (JWT required, 2.3)."""
        path = f"/md/v2/Securities/{_segment(key.exchange)}/{_segment(key.symbol)}"
        body = await self._get(path, {"instrumentGroup": key.board, "format": fmt},
                               instrument=True)
        return _decode(f"security {key}", wire.decode_security, body, fmt)

    async def quotes(self, keys: Sequence[InstrumentKey], *,
                     fmt: Format = Format.SIMPLE) -> list[Quote]:
        """Quotes of all ``keys`` in one request: ``/md/v2/Securities/A:B,C:D/quotes`` (2.4).

        Boards are ignored (the path takes ``EXCHANGE:SYMBOL`` pairs); duplicates are asked
        once. Unknown instruments are simply missing from the answer.
        """
        pairs = dict.fromkeys(f"{_segment(k.exchange)}:{_segment(k.symbol)}" for k in keys)
        if not pairs:
            return []
        body = await self._get(f"/md/v2/Securities/{','.join(pairs)}/quotes", {"format": fmt})
        return _decode_list("quotes", wire.decode_quote, body, fmt)

    async def order_book(self, key: InstrumentKey, depth: int = 20, *,
                         fmt: Format = Format.SIMPLE) -> OrderBook:
        """``GET /md/v2/orderbooks/{exchange}/{symbol}`` (JWT required, 2.5)."""
        path = f"/md/v2/orderbooks/{_segment(key.exchange)}/{_segment(key.symbol)}"
        body = await self._get(path, {"instrumentGroup": key.board, "depth": depth,
                                      "format": fmt}, instrument=True)
        return _decode(f"order book {key}", wire.decode_order_book, body, fmt, key)

    async def all_trades(self, key: InstrumentKey, *, take: int = 50, descending: bool = True,
                         fmt: Format = Format.SIMPLE) -> list[Trade]:
        """``GET .../{exchange}/{symbol}/alltrades``: this session's tape (JWT required, 2.6)."""
        path = (f"/md/v2/Securities/{_segment(key.exchange)}/{_segment(key.symbol)}"
                "/alltrades")
        body = await self._get(path, {"instrumentGroup": key.board, "take": take,
                                      "descending": descending, "format": fmt},
                               instrument=True)
        return _decode_list(f"trades {key}", wire.decode_trade, body, fmt)

    async def history(self, key: InstrumentKey, tf: int | str, from_: float, to: float, *,
                      count_back: int | None = None, fmt: Format = Format.SIMPLE) -> CandlePage:
        """``GET /md/v2/history``: candles of ``tf`` (seconds or ``D/W/M/Y``) in a window (2.7)."""
        body = await self._get("/md/v2/history", {
            "symbol": key.symbol, "exchange": key.exchange, "instrumentGroup": key.board,
            "tf": tf, "from": int(from_), "to": int(to), "countBack": count_back,
            "format": fmt}, instrument=True)
        return _decode(f"history {key}", wire.decode_candle_page, body, fmt)

    async def market_status(self, exchange: str, market: str) -> MarketStatus:
        """``GET /md/status/{exchange}/{market}``: the session state of a market (2.8)."""
        body = await self._get(f"/md/status/{_segment(exchange)}/{_segment(market)}")
        return _decode(f"status {exchange}/{market}", wire.decode_market_status, body)

    async def instrument_info(self, key: InstrumentKey) -> InstrumentInfo:
        """The GraphQL instrument card (alor-api.md 4).

        GraphQL needs the board; for a key without one the primary board is looked up first
        with an (anonymous-friendly) search. If the server refuses the query with the bond and
        derivative fragments, the common groups alone are asked for.

        Raises:
            UnknownInstrument: no such instrument.
            GraphQLError: even the common query failed.
        """
        if key.board is None:
            key = await self._with_primary_board(key)
        try:
            return await self._graphql_instrument(key, basic=False)
        except GraphQLError as exc:
            log.warning("instrument %s: full query refused (%s); asking for the common part",
                        key, exc)
            return await self._graphql_instrument(key, basic=True)

    async def _graphql_instrument(self, key: InstrumentKey, *, basic: bool) -> InstrumentInfo:
        body = await self._call("POST", "/hyperion", self._endpoints.graphql_url,
                                json=graphql.instrument_request(key, basic=basic))
        return graphql.instrument_from_response(body, key)

    async def _with_primary_board(self, key: InstrumentKey) -> InstrumentKey:
        for security in await self.search(key.symbol, limit=10, exchange=key.exchange):
            if security.key.symbol.upper() == key.symbol.upper():
                board = security.primary_board or security.key.board
                return InstrumentKey(key.exchange, security.key.symbol, board)
        raise UnknownInstrument(404, what=f"instrument {key}")

    async def get_decoded(self, path: str, decoder: Callable[[Any, Format], T],
                          params: Mapping[str, object], fmt: Format) -> T:
        """``GET path`` in ``fmt``, its body decoded by ``decoder`` (for sibling clients such as
        :mod:`alortui.alor.portfolio`); a body that does not decode is a ``ProtocolError``."""
        body = await self._get(path, {**params, "format": fmt})
        return _decode(f"GET {path}", decoder, body, fmt)

    async def get_decoded_list(self, path: str, decoder: Callable[[Any, Format], T],
                               params: Mapping[str, object], fmt: Format) -> list[T]:
        """Like :meth:`get_decoded` for an array; items that do not decode are skipped."""
        body = await self._get(path, {**params, "format": fmt})
        return _decode_list(f"GET {path}", decoder, body, fmt)

    # -- transport ----------------------------------------------------------------------------

    async def _get(self, path: str, params: Mapping[str, object] | None = None, *,
                   instrument: bool = False) -> object:
        return await self._call("GET", path, self._endpoints.api_url + path,
                                params=_params(params or {}), instrument=instrument)

    async def _call(self, method: str, path: str, url: str, *,
                    params: Mapping[str, str] | None = None, json: object = None,
                    instrument: bool = False) -> object:
        what = f"{method} {path}"
        token = await self._tokens.access_token() if self._tokens else None
        status, body, retry_after = await self._send(method, url, what, params, json, token)
        if status == 401 and self._tokens is not None and token is not None:
            # The JWT may have expired in flight or been revoked: one refresh, one retry (2.0).
            log.info("%s: 401 with a token; refreshing it and retrying once", what)
            token = await self._tokens.force_refresh(token)
            status, body, retry_after = await self._send(method, url, what, params, json, token)
        if status >= 400:
            text = body.decode("utf-8", "replace")
            raise http_error(status, self._tokens.redact(text) if self._tokens else text,
                             what=what, retry_after=retry_after, anonymous=token is None,
                             instrument=instrument)
        try:
            return orjson.loads(body)
        except orjson.JSONDecodeError:
            raise ProtocolError(f"{what}: the answer is not JSON") from None

    async def _send(self, method: str, url: str, what: str, params: Mapping[str, str] | None,
                    json: object, token: str | None) -> tuple[int, bytes, str | None]:
        headers = {"Authorization": f"Bearer {token}"} if token else {}
        async with self._slots:
            try:
                async with self._session.request(method, url, params=params, json=json,
                                                 headers=headers,
                                                 timeout=self._timeout) as resp:
                    return resp.status, await resp.read(), resp.headers.get("Retry-After")
            except (aiohttp.ClientError, TimeoutError, OSError) as exc:
                raise network_error(what, exc) from None
