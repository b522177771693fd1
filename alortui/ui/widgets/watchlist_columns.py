"""The watchlist's columns: what each cell shows, how wide it is, what it sorts by.

Which of them show, in which order, at a given width is :mod:`.watchlist_layout`'s job.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Literal

from alortui.ui.formatting import (
    fmt_age,
    fmt_change,
    fmt_clock,
    fmt_compact,
    fmt_percent,
    fmt_price,
    fmt_volume,
)
from alortui.ui.widgets.watchlist_rows import Row, Tone

SPARK_WIDTH = 12
"""Cells of the day's sparkline."""

SPARK_MIN_WIDTH = 138
"""The sparkline never shows below a 140-column terminal (less the scrollbar); with every
default column it fits from 144 columns up."""


def _quote_value(name: str) -> Callable[[Row], float | None]:
    def value(row: Row) -> float | None:
        return getattr(row.quote, name) if row.quote else None

    return value


def _spread(row: Row) -> float | None:
    quote = row.quote
    if quote is None or quote.bid is None or quote.ask is None:
        return None
    return quote.ask - quote.bid


def _sign(value: float | None) -> Tone:
    if value is None or value == 0:
        return ""
    return "up" if value > 0 else "down"


def _day_tone(row: Row) -> Tone:
    """The sparkline's colour: the day's change, as the Chg% column shows it."""
    change = _quote_value("change_percent")(row)
    return _sign(change if change is not None else row.spark_change)


@dataclass(frozen=True, slots=True)
class Column:
    """A watchlist column.

    Attributes:
        key: Stable identifier (saved in the config, used by sort keys).
        title: Header text.
        width: Cells, before the flexible name column takes the slack.
        priority: Lower is kept longer when the terminal is narrow.
        align: Text alignment within the cell.
        value: The raw value, used for sorting and flash direction.
        text: The cell text of a row.
        tone: The cell's colour role.
        min_width: Shown only when the table is at least this wide.
        opt_in: Not among the default columns: shown only when the user chooses it.
    """

    key: str
    title: str
    width: int
    priority: int
    align: Literal["left", "right"]
    value: Callable[[Row], float | str | None]
    text: Callable[[Row], str]
    tone: Callable[[Row], Tone] = lambda row: ""
    min_width: int = 0
    opt_in: bool = False


def _price_column(key: str, title: str, priority: int, tone: Tone = "") -> Column:
    value = _quote_value(key)
    return Column(
        key, title, 10, priority, "right", value, lambda r: r.price(value(r)), lambda r: tone
    )


def _size_column(key: str, title: str, width: int, priority: int, tone: Tone = "") -> Column:
    value = _quote_value(key)
    return Column(
        key,
        title,
        width,
        priority,
        "right",
        value,
        lambda r: fmt_volume(value(r), width=width - 1),
        lambda r: tone,
    )


COLUMNS: tuple[Column, ...] = (
    Column("symbol", "Symbol", 8, 0, "left", lambda r: r.key.symbol, lambda r: r.key.symbol),
    Column("name", "Name", 10, 5, "left", lambda r: r.name, lambda r: r.name),
    _price_column("last", "Last", 1),
    Column(
        "change",
        "Chg",
        9,
        8,
        "right",
        _quote_value("change"),
        lambda r: fmt_change(_quote_value("change")(r), r.price_decimals),
        lambda r: _sign(_quote_value("change")(r)),
    ),
    Column(
        "change_percent",
        "Chg%",
        8,
        2,
        "right",
        _quote_value("change_percent"),
        lambda r: fmt_percent(_quote_value("change_percent")(r)),
        lambda r: _sign(_quote_value("change_percent")(r)),
    ),
    Column(
        "spark",
        "Day",
        SPARK_WIDTH,
        14,
        "left",
        lambda r: r.spark_change,
        lambda r: r.spark,
        _day_tone,
        min_width=SPARK_MIN_WIDTH,
    ),
    _price_column("bid", "Bid", 3, "bid"),
    _price_column("ask", "Ask", 4, "ask"),
    Column(
        "spread",
        "Spread",
        7,
        9,
        "right",
        _spread,
        lambda r: fmt_price(_spread(r), r.price_decimals),
    ),
    _size_column("bid_size", "BidSz", 7, 10, "bid"),
    _size_column("ask_size", "AskSz", 7, 11, "ask"),
    _price_column("open", "Open", 17),
    _price_column("high", "High", 15),
    _price_column("low", "Low", 16),
    _price_column("prev_close", "Prev", 18),
    _size_column("volume", "Volume", 9, 7),
    Column(
        "turnover",
        "Turnover",
        9,
        12,  # after volume and the book sizes: at 80 columns it is the first of them to go
        "right",
        lambda r: r.turnover,
        lambda r: fmt_compact(r.turnover),
    ),
    Column(
        "last_time",
        "Time",
        8,
        13,
        "right",
        _quote_value("last_time"),
        lambda r: fmt_clock(_quote_value("last_time")(r)),
    ),
    Column(
        "age",
        "Age",
        5,
        6,
        "right",
        lambda r: r.age,
        lambda r: r.status_marker or fmt_age(r.age),  # a halted row says so, not only dims
        lambda r: "stale" if r.stale else "",
    ),
    Column(
        "position",
        "Pos",
        7,
        3,  # chosen on purpose: kept as long as the bid
        "right",
        lambda r: r.position,
        lambda r: "" if r.position is None else fmt_volume(r.position, width=6),
        lambda r: _sign(r.position),
        opt_in=True,
    ),
)
"""Every column in display order."""

COLUMNS_BY_KEY = {column.key: column for column in COLUMNS}
