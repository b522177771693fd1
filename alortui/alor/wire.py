"""ALOR's Simple/Slim/Heavy JSON to domain models: the one place that knows the wire's field names.

Every decoder is a pure function from an orjson-decoded value to a frozen model. For **any** JSON
value of any shape it returns a model or raises :class:`MalformedMessage`, never another
exception, so the stream reader can count and skip a bad frame without guarding against
surprises. Import everything from here; the code lives in

* ``wire_quote``, ``wire_book``, ``wire_trades`` — streaming market data, the hot path;
* ``wire_reference`` — securities, instrument changes, market status;
* ``wire_graphql`` — the GraphQL instrument card;
* ``wire_account``, ``wire_orders`` — the trader's portfolio: money, risk, positions, orders,
  stop orders and own trades;
* ``wire_fields`` — the per-field readers and key tables; ``timeparse`` — times.

The hot decoders are flat: one reader call per field over a key table chosen by format, and the
model built with positional arguments in its field order (keywords cost about a microsecond more
per 26-field quote). Each argument still names its field through the table (``k.last`` is
``Quote.last``); ``tests/unit/test_wire_market.py`` checks every wire key lands in the field of
the same name.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from alortui.alor.timeparse import parse_time
from alortui.alor.wire_account import (
    decode_forts_risk,
    decode_position,
    decode_risk,
    decode_summary,
)
from alortui.alor.wire_book import decode_order_book
from alortui.alor.wire_fields import MalformedMessage
from alortui.alor.wire_graphql import decode_instrument_info
from alortui.alor.wire_orders import decode_order, decode_own_trade, decode_stop_order
from alortui.alor.wire_quote import decode_quote
from alortui.alor.wire_reference import (
    decode_instrument_change,
    decode_market_status,
    decode_security,
)
from alortui.alor.wire_trades import decode_candle, decode_candle_page, decode_trade
from alortui.models import Format

__all__ = [
    "DECODERS",
    "DEFAULT_FORMATS",
    "PORTFOLIO_OPCODES",
    "MalformedMessage",
    "decode_candle",
    "decode_candle_page",
    "decode_forts_risk",
    "decode_instrument_change",
    "decode_instrument_info",
    "decode_market_status",
    "decode_order",
    "decode_order_book",
    "decode_own_trade",
    "decode_position",
    "decode_quote",
    "decode_risk",
    "decode_security",
    "decode_stop_order",
    "decode_summary",
    "decode_trade",
    "parse_time",
]

DEFAULT_FORMATS: dict[str, Format] = {
    "QuotesSubscribe": Format.SIMPLE,
    "OrderBookGetAndSubscribe": Format.SLIM,
    "AllTradesGetAndSubscribe": Format.SLIM,
    "BarsGetAndSubscribe": Format.SLIM,
    "InstrumentsGetAndSubscribeV2": Format.SLIM,
}
"""The format each market-data subscription asks for (opcode -> format).

Chosen per stream by what the consumer needs, then by frame size (alor-api.md 2.10, 3.6):

* ``QuotesSubscribe`` — **Simple**. Slim quotes drop the previous close and the change, which the
  watchlist shows on every row; Heavy carries them too but its minimum ``frequency`` is 500 ms
  (Simple: 25 ms) and its frames are larger. Simple's only extra is the deprecated
  ``accrued_interest`` duplicate.
* ``OrderBookGetAndSubscribe`` — **Slim**. Every message is a full book, so frame size matters
  most here; Slim loses only Simple's deprecated ``snapshot``/``timestamp``, gains the per-level
  bond yield ``y``, and allows the lowest ``frequency`` (10 ms).
* ``AllTradesGetAndSubscribe`` — **Slim**. It omits the ISO ``time`` (the millisecond ``t`` has
  the same instant) and ``orderno``, which is ``0`` on the anonymous tape anyway.
* ``BarsGetAndSubscribe`` — **Slim**. Same six numbers under one-letter keys.
* ``InstrumentsGetAndSubscribeV2`` — **Slim**. Same fields; Simple and Heavy are identical here.
"""

DECODERS: dict[str, Callable[[Any, Format], object]] = {
    "QuotesSubscribe": decode_quote,
    "OrderBookGetAndSubscribe": decode_order_book,
    "AllTradesGetAndSubscribe": decode_trade,
    "BarsGetAndSubscribe": decode_candle,
    "InstrumentsGetAndSubscribeV2": decode_instrument_change,
    "SummariesGetAndSubscribeV2": decode_summary,
    "PositionsGetAndSubscribeV2": decode_position,
    "RisksGetAndSubscribe": decode_risk,
    "SpectraRisksGetAndSubscribe": decode_forts_risk,
    "OrdersGetAndSubscribeV2": decode_order,
    "StopOrdersGetAndSubscribeV2": decode_stop_order,
    "TradesGetAndSubscribeV2": decode_own_trade,
}
"""Opcode -> decoder of one WS data object (the ``data`` of ``{"data": ..., "guid": ...}``)."""

PORTFOLIO_OPCODES: tuple[str, ...] = (
    "SummariesGetAndSubscribeV2",
    "PositionsGetAndSubscribeV2",
    "RisksGetAndSubscribe",
    "SpectraRisksGetAndSubscribe",
    "OrdersGetAndSubscribeV2",
    "StopOrdersGetAndSubscribeV2",
    "TradesGetAndSubscribeV2",
)
"""The portfolio subscriptions (alor-api.md 3.3): params ``portfolio``, ``exchange`` and
optionally ``skipHistory`` (and ``orderStatuses`` for orders). They use the default **Simple**
format: only Simple carries a position's lot count (``qtyBatch``), and these streams are slow, so
frame size does not matter."""
