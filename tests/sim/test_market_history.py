"""The market's memory: candles from trades, day statistics, the delayed view, clock jumps."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from alortui.models import Candle, InstrumentKey, Quote, Trade
from alortui.sim.catalog import CATALOG
from alortui.sim.clock import ManualClock
from alortui.sim.market import Market

T0 = datetime(2026, 11, 25, 12, 0, tzinfo=UTC).timestamp()  # a whole 5-minute boundary
DAY_START = datetime(2026, 11, 25, 4, 0, tzinfo=UTC).timestamp()  # 07:00 MSK
SBER = InstrumentKey("MOEX", "SBER", "TQBR")
OFZ = InstrumentKey("MOEX", "SU26238RMFS4", "TQOB")
KEYS = (SBER, OFZ, InstrumentKey("MOEX", "SiZ6", "RFUD"), InstrumentKey("SPBX", "AAPL", "SPBX"))


def make(seed: int = 1, start: float = T0, *, few: bool = False) -> tuple[Market, ManualClock]:
    """A market on a manual clock; ``few`` lists only :data:`KEYS` (long runs stay fast)."""
    clock = ManualClock(start)
    listed = [spec for spec in CATALOG if spec.key in KEYS] if few else CATALOG
    return Market(seed, clock, instruments=listed), clock


def run(market: Market, clock: ManualClock, seconds: int, step: float = 1.0) -> list[Trade]:
    """Advance ``seconds`` and return SBER's trades of that span."""
    trades: list[Trade] = []
    for _ in range(round(seconds / step)):
        clock.advance(step)
        trades.extend(market.advance().trades.get(SBER, []))
    return trades


def ohlcv(trades: list[Trade], tf: int) -> list[tuple[float, ...]]:
    """Candles built straight from the prints."""
    buckets: dict[float, list[Trade]] = {}
    for trade in trades:
        buckets.setdefault(trade.time // tf * tf, []).append(trade)
    return [
        (start, group[0].price, max(t.price for t in group), min(t.price for t in group),
         group[-1].price, sum(t.qty for t in group))
        for start, group in sorted(buckets.items())
    ]


def as_tuples(candles: list[Candle]) -> list[tuple[float, ...]]:
    return [(c.time, c.open, c.high, c.low, c.close, c.volume) for c in candles]


def test_minute_and_five_minute_candles_aggregate_the_trades_exactly() -> None:
    market, clock = make(seed=2, few=True)
    trades = run(market, clock, 600, step=0.5)
    assert as_tuples(market.candles(SBER, 60, T0, T0 + 540)) == ohlcv(trades, 60)[:10]
    assert as_tuples(market.candles(SBER, 300, T0, T0 + 300)) == ohlcv(trades, 300)[:2]


def test_sub_minute_candles_come_from_the_tape() -> None:
    market, clock = make(seed=2)
    trades = run(market, clock, 60, step=0.25)
    assert as_tuples(market.candles(SBER, 15, T0, T0 + 45)) == ohlcv(trades, 15)


def test_candles_window_is_inclusive_and_rejects_bad_timeframes() -> None:
    market, clock = make()
    run(market, clock, 180)
    minutes = market.candles(SBER, 60, T0, T0 + 120)
    assert [c.time for c in minutes] == [T0, T0 + 60, T0 + 120]
    assert market.candles(SBER, 60, T0 + 1, T0 + 59) == []
    with pytest.raises(ValueError):
        market.candles(SBER, 0, T0, T0 + 60)
    with pytest.raises(ValueError):
        market.candles(SBER, 1.5, T0, T0 + 60)  # type: ignore[arg-type]


def test_the_day_so_far_is_synthesised_as_minute_candles() -> None:
    market, _ = make()
    day = market.candles(SBER, 60, DAY_START, T0)
    assert len(day) > 400  # SBER trades nearly every minute of the 8 hours since 07:00 MSK
    assert day[0].time >= DAY_START and day[-1].time < T0
    hours = market.candles(SBER, 3600, DAY_START, T0)
    assert [c.time for c in hours] == [DAY_START + 3600 * h for h in range(8)]
    assert sum(c.volume for c in hours) == sum(c.volume for c in day)
    assert all(c.low <= min(c.open, c.close) <= max(c.open, c.close) <= c.high for c in day)


def test_day_statistics_agree_with_the_candles_and_each_other() -> None:
    market, clock = make(seed=6)
    run(market, clock, 120)
    for key in KEYS:
        quote = market.quote(key)
        minutes = market.candles(key, 60, DAY_START, clock.now())
        daily = market.candles(key, 86400, DAY_START - 3 * 86400, clock.now())
        today = daily[-1]
        assert today.time == datetime(2026, 11, 25, tzinfo=UTC).timestamp()
        assert (quote.open, quote.high, quote.low, quote.last, quote.volume) == (
            today.open, today.high, today.low, today.close, today.volume)
        assert quote.open == minutes[0].open and quote.last == minutes[-1].close
        assert quote.high == max(c.high for c in minutes)
        assert quote.low == min(c.low for c in minutes)
        assert quote.volume == sum(c.volume for c in minutes)
        assert quote.prev_close == daily[-2].close
        assert quote.change == pytest.approx(quote.last - quote.prev_close)  # type: ignore[operator]
        assert quote.change_percent == pytest.approx(
            round(quote.change / quote.prev_close * 100, 2))  # type: ignore[operator]
        info = market.instrument_info(key)
        assert (info.price, info.closing_price, info.trade_volume) == (
            quote.last, quote.prev_close, quote.volume)


def test_daily_history_reaches_back_a_year() -> None:
    market, _ = make()
    daily = market.candles(SBER, 86400, T0 - 400 * 86400, T0)
    assert 360 <= len(daily) <= 367
    assert all(c.time % 86400 == 0 for c in daily)
    weekly = market.candles(SBER, 7 * 86400, T0 - 100 * 86400, T0)
    assert 13 <= len(weekly) <= 16


def test_delayed_quote_is_exactly_the_state_fifteen_minutes_earlier() -> None:
    market, clock = make(seed=8, few=True)
    seen: dict[float, list[Quote]] = {}
    for _ in range(480):
        clock.advance(2)
        market.advance()
        seen[clock.now()] = [market.quote(key) for key in KEYS]
    for now in sorted(seen)[-30:]:
        delayed = [market.quote(key, at=now - 900) for key in KEYS]
        assert delayed == seen[now - 900]
    # Between whole seconds the state of the last whole second is returned.
    assert market.quote(SBER, at=clock.now() - 899.5) == seen[clock.now() - 900][0]


def test_delayed_quote_before_the_simulation_ran_comes_from_the_history() -> None:
    market, clock = make(seed=8, start=T0 + 17)
    for key in KEYS:
        live, delayed = market.quote(key), market.quote(key, at=clock.now() - 900)
        assert delayed.prev_close == live.prev_close and delayed.open == live.open
        assert delayed.low >= live.low and delayed.high <= live.high  # type: ignore[operator]
        assert delayed.low <= delayed.last <= delayed.high  # type: ignore[operator]
        assert delayed.volume < live.volume  # type: ignore[operator]
        assert delayed.last_time <= clock.now() - 900  # type: ignore[operator]
        assert delayed.bid < delayed.ask  # type: ignore[operator]
    yesterday = market.quote(SBER, at=DAY_START - 600)
    daily = market.candles(SBER, 86400, DAY_START - 3 * 86400, DAY_START - 86400)
    assert (yesterday.last, yesterday.volume) == (daily[-1].close, daily[-1].volume)
    assert yesterday.prev_close == daily[-2].close
    assert daily[-1].close == market.quote(SBER).prev_close


def test_future_or_current_times_give_the_live_quote() -> None:
    market, clock = make()
    assert market.quote(SBER, at=clock.now() + 5) == market.quote(SBER)


def test_a_long_jump_stays_cheap_and_consistent() -> None:
    market, clock = make(seed=4)
    clock.advance(3 * 3600)
    market.advance()  # coarse for all but the last seconds; must not replay 3 hours finely
    quote = market.quote(SBER)
    minutes = market.candles(SBER, 60, DAY_START, clock.now())
    assert quote.volume == sum(c.volume for c in minutes)
    assert quote.last == minutes[-1].close
    assert market.trades(SBER, last=1)[0].time > T0 + 3 * 3600 - 60


def test_crossing_into_a_new_trading_day_resets_the_day() -> None:
    market, clock = make(seed=3)
    clock.set(datetime(2026, 11, 26, 3, 59, 50, tzinfo=UTC).timestamp())
    market.advance()
    clock.advance(20)  # 04:00:10 UTC: the next session has begun
    events = market.advance()
    quote = market.quote(SBER)
    tape = market.trades(SBER, last=5000)
    last_of_day = [t for t in tape if t.time < clock.now() - 10][-1].price
    assert quote.prev_close == last_of_day
    assert quote.volume == sum(t.qty for t in tape if t.time >= clock.now() - 10)
    assert quote.open == next(t.price for t in tape if t.time >= clock.now() - 10)
    change = events.instrument_changes[SBER]
    security = market.lookup("MOEX", "SBER")
    assert security is not None
    assert (change.price_min, change.price_max) == (security.price_min, security.price_max)
    assert security.price_min < last_of_day < security.price_max  # type: ignore[operator]
    daily = market.candles(SBER, 86400, T0 - 86400, clock.now())
    assert daily[-2].time == datetime(2026, 11, 25, tzinfo=UTC).timestamp()
    assert daily[-2].close == last_of_day


def test_a_clock_going_backwards_pauses_the_market() -> None:
    market, clock = make()
    clock.advance(10)
    market.advance()
    before = market.quote(SBER)
    clock.set(T0)
    assert market.advance().changed == set()
    assert market.quote(SBER) == before
