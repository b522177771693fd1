"""The order flow of one instrument, event by event: trades print at the touch."""

from __future__ import annotations

import random

import pytest

from alortui.sim.book import DEPTH
from alortui.sim.catalog import CATALOG
from alortui.sim.dynamics import Flow, dynamics_for
from alortui.sim.spec import InstrumentSpec

SAMPLE = [s for s in CATALOG if s.key.symbol in ("SBER", "SU26238RMFS4", "SiZ6", "RU000A107HR8")]


@pytest.mark.parametrize("spec", SAMPLE, ids=lambda spec: spec.key.symbol)
def test_every_trade_takes_the_touch_and_the_book_stays_sound(spec: InstrumentSpec) -> None:
    dyn = dynamics_for(spec)
    start = spec.to_ticks(spec.ref_price)
    flow = Flow(dyn, random.Random(7), start, start + 1)
    trades = 0
    for _ in range(5000):
        flow.evolve(0.2)
        book = flow.book
        best_bid, best_ask = list(book.bids[0]), list(book.asks[0])
        trade = flow.event()
        if trade is not None:
            tick, lots, buy = trade
            touch = best_ask if buy else best_bid
            assert tick == touch[0] and 1 <= lots <= touch[1]
            trades += 1
        bids, asks = [t for t, _ in book.bids], [t for t, _ in book.asks]
        assert len(bids) == len(asks) == DEPTH
        assert bids == sorted(bids, reverse=True) and len(set(bids)) == DEPTH
        assert asks == sorted(asks) and len(set(asks)) == DEPTH
        assert 1 <= asks[0] - bids[0] <= dyn.max_spread
        assert book.bid_total == sum(v for _, v in book.bids)
        assert book.ask_total == sum(v for _, v in book.asks)
        assert all(v >= 1 for _, v in book.bids + book.asks)
    assert 1000 < trades < 2500  # about TRADE_SHARE of the events


def test_the_book_follows_the_fair_value() -> None:
    spec = next(s for s in CATALOG if s.key.symbol == "SBER")
    start = spec.to_ticks(spec.ref_price)
    flow = Flow(dynamics_for(spec), random.Random(1), start, start + 1)
    flow.fair = flow.anchor = start + 40.0  # the value jumps 40 ticks above the book
    for _ in range(300):
        flow.event()
    mid = (flow.book.bids[0][0] + flow.book.asks[0][0]) / 2
    assert abs(mid - flow.fair) <= 3
