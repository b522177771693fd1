"""The trader's own data, read-only: portfolio endpoints (alor-api.md 2.9) and subscriptions (3.3).

alortui never places or cancels orders; nothing here writes. :class:`PortfolioClient` reads the
``/md/v2/Clients/...`` endpoints through :class:`~alortui.alor.rest.AlorRest` (same token,
retries and typed errors) and subscribes to the portfolio opcodes through the one
:class:`~alortui.alor.stream.AlorStream`, which re-sends them after a reconnect like every other
subscription. A portfolio the token may not use is refused by ALOR with 403 (HTTP) or a 403
envelope (WS); both surface as :class:`PortfolioForbidden`.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from typing import Any, TypeVar
from urllib.parse import quote

from alortui.alor import wire
from alortui.alor.auth import TokenManager
from alortui.alor.errors import Forbidden, SubscriptionRejected
from alortui.alor.rest import AlorRest
from alortui.alor.stream import AlorStream
from alortui.alor.subscription import ErrorSink, Sink
from alortui.models import Format
from alortui.portfolio_models import (
    FortsRisk,
    Order,
    OwnTrade,
    Portfolio,
    Position,
    Risk,
    StopOrder,
    Summary,
)

T = TypeVar("T")


class PortfolioForbidden(Forbidden):
    """403: the token's ``portfolios`` claim does not list this portfolio (alor-api.md 1.3)."""

    def _explain(self) -> str:
        return "this token gives no access to that portfolio (HTTP 403)"


def portfolio_params(portfolio: str, exchange: str = "MOEX", *, skip_history: bool = False,
                     order_statuses: Iterable[str] | None = None) -> dict[str, Any]:
    """The request fields of a portfolio subscription (alor-api.md 3.2).

    Args:
        portfolio: e.g. ``D39004``.
        exchange: ``MOEX`` or ``SPBX``.
        skip_history: only changes, no initial state (Astras does this for orders and trades
            and loads them over HTTP instead, 3.5).
        order_statuses: filter of the initial orders/stop orders, e.g. ``["working"]``.
    """
    params: dict[str, Any] = {"portfolio": portfolio, "exchange": exchange,
                              "skipHistory": skip_history}
    if order_statuses is not None:
        params["orderStatuses"] = list(order_statuses)
    return params


class PortfolioClient:
    """Reads one login's portfolios over HTTP and subscribes to their streams.

    Args:
        rest: The HTTP client (must have a token: portfolio endpoints need a JWT).
        tokens: The token manager, whose JWT lists the usable portfolios.
        stream: The WS stream; needed only for :meth:`subscribe`.
        fmt: Wire format of the HTTP answers (Simple carries every lot count).
    """

    def __init__(self, rest: AlorRest, tokens: TokenManager, stream: AlorStream | None = None,
                 *, fmt: Format = Format.SIMPLE) -> None:
        self._rest, self._tokens, self._stream, self._fmt = rest, tokens, stream, fmt

    async def portfolios(self) -> tuple[Portfolio, ...]:
        """The portfolios of the JWT's ``portfolios`` claim, in its order (fetches a JWT)."""
        await self._tokens.access_token()
        return tuple(Portfolio(p) for p in self._tokens.portfolios)

    async def summary(self, portfolio: str, exchange: str = "MOEX") -> Summary:
        """``GET .../summary``: buying power, value, P/L, margin, commission."""
        return await self._one(portfolio, exchange, "summary", wire.decode_summary)

    async def risk(self, portfolio: str, exchange: str = "MOEX") -> Risk:
        """``GET .../risk``: margins, coverage ratios, risk status and category."""
        return await self._one(portfolio, exchange, "risk", wire.decode_risk)

    async def forts_risk(self, portfolio: str) -> FortsRisk:
        """``GET /md/v2/Clients/MOEX/{portfolio}/fortsrisk`` (derivatives portfolios only)."""
        return await self._one(portfolio, "MOEX", "fortsrisk", wire.decode_forts_risk)

    async def positions(self, portfolio: str, exchange: str = "MOEX", *,
                        without_currency: bool = False) -> list[Position]:
        """``GET .../positions``; money balances are positions with ``is_currency``."""
        return await self._many(portfolio, exchange, "positions", wire.decode_position,
                                withoutCurrency=without_currency or None)

    async def position(self, portfolio: str, symbol: str, exchange: str = "MOEX") -> Position:
        """``GET .../positions/{symbol}`` (``NotFound`` when not held)."""
        return await self._one(portfolio, exchange, f"positions/{_seg(symbol)}",
                               wire.decode_position)

    async def orders(self, portfolio: str, exchange: str = "MOEX") -> list[Order]:
        """``GET .../orders``: today's orders in every status."""
        return await self._many(portfolio, exchange, "orders", wire.decode_order)

    async def order(self, portfolio: str, order_id: str, exchange: str = "MOEX") -> Order:
        """``GET .../orders/{orderId}``."""
        return await self._one(portfolio, exchange, f"orders/{_seg(order_id)}", wire.decode_order)

    async def stop_orders(self, portfolio: str, exchange: str = "MOEX") -> list[StopOrder]:
        """``GET .../stoporders``."""
        return await self._many(portfolio, exchange, "stoporders", wire.decode_stop_order)

    async def stop_order(self, portfolio: str, order_id: str,
                         exchange: str = "MOEX") -> StopOrder:
        """``GET .../stoporders/{orderId}``."""
        return await self._one(portfolio, exchange, f"stoporders/{_seg(order_id)}",
                               wire.decode_stop_order)

    async def trades(self, portfolio: str, exchange: str = "MOEX", *,
                     symbol: str | None = None) -> list[OwnTrade]:
        """``GET .../trades`` (or ``.../{symbol}/trades``): today's own trades."""
        tail = "trades" if symbol is None else f"{_seg(symbol)}/trades"
        return await self._many(portfolio, exchange, tail, wire.decode_own_trade)

    async def subscribe(self, opcode: str, portfolio: str, sink: Sink, *,
                        exchange: str = "MOEX", skip_history: bool = False,
                        order_statuses: Sequence[str] | None = None,
                        on_error: ErrorSink | None = None, fmt: Format | None = None) -> str:
        """Subscribe to a portfolio opcode of ``wire.PORTFOLIO_OPCODES``; returns the guid.

        ``sink`` gets the decoded models (``Summary``, ``Position``, ``Risk``, ``FortsRisk``,
        ``Order``, ``StopOrder`` or ``OwnTrade``) with ``existing`` telling the initial state
        from changes; unsubscribe with ``AlorStream.unsubscribe(guid)``.

        Raises:
            PortfolioForbidden: the token may not use ``portfolio``.
            SubscriptionRejected: any other error envelope.
            ValueError: not a portfolio opcode, or the client has no stream.
        """
        if opcode not in wire.PORTFOLIO_OPCODES or self._stream is None:
            raise ValueError(f"cannot subscribe to {opcode!r} here")
        params = portfolio_params(portfolio, exchange, skip_history=skip_history,
                                  order_statuses=order_statuses)
        try:
            return await self._stream.subscribe(opcode, params, sink, on_error=on_error, fmt=fmt)
        except SubscriptionRejected as exc:
            if exc.http_code == 403:
                raise PortfolioForbidden(403, exc.message, what=f"{opcode} {portfolio}") from None
            raise

    async def _one(self, portfolio: str, exchange: str, tail: str,
                   decoder: Callable[[Any, Format], T]) -> T:
        try:
            return await self._rest.get_decoded(_path(portfolio, exchange, tail), decoder, {},
                                                self._fmt)
        except Forbidden as exc:
            raise PortfolioForbidden(exc.status, exc.message, what=exc.what) from None

    async def _many(self, portfolio: str, exchange: str, tail: str,
                    decoder: Callable[[Any, Format], T], **params: object) -> list[T]:
        try:
            return await self._rest.get_decoded_list(_path(portfolio, exchange, tail), decoder,
                                                     params, self._fmt)
        except Forbidden as exc:
            raise PortfolioForbidden(exc.status, exc.message, what=exc.what) from None


def _seg(text: str) -> str:
    return quote(text, safe="")


def _path(portfolio: str, exchange: str, tail: str) -> str:
    return f"/md/v2/Clients/{_seg(exchange)}/{_seg(portfolio)}/{tail}"
