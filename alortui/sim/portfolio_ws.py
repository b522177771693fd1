"""The portfolio subscriptions of ``/ws`` (alor-api.md 3.3, 3.5).

Each sends the portfolio's current state first — one message per order, trade or position,
``existing: true`` — unless ``skipHistory`` is true, then every change as it happens with
``existing: false``: a new or changed order, a new trade, a position or figure whose value moved.
Orders, stop orders and trades are checked on every ticker step; positions, summaries and risks
(which move with every price) at most every :data:`FIGURES_INTERVAL` seconds, the latest state
winning. ``orderStatuses`` filters only the initial history of orders and stop orders (3.2). A
portfolio not in the token's ``portfolios`` claim is refused with a 403 envelope (3.4, inferred).
"""

from __future__ import annotations

import asyncio
import dataclasses
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from alortui.portfolio_models import Risk
from alortui.sim.encode import data_frame
from alortui.sim.encode_portfolio import ENCODERS
from alortui.sim.portfolio import Book, may_use
from alortui.sim.portfolio_figures import forts_risk, positions, risk, summary
from alortui.sim.ws_params import BadParams, Forbidden, WsRequest

if TYPE_CHECKING:
    from alortui.sim.events import MarketEvents
    from alortui.sim.market import Market
    from alortui.sim.streams import StreamContext

Send = Callable[[bytes], None]
State = Callable[[Book, "Market"], dict[str, Any]]
FIGURES_INTERVAL = 0.5


class PortfolioStream:
    """One portfolio subscription: a state function, diffed against what was last sent."""

    interval = 0.0
    state: State

    def __init__(self, guid: str, request: WsRequest, ctx: StreamContext) -> None:
        portfolio = request.text("portfolio", required=True) or ""
        exchange = request.text("exchange", required=True) or ""
        if not may_use(request.claims, portfolio):
            raise Forbidden(f"Access to portfolio {portfolio} is denied")
        if ctx.accounts is None:
            raise BadParams("This exchange has no accounts")
        self.guid, self.fmt, self.started = guid, request.fmt, False
        self.market = ctx.accounts.market
        self.book = ctx.accounts.view(portfolio, exchange)
        self.skip_history = request.flag("skipHistory")
        statuses = request.raw.get("orderStatuses")
        self.statuses = {str(s).lower() for s in statuses} if isinstance(statuses, list) else None
        self.sent: dict[str, Any] = {}
        self.checked = float("-inf")
        self.check()

    def __repr__(self) -> str:
        return f"{type(self).__name__}({self.guid!r}, {self.book.id}, {self.fmt})"

    def check(self) -> None:
        """Refuse a subscription the portfolio cannot serve (e.g. FORTS risks of a D...)."""

    def begin(self, send: Send) -> None:
        """Send the initial state (unless ``skipHistory``)."""
        self.started = True
        self.sent = self.state(self.book, self.market)
        self.checked = asyncio.get_running_loop().time()
        if self.skip_history:
            return
        for value in self.sent.values():
            status = getattr(value, "status", None)
            if self.statuses is None or status is None or status in self.statuses:
                self._emit(value, True, send)

    def update(self, events: MarketEvents, now: float, send: Send) -> None:
        """Send what changed since the last check."""
        if now - self.checked < self.interval:
            return
        self.checked = now
        current = self.state(self.book, self.market)
        for key, value in current.items():
            if not _same(self.sent.get(key), value):
                self._emit(value, False, send)
        self.sent = current

    def _emit(self, value: Any, existing: bool, send: Send) -> None:
        if hasattr(value, "existing"):
            value = dataclasses.replace(value, existing=existing)
        send(data_frame(ENCODERS[type(value)](value, self.fmt), self.guid))


def _same(old: Any, new: Any) -> bool:
    """Equal but for the existing flag and a risk's calculation time."""
    if isinstance(old, Risk) and isinstance(new, Risk):
        return dataclasses.replace(old, calculation_time=None) == dataclasses.replace(
            new, calculation_time=None)
    return old == new


class SummaryStream(PortfolioStream):
    """``SummariesGetAndSubscribeV2``: the whole summary per message."""

    interval = FIGURES_INTERVAL

    @staticmethod
    def state(book: Book, market: Market) -> dict[str, Any]:
        return {"": summary(book, market)}


class PositionStream(PortfolioStream):
    """``PositionsGetAndSubscribeV2``: one message per position (money included)."""

    interval = FIGURES_INTERVAL

    @staticmethod
    def state(book: Book, market: Market) -> dict[str, Any]:
        return {p.symbol: p for p in positions(book, market)}


class RiskStream(PortfolioStream):
    """``RisksGetAndSubscribe``: the whole risk object per message."""

    interval = FIGURES_INTERVAL

    @staticmethod
    def state(book: Book, market: Market) -> dict[str, Any]:
        return {"": risk(book, market, market.time)}


class SpectraRiskStream(PortfolioStream):
    """``SpectraRisksGetAndSubscribe``: FORTS risks, derivatives portfolios only."""

    interval = FIGURES_INTERVAL

    def check(self) -> None:
        if not self.book.derivatives:
            raise BadParams(f"Portfolio {self.book.id} is not a derivatives (FORTS) portfolio")

    @staticmethod
    def state(book: Book, market: Market) -> dict[str, Any]:
        return {"": forts_risk(book, market)}


class OrderStream(PortfolioStream):
    """``OrdersGetAndSubscribeV2``: each order, then each new or changed one."""

    @staticmethod
    def state(book: Book, market: Market) -> dict[str, Any]:
        return dict(book.orders)


class StopOrderStream(PortfolioStream):
    """``StopOrdersGetAndSubscribeV2``: each stop order, then each new or changed one."""

    @staticmethod
    def state(book: Book, market: Market) -> dict[str, Any]:
        return dict(book.stops)


class OwnTradeStream(PortfolioStream):
    """``TradesGetAndSubscribeV2``: today's own trades, then each new one."""

    @staticmethod
    def state(book: Book, market: Market) -> dict[str, Any]:
        return {t.id: t for t in book.trades}


PORTFOLIO_SUBSCRIPTIONS: dict[str, type[PortfolioStream]] = {
    "SummariesGetAndSubscribeV2": SummaryStream,
    "PositionsGetAndSubscribeV2": PositionStream,
    "RisksGetAndSubscribe": RiskStream,
    "SpectraRisksGetAndSubscribe": SpectraRiskStream,
    "OrdersGetAndSubscribeV2": OrderStream,
    "StopOrdersGetAndSubscribeV2": StopOrderStream,
    "TradesGetAndSubscribeV2": OwnTradeStream,
}
