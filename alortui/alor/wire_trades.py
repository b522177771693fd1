"""Decoders of trades and candles: the anonymous tape, WS bars and HTTP history pages.

Slim's ``h`` is *existing* and ``t`` a millisecond time in a trade, but *high* and a time in
seconds in a candle (alor-api.md 2.6, 2.7, 2.10): each kind has its own key table.
"""

from __future__ import annotations

from typing import NamedTuple

from alortui.alor.timeparse import opt_time, req_time
from alortui.alor.wire_fields import (
    Getter,
    fail,
    fields,
    key_table,
    opt_bool,
    opt_str,
    opt_volume,
    order_no,
    req_list,
    req_price,
    req_volume,
    trade_id,
)
from alortui.models import Candle, CandlePage, Format, Side, Trade


class _TradeKeys(NamedTuple):
    id: str
    price: str
    qty: str
    side: str
    time: str
    iso_time: str | None
    symbol: str
    board: str
    open_interest: str
    existing: str
    order_no: str | None


# `time` is the millisecond `timestamp`; the ISO `time` is only a fallback and Slim lacks it.
# Slim has no `orderno`; BondSharp reads an optional `eid` (alor-api.md 2.10).
_TRADE = key_table(_TradeKeys, """
    id             id         id   id
    price          price      px   price
    qty            qty        q    qty
    side           side       s    side
    time           timestamp  t    timestamp
    iso_time       time       -    time
    symbol         symbol     sym  symbol
    board          board      bd   board
    open_interest  oi         oi   oi
    existing       existing   h    existing
    order_no       orderno    eid  -
""")

_SIDES = {"buy": Side.BUY, "sell": Side.SELL}


def decode_trade(obj: object, fmt: Format) -> Trade:
    """Decode one anonymous trade (HTTP ``/alltrades`` item or WS ``AllTradesGetAndSubscribe``).

    The time comes from the millisecond ``timestamp``, else from the ISO ``time``.

    Raises:
        MalformedMessage: ``obj`` is not a trade of format ``fmt``.
    """
    k = _TRADE[fmt]
    get = fields(obj, "trade")
    time_key = k.iso_time if get(k.time) is None and k.iso_time else k.time
    return Trade(
        trade_id(get, k.id),
        req_price(get, k.price),
        req_volume(get, k.qty),
        _side(get, k.side),
        req_time(get, time_key),
        opt_str(get, k.symbol),
        opt_str(get, k.board),
        opt_volume(get, k.open_interest),
        opt_bool(get, k.existing),
        order_no(get, k.order_no),
    )


def _side(get: Getter, key: str) -> Side | None:
    """The aggressor side; ``null``/absent is unknown."""
    value = get(key)
    if value is None:
        return None
    side = _SIDES.get(value.lower()) if type(value) is str else None
    if side is None:
        fail(key, '"buy" or "sell"', value)
    return side


class _CandleKeys(NamedTuple):
    time: str
    open: str
    high: str
    low: str
    close: str
    volume: str


_CANDLE = key_table(_CandleKeys, """
    time    time    t  time
    open    open    o  open
    high    high    h  high
    low     low     l  low
    close   close   c  close
    volume  volume  v  volume
""")

# The Slim history wrapper is `h` (alor-api.md 2.7, 2.10), but the OpenAPI Slim schema calls it
# `history`: read whichever is there.
_HISTORY = {Format.SIMPLE: ("history",), Format.SLIM: ("h", "history"), Format.HEAVY: ("history",)}


def decode_candle(obj: object, fmt: Format) -> Candle:
    """Decode one candle (WS ``BarsGetAndSubscribe`` data or an HTTP history item).

    Raises:
        MalformedMessage: ``obj`` is not a candle of format ``fmt``.
    """
    k = _CANDLE[fmt]
    get = fields(obj, "candle")
    return Candle(
        req_time(get, k.time),
        req_price(get, k.open),
        req_price(get, k.high),
        req_price(get, k.low),
        req_price(get, k.close),
        req_volume(get, k.volume),
    )


def decode_candle_page(obj: object, fmt: Format) -> CandlePage:
    """Decode an HTTP ``/md/v2/history`` body: candles plus the ``next``/``prev`` start times.

    Raises:
        MalformedMessage: ``obj`` is not a history body of format ``fmt``.
    """
    get = fields(obj, "history")
    name = next((name for name in _HISTORY[fmt] if get(name) is not None), _HISTORY[fmt][0])
    return CandlePage(
        candles=tuple(decode_candle(row, fmt) for row in req_list(get, name)),
        next=opt_time(get, "next"),
        prev=opt_time(get, "prev"),
    )
