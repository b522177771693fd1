"""Property: any JSON value, of any shape, given to any decoder gives a model or MalformedMessage.

Two generators: arbitrary JSON (with ALOR's own keys mixed in so objects hit real fields), and the
real samples with one to three values replaced, added or deleted anywhere in them — the kind of
damage a server change would do. A decoded model must also be sane: finite numbers, sorted books.
"""

from __future__ import annotations

import dataclasses
import math
from collections.abc import Callable, Iterator
from functools import partial
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from alortui.alor import wire
from alortui.models import (
    Candle,
    CandlePage,
    Format,
    InstrumentChange,
    InstrumentInfo,
    MarketStatus,
    OrderBook,
    Quote,
    Security,
    Trade,
)
from tests.fixtures.portfolio_seeds import PORTFOLIO_CASES
from tests.fixtures.samples import load_sample, sample_names

SIMPLE, SLIM, HEAVY = Format.SIMPLE, Format.SLIM, Format.HEAVY


def ws(name: str) -> Any:
    return load_sample(name)["data"]


def graphql_node() -> Any:
    return load_sample("graphql.instrument")["data"]["instrument"]


# (id, decoder of one argument, model, a valid seed for mutation)
CASES: list[tuple[str, Callable[[Any], object], type, Callable[[], Any]]] = [
    ("quote-simple", partial(wire.decode_quote, fmt=SIMPLE), Quote, lambda: ws("ws.quotes.simple")),
    ("quote-slim", partial(wire.decode_quote, fmt=SLIM), Quote, lambda: ws("ws.quotes.slim")),
    ("quote-heavy", partial(wire.decode_quote, fmt=HEAVY), Quote, lambda: ws("ws.quotes.heavy")),
    ("book-simple", partial(wire.decode_order_book, fmt=SIMPLE), OrderBook,
     lambda: ws("ws.orderbook.simple")),
    ("book-slim", partial(wire.decode_order_book, fmt=SLIM), OrderBook,
     lambda: ws("ws.orderbook.slim.bond")),
    ("book-heavy", partial(wire.decode_order_book, fmt=HEAVY), OrderBook,
     lambda: ws("ws.orderbook.heavy")),
    ("trade-simple", partial(wire.decode_trade, fmt=SIMPLE), Trade,
     lambda: ws("ws.alltrades.simple")),
    ("trade-slim", partial(wire.decode_trade, fmt=SLIM), Trade, lambda: ws("ws.alltrades.slim")),
    ("trade-heavy", partial(wire.decode_trade, fmt=HEAVY), Trade,
     lambda: ws("ws.alltrades.heavy")),
    ("candle-simple", partial(wire.decode_candle, fmt=SIMPLE), Candle,
     lambda: ws("ws.bars.simple")),
    ("candle-slim", partial(wire.decode_candle, fmt=SLIM), Candle, lambda: ws("ws.bars.slim")),
    ("page-simple", partial(wire.decode_candle_page, fmt=SIMPLE), CandlePage,
     lambda: load_sample("http.history")),
    ("page-slim", partial(wire.decode_candle_page, fmt=SLIM), CandlePage,
     lambda: load_sample("http.history.slim")),
    ("security-simple", partial(wire.decode_security, fmt=SIMPLE), Security,
     lambda: load_sample("http.securities.one")),
    ("security-slim", partial(wire.decode_security, fmt=SLIM), Security,
     lambda: load_sample("http.securities.one.slim")),
    ("security-heavy", partial(wire.decode_security, fmt=HEAVY), Security,
     lambda: load_sample("http.securities.one.heavy")),
    ("change-simple", partial(wire.decode_instrument_change, fmt=SIMPLE), InstrumentChange,
     lambda: ws("ws.instruments.full.simple")),
    ("change-slim", partial(wire.decode_instrument_change, fmt=SLIM), InstrumentChange,
     lambda: ws("ws.instruments.full.slim")),
    ("status", wire.decode_market_status, MarketStatus, lambda: load_sample("http.status")),
    ("graphql", wire.decode_instrument_info, InstrumentInfo, graphql_node),
    *PORTFOLIO_CASES,
]
IDS = [case[0] for case in CASES]


def keys_in(value: Any) -> Iterator[str]:
    if isinstance(value, dict):
        for key, item in value.items():
            yield key
            yield from keys_in(item)
    elif isinstance(value, list):
        for item in value:
            yield from keys_in(item)


ALOR_KEYS = sorted({key for name in sample_names() for key in keys_in(load_sample(name))})
EDGE_VALUES: list[Any] = [
    "NaN", "Infinity", "-Infinity", "buy", "sell", "", "0", "2025-05-13T12:36:21.3370000Z",
    "2099-12-31T00:00:00.0000000", 1747139781, 1747139781412, 0, -1, 2**53 + 1, 2**63, 10**400,
    -10**400, -0.0, 1e308, -1e308, float("nan"), float("inf"), float("-inf"), True, False, None,
    [], {}, [1], {"p": 1},
]
EDGE_SCALARS = st.sampled_from(EDGE_VALUES[:-4])
DELETE = object()
SCALARS = (st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=10)
           | EDGE_SCALARS)
KEYS = st.sampled_from(ALOR_KEYS) | st.text(max_size=6)
JSON = st.recursive(
    SCALARS,
    lambda children: st.lists(children, max_size=4) | st.dictionaries(KEYS, children, max_size=6),
    max_leaves=16,
)
# A flat value to put into a sample: far cheaper to draw than JSON, and the sample gives the depth.
REPLACEMENT = (SCALARS | st.lists(SCALARS, max_size=3)
               | st.dictionaries(KEYS, SCALARS | st.lists(SCALARS, max_size=3), max_size=4))
FUZZ = settings(deadline=None, database=None)


def slots(value: Any) -> Iterator[tuple[Any, Any]]:
    """Every (container, key or index) in a JSON tree."""
    if isinstance(value, dict):
        for key, item in value.items():
            yield value, key
            yield from slots(item)
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield value, index
            yield from slots(item)


def mutate(data: st.DataObject, tree: Any) -> Any:
    for _ in range(data.draw(st.integers(1, 3))):
        places = list(slots(tree))
        if not places:
            return data.draw(REPLACEMENT)
        container, key = data.draw(st.sampled_from(places))
        action = data.draw(st.sampled_from(["replace", "delete", "add"]))
        if action == "replace":
            container[key] = data.draw(REPLACEMENT)
        elif action == "delete":
            del container[key]
        elif isinstance(container, dict):
            container[data.draw(st.sampled_from(ALOR_KEYS))] = data.draw(REPLACEMENT)
        else:
            container.insert(key, data.draw(REPLACEMENT))
    return tree


def check(decode: Callable[[Any], object], model: type, value: Any) -> None:
    try:
        result = decode(value)
    except wire.MalformedMessage:
        return
    assert isinstance(result, model)
    assert_sane(result)


def assert_sane(result: object) -> None:
    """Numbers in a model are finite; books are sorted; nested models are sane too."""
    for field in dataclasses.fields(result):  # type: ignore[arg-type]
        value = getattr(result, field.name)
        if field.name == "extra":
            continue  # raw GraphQL values, kept as sent
        items = value if isinstance(value, tuple) else (value,)
        for item in items:
            if dataclasses.is_dataclass(item):
                assert_sane(item)
            elif isinstance(item, float):
                assert math.isfinite(item), field.name
    if isinstance(result, OrderBook):
        bids = [level.price for level in result.bids]
        asks = [level.price for level in result.asks]
        assert bids == sorted(set(bids), reverse=True) and asks == sorted(set(asks))
        assert all(level.volume >= 0 for level in (*result.bids, *result.asks))


@settings(FUZZ, max_examples=300)
@given(value=JSON)
def test_arbitrary_json_through_every_decoder(value: Any) -> None:
    for _, decode, model, _ in CASES:
        check(decode, model, value)
    for decode_data in wire.DECODERS.values():
        for fmt in Format:
            check(partial(decode_data, fmt=fmt), object, value)
    try:
        result = wire.parse_time(value)
    except wire.MalformedMessage:
        return
    assert result is None or (isinstance(result, float) and math.isfinite(result))


@pytest.mark.parametrize(("name", "decode", "model", "seed"), CASES, ids=IDS)
def test_every_value_of_each_sample_replaced_by_every_edge_value(
        name: str, decode: Callable[[Any], object], model: type, seed: Callable[[], Any]) -> None:
    # Exhaustive where the random test is thin: each position x each awkward value (or deleted).
    for index in range(len(list(slots(seed())))):
        for value in [*EDGE_VALUES, DELETE]:
            tree = seed()
            container, key = list(slots(tree))[index]
            if value is DELETE:
                del container[key]
            else:
                container[key] = value
            check(decode, model, tree)


@pytest.mark.parametrize(("name", "decode", "model", "seed"), CASES, ids=IDS)
@settings(FUZZ, max_examples=80)
@given(data=st.data())
def test_damaged_samples(name: str, decode: Callable[[Any], object], model: type,
                         seed: Callable[[], Any], data: st.DataObject) -> None:
    check(decode, model, mutate(data, seed()))
