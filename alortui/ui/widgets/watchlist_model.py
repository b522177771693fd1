"""The watchlist table's data without the widget: rows by key, display order, ages, flashes.

Every mutator returns the rows whose display changed, so the widget repaints exactly those.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence

from alortui.models import InstrumentKey, Quote
from alortui.service.api import Stamped
from alortui.ui.formatting import MISSING, clean_text
from alortui.ui.widgets.sparkline import day_change, sparkline
from alortui.ui.widgets.watchlist_rows import Row, RowOrder, age_row, update_row


class WatchlistModel:
    """Rows of one watchlist and their display order.

    Args:
        stale_after: Seconds without an update before a row counts as stale.
    """

    def __init__(self, stale_after: float = 30.0) -> None:
        self.rows: dict[InstrumentKey, Row] = {}
        self.order = RowOrder()
        self.stale_after = stale_after
        self.delayed_by = 0.0
        """Seconds the whole feed lags (every row is stale when non-zero)."""
        self._held: Mapping[tuple[str, str], float] = {}

    def set_keys(self, keys: Iterable[InstrumentKey]) -> None:
        """Hold exactly ``keys`` in this order, keeping what is known about each."""
        self.rows = {key: self.rows.get(key) or Row(key) for key in keys}
        self.set_positions(self._held)  # another list's rows hold positions too
        self.order.reset(list(self.rows.values()))

    def set_reference(
        self,
        key: InstrumentKey,
        *,
        name: str | None = None,
        decimals: int | None = None,
        percent: bool | None = None,
        trading_status: int | None = None,
        turnover: float | None = None,
    ) -> list[Row]:
        """Record an instrument's reference data; ``None`` keeps what is known.

        Args:
            key: The instrument.
            name: Short name (server text: cleaned here).
            decimals: Price decimals of its grid.
            percent: Prices are percent of face value (bonds).
            trading_status: ALOR's ``tradingStatus`` (alor-api.md 6.3).
            turnover: The day's turnover in money (GraphQL ``tradeAmount``, alor-api.md 4).
        """
        row = self.rows.get(key)
        if row is None:
            return []
        row.name = clean_text(name) if name else row.name
        row.decimals = row.decimals if decimals is None else decimals
        row.percent = row.percent if percent is None else percent
        if trading_status is not None:
            row.trading_status = trading_status
        if turnover is not None:
            row.turnover = turnover
        return [row]

    def set_spark(self, key: InstrumentKey, closes: Sequence[float], width: int) -> list[Row]:
        """Draw the day's ``closes`` as the row's sparkline of ``width`` cells."""
        row = self.rows.get(key)
        if row is None:
            return []
        row.spark = sparkline(closes, width) or MISSING
        row.spark_change = day_change(closes)
        return [row]

    def set_positions(self, lots: Mapping[tuple[str, str], float]) -> list[Row]:
        """Show the lots held of each instrument, by ``(exchange, symbol)``; the rest blank.

        Positions carry no board (alor-api.md 2.9): a row matches on exchange and symbol.
        """
        self._held = lots
        changed = []
        for row in self.rows.values():
            held = lots.get((row.key.exchange, row.key.symbol))
            if held != row.position:
                row.position = held
                changed.append(row)
        return changed

    def apply(self, batch: Mapping[InstrumentKey, Stamped[Quote]], now: float) -> list[Row]:
        """Take a batch of new quotes."""
        changed = []
        for key, stamped in batch.items():
            if (row := self.rows.get(key)) is not None:
                update_row(row, stamped, now)
                self._age(row, now)
                changed.append(row)
        return changed

    def _age(self, row: Row, now: float) -> bool:
        return age_row(row, now, stale_after=self.stale_after, delayed_by=self.delayed_by)

    def tick(self, now: float) -> list[Row]:
        """Advance ages and staleness."""
        return [row for row in self.rows.values() if self._age(row, now)]

    def expire_flashes(self, now: float) -> list[Row]:
        """End the flashes whose time is up."""
        expired = [r for r in self.rows.values() if r.flashes and r.flash_until <= now]
        for row in expired:
            row.flashes.clear()
        return expired

    @property
    def flashing(self) -> bool:
        """Whether any row is flashing."""
        return any(row.flashes for row in self.rows.values())
