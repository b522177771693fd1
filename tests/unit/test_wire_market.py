"""Streaming market data off the wire: quotes, books, trades, candles (alor-api.md 2.4-2.7)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import fields, replace
from typing import Any, NamedTuple

import pytest

from alortui.alor import wire_book, wire_quote, wire_trades
from alortui.alor.wire import (
    MalformedMessage,
    decode_candle,
    decode_candle_page,
    decode_order_book,
    decode_quote,
    decode_trade,
)
from alortui.alor.wire_fields import MAX_PRICE
from alortui.models import Candle, Format, InstrumentKey, PriceLevel, Side
from tests.fixtures.samples import load_sample, ws_data

SIMPLE, SLIM, HEAVY = Format.SIMPLE, Format.SLIM, Format.HEAVY
SBER = InstrumentKey("MOEX", "SBER")
SBER_DESCRIPTION = "Сбербанк России ПАО ао"


# --- quotes -----------------------------------------------------------------------------------

def test_simple_quote_fields() -> None:
    quote = decode_quote(ws_data("ws.quotes.simple"), SIMPLE)
    assert quote.key == SBER
    assert (quote.bid, quote.ask, quote.bid_size, quote.ask_size) == (314.5, 314.51, 305, 276)
    assert (quote.last, quote.prev_close, quote.change, quote.change_percent) == (
        314.51, 313.49, 1.02, 0.33)
    assert (quote.open, quote.high, quote.low) == (314.1, 315.7, 314.04)
    assert quote.last_time == 1747139781.0
    assert quote.book_time == 1747139781.412
    assert quote.time == 1747139781.412
    assert (quote.volume, quote.total_bid_size, quote.total_ask_size) == (15237560, 361175, 614990)
    assert quote.open_interest is None and quote.yield_ is None
    assert (quote.lot_size, quote.lot_value, quote.face_value) == (10, 3145.1, 3)
    assert (quote.type, quote.description) == ("CS", SBER_DESCRIPTION)
    assert quote.currency is None  # only Heavy has it
    assert isinstance(quote.volume, float) and isinstance(quote.bid_size, float)


def test_slim_quote_reads_h_as_high_and_t_as_type_and_lacks_prev_close() -> None:
    simple = decode_quote(ws_data("ws.quotes.simple"), SIMPLE)
    slim = decode_quote(ws_data("ws.quotes.slim"), SLIM)
    assert (slim.high, slim.type) == (315.7, "CS")
    assert slim.prev_close is None and slim.change is None and slim.change_percent is None
    assert slim == replace(simple, prev_close=None, change=None, change_percent=None)


def test_heavy_quote_equals_simple_plus_currency() -> None:
    simple = decode_quote(ws_data("ws.quotes.simple"), SIMPLE)
    assert decode_quote(ws_data("ws.quotes.heavy"), HEAVY) == replace(simple, currency="RUB")


def test_http_quotes_are_the_ws_quote_objects() -> None:
    sber, gazp = (decode_quote(obj, SIMPLE) for obj in load_sample("http.quotes"))
    assert sber == decode_quote(ws_data("ws.quotes.simple"), SIMPLE)
    assert gazp.key == InstrumentKey("MOEX", "GAZP")
    assert (gazp.bid, gazp.ask, gazp.change) == (133.05, 133.06, 0.45)
    assert decode_quote(load_sample("http.quotes.slim")[0], SLIM) == decode_quote(
        ws_data("ws.quotes.slim"), SLIM)
    assert decode_quote(load_sample("http.quotes.heavy")[0], HEAVY) == decode_quote(
        ws_data("ws.quotes.heavy"), HEAVY)


@pytest.mark.parametrize("value", [None, float("nan"), float("inf"), float("-inf"), 10**400,
                                   "NaN", "Infinity", "-Infinity"])
def test_absent_or_non_finite_quote_prices_are_none(value: object) -> None:
    data = ws_data("ws.quotes.simple")
    data["bid"] = value
    data["change"] = value
    quote = decode_quote(data, SIMPLE)
    assert quote.bid is None and quote.change is None
    assert quote.ask == 314.51


@pytest.mark.parametrize(("key", "value"), [
    ("bid", 1e300), ("bid", -1e16), ("change", 10**20), ("volume", 1e300), ("volume", 2**63),
    ("bid_vol", 1e19),
])
def test_absurd_finite_quote_numbers_are_malformed(key: str, value: object) -> None:
    data = ws_data("ws.quotes.simple")
    data[key] = value
    with pytest.raises(MalformedMessage, match=f"^{key}: expected a finite number"):
        decode_quote(data, SIMPLE)


def test_numbers_at_the_bounds_are_data() -> None:
    data = {**ws_data("ws.quotes.simple"), "bid": MAX_PRICE, "volume": float(2**63 - 1024)}
    quote = decode_quote(data, SIMPLE)
    assert (quote.bid, quote.volume) == (MAX_PRICE, float(2**63 - 1024))


def test_missing_optional_quote_fields_are_none() -> None:
    quote = decode_quote({"sym": "SBER", "ex": "MOEX"}, SLIM)
    assert quote == decode_quote({"symbol": "SBER", "exchange": "MOEX"}, SIMPLE)
    assert quote.last is None and quote.time is None


@pytest.mark.parametrize(("key", "value"), [
    ("symbol", None), ("symbol", 5), ("exchange", None),
    ("bid", "abc"), ("bid", True), ("bid", []), ("last_price", {}),
    ("volume", -1), ("bid_vol", -0.5), ("total_ask_vol", float("nan")), ("volume", "1"),
    ("ob_ms_timestamp", "soon"), ("last_price_timestamp", -5), ("type", 7), ("description", []),
])
def test_malformed_quote_fields(key: str, value: object) -> None:
    data = ws_data("ws.quotes.simple")
    data[key] = value
    with pytest.raises(MalformedMessage, match=f"^{key}: "):
        decode_quote(data, SIMPLE)


@pytest.mark.parametrize("obj", [None, [], "quote", 5, [ws_data("ws.quotes.simple")]])
def test_a_quote_must_be_an_object(obj: object) -> None:
    with pytest.raises(MalformedMessage):
        decode_quote(obj, SIMPLE)


def test_a_simple_quote_is_not_a_slim_one() -> None:
    # Parsed by format, not by guessing from keys: a Simple body read as Slim has no `ex`/`sym`.
    with pytest.raises(MalformedMessage, match="ex: expected a string, got null"):
        decode_quote(ws_data("ws.quotes.simple"), SLIM)


# --- order books ------------------------------------------------------------------------------

SBER_BIDS = ((314.5, 305), (314.49, 1210), (314.48, 840), (314.47, 95), (314.46, 2200))
SBER_ASKS = ((314.51, 276), (314.52, 930), (314.53, 415), (314.54, 1780), (314.55, 66))


def pairs(levels: tuple[PriceLevel, ...]) -> tuple[tuple[float, float], ...]:
    return tuple((level.price, level.volume) for level in levels)


def test_simple_order_book() -> None:
    book = decode_order_book(ws_data("ws.orderbook.simple"), SIMPLE, SBER)
    assert pairs(book.bids) == SBER_BIDS and pairs(book.asks) == SBER_ASKS
    assert book.best_bid == PriceLevel(314.5, 305) and book.best_ask == PriceLevel(314.51, 276)
    assert book.time == 1747139781.412  # ms_timestamp, not the deprecated seconds
    assert book.existing is True and book.key == SBER
    assert decode_order_book(ws_data("ws.orderbook.simple.update"), SIMPLE).existing is False


def test_book_formats_agree() -> None:
    simple = decode_order_book(ws_data("ws.orderbook.simple.update"), SIMPLE)
    assert decode_order_book(ws_data("ws.orderbook.slim"), SLIM) == simple  # h=false is existing
    assert decode_order_book(ws_data("ws.orderbook.heavy"), HEAVY) == simple
    http = [decode_order_book(load_sample(name), fmt) for name, fmt in [
        ("http.orderbook", SIMPLE), ("http.orderbook.slim", SLIM), ("http.orderbook.heavy", HEAVY)]]
    assert http[0] == http[1] == http[2] == replace(simple, existing=True)


def test_slim_bond_book_keeps_percent_prices_and_level_yields() -> None:
    book = decode_order_book(ws_data("ws.orderbook.slim.bond"), SLIM)
    assert book.bids == (PriceLevel(70.589, 146, 16.21),)
    assert book.asks == (PriceLevel(70.772, 10, 16.14),)
    assert book.time == 1747139781.002


def test_empty_sides_and_crossed_books_pass() -> None:
    empty = decode_order_book({"b": [], "a": [], "t": 1747139781412, "h": False}, SLIM)
    assert empty.best_bid is None and empty.best_ask is None
    crossed = decode_order_book({"b": [{"p": 314.52, "v": 1}], "a": [{"p": 314.51, "v": 2}]}, SLIM)
    assert crossed.best_bid and crossed.best_ask
    assert crossed.best_bid.price >= crossed.best_ask.price  # visible to the consumer
    assert crossed.time is None and crossed.existing is False


def book_with(side: str, levels: list[Any]) -> dict[str, Any]:
    data: dict[str, Any] = ws_data("ws.orderbook.slim")
    data[side] = levels
    return data


@pytest.mark.parametrize(("side", "levels", "message"), [
    ("b", [{"p": 314.46, "v": 1}, {"p": 314.5, "v": 1}], "b: .*not strictly descending"),
    ("b", [{"p": 314.5, "v": 1}, {"p": 314.5, "v": 2}], "b: .*not strictly descending"),
    ("a", [{"p": 314.52, "v": 1}, {"p": 314.51, "v": 1}], "a: .*not strictly ascending"),
    ("a", [{"p": 314.51, "v": 1}, {"p": 314.51, "v": 1}], "a: .*not strictly ascending"),
    ("b", [{"p": float("nan"), "v": 1}], "p: expected a finite number"),
    ("b", [{"p": float("inf"), "v": 1}], "p: expected a finite number"),
    ("a", [{"p": 10**400, "v": 1}], "p: expected a finite number"),
    ("a", [{"p": None, "v": 1}], "p: expected a finite number, got null"),
    ("a", [{"v": 1}], "p: expected a finite number"),
    ("a", [{"p": "314.51", "v": 1}], "p: expected a finite number"),
    ("b", [{"p": 314.5, "v": -1}], "v: expected a finite number >= 0"),
    ("b", [{"p": 314.5, "v": True}], "v: expected a finite number >= 0"),
    ("b", [{"p": 314.5, "v": 1, "y": "high"}], "y: expected a number"),
    ("b", [[314.5, 1]], "b: expected a JSON object"),
    ("a", {"p": 314.51, "v": 1}, "a: expected an array"),
    ("a", None, "a: expected an array"),
])
def test_malformed_books(side: str, levels: Any, message: str) -> None:
    with pytest.raises(MalformedMessage, match=message):
        decode_order_book(book_with(side, levels), SLIM)


@pytest.mark.parametrize(("key", "value"), [("h", 1), ("h", "true"), ("t", "now"), ("t", True)])
def test_malformed_book_flags_and_times(key: str, value: object) -> None:
    with pytest.raises(MalformedMessage, match=f"^{key}: "):
        decode_order_book(book_with(key, value), SLIM)  # type: ignore[arg-type]


# --- trades -----------------------------------------------------------------------------------

def test_simple_trade() -> None:
    trade = decode_trade(ws_data("ws.alltrades.simple"), SIMPLE)
    assert trade.id == 12503844211 and isinstance(trade.id, int)
    assert (trade.price, trade.qty, trade.side) == (314.51, 12, Side.BUY)
    assert trade.time == 1747139781.337
    assert (trade.symbol, trade.board, trade.open_interest) == ("SBER", "TQBR", 0)
    assert trade.existing is False
    assert trade.order_no is None  # the anonymous tape's `orderno: 0` means "not disclosed"


def test_trade_formats_agree() -> None:
    simple = decode_trade(ws_data("ws.alltrades.simple"), SIMPLE)
    assert decode_trade(ws_data("ws.alltrades.slim"), SLIM) == simple
    assert decode_trade(ws_data("ws.alltrades.heavy"), HEAVY) == simple
    assert decode_trade(load_sample("http.alltrades.slim")[0], SLIM) == simple
    first, second = (decode_trade(obj, SIMPLE) for obj in load_sample("http.alltrades"))
    assert second == simple and first.side is Side.SELL and first.time == 1747139779.881


def test_history_trade_is_existing() -> None:
    trade = decode_trade(ws_data("ws.alltrades.simple.history"), SIMPLE)
    assert (trade.id, trade.side, trade.existing) == (12503843990, Side.SELL, True)
    body = load_sample("http.alltrades.history")
    first, second = (decode_trade(obj, SIMPLE) for obj in body["list"])
    assert (first.id, second.id, second.time) == (12501000001, 12501000002, 1747033201.54)


def test_iso_time_alone_gives_the_same_instant_as_the_milliseconds() -> None:
    data = ws_data("ws.alltrades.simple")
    del data["timestamp"]
    assert data["time"] == "2025-05-13T12:36:21.3370000Z"
    assert decode_trade(data, SIMPLE).time == 1747139781337 / 1000 == 1747139781.337


def test_order_numbers_stay_exact_text() -> None:
    big = 2006665023417483347  # > 2**53: a float would lose the last digits
    for value in (big, str(big)):
        data = ws_data("ws.alltrades.simple")
        data["orderno"] = value
        assert decode_trade(data, SIMPLE).order_no == "2006665023417483347"
    slim = ws_data("ws.alltrades.slim")
    slim["eid"] = "18995978560"
    assert decode_trade(slim, SLIM).order_no == "18995978560"


def test_trade_id_may_come_as_digits_and_side_may_be_missing() -> None:
    data = ws_data("ws.alltrades.slim")
    data["id"] = "12503844211"
    data["s"] = None
    trade = decode_trade(data, SLIM)
    assert trade.id == 12503844211 and trade.side is None


@pytest.mark.parametrize(("key", "value"), [
    ("id", None), ("id", 1.5), ("id", -1), ("id", True), ("id", "12a"), ("id", 2**64),
    ("px", None), ("px", float("nan")), ("px", float("inf")), ("px", 10**400), ("px", "NaN"),
    ("q", -12), ("q", None), ("q", "12"),
    ("s", "hold"), ("s", 1), ("h", 0), ("h", "false"), ("t", None), ("t", "yesterday"),
    ("eid", 1.5), ("sym", 1), ("oi", -1),
])
def test_malformed_trades(key: str, value: object) -> None:
    data = ws_data("ws.alltrades.slim")
    data[key] = value
    with pytest.raises(MalformedMessage, match=f"^{key}: "):
        decode_trade(data, SLIM)


def test_a_trade_needs_a_time() -> None:
    data = ws_data("ws.alltrades.simple")
    del data["timestamp"], data["time"]
    with pytest.raises(MalformedMessage, match="time: expected a time"):
        decode_trade(data, SIMPLE)


# --- candles ----------------------------------------------------------------------------------

BAR = Candle(1747139760.0, 314.45, 314.55, 314.44, 314.51, 5120)


def test_bars_in_both_formats() -> None:
    assert decode_candle(ws_data("ws.bars.simple"), SIMPLE) == BAR
    assert decode_candle(ws_data("ws.bars.slim"), SLIM) == BAR  # h = high, t = seconds here
    assert decode_candle(ws_data("ws.bars.simple"), HEAVY) == BAR  # Heavy uses Simple's names


def test_history_pages() -> None:
    page = decode_candle_page(load_sample("http.history"), SIMPLE)
    assert [c.time for c in page.candles] == [1747139580.0, 1747139640.0, 1747139700.0]
    assert page.candles[0] == Candle(1747139580.0, 314.35, 314.42, 314.3, 314.4, 3210)
    assert (page.next, page.prev) == (None, 1747139520.0)
    slim = decode_candle_page(load_sample("http.history.slim"), SLIM)
    assert slim.candles == page.candles[2:] and slim.prev == 1747139640.0
    daily = decode_candle_page(load_sample("http.history.daily"), HEAVY)
    assert daily.candles[0].time == 1747008000.0  # 2025-05-12 00:00 UTC
    assert daily.candles[1].volume == 1523756 and daily.prev == 1746748800.0


def test_slim_history_also_accepts_the_openapi_wrapper_name() -> None:
    body = load_sample("http.history.slim")
    body["history"] = body.pop("h")
    assert decode_candle_page(body, SLIM) == decode_candle_page(load_sample("http.history.slim"),
                                                                SLIM)


@pytest.mark.parametrize(("key", "value"), [
    ("c", None), ("o", float("nan")), ("h", "315"), ("l", True), ("v", -1), ("t", None),
    ("t", 1.5e15),
])
def test_malformed_candles(key: str, value: object) -> None:
    data = ws_data("ws.bars.slim")
    data[key] = value
    with pytest.raises(MalformedMessage, match=f"^{key}: "):
        decode_candle(data, SLIM)


@pytest.mark.parametrize("body", [
    {"history": None, "next": None, "prev": None},
    {"h": [], "next": None, "prev": None},  # a Slim wrapper read as Simple
    {"history": [{"t": 1747139700}]},
    {"history": [], "next": "later"},
    [],
])
def test_malformed_history_pages(body: object) -> None:
    with pytest.raises(MalformedMessage):
        decode_candle_page(body, SIMPLE)


# --- every wire key lands in the model field of its name ----------------------------------------

def bumped(value: object) -> object:
    """A different valid value of the same kind."""
    if value is None:
        return 7
    if isinstance(value, bool):
        return not value
    if isinstance(value, str):
        return {"buy": "sell", "sell": "buy"}.get(value, value + "x")
    assert isinstance(value, int | float)
    return value + 1000  # a second even for millisecond times


@pytest.mark.parametrize(("sample", "fmt", "decode", "table"), [
    (f"ws.{stream}.{fmt.value.lower()}", fmt, decode, table[fmt])
    for stream, decode, table, formats in [
        ("quotes", decode_quote, wire_quote._QUOTE, Format),
        ("alltrades", decode_trade, wire_trades._TRADE, Format),
        ("orderbook", decode_order_book, wire_book._BOOK, Format),
        ("bars", decode_candle, wire_trades._CANDLE, (SIMPLE, SLIM)),
    ]
    for fmt in formats
])
def test_each_wire_key_lands_in_the_field_of_its_name(
        sample: str, fmt: Format, decode: Callable[[Any, Format], Any], table: NamedTuple) -> None:
    # The decoders build models positionally (for speed): a field out of order shows up here.
    base = decode(ws_data(sample), fmt)
    names = {field.name for field in fields(base)}
    tested = []
    for name, wire_key in zip(table._fields, table, strict=True):
        data = ws_data(sample)
        if wire_key is None or name not in names or isinstance(data.get(wire_key), list):
            continue  # not in this format, not a model field (symbol, ISO time), or book sides
        data[wire_key] = bumped(data.get(wire_key))
        result = decode(data, fmt)
        changed = {n for n in names if getattr(result, n) != getattr(base, n)}
        assert changed == {name}, wire_key
        tested.append(name)
    assert len(tested) >= 2
