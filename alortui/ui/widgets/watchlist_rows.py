"""The watchlist's rows: latest quote, reference data, trading status, age, flashes, sparkline,
and their display order."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Literal

from alortui.models import InstrumentKey, Quote
from alortui.service.api import Stamped
from alortui.ui.formatting import clean_text, decimals_of, fmt_age, fmt_price, is_bond

Tone = Literal["", "up", "down", "bid", "ask", "stale"]
"""A cell's colour role; the painter maps it to a theme style."""

FLASHING = ("last", "bid", "ask", "bid_size", "ask_size", "volume")
"""Quote fields whose changes flash (with an arrow, so colour is never the only signal)."""

FLASH_SECONDS = 0.8

NORMAL_TRADING = 17
"""ALOR's ``tradingStatus`` of normal continuous trading (alor-api.md 6.3)."""

AUCTION_STATUSES = frozenset({118, 119, 103, 102, 120, 106, 107})
"""Opening/closing periods and auctions: orders are taken, but no continuous trading (6.3)."""


def status_marker(code: int | None) -> str:
    """What the age cell says of a row not in normal trading (``""`` when it is, or unknown)."""
    if code is None or code == NORMAL_TRADING:
        return ""
    return "·auct" if code in AUCTION_STATUSES else "·halt"


@dataclass(slots=True)
class Row:
    """One instrument of the watchlist with its latest quote and display state."""

    key: InstrumentKey
    quote: Quote | None = None
    name: str = ""
    """Short name, already cleaned of control characters."""
    decimals: int | None = None
    """The instrument's price decimals once its reference data is known."""
    seen_decimals: int = 0
    """Most decimals seen in its prices: the fallback until ``decimals`` is known."""
    percent: bool = False
    """Prices are percent of face value (bonds)."""
    trading_status: int | None = None
    """ALOR's ``tradingStatus`` once the instrument's info is known (alor-api.md 6.3)."""
    turnover: float | None = None
    """The day's turnover in money (GraphQL ``tradeAmount``, alor-api.md 4): quotes carry none."""
    spark: str = ""
    """The day's sparkline (block characters); empty until loaded."""
    spark_change: float | None = None
    """The day's change over the sparkline, as a fraction (its sort value)."""
    position: float | None = None
    """Lots held in the chosen portfolio (negative: short); ``None`` when it holds none."""
    received: float | None = None
    as_of: float | None = None
    age: float | None = None
    stale: bool = False
    flashes: dict[str, int] = field(default_factory=dict)
    """Column key -> +1 (rose) or -1 (fell) while the change is flashing."""
    flash_until: float = 0.0

    @property
    def status_marker(self) -> str:
        """``·halt``/``·auct`` while not in normal trading, else empty."""
        return status_marker(self.trading_status)

    @property
    def muted(self) -> bool:
        """Not in normal trading: the row is dimmed and its age cell says why."""
        return bool(self.status_marker)

    @property
    def price_decimals(self) -> int:
        """Decimals for this row's prices."""
        return self.decimals if self.decimals is not None else max(2, self.seen_decimals)

    def price(self, value: float | None) -> str:
        """A price of this instrument, formatted."""
        return fmt_price(value, self.price_decimals, percent=self.percent)


def update_row(row: Row, stamped: Stamped[Quote], now: float) -> None:
    """Take a new quote: note which fields moved (and which way) to flash them."""
    old, new = row.quote, stamped.value
    if old is not None:
        for name in FLASHING:
            before, after = getattr(old, name), getattr(new, name)
            if before is not None and after is not None and before != after:
                row.flashes[name] = 1 if after > before else -1
                row.flash_until = now + FLASH_SECONDS
    row.quote, row.received, row.as_of = new, stamped.received, stamped.as_of
    if not row.name and new.description:
        row.name = clean_text(new.description)
    if new.type and is_bond(new.type):
        row.percent = True
    for price in (new.last, new.bid, new.ask):
        row.seen_decimals = max(row.seen_decimals, decimals_of(price))


def age_row(row: Row, now: float, *, stale_after: float, delayed_by: float) -> bool:
    """Recompute a row's age and staleness; ``True`` when what it shows changed.

    The age counts from the moment the value describes: a 15-minute-late feed shows ``15m``.
    Only a change of the age *as shown* counts, so a quiet market repaints a row once a minute
    (or hour), not every second.
    """
    before = (fmt_age(row.age), row.stale)
    row.age = None if row.received is None else now - row.received + delayed_by
    idle = row.received is None or now - row.received > stale_after
    row.stale = delayed_by > 0 or idle
    return before != (fmt_age(row.age), row.stale)


SortValue = Callable[[Row], float | str | None]


class RowOrder:
    """The rows in display order: watchlist order, or sorted by a value (missing values last)."""

    def __init__(self) -> None:
        self._rows: list[Row] = []
        self._view: list[Row] = []
        self._index: dict[InstrumentKey, int] = {}
        self._value: SortValue | None = None
        self.sort_key: str | None = None
        """Name of what the rows are sorted by (a column key), ``None`` for watchlist order."""
        self.reverse = False

    def __len__(self) -> int:
        return len(self._view)

    def reset(self, rows: list[Row]) -> None:
        """Use ``rows`` (in watchlist order) and apply the current sort."""
        self._rows = rows
        self.resort()

    def row_at(self, index: int) -> Row | None:
        """The row shown at display position ``index``."""
        return self._view[index] if 0 <= index < len(self._view) else None

    def index_of(self, key: InstrumentKey) -> int | None:
        """Display position of ``key``."""
        return self._index.get(key)

    def sort_by(
        self, sort_key: str | None, value: SortValue | None, *, reverse: bool | None = None
    ) -> None:
        """Sort by ``value`` of each row, named ``sort_key`` (``None``: watchlist order)."""
        self.sort_key, self._value = (sort_key, value) if value is not None else (None, None)
        if reverse is not None:
            self.reverse = reverse
        self.resort()

    def resort(self) -> bool:
        """Recompute the order; ``True`` when it changed."""
        view = list(self._rows)
        value = self._value
        if value is not None:
            known = [row for row in view if value(row) is not None]
            known.sort(key=value, reverse=self.reverse)  # type: ignore[arg-type]
            view = known + [row for row in view if value(row) is None]
        changed = [row.key for row in view] != [row.key for row in self._view]
        self._view = view
        self._index = {row.key: index for index, row in enumerate(view)}
        return changed
