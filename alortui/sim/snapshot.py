"""Quote state of one instrument as a compact value, a per-second ring of them, and the Quote.

The anonymous HTTP view is the market of 15 minutes ago (alor-api.md 2.0, 5). The market keeps
the state at every whole second of the last :data:`RING_SECONDS` seconds, so a delayed quote is
exactly what an authorised client saw then; the ring shares one tuple between the seconds in
which nothing changed, so a quiet instrument costs almost nothing.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import NamedTuple

from alortui.models import Quote
from alortui.sim.bonds import accrued_interest, yield_to_maturity
from alortui.sim.spec import InstrumentSpec, Kind

RING_SECONDS = 1024
"""A little more than the 15-minute delay plus a minute of slack."""


class Snapshot(NamedTuple):
    """Everything a quote shows; prices in ticks, volumes in lots."""

    last: int
    last_time: float | None
    prev_close: int
    open: int | None
    high: int | None
    low: int | None
    volume: int
    turnover: float
    """Traded value today in the instrument's currency."""
    bid: int
    ask: int
    bid_size: int
    ask_size: int
    bid_total: int
    ask_total: int
    book_time: float | None
    open_interest: int | None


class SnapshotRing:
    """The snapshot at each of the last :data:`RING_SECONDS` whole seconds."""

    __slots__ = ("_seconds", "_snaps")

    def __init__(self) -> None:
        self._seconds = [-1] * RING_SECONDS
        self._snaps: list[Snapshot | None] = [None] * RING_SECONDS

    def put(self, first: int, last: int, snap: Snapshot) -> None:
        """Record ``snap`` as the state at the end of each whole second ``first..last``."""
        first = max(first, last - RING_SECONDS + 1)
        while first <= last:
            slot = first % RING_SECONDS
            stop = min(RING_SECONDS, slot + last - first + 1)
            self._seconds[slot:stop] = range(first, first + stop - slot)
            self._snaps[slot:stop] = [snap] * (stop - slot)
            first += stop - slot

    def get(self, second: int) -> Snapshot | None:
        """The state recorded for ``second``, if it is still in the ring."""
        slot = second % RING_SECONDS
        return self._snaps[slot] if self._seconds[slot] == second else None


def build_quote(spec: InstrumentSpec, snap: Snapshot, at: float) -> Quote:
    """The ALOR quote (alor-api.md 2.4) of ``snap``; ``at`` dates a bond's accrued interest."""
    price = spec.price
    last = price(snap.last)
    prev_close = price(snap.prev_close)
    change = round(last - prev_close, spec.decimals)
    # ALOR sends accruedInt 0 for non-bonds (sample http.quotes); futures get null here.
    accrued: float | None = None if spec.kind is Kind.FUTURE else 0.0
    yield_: float | None = None
    if spec.bond is not None:
        day = datetime.fromtimestamp(at, UTC).date()
        accrued = accrued_interest(spec.bond, day)
        yield_ = yield_to_maturity(spec.bond, last, day)
    return Quote(
        key=spec.key,
        description=spec.description,
        last=last,
        last_time=snap.last_time,
        prev_close=prev_close,
        open=None if snap.open is None else price(snap.open),
        high=None if snap.high is None else price(snap.high),
        low=None if snap.low is None else price(snap.low),
        change=change,
        change_percent=round(change / prev_close * 100, 2) if prev_close else None,
        volume=float(snap.volume),
        open_interest=None if snap.open_interest is None else float(snap.open_interest),
        bid=price(snap.bid),
        ask=price(snap.ask),
        bid_size=float(snap.bid_size),
        ask_size=float(snap.ask_size),
        total_bid_size=float(snap.bid_total),
        total_ask_size=float(snap.ask_total),
        book_time=snap.book_time,
        accrued_interest=accrued,
        yield_=yield_,
        lot_size=spec.lot_size,
        lot_value=round(spec.lot_value(last), 6),
        face_value=spec.face_value,
        type=spec.type,
        currency=spec.currency,
    )
