"""The trader's own portfolio as one stream: initial state and changes merged (issue 7).

A portfolio view is six subscriptions (summary, risk or, for a derivatives portfolio, its
Spectra risk, positions, orders, stop orders, own trades), each a hub topic like market data
(:class:`~alortui.service.requests.PortfolioRequest`). The hub keeps the latest message per
symbol or id (:class:`IdSlot`), so a second consumer is primed with the whole state and the
initial state replayed by a re-subscription after a reconnect (``existing``, alor-api.md 3.5,
3.8) overwrites instead of doubling. :class:`PortfolioMerge` folds the batches into one
:class:`~alortui.portfolio_models.PortfolioState` per wake.
"""

from __future__ import annotations

from collections.abc import Hashable
from dataclasses import replace
from typing import Any

from alortui.portfolio_models import (
    FortsRisk,
    Order,
    OwnTrade,
    Portfolio,
    PortfolioKind,
    PortfolioState,
    Position,
    Risk,
    StopOrder,
    Summary,
)
from alortui.service.api import IssueKind, StreamIssue
from alortui.service.requests import PortfolioRequest, PortfolioStream
from alortui.service.slots import Slot

PORTFOLIO_RETAIN = 5000
"""Most messages kept per portfolio stream (orders and trades of one busy day)."""

NEEDS_TOKEN = ("Portfolio data needs authorization: ALOR serves positions, orders and trades "
               "only to a logged-in user. Configure a refresh token (ALOR_REFRESH_TOKEN or a "
               "token file, see the README) to see your portfolio.")


def portfolio_requests(portfolio: str, exchange: str = "MOEX") -> list[PortfolioRequest]:
    """The subscriptions of one portfolio view: Spectra risk for derivatives, else risk."""
    risk = (PortfolioStream.FORTS_RISK if Portfolio(portfolio).kind is PortfolioKind.DERIVATIVES
            else PortfolioStream.RISK)
    streams = [PortfolioStream.SUMMARY, risk, PortfolioStream.POSITIONS, PortfolioStream.ORDERS,
               PortfolioStream.STOP_ORDERS, PortfolioStream.TRADES]
    return [PortfolioRequest(s, portfolio, exchange) for s in streams]


def identity(value: Any) -> Hashable:
    """What makes two messages about the same thing: one summary, a symbol, an order id."""
    if isinstance(value, Position):
        return ("position", value.exchange, value.symbol)
    if isinstance(value, Order | StopOrder | OwnTrade):
        return (type(value).__name__, value.id)
    return type(value).__name__  # Summary, Risk, FortsRisk: one value each


class IdSlot(Slot[Any]):
    """The newest message per :func:`identity`, first-arrival order, at most ``limit`` ids."""

    __slots__ = ("_by_id", "_limit")

    def __init__(self, limit: int = PORTFOLIO_RETAIN) -> None:
        self._by_id: dict[Hashable, Any] = {}
        self._limit = max(1, limit)

    def add(self, value: Any) -> None:
        """Store ``value`` in place of the earlier message about the same thing."""
        self._by_id[identity(value)] = value
        if len(self._by_id) > self._limit:
            del self._by_id[next(iter(self._by_id))]

    def values(self) -> list[Any]:
        """Stored messages, first arrival first."""
        return list(self._by_id.values())


class PortfolioMerge:
    """Folds batches of portfolio messages into the current :class:`PortfolioState`."""

    def __init__(self, portfolio: str, exchange: str = "MOEX") -> None:
        self.state = PortfolioState(Portfolio(portfolio), exchange)
        self._items: dict[type, IdSlot] = {kind: IdSlot() for kind in _FIELDS}

    def apply(self, values: list[Any]) -> PortfolioState:
        """Merge ``values`` (any order of kinds) and return the new state."""
        changed: set[type] = set()
        for value in values:
            kind = type(value)
            if kind in self._items:
                self._items[kind].add(value)
                changed.add(kind)
        updates = {_FIELDS[kind]: _shape(kind, self._items[kind].values()) for kind in changed}
        self.state = replace(self.state, **updates)
        return self.state


_FIELDS: dict[type, str] = {Summary: "summary", Risk: "risk", FortsRisk: "forts_risk",
                            Position: "positions", Order: "orders", StopOrder: "stop_orders",
                            OwnTrade: "trades"}
_SINGLE = (Summary, Risk, FortsRisk)


def _shape(kind: type, values: list[Any]) -> Any:
    if kind in _SINGLE:
        return values[-1]
    return tuple(values)


def forbidden_issue(request: PortfolioRequest, detail: str) -> StreamIssue:
    """A portfolio the token does not list: say which, and what ALOR answered."""
    return StreamIssue(IssueKind.REJECTED,
                       f"Portfolio {request.portfolio} is not available with this token: "
                       f"it is not one of the token's portfolios ({detail}).")


def needs_token_issue() -> StreamIssue:
    """What every portfolio stream yields in the anonymous (DELAYED) mode."""
    return StreamIssue(IssueKind.NEEDS_AUTHORIZATION, NEEDS_TOKEN)

