"""The simulated market: determinism, book consistency, the tape, events, open/closed."""

from __future__ import annotations

import logging
import math
import time
from datetime import UTC, datetime
from itertools import pairwise

import pytest

from alortui.models import InstrumentKey, Side
from alortui.sim.catalog import CATALOG
from alortui.sim.clock import ManualClock
from alortui.sim.events import NoSuchInstrument
from alortui.sim.market import STEP_MS, Market

T0 = datetime(2026, 11, 25, 12, 0, tzinfo=UTC).timestamp()
SBER = InstrumentKey("MOEX", "SBER", "TQBR")
OFZ = InstrumentKey("MOEX", "SU26238RMFS4", "TQOB")
SI = InstrumentKey("MOEX", "SiZ6", "RFUD")

log = logging.getLogger(__name__)


def make(seed: int = 1, start: float = T0, **kwargs: bool) -> tuple[Market, ManualClock]:
    clock = ManualClock(start)
    return Market(seed, clock, **kwargs), clock


def on_grid(price: float, step: float) -> bool:
    return abs(price / step - round(price / step)) < 1e-6


def state(market: Market) -> list[object]:
    """Everything observable about every instrument."""
    return [
        (market.quote(k), market.order_book(k, 50), market.trades(k, last=5000))
        for k in market.instrument_keys()
    ]


def test_same_seed_and_readings_give_the_same_market() -> None:
    first, first_clock = make(seed=42)
    second, second_clock = make(seed=42)
    # Irregular steps, including jumps beyond the fine-simulation window.
    for step in (0.05, 0.37, 1.2, 5.0, 0.01, 45.0, 0.5, 600.0, 2.0):
        first_clock.advance(step)
        second_clock.advance(step)
        assert first.advance() == second.advance()
    assert state(first) == state(second)


def test_a_different_seed_gives_a_different_market() -> None:
    first, clock_a = make(seed=1)
    second, clock_b = make(seed=2)
    clock_a.advance(5)
    clock_b.advance(5)
    assert first.quote(SBER) != second.quote(SBER)


def test_reads_follow_the_clock_without_advance() -> None:
    market, clock = make()
    before = market.quote(SBER)
    clock.advance(30)
    assert market.quote(SBER).book_time != before.book_time
    assert market.time == pytest.approx(T0 + 30)


def test_time_is_quantised_to_steps() -> None:
    market, clock = make(start=T0 + 0.123)
    assert (market.time * 1000) % STEP_MS == pytest.approx(0, abs=1e-6)
    clock.advance(0.01)  # still inside the same 50 ms step: nothing happens
    assert market.advance().changed == set()


def test_book_is_consistent_with_itself_and_the_quote_over_many_steps() -> None:
    market, clock = make(seed=5)
    specs = {k: market.lookup(k.exchange, k.symbol) for k in market.instrument_keys()}
    for step in range(300):
        clock.advance(STEP_MS / 1000)
        events = market.advance()
        keys = market.instrument_keys() if step % 25 == 0 else events.changed
        for key in keys:
            spec = specs[key]
            assert spec is not None
            book, quote = market.order_book(key, 50), market.quote(key)
            bids, asks = [lv.price for lv in book.bids], [lv.price for lv in book.asks]
            assert len(bids) == len(asks) == 50
            assert all(a > b for a, b in pairwise(bids)), key
            assert all(a < b for a, b in pairwise(asks)), key
            assert bids[0] < asks[0], key
            assert all(on_grid(p, spec.min_step) for p in bids + asks), key
            assert all(lv.volume >= 1 and lv.volume == int(lv.volume)
                       for lv in book.bids + book.asks)
            assert (quote.bid, quote.ask) == (bids[0], asks[0])
            assert (quote.bid_size, quote.ask_size) == (book.bids[0].volume, book.asks[0].volume)
            assert quote.total_bid_size == sum(lv.volume for lv in book.bids)
            assert quote.total_ask_size == sum(lv.volume for lv in book.asks)
            assert book.time == quote.book_time


def test_spread_stays_within_a_few_ticks() -> None:
    market, clock = make(seed=9)
    widest = 0.0
    for _ in range(200):
        clock.advance(0.25)
        market.advance()
        book = market.order_book(SBER, 1)
        widest = max(widest, book.asks[0].price - book.bids[0].price)
    assert widest <= 0.05  # SBER: a tick of 0.01 and a tight book


def test_order_book_depth_is_clamped_and_bonds_carry_yields() -> None:
    market, _ = make()
    assert len(market.order_book(SBER, 5).bids) == 5
    assert len(market.order_book(SBER, 500).asks) == 50
    assert len(market.order_book(SBER, 0).asks) == 1
    bond = market.order_book(OFZ, 10)
    assert all(lv.yield_ is not None for lv in bond.bids + bond.asks)
    # A higher price means a lower yield.
    assert bond.asks[-1].yield_ <= bond.bids[-1].yield_  # type: ignore[operator]
    assert market.order_book(SBER, 3).bids[0].yield_ is None


def test_tape_ids_times_and_prices() -> None:
    market, clock = make(seed=3)
    seen: dict[InstrumentKey, list] = {}
    for _ in range(300):
        previous = market.time
        clock.advance(0.1)
        events = market.advance()
        for key, trades in events.trades.items():
            spec = market.lookup(key.exchange, key.symbol)
            assert spec is not None
            for trade in trades:
                assert previous < trade.time <= market.time
                assert trade.time * 1000 == pytest.approx(round(trade.time * 1000))
                assert on_grid(trade.price, spec.min_step)
                assert trade.qty >= 1 and trade.side in (Side.BUY, Side.SELL)
                assert (trade.symbol, trade.board) == (key.symbol, key.board)
            seen.setdefault(key, []).extend(trades)
    all_ids = [t.id for trades in seen.values() for t in trades]
    assert len(all_ids) == len(set(all_ids))
    for key, trades in seen.items():
        assert [t.id for t in trades] == sorted(t.id for t in trades)
        assert [t.time for t in trades] == sorted(t.time for t in trades)
        assert market.trades(key, last=len(trades))[-1] == trades[-1]
        quote = market.quote(key)
        assert quote.last == trades[-1].price and quote.last_time == trades[-1].time
        assert quote.low <= min(t.price for t in trades)  # type: ignore[operator]
        assert quote.high >= max(t.price for t in trades)  # type: ignore[operator]
    assert seen[SBER], "SBER trades every few hundred milliseconds"


def test_futures_trades_carry_open_interest() -> None:
    market, clock = make()
    clock.advance(20)
    trades = market.trades(SI, last=100)
    assert trades and all(t.open_interest and t.open_interest > 0 for t in trades)
    assert market.quote(SI).open_interest == trades[-1].open_interest
    assert market.quote(SBER).open_interest is None


def test_trades_returns_the_last_n_oldest_first() -> None:
    market, clock = make()
    clock.advance(30)
    tape = market.trades(SBER, last=5000)
    assert market.trades(SBER, last=3) == tape[-3:]
    assert market.trades(SBER) == tape[-50:]
    assert market.trades(SBER, last=0) == []


def test_events_name_exactly_what_changed() -> None:
    market, clock = make(seed=11)
    before = {k: (market.quote(k), market.order_book(k, 50)) for k in market.instrument_keys()}
    clock.advance(0.5)
    events = market.advance()
    assert events.time == market.time
    for key in market.instrument_keys():
        now = (market.quote(key), market.order_book(key, 50))
        if key not in events.changed:
            assert now == before[key], key
    assert set(events.trades) <= events.changed
    assert events.changed, "half a second always moves something"
    assert market.advance().changed == set()  # nothing new without time passing


def test_events_accumulate_between_advance_calls() -> None:
    market, clock = make(seed=4)
    clock.advance(2)
    market.quote(SBER)  # a read simulates up to now, but the news waits for advance()
    events = market.advance()
    assert events.trades[SBER] == market.trades(SBER, last=len(events.trades[SBER]))


def test_closed_market_is_frozen() -> None:
    market, clock = make(open_market=False)
    before = state(market)
    clock.advance(120)
    events = market.advance()
    assert events.trades == {} and events.changed == set()
    assert state(market) == before
    security = market.lookup("MOEX", "SBER")
    assert security is not None
    assert (security.trading_status, security.trading_status_info) == (18, "нет торгов")
    assert market.status("MOEX", "FOND").status == "closed"


def test_reopening_and_closing() -> None:
    market, clock = make(open_market=False)
    market.set_open(True)
    change = market.advance().instrument_changes[SBER]
    assert (change.trading_status, change.trading_status_info) == (17, "нормальный период торгов")
    clock.advance(10)
    assert market.advance().trades
    market.set_open(False)
    assert market.advance().instrument_changes[SI].trading_status == 18
    frozen = market.quote(SBER)
    clock.advance(10)
    assert market.advance().trades == {}
    assert market.quote(SBER) == frozen
    assert market.is_open is False


def test_lookups_accept_the_primary_board_and_any_case() -> None:
    market, _ = make()
    bare = InstrumentKey("MOEX", "SBER")
    assert market.resolve(bare) == SBER
    assert market.quote(bare) == market.quote(SBER)
    assert market.quote(InstrumentKey("MOEX", "siz6")).key == SI
    security = market.lookup("moex", "sber")
    assert security is not None and security.key == SBER and security.primary_board == "TQBR"
    assert market.lookup("MOEX", "SBER", "TQOB") is None
    assert market.lookup("MOEX", "NOPE") is None
    assert market.lookup("SPBX", "SBER") is None
    with pytest.raises(NoSuchInstrument):
        market.quote(InstrumentKey("MOEX", "NOPE"))
    with pytest.raises(NoSuchInstrument):
        market.order_book(InstrumentKey("MOEX", "SBER", "SMAL"))


def test_quote_reference_fields() -> None:
    market, _ = make()
    sber, bond, si = market.quote(SBER), market.quote(OFZ), market.quote(SI)
    assert sber.lot_value == pytest.approx(sber.last * 10)  # type: ignore[operator]
    assert (sber.lot_size, sber.face_value, sber.type, sber.currency) == (10, 3, "CS", "RUB")
    assert bond.lot_value == pytest.approx(bond.last / 100 * 1000)  # type: ignore[operator]
    assert bond.accrued_interest is not None and bond.accrued_interest > 0
    assert bond.yield_ is not None and 5 < bond.yield_ < 30
    assert si.accrued_interest is None and si.yield_ is None


def test_a_market_can_list_a_subset() -> None:
    only = [spec for spec in CATALOG if spec.key in (SBER, SI)]
    market = Market(1, ManualClock(T0), instruments=only)
    assert market.instrument_keys() == [SBER, SI]
    assert market.lookup("MOEX", "GAZP") is None
    with pytest.raises(ValueError):
        Market(1, ManualClock(T0), instruments=only + only)


def test_advance_speed_is_reported() -> None:
    """Not a timed assertion: prints the cost of one simulated second at 20 steps/s."""
    market, clock = make()
    started = time.perf_counter()
    for _ in range(200):
        clock.advance(STEP_MS / 1000)
        market.advance()
    per_second = (time.perf_counter() - started) / 10
    share = per_second * 100
    print(f"\nmarket.advance(): {len(market.instrument_keys())} instruments, 20 steps/s "
          f"-> {per_second * 1000:.2f} ms per simulated second ({share:.2f}% of a core)")
    assert math.isfinite(per_second)
