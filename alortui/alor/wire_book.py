"""Decoder of order books: HTTP ``/md/v2/orderbooks`` bodies, WS ``OrderBookGetAndSubscribe``.

The largest frames of all (up to 50 levels a side, every message a full book, alor-api.md 2.5,
3.5). Slim's ``h`` is *existing* and ``t`` a millisecond time here (alor-api.md 2.10).
"""

from __future__ import annotations

from collections.abc import Callable
from operator import gt, lt
from typing import NamedTuple

from alortui.alor.timeparse import opt_time
from alortui.alor.wire_fields import (
    MalformedMessage,
    fields,
    key_table,
    opt_bool,
    opt_price,
    req_list,
    req_price,
    req_volume,
)
from alortui.models import Format, InstrumentKey, OrderBook, PriceLevel


class _BookKeys(NamedTuple):
    bids: str
    asks: str
    price: str
    volume: str
    yield_: str | None
    time: str
    existing: str


# Simple's deprecated `snapshot` and `timestamp` (seconds) are not read (alor-api.md 2.5).
_BOOK = key_table(_BookKeys, """
    bids      bids          b  bids
    asks      asks          a  asks
    price     price         p  price
    volume    volume        v  volume
    yield_    -             y  -
    time      ms_timestamp  t  msTimestamp
    existing  existing      h  existing
""")


def decode_order_book(obj: object, fmt: Format, key: InstrumentKey | None = None) -> OrderBook:
    """Decode a complete order book (HTTP ``/orderbooks`` body or WS ``OrderBookGetAndSubscribe``).

    Bids must be strictly descending and asks strictly ascending (best first, no price twice,
    alor-api.md 2.5). A crossed book (best bid >= best ask) is passed through unchanged: it can
    happen for a moment around auctions, and the consumer can see it from ``best_bid``/``best_ask``.

    Args:
        obj: The book object.
        fmt: Its format.
        key: The instrument, which the message itself does not name.

    Raises:
        MalformedMessage: not a book of format ``fmt``, or levels out of order.
    """
    k = _BOOK[fmt]
    get = fields(obj, "order book")
    return OrderBook(
        _levels(req_list(get, k.bids), k, k.bids, gt),
        _levels(req_list(get, k.asks), k, k.asks, lt),
        opt_time(get, k.time),
        opt_bool(get, k.existing),
        key,
    )


_ORDER: dict[Callable[[float, float], bool], str] = {gt: "descending", lt: "ascending"}


def _levels(
    rows: list[object], k: _BookKeys, side: str, better: Callable[[float, float], bool]
) -> tuple[PriceLevel, ...]:
    """Decode one side; ``better(a, b)`` must hold for each price and the next one."""
    price_key, volume_key, yield_key = k.price, k.volume, k.yield_
    levels = []
    prices = []
    for row in rows:
        get = fields(row, side)
        price = req_price(get, price_key)
        levels.append(PriceLevel(price, req_volume(get, volume_key), opt_price(get, yield_key)))
        prices.append(price)
    if not all(map(better, prices, prices[1:])):
        raise MalformedMessage(f"{side}: price levels are not strictly {_ORDER[better]}")
    return tuple(levels)
