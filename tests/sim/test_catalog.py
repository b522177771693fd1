"""The simulated instrument catalog and the bond arithmetic behind its bonds."""

from __future__ import annotations

from collections import Counter
from datetime import UTC, date, datetime

import pytest

from alortui.models import price_decimals
from alortui.sim.bonds import (
    BondTerms,
    accrued_interest,
    coupon_bounds,
    price_for_yield,
    yield_curve,
    yield_to_maturity,
)
from alortui.sim.catalog import CATALOG
from alortui.sim.spec import InstrumentSpec, Kind

BY_SYMBOL = {spec.key.symbol: spec for spec in CATALOG}
NOV_2026 = datetime(2026, 11, 1, tzinfo=UTC).timestamp()


def isin_is_valid(isin: str) -> bool:
    """ISO 6166 check digit (Luhn over the letters-as-numbers expansion)."""
    digits = "".join(str(int(ch, 36)) for ch in isin[:11])
    total = 0
    for position, ch in enumerate(reversed(digits)):
        value = int(ch) * (2 if position % 2 == 0 else 1)
        total += value - 9 if value > 9 else value
    return len(isin) == 12 and str((10 - total % 10) % 10) == isin[11]


def test_at_least_thirty_instruments_across_the_boards() -> None:
    assert len(CATALOG) >= 30
    boards = Counter(spec.key.board for spec in CATALOG)
    for board in ("TQBR", "TQTF", "TQOB", "TQCB", "RFUD", "CETS", "SPBX"):
        assert boards[board] >= 2, board
    assert boards["TQBR"] >= 19
    assert len({spec.key for spec in CATALOG}) == len(CATALOG)
    assert len({spec.key.symbol.upper() for spec in CATALOG}) == len(CATALOG)


@pytest.mark.parametrize(
    ("symbol", "lot", "step", "low", "high"),
    [
        ("SBER", 10, 0.01, 200, 400), ("GAZP", 10, 0.01, 80, 200), ("LKOH", 1, 0.5, 5000, 9000),
        ("VTBR", 1, 0.005, 50, 150), ("SiZ6", 1, 1.0, 80000, 110000), ("BRF7", 1, 0.01, 50, 100),
        ("MXZ6", 1, 25.0, 200000, 400000), ("AAPL", 1, 0.01, 100, 500),
    ],
)
def test_real_looking_reference_values(
    symbol: str, lot: int, step: float, low: float, high: float
) -> None:
    spec = BY_SYMBOL[symbol]
    assert (spec.lot_size, spec.min_step) == (lot, step)
    assert low < spec.ref_price < high


@pytest.mark.parametrize("spec", CATALOG, ids=lambda spec: spec.key.symbol)
def test_every_instrument_is_self_consistent(spec: InstrumentSpec) -> None:
    assert spec.ref_price > 0 and spec.lot_size >= 1 and 0 < spec.activity <= 1
    assert spec.price(spec.to_ticks(spec.ref_price)) == pytest.approx(spec.ref_price)
    assert spec.decimals >= price_decimals(spec.min_step) - 0  # never fewer than AlorPy shows
    assert round(spec.min_step, spec.decimals) == spec.min_step
    assert spec.isin is None or isin_is_valid(spec.isin)
    assert spec.key.exchange == ("SPBX" if spec.key.board == "SPBX" else "MOEX")
    if spec.kind is Kind.FUTURE:
        assert spec.type == f"Фьючерсный контракт {spec.short_name}"
        assert spec.cancellation > NOV_2026 and spec.margin_rate and spec.open_interest
        assert spec.market == "FORTS"
    elif spec.kind is Kind.BOND:
        assert spec.bond is not None and spec.face_value == 1000
        assert spec.type in ("EUSOV", "CORP") and spec.cancellation > NOV_2026
        assert spec.price_step == pytest.approx(spec.min_step / 100 * spec.face_value)
    else:
        assert spec.price_step == pytest.approx(spec.min_step * spec.lot_size)
    if spec.key.board == "SPBX":
        assert (spec.currency, spec.type, spec.market) == ("USD", "t", "SPBX")


def test_types_cover_the_alor_vocabulary() -> None:
    types = {spec.type for spec in CATALOG}
    assert {"CS", "PS", "MF", "EUSOV", "CORP", "FOR", "t"} <= types
    assert any(t.startswith("Фьючерсный контракт ") for t in types)


def test_decimals_follow_the_step_exactly() -> None:
    assert BY_SYMBOL["USD000UTSTOM"].decimals == 4  # 0.0025: AlorPy's log rule would say 3
    assert BY_SYMBOL["LKOH"].decimals == 1
    assert BY_SYMBOL["MXZ6"].decimals == 0


OFZ_26238 = BondTerms(1000.0, 0.071, date(2041, 5, 15))


def test_coupon_schedule_runs_back_from_maturity() -> None:
    assert coupon_bounds(OFZ_26238, date(2026, 11, 25)) == (date(2026, 11, 15), date(2027, 5, 15))
    assert coupon_bounds(OFZ_26238, date(2026, 11, 15)) == (date(2026, 11, 15), date(2027, 5, 15))
    month_end = BondTerms(1000.0, 0.1, date(2030, 8, 31))
    assert coupon_bounds(month_end, date(2026, 3, 1)) == (date(2026, 2, 28), date(2026, 8, 31))


def test_accrued_interest_grows_daily_and_resets_on_the_coupon_date() -> None:
    days = [date(2026, 11, d) for d in range(10, 20)]
    accrued = [accrued_interest(OFZ_26238, d) for d in days]
    before, after = accrued[:5], accrued[5:]  # the coupon is paid on 15 November
    assert before == sorted(before) and after == sorted(after)
    assert accrued[5] == 0.0 and accrued[4] > 34
    assert OFZ_26238.coupon == 35.5


def test_yield_falls_as_the_price_rises_and_inverts_price_for_yield() -> None:
    on = date(2026, 11, 25)
    cheap, dear = yield_to_maturity(OFZ_26238, 55.0, on), yield_to_maturity(OFZ_26238, 65.0, on)
    assert cheap is not None and dear is not None and cheap > dear
    price = price_for_yield(OFZ_26238, 14.2, on)
    assert yield_to_maturity(OFZ_26238, round(price, 3), on) == pytest.approx(14.2, abs=0.01)
    assert yield_to_maturity(OFZ_26238, 60.0, date(2041, 6, 1)) is None
    curve = yield_curve(OFZ_26238, [58.0, 58.5, 59.0], on)
    assert curve[1] == pytest.approx(yield_to_maturity(OFZ_26238, 58.5, on), abs=0.02)
