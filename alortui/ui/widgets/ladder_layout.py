"""How a ladder row is laid out: column widths, volume bars and the text of every cell.

Pure functions without Textual. A row becomes a list of ``Cell``s, each a piece of text with the
roles that style it (``"bid"``, ``"ask-bar"``, ``"flash-up"``, ...); the widget maps roles to
theme styles. Bids sit left of the price column with their bars growing leftward, asks right of
it with bars growing rightward; the cumulative volume is the outermost column on both sides.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from alortui.ui.formatting import DOWN_ARROW, UP_ARROW, decimals_of, fmt_price, fmt_volume
from alortui.ui.widgets.ladder_model import LadderRow

OWN_MARKER = "◆"
"""Left of the price of a level where one of the trader's own orders rests."""
MARKERS = {1: UP_ARROW, -1: DOWN_ARROW, 0: " "}
"""The flash marker after a volume: colour is never the only sign of a change."""

Cell = tuple[str, tuple[str, ...]]
"""Text and the roles that style it."""


@dataclass(frozen=True, slots=True)
class Layout:
    """Column widths shared by every row; when they change, every row is drawn again."""

    width: int
    decimals: int
    price: int
    volume: int
    cumulative: int

    @property
    def half(self) -> int:
        """Cells left of the price column (the bid side)."""
        return (self.width - self.price) // 2

    @property
    def bar(self) -> int:
        """Cells of a volume bar: what is left of a side after the numbers and gaps."""
        return max(0, self.half - self.cumulative - self.volume - 5)


def measure(rows: Sequence[LadderRow], width: int, decimals: int | None) -> Layout:
    """A layout that fits every row (``decimals`` None: as many as the prices use)."""
    levels = [row for row in rows if row.kind != "spread"]
    if decimals is None:
        decimals = max((decimals_of(row.price) for row in levels), default=2)
    return Layout(
        width=width,
        decimals=decimals,
        price=max((len(fmt_price(row.price, decimals)) for row in levels), default=0) + 2,
        # At least as wide as the column titles "bids"/"asks" and "Σ bids"/"Σ asks".
        volume=max([4, *(len(fmt_volume(row.volume)) for row in levels)]),
        cumulative=max([6, *(len(fmt_volume(row.cumulative)) for row in levels)]),
    )


def bar_cells(share: float, width: int, *, leftward: bool) -> str:
    """A volume bar of ``width`` cells filled to ``share`` with half-cell resolution.

    Bid bars grow leftward from the price column (right-aligned), ask bars rightward; half
    blocks exist in both directions (``▐`` and ``▌``), eighth blocks only rightward.
    """
    if width <= 0:
        return ""
    halves = min(2 * width, round(max(0.0, share) * 2 * width))
    if share > 0 and halves == 0:
        halves = 1
    full, half = divmod(halves, 2)
    if leftward:
        return ("▐" * half + "█" * full).rjust(width)
    return ("█" * full + "▌" * half).ljust(width)


def header_text(layout: Layout) -> str:
    """Column titles, aligned with the columns of :func:`row_cells`."""
    c, v, bar = layout.cumulative, layout.volume, " " * layout.bar
    bids = f"{'Σ bids':>{c}}  {'bids':>{v}}  {bar} "
    asks = f" {bar} {'asks':>{v}}   {'Σ asks':>{c}}"
    return bids.rjust(layout.half) + "price".center(layout.price) + asks


def row_cells(row: LadderRow, layout: Layout) -> list[Cell]:
    """The cells of one level, bid or ask, left to right."""
    side = row.kind
    flash = {1: ("flash-up",), -1: ("flash-down",)}.get(row.flash, ())
    text = fmt_price(row.price, layout.decimals).center(layout.price)
    roles = (side, "best") if row.best else (side,)
    if row.own:  # the price column has a blank cell either side for this marker
        text, roles = OWN_MARKER + text[1:], (*roles, "own")
    price = (text, roles)
    volume = (fmt_volume(row.volume).rjust(layout.volume) + MARKERS[row.flash], (side, *flash))
    cumulative = (fmt_volume(row.cumulative).rjust(layout.cumulative), ("cumulative",))
    bar = (bar_cells(row.share, layout.bar, leftward=side == "bid"), (f"{side}-bar",))
    space, gap = (" ", ()), ("  ", ())
    if side == "bid":
        pad = (" " * max(0, layout.half - layout.cumulative - layout.volume - layout.bar - 5), ())
        return [pad, cumulative, gap, volume, space, bar, space, price]
    return [(" " * layout.half, ()), price, space, bar, space, volume, gap, cumulative]
