"""Bond arithmetic: coupon schedule, accrued interest and yield to maturity.

Bond prices are quoted in percent of face value (alor-api.md 6.3); the quote also carries the
accrued interest in money per bond and the yield in percent (alor-api.md 2.4, ``accruedInt`` and
``yield``). Coupons are fixed and paid every ``months`` months on the maturity's
day of month (OFZ 26238 pays on 15 May and 15 November), counting back from maturity.
"""

from __future__ import annotations

import calendar
from dataclasses import dataclass
from datetime import date
from functools import lru_cache

DAYS_IN_YEAR = 365


@dataclass(frozen=True, slots=True)
class BondTerms:
    """Fixed-coupon bond terms."""

    face: float
    coupon_rate: float
    """Annual coupon, a fraction (0.071 for 7.1%)."""
    maturity: date
    months: int = 6
    """Months between coupons."""

    @property
    def coupon(self) -> float:
        """Money paid per coupon per bond, rounded to kopecks as MOEX publishes it."""
        return round(self.face * self.coupon_rate * self.months / 12, 2)


def _months_before(day: date, months: int) -> date:
    """``day`` moved back by ``months`` months, clamped to the length of the target month."""
    index = day.year * 12 + day.month - 1 - months
    year, month = divmod(index, 12)
    last = calendar.monthrange(year, month + 1)[1]
    return date(year, month + 1, min(day.day, last))


def _coupons_left(terms: BondTerms, on: date) -> int:
    """How many coupon dates fall strictly after ``on`` (0 once the bond has matured)."""
    if on >= terms.maturity:
        return 0
    months = (terms.maturity.year - on.year) * 12 + terms.maturity.month - on.month
    count = months // terms.months + 1
    # The month arithmetic can be one period off either way because of the day of month.
    while _months_before(terms.maturity, (count - 1) * terms.months) <= on:
        count -= 1
    while _months_before(terms.maturity, count * terms.months) > on:
        count += 1
    return count


def coupon_bounds(terms: BondTerms, on: date) -> tuple[date, date]:
    """The coupon dates around ``on``: (previous, next), next strictly after ``on``."""
    left = max(_coupons_left(terms, on), 1)
    step = terms.months
    return (_months_before(terms.maturity, left * step),
            _months_before(terms.maturity, (left - 1) * step))


def accrued_interest(terms: BondTerms, on: date) -> float:
    """Accrued coupon per bond in money on ``on`` (it grows daily and resets on a coupon date)."""
    previous, following = coupon_bounds(terms, on)
    length = (following - previous).days
    elapsed = min(max((on - previous).days, 0), length)
    return round(terms.coupon * elapsed / length, 2)


def _cash_flows(terms: BondTerms, on: date) -> tuple[tuple[float, float], ...]:
    """(years from ``on``, amount) of every payment still due."""
    flows = []
    for back in range(_coupons_left(terms, on) - 1, -1, -1):
        pay = _months_before(terms.maturity, back * terms.months)
        amount = terms.coupon + (terms.face if back == 0 else 0.0)
        flows.append(((pay - on).days / DAYS_IN_YEAR, amount))
    return tuple(flows)


@lru_cache(maxsize=4096)
def _solve_yield(terms: BondTerms, price_percent: float, on: date) -> float:
    """Unrounded effective annual yield (a fraction), by bisection on the dirty price."""
    flows = _cash_flows(terms, on)
    dirty = price_percent / 100 * terms.face + accrued_interest(terms, on)
    low, high = -0.5, 5.0
    for _ in range(60):
        mid = (low + high) / 2
        value = sum(amount / (1 + mid) ** years for years, amount in flows)
        if value > dirty:
            low = mid
        else:
            high = mid
    return (low + high) / 2


def yield_to_maturity(terms: BondTerms, price_percent: float, on: date) -> float | None:
    """Effective annual yield in percent for a clean price in percent of face.

    ``None`` when the bond has matured or the price is not positive.
    """
    if price_percent <= 0 or on >= terms.maturity:
        return None
    return round(_solve_yield(terms, price_percent, on) * 100, 2)


def yield_curve(
    terms: BondTerms, prices: list[float], on: date
) -> list[float | None]:
    """Yields in percent for many nearby prices (an order book's levels).

    Exact at the first price, linear in price around it: two solves instead of one per level,
    which is accurate to the displayed 0.01% over the few percent a book spans.
    """
    if not prices or prices[0] <= 0 or on >= terms.maturity:
        return [None] * len(prices)
    base = prices[0]
    y0 = _solve_yield(terms, base, on)
    slope = (_solve_yield(terms, base * 1.01, on) - y0) / (base * 0.01)
    return [round((y0 + slope * (price - base)) * 100, 2) for price in prices]


def price_for_yield(terms: BondTerms, yield_percent: float, on: date) -> float:
    """Clean price in percent of face that gives ``yield_percent`` (used to seed the catalog)."""
    flows = _cash_flows(terms, on)
    rate = yield_percent / 100
    dirty: float = sum(amount / (1 + rate) ** years for years, amount in flows)
    return (dirty - accrued_interest(terms, on)) / terms.face * 100
