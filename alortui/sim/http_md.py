"""Handlers of the simulated ``/md`` endpoints (alor-api.md 2.1-2.8), over a :class:`Market`."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from typing import TYPE_CHECKING

from alortui.models import Candle, CandlePage, InstrumentKey, Security, Trade
from alortui.sim.bonds import yield_to_maturity
from alortui.sim.catalog import CATALOG
from alortui.sim.encode import (
    encode_candle_page,
    encode_market_status,
    encode_order_book,
    encode_quote,
    encode_security,
    encode_trade,
    seconds,
)
from alortui.sim.http_api import BadRequest, Call, NotFound, Route, route

if TYPE_CHECKING:
    from alortui.sim.market import Market

TIMEFRAMES = {"D": 86_400, "W": 604_800, "M": 2_592_000, "Y": 31_536_000}
"""Letter timeframes of ``/md/v2/history`` in seconds (2.7)."""
CURRENCY_PAIRS = (
    {"firstCode": "USD", "secondCode": "RUB", "symbolTom": "USD000UTSTOM"},
    {"firstCode": "EUR", "secondCode": "RUB", "symbolTom": "EUR_RUB__TOM"},
    {"firstCode": "CNY", "secondCode": "RUB", "symbolTom": "CNYRUB_TOM"},
)


_BOND_TERMS = {spec.key: spec.bond for spec in CATALOG if spec.bond is not None}


def level_yield(security: Security, at: float) -> Callable[[float], float | None] | None:
    """For a bond, the yield at a book level's price (Slim books carry it as ``y``, 2.10)."""
    terms = _BOND_TERMS.get(security.key)
    if terms is None:
        return None
    day = datetime.fromtimestamp(at, UTC).date()
    return lambda price: yield_to_maturity(terms, price, day)


def parse_timeframe(raw: str) -> int:
    """``tf``: seconds as a number or ``D/W/M/Y`` (2.7).

    Raises:
        BadRequest: anything else.
    """
    text = raw.strip().upper()
    if text in TIMEFRAMES:
        return TIMEFRAMES[text]
    if text.isdigit() and int(text) > 0:
        return int(text)
    raise BadRequest(f"The value '{raw}' is not valid for tf.")


class MarketDataApi:
    """The ``/md`` handlers; :meth:`routes` lists them with their anonymous-access flag."""

    def __init__(self, market: Market) -> None:
        self._market = market

    def routes(self) -> list[Route]:
        """Every route, most specific first (2.0 table decides ``anonymous``)."""
        return [
            route("/md/v2/time", self.time, anonymous=True),
            route("/md/v2/Securities", self.search, anonymous=True),
            route("/md/v2/Securities/currencyPairs", self.currency_pairs, anonymous=True),
            route("/md/v2/Securities/{symbols}/quotes", self.quotes, anonymous=True),
            route("/md/v2/Securities/{exchange}/{symbol}/availableBoards", self.boards,
                  anonymous=True),
            route("/md/v2/Securities/{exchange}/{symbol}/alltrades", self.all_trades,
                  anonymous=False),
            route("/md/v2/Securities/{exchange}/{symbol}", self.security, anonymous=False),
            route("/md/v2/Securities/{exchange}", self.exchange_securities, anonymous=False),
            route("/md/v2/orderbooks/{exchange}/{symbol}", self.order_book, anonymous=False),
            route("/md/v2/history", self.history, anonymous=True),
            route("/md/status/{exchange}/{market}", self.status, anonymous=True),
        ]

    def _security(self, call: Call, exchange: str, symbol: str) -> Security:
        found = self._market.lookup(exchange.upper(), symbol, call.text("instrumentGroup"))
        if found is None:
            raise NotFound(f"Instrument {exchange}:{symbol} not found.")
        return found

    async def time(self, call: Call) -> object:
        """2.1: a bare number; anonymous callers get the time 15 minutes ago."""
        return seconds(call.now)

    async def search(self, call: Call) -> object:
        """2.2: securities matching ``query``, most traded first."""
        limit = call.integer("limit", 25, lo=1, hi=100_000)
        offset = call.integer("offset", 0, lo=0)
        board = call.text("instrumentGroup")
        found = self._market.search(
            call.text("query") or "", limit=1_000_000, offset=0,
            exchange=(call.text("exchange") or "").upper() or None, board=board,
            sector=(call.text("sector") or "").upper() or None)
        if cfi := call.text("cficode"):
            found = [s for s in found if (s.cfi_code or "").upper().startswith(cfi.upper())]
        if board is None and not call.flag("includeNonBaseBoards"):
            found = [s for s in found if s.primary_board in (None, s.key.board)]
        fmt = call.fmt
        return [encode_security(s, fmt) for s in found[offset:offset + limit]]

    async def exchange_securities(self, call: Call) -> object:
        """2.2: every instrument of one exchange (JWT only)."""
        exchange, market = call.path["exchange"].upper(), (call.text("market") or "").upper()
        found = [s for s in self._market.securities() if s.key.exchange == exchange
                 and (not market or s.market == market)]
        offset = call.integer("offset", 0, lo=0) or 0
        limit = call.integer("limit", len(found), lo=0)
        fmt = call.fmt
        return [encode_security(s, fmt) for s in found[offset:offset + limit]]

    async def security(self, call: Call) -> object:
        """2.3: one instrument (JWT only), 404 when unknown."""
        return encode_security(
            self._security(call, call.path["exchange"], call.path["symbol"]), call.fmt)

    async def boards(self, call: Call) -> object:
        """2.3: the boards one symbol trades on, primary first."""
        primary = self._security(call, call.path["exchange"], call.path["symbol"])
        boards = [s.key.board for s in self._market.securities()
                  if s.key.exchange == primary.key.exchange and s.key.symbol == primary.key.symbol]
        return sorted(boards, key=lambda b: b != primary.key.board)

    async def currency_pairs(self, call: Call) -> object:
        """2.8: static currency pair list."""
        return list(CURRENCY_PAIRS)

    async def quotes(self, call: Call) -> object:
        """2.4: one array for a comma-separated ``EXCHANGE:SYMBOL`` path; unknown pairs left out."""
        fmt, result = call.fmt, []
        at = call.now if call.anonymous else None
        for pair in call.path["symbols"].split(","):
            try:
                key = InstrumentKey.parse(pair)
            except ValueError:
                continue
            security = self._market.lookup(key.exchange, key.symbol, key.board)
            if security is not None:
                result.append(encode_quote(self._market.quote(security.key, at=at), fmt))
        return result

    async def order_book(self, call: Call) -> object:
        """2.5: the book with ``depth`` levels (1-50, default 20)."""
        security = self._security(call, call.path["exchange"], call.path["symbol"])
        depth = call.integer("depth", 20, lo=1, hi=50) or 20
        book = self._market.order_book(security.key, depth)
        return encode_order_book(book, call.fmt, level_yield=level_yield(security, call.now))

    async def all_trades(self, call: Call) -> object:
        """2.6: this session's tape with the documented filters."""
        security = self._security(call, call.path["exchange"], call.path["symbol"])
        trades = [t for t in self._market.trades(security.key, last=1_000_000)
                  if self._trade_wanted(call, t)]
        if call.flag("descending"):
            trades.reverse()
        offset = call.integer("offset", 0, lo=0) or 0
        take = call.integer("take", None, lo=0)
        trades = trades[offset:] if take is None else trades[offset:offset + take]
        fmt = call.fmt
        return [encode_trade(t, fmt) for t in trades]

    @staticmethod
    def _trade_wanted(call: Call, t: Trade) -> bool:
        side = (call.text("side") or "").lower()
        if side and side not in ("buy", "sell"):
            raise BadRequest(f"The value '{side}' is not valid for side.")
        bounds = (
            (call.integer("from"), t.time, call.integer("to")),
            (call.integer("fromId"), t.id, call.integer("toId")),
            (call.number("qtyFrom"), t.qty, call.number("qtyTo")),
            (call.number("priceFrom"), t.price, call.number("priceTo")),
        )
        inside = all((lo is None or v >= lo) and (hi is None or v <= hi) for lo, v, hi in bounds)
        return inside and (not side or t.side == side)

    async def history(self, call: Call) -> object:
        """2.7: candles of [from, to] with ``next``/``prev``; anonymous callers stop 15 min ago."""
        security = self._security(call, call.text("exchange", required=True) or "",
                                  call.text("symbol", required=True) or "")
        tf = parse_timeframe(call.text("tf", required=True) or "")
        start = call.integer("from", required=True) or 0
        end = min(call.integer("to", required=True) or 0, int(call.now))
        count_back = call.integer("countBack", 0, lo=0) or 0
        fmt = call.fmt
        candles = self._market.candles(security.key, tf, start, end) if end >= start else []
        if len(candles) < count_back:
            # countBack moves ``from`` back until enough candles exist (2.7); the window held
            # fewer than count_back, so the last count_back include every one of them.
            for _ in range(12):
                start -= max(end - start, tf * count_back)
                candles = self._market.candles(security.key, tf, start, end)
                if len(candles) >= count_back:
                    break
            candles = candles[-count_back:]
            start = int(candles[0].time) if candles else start
        page = CandlePage(tuple(candles), self._neighbour(call, security, tf, end, after=True),
                          self._neighbour(call, security, tf, start, after=False))
        return encode_candle_page(page, fmt)

    def _neighbour(self, call: Call, security: Security, tf: int, edge: float,
                   *, after: bool) -> float | None:
        """Start of the nearest candle outside the window (``next``/``prev``), if any."""
        for span in (tf * 10, tf * 100, max(tf * 1000, 7 * 86_400)):
            if after:
                hi = min(edge + span, call.now)
                found: list[Candle] = self._market.candles(
                    security.key, tf, edge + 1, hi) if hi > edge else []
                if found:
                    return found[0].time
            else:
                found = self._market.candles(security.key, tf, edge - span, edge - 1)
                if found:
                    return found[-1].time
        return None

    async def status(self, call: Call) -> object:
        """2.8: ``{"code": market, "status": "open"|"closed"}``."""
        exchange, market = call.path["exchange"], call.path["market"]
        try:
            return encode_market_status(self._market.status(exchange, market))
        except LookupError:
            raise BadRequest(f"Unknown market {exchange}/{market}.") from None
