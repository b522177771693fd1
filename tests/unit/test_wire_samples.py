"""Every market-data sample of alor-samples.json decodes with the decoder and format it names.

The concrete values are asserted in the other ``test_wire_*`` modules; this one makes sure no
relevant sample is left out, and that the opcode tables of ``wire`` fit the WS samples.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

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
from alortui.portfolio_models import Order, OwnTrade, Position, Risk, Summary
from tests.fixtures.samples import load_sample, sample_names

# sample prefix -> (decoder taking (obj, fmt), model). Longest prefix wins.
DECODED_BY: dict[str, tuple[Callable[[Any, Format], object], type]] = {
    "ws.orderbook.": (wire.decode_order_book, OrderBook),
    "ws.quotes.": (wire.decode_quote, Quote),
    "ws.alltrades.": (wire.decode_trade, Trade),
    "ws.bars.": (wire.decode_candle, Candle),
    "ws.instruments.": (wire.decode_instrument_change, InstrumentChange),
    "http.quotes": (wire.decode_quote, Quote),
    "http.orderbook": (wire.decode_order_book, OrderBook),
    "http.alltrades": (wire.decode_trade, Trade),
    "http.history": (wire.decode_candle_page, CandlePage),
    "http.securities.one": (wire.decode_security, Security),
    "http.securities.search": (wire.decode_security, Security),
    "http.status": (lambda obj, fmt: wire.decode_market_status(obj), MarketStatus),
    "graphql.instrument": (lambda obj, fmt: wire.decode_instrument_info(obj), InstrumentInfo),
    "ws.summaries.": (wire.decode_summary, Summary),
    "ws.positions.": (wire.decode_position, Position),
    "ws.risks.": (wire.decode_risk, Risk),
    "ws.trades.": (wire.decode_own_trade, OwnTrade),
    "ws.orders.": (wire.decode_order, Order),
    "http.summary": (wire.decode_summary, Summary),
    "http.positions": (wire.decode_position, Position),
    "http.risk": (wire.decode_risk, Risk),
    "http.trades": (wire.decode_own_trade, OwnTrade),
    "http.orders": (wire.decode_order, Order),
}
NOT_DECODED = {
    "http.securities.availableBoards": "a bare array of board codes, nothing to decode",
    "graphql.instrument.request": "a request the client sends",
    "graphql.instruments.request": "a request the client sends",
}
RELEVANT = tuple(DECODED_BY)


def fmt_of(name: str) -> Format:
    parts = name.split(".")
    return Format.SLIM if "slim" in parts else Format.HEAVY if "heavy" in parts else Format.SIMPLE


def objects_of(name: str) -> list[Any]:
    """The decodable objects of a sample: WS ``data``, HTTP array items, the GraphQL node."""
    sample = load_sample(name)
    if name.startswith("ws."):
        return [sample["data"]]
    if name == "graphql.instrument":
        return [sample["data"]["instrument"]]
    if name == "graphql.instruments":  # a connection's nodes are instrument nodes too
        return [edge["node"] for edge in sample["data"]["instruments"]["edges"]]
    if name == "http.alltrades.history":
        assert sample["total"] == len(sample["list"])
        return sample["list"]
    return sample if isinstance(sample, list) else [sample]


def decoder_of(name: str) -> tuple[Callable[[Any, Format], object], type]:
    prefix = max((p for p in DECODED_BY if name.startswith(p)), key=len)
    return DECODED_BY[prefix]


RELEVANT_SAMPLES = [n for n in sample_names() if n.startswith(RELEVANT) and n not in NOT_DECODED]


def test_the_relevant_samples_are_all_here() -> None:
    assert len(RELEVANT_SAMPLES) == 37 + 12  # market data + portfolio
    assert {"ws.orderbook.slim.bond", "http.alltrades.history", "http.history.daily",
            "graphql.instrument", "http.status"} <= set(RELEVANT_SAMPLES)


@pytest.mark.parametrize("name", RELEVANT_SAMPLES)
def test_sample_decodes(name: str) -> None:
    decode, model = decoder_of(name)
    objects = objects_of(name)
    assert objects
    for obj in objects:
        assert isinstance(decode(obj, fmt_of(name)), model)


def test_decoders_cover_the_market_data_opcodes() -> None:
    opcodes = {"OrderBookGetAndSubscribe", "QuotesSubscribe", "AllTradesGetAndSubscribe",
               "BarsGetAndSubscribe", "InstrumentsGetAndSubscribeV2"}
    assert set(wire.DECODERS) == opcodes | set(wire.PORTFOLIO_OPCODES)
    assert set(wire.DEFAULT_FORMATS) == opcodes
    # Quotes must keep prev close and change (Slim drops them); the rest go Slim.
    assert wire.DEFAULT_FORMATS["QuotesSubscribe"] is Format.SIMPLE
    assert wire.DEFAULT_FORMATS["OrderBookGetAndSubscribe"] is Format.SLIM


@pytest.mark.parametrize(("opcode", "stream"), [
    ("OrderBookGetAndSubscribe", "ws.orderbook"),
    ("QuotesSubscribe", "ws.quotes"),
    ("AllTradesGetAndSubscribe", "ws.alltrades"),
    ("BarsGetAndSubscribe", "ws.bars"),
    ("InstrumentsGetAndSubscribeV2", "ws.instruments.full"),
])
def test_each_opcode_decodes_its_stream_in_the_default_format(opcode: str, stream: str) -> None:
    fmt = wire.DEFAULT_FORMATS[opcode]
    name = f"{stream}.{fmt.value.lower()}"
    decode, model = decoder_of(name)
    assert wire.DECODERS[opcode] is decode
    assert isinstance(wire.DECODERS[opcode](load_sample(name)["data"], fmt), model)
