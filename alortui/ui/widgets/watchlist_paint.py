"""Painting watchlist rows into ``Strip``s with the current theme's styles and column layout."""

from __future__ import annotations

import re
from dataclasses import dataclass

from rich.cells import cell_len, set_cell_size
from rich.segment import Segment
from rich.style import Style
from textual.strip import Strip

from alortui.ui.formatting import DOWN_ARROW, THIN_SPACE, UP_ARROW
from alortui.ui.widgets.watchlist_columns import Column
from alortui.ui.widgets.watchlist_rows import Row

STYLE_ROLES = (
    "header", "sorted", "cursor", "up", "down", "bid", "ask", "stale", "muted", "flash-up",
    "flash-down",
)  # fmt: skip
"""Roles styled by the table's component classes (``watchlist-table--<role>``)."""


_GROUPED_NUMBER = re.compile(r"[-+▲▼]?[\d ]+([.,]\d+)?[%KMB]?")
"""A number with digit groups, which may lose its separators to fit."""


def fit_text(text: str, width: int) -> str:
    """``text`` shortened to ``width`` cells: digit grouping goes first, then an ellipsis."""
    if cell_len(text) > width and _GROUPED_NUMBER.fullmatch(text):
        text = text.replace(THIN_SPACE, "")
    if cell_len(text) > width:
        text = set_cell_size(text, width - 1) + "…" if width > 1 else text[:width]
    return text


def _cell(text: str, width: int, align: str, style: Style, pad_style: Style) -> list[Segment]:
    """A cell's segments; the padding keeps ``pad_style`` so a flash tints only the value."""
    text = fit_text(text, width)
    pad = Segment(" " * (width - cell_len(text)), pad_style)
    value = Segment(text, style)
    return [pad, value] if align == "right" else [value, pad]


@dataclass(frozen=True, slots=True)
class RowPainter:
    """Paints the header and rows for one theme, one width and one column layout.

    Attributes:
        base: The widget's own style (background and foreground).
        roles: Partial styles by role name (see :data:`STYLE_ROLES`).
        layout: Visible columns with their widths, in display order.
        width: Cells of each line.
    """

    base: Style
    roles: dict[str, Style]
    layout: list[tuple[Column, int]]
    width: int

    def _finish(self, segments: list[Segment], style: Style) -> Strip:
        return Strip(segments).extend_cell_length(self.width, style).crop(0, self.width)

    def header(self, sort_key: str | None, reverse: bool) -> Strip:
        """The column titles; the sort column carries ▲ or ▼."""
        base = self.base + self.roles["header"]
        segments: list[Segment] = []
        for column, width in self.layout:
            title, style = column.title, base
            if column.key == sort_key:
                title += DOWN_ARROW if reverse else UP_ARROW
                style += self.roles["sorted"]
            if segments:
                segments.append(Segment(" ", base))
            segments += _cell(title, width, column.align, style, base)
        return self._finish(segments, base)

    def row(self, row: Row, cursor: bool) -> Strip:
        """One instrument's line: tones, stale/muted dimming, flashes with arrows, the cursor."""
        roles = self.roles
        base = self.base + roles["stale"] if row.stale else self.base
        if row.muted:
            base += roles["muted"]
        if cursor:
            base += roles["cursor"]
        dimmed = row.stale or row.muted
        segments: list[Segment] = []
        for column, width in self.layout:
            text, tone = column.text(row), column.tone(row)
            # A stale or muted row is dimmed throughout; only its age keeps the stale tone.
            style = base if dimmed and tone != "stale" else base + roles.get(tone, Style())
            pad_style = style
            if direction := row.flashes.get(column.key):
                text = (UP_ARROW if direction > 0 else DOWN_ARROW) + text
                style += roles["flash-up" if direction > 0 else "flash-down"]
            if segments:
                segments.append(Segment(" ", base))
            segments += _cell(text, width, column.align, style, pad_style)
        return self._finish(segments, base)
