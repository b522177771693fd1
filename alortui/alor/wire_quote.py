"""Decoder of quotes: HTTP ``/md/v2/Securities/{symbols}/quotes`` items, WS ``QuotesSubscribe``.

The watchlist's hot path: one flat function over a key table chosen by format (alor-api.md 2.4,
2.10). Slim reuses letters per message kind — in a quote ``h`` is the high and ``t`` the
instrument type — so the table is this kind's own and a key is never read by its name alone.
"""

from __future__ import annotations

from typing import NamedTuple

from alortui.alor.timeparse import opt_time
from alortui.alor.wire_fields import (
    fields,
    key_table,
    opt_price,
    opt_str,
    opt_volume,
    req_str,
)
from alortui.models import Format, InstrumentKey, Quote


class _QuoteKeys(NamedTuple):
    symbol: str
    exchange: str
    description: str
    last: str
    last_time: str
    prev_close: str | None
    open: str
    high: str
    low: str
    change: str | None
    change_percent: str | None
    volume: str
    open_interest: str
    bid: str
    ask: str
    bid_size: str
    ask_size: str
    total_bid_size: str
    total_ask_size: str
    book_time: str
    accrued_interest: str
    yield_: str
    lot_size: str
    lot_value: str
    face_value: str
    type: str
    currency: str | None


# field           Simple                Slim  Heavy       (alor-api.md 2.10 "Quote")
_QUOTE = key_table(_QuoteKeys, """
    symbol            symbol                sym   symbol
    exchange          exchange              ex    exchange
    description       description           desc  description
    last              last_price            c     lastPrice
    last_time         last_price_timestamp  tst   lastPriceTimestamp
    prev_close        prev_close_price      -     prevClosePrice
    open              open_price            o     openPrice
    high              high_price            h     highPrice
    low               low_price             l     lowPrice
    change            change                -     change
    change_percent    change_percent        -     changePercent
    volume            volume                v     volume
    open_interest     open_interest         oi    openInterest
    bid               bid                   bid   bid
    ask               ask                   ask   ask
    bid_size          bid_vol               bv    bidVol
    ask_size          ask_vol               av    askVol
    total_bid_size    total_bid_vol         tbv   totalBidVol
    total_ask_size    total_ask_vol         tav   totalAskVol
    book_time         ob_ms_timestamp       tso   obMsTimestamp
    accrued_interest  accruedInt            acci  accruedInterest
    yield_            yield                 y     yield
    lot_size          lotsize               lot   lotSize
    lot_value         lotvalue              lotv  lotValue
    face_value        facevalue             fv    faceValue
    type              type                  t     type
    currency          -                     -     currency
""")


def decode_quote(obj: object, fmt: Format) -> Quote:
    """Decode one quote (HTTP ``/quotes`` array item or WS ``QuotesSubscribe`` data).

    Slim carries no previous close and no change (alor-api.md 2.10): those stay ``None``.

    Raises:
        MalformedMessage: ``obj`` is not a quote of format ``fmt``.
    """
    k = _QUOTE[fmt]
    get = fields(obj, "quote")
    return Quote(
        InstrumentKey(req_str(get, k.exchange), req_str(get, k.symbol)),
        opt_str(get, k.description),
        opt_price(get, k.last),
        opt_time(get, k.last_time),
        opt_price(get, k.prev_close),
        opt_price(get, k.open),
        opt_price(get, k.high),
        opt_price(get, k.low),
        opt_price(get, k.change),
        opt_price(get, k.change_percent),
        opt_volume(get, k.volume),
        opt_volume(get, k.open_interest),
        opt_price(get, k.bid),
        opt_price(get, k.ask),
        opt_volume(get, k.bid_size),
        opt_volume(get, k.ask_size),
        opt_volume(get, k.total_bid_size),
        opt_volume(get, k.total_ask_size),
        opt_time(get, k.book_time),
        opt_price(get, k.accrued_interest),
        opt_price(get, k.yield_),
        opt_volume(get, k.lot_size),
        opt_price(get, k.lot_value),
        opt_volume(get, k.face_value),
        opt_str(get, k.type),
        opt_str(get, k.currency),
    )
