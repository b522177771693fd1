"""Domain models -> ALOR JSON objects in Simple, Slim and Heavy (the inverse of ``alor/wire.py``).

Field names and their order follow alor-api.md 2.10 and the OpenAPI v2 schemas
(``response_Symbol_*``, ``response_OrderBook_*``, ``response_AllTrades_*``,
``response_HistoryObject_*``, ``response_Security_*``, ``ws_response_sub_Instruments*``).
Each message kind is one table of ``(simple, slim, heavy, getter)`` rows; ``None`` in a column
means the field does not exist in that format (e.g. Slim quotes have no prev close, 2.10).
Times go back to the form ALOR uses for that field (6.4): seconds, milliseconds or ISO-8601
with seven fractional digits.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from datetime import UTC, datetime
from typing import Any

import orjson

from alortui.models import (
    Candle,
    CandlePage,
    Format,
    InstrumentChange,
    MarketStatus,
    OrderBook,
    PriceLevel,
    Quote,
    Security,
    Trade,
)

Row = tuple[str | None, str | None, str | None, Callable[[Any], object]]
_COLUMN = {Format.SIMPLE: 0, Format.SLIM: 1, Format.HEAVY: 2}
FAR_FUTURE = "2099-12-31T00:00:00.0000000"
"""``cancellation`` ALOR gives instruments that never expire (sample ``http.securities.one``)."""


def seconds(ts: float | None) -> int | None:
    """Unix seconds as ALOR's integer seconds fields."""
    return None if ts is None else math.floor(ts)


def millis(ts: float | None) -> int | None:
    """Unix seconds as ALOR's integer millisecond fields."""
    return None if ts is None else round(ts * 1000)


def iso7(ts: float, *, zulu: bool = True) -> str:
    """ISO-8601 with seven fractional digits, e.g. ``2023-12-19T07:00:08.9878590Z`` (6.4)."""
    # A float holds Unix time to ~0.2 us, so the 7th digit (100 ns) is always 0 here.
    whole, micros = divmod(round(ts * 1_000_000), 1_000_000)
    text = datetime.fromtimestamp(whole, UTC).strftime("%Y-%m-%dT%H:%M:%S")
    return f"{text}.{micros:06d}0{'Z' if zulu else ''}"


def num(value: float | None) -> float | int | None:
    """A JSON number: integral floats as ints (the spec types volumes as int64), NaN as null."""
    if value is None or (isinstance(value, float) and not math.isfinite(value)):
        return None
    if isinstance(value, float) and value.is_integer() and abs(value) < 2**53:
        return int(value)
    return value


def project(table: Sequence[Row], fmt: Format, obj: object) -> dict[str, object]:
    """Build the JSON object of ``obj`` in ``fmt`` from a field table."""
    column = _COLUMN[fmt]
    return {row[column]: row[3](obj) for row in table if row[column] is not None}  # type: ignore[misc]


_QUOTE: tuple[Row, ...] = (
    ("symbol", "sym", "symbol", lambda q: q.key.symbol),
    ("exchange", "ex", "exchange", lambda q: q.key.exchange),
    ("description", "desc", "description", lambda q: q.description),
    (None, None, "currency", lambda q: q.currency),
    ("prev_close_price", None, "prevClosePrice", lambda q: num(q.prev_close)),
    ("last_price", "c", "lastPrice", lambda q: num(q.last)),
    ("last_price_timestamp", "tst", "lastPriceTimestamp", lambda q: seconds(q.last_time)),
    ("high_price", "h", "highPrice", lambda q: num(q.high)),
    ("low_price", "l", "lowPrice", lambda q: num(q.low)),
    ("accruedInt", "acci", "accruedInterest", lambda q: num(q.accrued_interest or 0)),
    ("volume", "v", "volume", lambda q: num(q.volume)),
    ("open_interest", "oi", "openInterest", lambda q: num(q.open_interest)),
    ("ask", "ask", "ask", lambda q: num(q.ask)),
    ("bid", "bid", "bid", lambda q: num(q.bid)),
    ("ask_vol", "av", "askVol", lambda q: num(q.ask_size or 0)),
    ("bid_vol", "bv", "bidVol", lambda q: num(q.bid_size or 0)),
    ("ob_ms_timestamp", "tso", "obMsTimestamp", lambda q: millis(q.book_time)),
    ("open_price", "o", "openPrice", lambda q: num(q.open)),
    ("yield", "y", "yield", lambda q: num(q.yield_)),
    ("lotsize", "lot", "lotSize", lambda q: num(q.lot_size)),
    ("lotvalue", "lotv", "lotValue", lambda q: num(q.lot_value)),
    ("facevalue", "fv", "faceValue", lambda q: num(q.face_value)),
    ("type", "t", "type", lambda q: q.type),
    ("total_bid_vol", "tbv", "totalBidVol", lambda q: num(q.total_bid_size or 0)),
    ("total_ask_vol", "tav", "totalAskVol", lambda q: num(q.total_ask_size or 0)),
    ("accrued_interest", None, None, lambda q: num(q.accrued_interest or 0)),
    ("change", None, "change", lambda q: num(q.change)),
    ("change_percent", None, "changePercent", lambda q: num(q.change_percent)),
)

_TRADE: tuple[Row, ...] = (
    ("id", "id", "id", lambda t: t.id),
    # The anonymous tape carries order number 0 (spec examples; alor-api.md 2.6).
    ("orderno", None, None, lambda t: t.order_no if t.order_no is not None else 0),
    ("symbol", "sym", "symbol", lambda t: t.symbol),
    ("board", "bd", "board", lambda t: t.board),
    ("qty", "q", "qty", lambda t: num(t.qty)),
    ("price", "px", "price", lambda t: num(t.price)),
    ("time", None, "time", lambda t: iso7(t.time)),
    ("timestamp", "t", "timestamp", lambda t: millis(t.time)),
    ("side", "s", "side", lambda t: None if t.side is None else str(t.side)),
    ("oi", "oi", "oi", lambda t: num(t.open_interest or 0)),
    ("existing", "h", "existing", lambda t: t.existing),
)

_CANDLE: tuple[Row, ...] = (
    ("time", "t", "time", lambda c: seconds(c.time)),
    ("close", "c", "close", lambda c: num(c.close)),
    ("open", "o", "open", lambda c: num(c.open)),
    ("high", "h", "high", lambda c: num(c.high)),
    ("low", "l", "low", lambda c: num(c.low)),
    ("volume", "v", "volume", lambda c: num(c.volume)),
)

_CHANGE: tuple[Row, ...] = (
    ("symbol", "sym", "symbol", lambda c: c.symbol),
    ("exchange", "ex", "exchange", lambda c: c.exchange),
    ("board", "bd", "board", lambda c: c.board),
    ("tradingStatus", "st", "tradingStatus", lambda c: c.trading_status),
    ("tradingStatusInfo", "sti", "tradingStatusInfo", lambda c: c.trading_status_info),
    ("priceMin", "pxmn", "priceMin", lambda c: num(c.price_min)),
    ("priceMax", "pxmx", "priceMax", lambda c: num(c.price_max)),
    ("marginBuy", "mgb", "marginBuy", lambda c: num(c.margin_buy)),
    ("marginSell", "mgs", "marginSell", lambda c: num(c.margin_sell)),
    ("theorPrice", "pxt", "theorPrice", lambda c: num(c.theor_price)),
    ("volatility", "vl", "volatility", lambda c: num(c.volatility)),
)


def _margin(value: float | None) -> float | int:
    return num(value) or 0


def _initial_margin(factor: float, side: str) -> Callable[[Security], object]:
    """Heavy ``initialMargin*`` of a derivative: the exchange margin scaled per risk class."""

    def get(s: Security) -> object:
        base = s.margin_buy if side == "long" else s.margin_sell
        return None if base is None else round(base * factor, 2)

    return get


_SECURITY: tuple[Row, ...] = (
    ("symbol", "sym", "symbol", lambda s: s.key.symbol),
    ("shortname", "n", "shortName", lambda s: s.short_name),
    ("description", "desc", "description", lambda s: s.description),
    ("exchange", "ex", "exchange", lambda s: s.key.exchange),
    ("market", None, "market", lambda s: s.market),
    ("type", "t", "type", lambda s: s.type),
    ("lotsize", "lot", "lotSize", lambda s: num(s.lot_size)),
    ("facevalue", "fv", "faceValue", lambda s: num(s.face_value) or 0),
    ("cfiCode", "cfi", "cfiCode", lambda s: s.cfi_code),
    ("cancellation", "cncl", "cancellation",
     lambda s: FAR_FUTURE if s.cancellation is None else iso7(s.cancellation, zulu=False)),
    ("minstep", "stp", "minStep", lambda s: num(s.min_step)),
    (None, None, "roundTo", lambda s: s.price_decimals),
    # Not modelled (no client reads them); constant values of the shape ALOR sends.
    ("rating", "rt", "rating", lambda s: 0),
    ("marginbuy", "mgb", "marginBuy", lambda s: _margin(s.margin_buy)),
    ("marginsell", "mgs", "marginSell", lambda s: _margin(s.margin_sell)),
    ("marginrate", "mgrt", "marginRate", lambda s: 0),
    ("pricestep", "stppx", "priceStep",
     lambda s: num(s.price_step if s.price_step is not None else s.min_step * s.lot_size)),
    ("priceMax", "pxmx", "priceMax", lambda s: num(s.price_max)),
    ("priceMin", "pxmn", "priceMin", lambda s: num(s.price_min)),
    ("theorPrice", "pxt", "theorPrice", lambda s: num(s.theor_price) or 0),
    ("theorPriceLimit", "pxtl", "theorPriceLimit", lambda s: 0),
    ("volatility", "vl", "volatility", lambda s: num(s.volatility) or 0),
    ("currency", "cur", "currency", lambda s: s.currency),
    (None, None, "nominalCurrency", lambda s: s.currency),
    (None, None, "settlementCurrency", lambda s: s.currency),
    (None, None, "underlyingCurrency", lambda s: None),
    ("ISIN", "isin", "ISIN", lambda s: s.isin),
    ("yield", "yld", "yield", lambda s: num(s.yield_)),
    ("board", "bd", "board", lambda s: s.key.board),
    ("primary_board", "pbd", "primaryBoard", lambda s: s.primary_board or s.key.board),
    ("tradingStatus", "st", "tradingStatus",
     lambda s: 17 if s.trading_status is None else s.trading_status),
    ("tradingStatusInfo", "sti", "tradingStatusInfo", lambda s: s.trading_status_info),
    ("complexProductCategory", "cpct", "complexProductCategory",
     lambda s: s.complex_product_category or ""),
    ("priceMultiplier", "pxmu", "priceMultiplier", lambda s: 1),
    ("priceShownUnits", "pxu", "priceShownUnits", lambda s: 1),
)

RISK_FACTORS = (("Low", 2.435), ("Standard", 1.825), ("High", 1.002), ("Special", 1.002))
"""Initial margin per client risk class relative to the exchange margin (ratios of the spec's
``Security_Heavy`` example); used by Heavy securities and GraphQL ``initialMargin``."""
_DERIVATIVE_MARGINS: tuple[Row, ...] = tuple(
    (None, None, f"initialMargin{risk}Risk{side.title()}", _initial_margin(factor, side))
    for risk, factor in RISK_FACTORS for side in ("long", "short")
)


def encode_security(security: Security, fmt: Format) -> dict[str, object]:
    """A security object (search results, one instrument; 2.3). Heavy adds ``roundTo``."""
    out = project(_SECURITY, fmt, security)
    if fmt is Format.HEAVY and security.market == "FORTS":
        out.update(project(_DERIVATIVE_MARGINS, fmt, security))
    return out


def encode_quote(quote: Quote, fmt: Format) -> dict[str, object]:
    """A quote object (HTTP quotes element, WS ``QuotesSubscribe`` data)."""
    return project(_QUOTE, fmt, quote)


def encode_trade(trade: Trade, fmt: Format) -> dict[str, object]:
    """An anonymous-tape trade (HTTP ``alltrades`` element, WS ``AllTradesGetAndSubscribe``)."""
    return project(_TRADE, fmt, trade)


def encode_candle(candle: Candle, fmt: Format) -> dict[str, object]:
    """One candle (HTTP history element, WS ``BarsGetAndSubscribe`` data)."""
    return project(_CANDLE, fmt, candle)


def encode_candle_page(page: CandlePage, fmt: Format) -> dict[str, object]:
    """The ``/md/v2/history`` body: ``history`` (Slim ``h``), ``next``, ``prev`` (2.7)."""
    return {
        "h" if fmt is Format.SLIM else "history": [encode_candle(c, fmt) for c in page.candles],
        "next": seconds(page.next),
        "prev": seconds(page.prev),
    }


def encode_order_book(
    book: OrderBook, fmt: Format, *, level_yield: Callable[[float], float | None] | None = None
) -> dict[str, object]:
    """A full order book. Slim levels of bonds carry ``y`` (2.10): the level's own ``yield_``,
    else ``level_yield(price)`` when given."""
    if fmt is Format.SLIM:
        def level(lv: PriceLevel) -> dict[str, object]:
            out: dict[str, object] = {"p": num(lv.price), "v": num(lv.volume)}
            if lv.yield_ is not None:
                out["y"] = num(lv.yield_)
            elif level_yield is not None:
                out["y"] = num(level_yield(lv.price))
            return out

        return {
            "b": [level(lv) for lv in book.bids],
            "a": [level(lv) for lv in book.asks],
            "t": millis(book.time),
            "h": book.existing,
        }
    sides = {
        "bids": [{"price": num(lv.price), "volume": num(lv.volume)} for lv in book.bids],
        "asks": [{"price": num(lv.price), "volume": num(lv.volume)} for lv in book.asks],
    }
    if fmt is Format.HEAVY:
        return {**sides, "msTimestamp": millis(book.time), "existing": book.existing}
    # ``snapshot`` and ``timestamp`` are the deprecated Simple-only twins (2.5).
    return {
        "snapshot": book.existing,
        **sides,
        "timestamp": seconds(book.time),
        "ms_timestamp": millis(book.time),
        "existing": book.existing,
    }


def encode_instrument_change(change: InstrumentChange, fmt: Format) -> dict[str, object]:
    """``InstrumentsGetAndSubscribeV2`` data: only the fields the change carries (3.5)."""
    return {k: v for k, v in project(_CHANGE, fmt, change).items() if v is not None}


def encode_market_status(status: MarketStatus) -> dict[str, object]:
    """``/md/status/{exchange}/{market}`` body; identical in every format (spec examples)."""
    return {"code": status.market, "status": status.status}


def confirmation(guid: str | None, http_code: int = 200,
                 message: str = "Handled successfully") -> bytes:
    """A WS confirmation/error envelope, compact, ``requestGuid`` first (3.1, 3.4)."""
    return orjson.dumps({"requestGuid": guid, "httpCode": http_code, "message": message})


def data_frame(data: object, guid: str) -> bytes:
    """A WS data message ``{"data":{...},"guid":"..."}`` (3.4)."""
    return orjson.dumps({"data": data, "guid": guid})
