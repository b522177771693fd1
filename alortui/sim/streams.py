"""The market-data subscriptions of ``/ws`` and what each sends (alor-api.md 3.3, 3.5, 3.6).

A subscription is created from a validated request, sends its initial messages in
:meth:`Subscription.begin` (right after the confirmation) and then reacts to each ticker step in
:meth:`Subscription.update`. Order books, quotes and bars are conflated: at most one message per
``frequency`` interval with the latest state (3.6). Trades and instrument changes are sent as
they happen.
"""

from __future__ import annotations

import asyncio
import dataclasses
from collections.abc import Callable
from typing import TYPE_CHECKING

from alortui.models import Candle, Format, Security, Trade
from alortui.sim.encode import (
    data_frame,
    encode_candle,
    encode_instrument_change,
    encode_order_book,
    encode_quote,
    encode_trade,
)
from alortui.sim.http_api import BadRequest
from alortui.sim.http_md import level_yield, parse_timeframe
from alortui.sim.ws_params import BadParams, WsRequest

if TYPE_CHECKING:
    from alortui.sim.clock import Clock
    from alortui.sim.events import MarketEvents
    from alortui.sim.market import Market
    from alortui.sim.portfolio import Accounts

Send = Callable[[bytes], None]
MAX_TRADE_BACKLOG = 5000
MAX_BAR_BACKLOG = 5000
"""Bars backlog cap: ``from: 0`` (AlorPy's default) would otherwise replay years of minutes."""


class StreamContext:
    """What subscriptions read: the market, the market's clock and the demo accounts."""

    def __init__(self, market: Market, clock: Clock, accounts: Accounts | None = None) -> None:
        self.market = market
        self.clock = clock
        self.accounts = accounts

    def security(self, request: WsRequest) -> Security:
        """The instrument named by ``exchange``/``code``/``instrumentGroup``.

        Raises:
            BadParams: missing fields or an unknown instrument.
        """
        exchange = (request.text("exchange", required=True) or "").upper()
        code = request.text("code", required=True) or ""
        board = request.text("instrumentGroup")
        found = self.market.lookup(exchange, code, board)
        if found is None:
            where = f"{exchange}:{code}" + (f":{board}" if board else "")
            raise BadParams(f"Instrument {where} not found")
        return found


class Subscription:
    """Base of every subscription kind."""

    def __init__(self, guid: str, request: WsRequest, ctx: StreamContext) -> None:
        self.guid = guid
        self.fmt: Format = request.fmt
        self.ctx = ctx
        self.security = ctx.security(request)
        self.key = self.security.key
        self.started = False

    def __repr__(self) -> str:
        return f"{type(self).__name__}({self.guid!r}, {self.key}, {self.fmt})"

    def begin(self, send: Send) -> None:
        """Send the initial messages."""
        self.started = True

    def update(self, events: MarketEvents, now: float, send: Send) -> None:
        """React to one ticker step; ``now`` is the event loop's clock (for frequency)."""

    def emit(self, data: object, send: Send) -> None:
        """Send one data frame of this subscription."""
        send(data_frame(data, self.guid))


class Conflated(Subscription):
    """A stream that sends at most one message (the latest state) per ``frequency``."""

    def __init__(self, guid: str, request: WsRequest, ctx: StreamContext) -> None:
        super().__init__(guid, request, ctx)
        self.interval = request.frequency()
        self.dirty = False
        self.last_sent = float("-inf")

    def begin(self, send: Send) -> None:
        super().begin(send)
        self.last_sent = asyncio.get_running_loop().time()  # the snapshot opens an interval

    def update(self, events: MarketEvents, now: float, send: Send) -> None:
        self.dirty = self.dirty or self.key in events.changed
        if self.dirty and now - self.last_sent >= self.interval:
            self.dirty = False
            self.last_sent = now
            self.send_latest(send)

    def send_latest(self, send: Send) -> None:
        """Send the current state."""
        raise NotImplementedError


class OrderBookStream(Conflated):
    """``OrderBookGetAndSubscribe``: full books of ``depth`` levels (3.5)."""

    def __init__(self, guid: str, request: WsRequest, ctx: StreamContext) -> None:
        super().__init__(guid, request, ctx)
        self.depth = request.integer("depth", 20, lo=1, hi=50)

    def begin(self, send: Send) -> None:
        super().begin(send)
        self._send(send, existing=True)

    def send_latest(self, send: Send) -> None:
        self._send(send, existing=False)

    def _send(self, send: Send, *, existing: bool) -> None:
        book = self.ctx.market.order_book(self.key, self.depth)
        book = dataclasses.replace(book, existing=existing)
        yields = level_yield(self.security, self.ctx.clock.now())
        self.emit(encode_order_book(book, self.fmt, level_yield=yields), send)


class QuoteStream(Conflated):
    """``QuotesSubscribe``: a full quote object per message (3.5)."""

    def begin(self, send: Send) -> None:
        super().begin(send)
        self.send_latest(send)

    def send_latest(self, send: Send) -> None:
        self.emit(encode_quote(self.ctx.market.quote(self.key), self.fmt), send)


class TradeStream(Subscription):
    """``AllTradesGetAndSubscribe``: ``depth`` past trades (existing) then each new one (3.5)."""

    def __init__(self, guid: str, request: WsRequest, ctx: StreamContext) -> None:
        super().__init__(guid, request, ctx)
        self.depth = request.integer("depth", 0, lo=0, hi=MAX_TRADE_BACKLOG)

    def begin(self, send: Send) -> None:
        super().begin(send)
        backlog = self.ctx.market.trades(self.key, last=max(self.depth, 1))
        self.last_id = backlog[-1].id if backlog else -1
        for trade in backlog if self.depth else ():
            self._send(dataclasses.replace(trade, existing=True), send)

    def update(self, events: MarketEvents, now: float, send: Send) -> None:
        # Pending events may repeat trades the backlog already sent: trade ids only grow.
        for trade in events.trades.get(self.key, ()):
            if trade.id > self.last_id:
                self.last_id = trade.id
                self._send(dataclasses.replace(trade, existing=False), send)

    def _send(self, trade: Trade, send: Send) -> None:
        self.emit(encode_trade(trade, self.fmt), send)


class BarStream(Conflated):
    """``BarsGetAndSubscribe``: candles since ``from``, then updates of the current one (3.5).

    A message with the same ``time`` replaces the current candle, a greater ``time`` starts a
    new one; when a candle closes between two sends its final state is sent first.
    """

    def __init__(self, guid: str, request: WsRequest, ctx: StreamContext) -> None:
        super().__init__(guid, request, ctx)
        try:
            self.tf = parse_timeframe(request.text("tf", required=True) or "")
        except BadRequest as exc:
            raise BadParams(str(exc)) from None
        self.start = request.integer("from", 0, lo=0)
        self.skip_history = request.flag("skipHistory")
        self.last: Candle | None = None

    def begin(self, send: Send) -> None:
        super().begin(send)
        now = self.ctx.clock.now()
        if self.skip_history:
            self.start = int(now // self.tf * self.tf)
            return
        self.start = max(self.start, int(now) - self.tf * MAX_BAR_BACKLOG)
        self._send_since(self.start, now, send)

    def send_latest(self, send: Send) -> None:
        since = self.last.time if self.last is not None else self.start
        self._send_since(since, self.ctx.clock.now(), send)

    def _send_since(self, since: float, now: float, send: Send) -> None:
        for candle in self.ctx.market.candles(self.key, self.tf, since, now):
            if self.last is None or candle.time > self.last.time or (
                candle.time == self.last.time and candle != self.last
            ):
                self.last = candle
                self.emit(encode_candle(candle, self.fmt), send)


class InstrumentStream(Subscription):
    """``InstrumentsGetAndSubscribeV2``: the full set first, then only changed fields (3.5)."""

    def begin(self, send: Send) -> None:
        super().begin(send)
        full = self.ctx.market.instrument_change(self.key)
        if self.security.market != "FORTS":  # margins etc. are derivative fields (3.5 example)
            full = dataclasses.replace(full, margin_buy=None, margin_sell=None,
                                       theor_price=None, volatility=None)
        self.emit(encode_instrument_change(full, self.fmt), send)

    def update(self, events: MarketEvents, now: float, send: Send) -> None:
        change = events.instrument_changes.get(self.key)
        if change is not None:
            # Partial messages carry the symbol and the changed fields only (spec example
            # ws_InstrumentsGetAndSubscribeV2_Partial_*).
            partial = dataclasses.replace(change, exchange=None, board=None)
            self.emit(encode_instrument_change(partial, self.fmt), send)


SUBSCRIPTIONS: dict[str, Callable[[str, WsRequest, StreamContext], Subscription]] = {
    "OrderBookGetAndSubscribe": OrderBookStream,
    "QuotesSubscribe": QuoteStream,
    "AllTradesGetAndSubscribe": TradeStream,
    "AllTradesSubscribe": TradeStream,  # Astras' undocumented alias (3.3)
    "BarsGetAndSubscribe": BarStream,
    "InstrumentsGetAndSubscribeV2": InstrumentStream,
}
