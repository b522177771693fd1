"""The order-book ladder: asks above, bids below, a spread row between them.

A Line-API widget (``render_line -> Strip``, the shape of toolong's ``log_lines.py``): each row is
described by a frozen ``LadderRow``; a new book becomes new rows, compared with the old rows by
index, and only rows whose description changed are re-rendered and refreshed (style.md section 3).
Each message of ALOR's order-book stream is a full book (alor-api.md 3.5), so changes are found by
diffing two books, not by applying deltas.
"""

from __future__ import annotations

import time
from collections.abc import Sequence
from typing import ClassVar, cast

from rich.segment import Segment
from rich.style import Style
from textual import events
from textual.binding import Binding, BindingType
from textual.geometry import Size
from textual.strip import Strip

from alortui.models import OrderBook, PriceLevel
from alortui.ui.widgets.ladder_layout import Cell, Layout, header_text, measure, row_cells
from alortui.ui.widgets.ladder_model import (
    BookStats,
    LadderRow,
    book_stats,
    ladder_rows,
    level_changes,
    spread_label,
)
from alortui.ui.widgets.themed_view import ThemedScrollView

HEADER = 1
"""Lines of column titles at the top that stay put while the rows scroll."""

FLASH_SECONDS = 1.0
"""How long a changed level stays highlighted."""


class Ladder(ThemedScrollView, can_focus=True):
    """A scrollable price ladder of up to 50 levels per side with volume bars."""

    COMPONENT_CLASSES: ClassVar[set[str]] = {
        "ladder--bid",
        "ladder--ask",
        "ladder--bid-bar",
        "ladder--ask-bar",
        "ladder--cumulative",
        "ladder--flash-up",
        "ladder--flash-down",
        "ladder--spread",
        "ladder--crossed",
        "ladder--empty",
        "ladder--own",
    }

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("up,k", "scroll_rows(-1)", "Up", show=False),
        Binding("down,j", "scroll_rows(1)", "Down", show=False),
        Binding("pageup", "scroll_page(-1)", "Page up", show=False),
        Binding("pagedown", "scroll_page(1)", "Page down", show=False),
    ]

    DEFAULT_CSS = """
    Ladder { height: 1fr; scrollbar-size-vertical: 1; overflow-x: hidden; }
    Ladder > .ladder--bid { color: $bid; }
    Ladder > .ladder--ask { color: $ask; }
    Ladder > .ladder--bid-bar { color: $bid 50%; }
    Ladder > .ladder--ask-bar { color: $ask 50%; }
    Ladder > .ladder--cumulative { color: $text-muted; }
    Ladder > .ladder--flash-up { background: $flash-up; text-style: bold; }
    Ladder > .ladder--flash-down { background: $flash-down; text-style: bold; }
    Ladder > .ladder--spread { color: $text; background: $boost; }
    Ladder > .ladder--crossed { color: $text; background: $error; text-style: bold; }
    Ladder > .ladder--empty { color: $text-muted; text-style: italic; }
    Ladder > .ladder--own { text-style: bold underline; }
    """

    def __init__(self, *, depth: int = 20, name: str | None = None, id: str | None = None) -> None:
        super().__init__(name=name, id=id)
        self.depth = depth
        self.decimals: int | None = None
        self.min_step: float | None = None
        self.auto_center = True
        self._book: OrderBook | None = None
        self._rows: list[LadderRow] = []
        self._layout: Layout | None = None
        self._pad = 0
        """Blank lines above the first row (see ``_centering_pad``)."""
        self._flashes: dict[tuple[str, float], tuple[int, float]] = {}
        self._keys: list[object] = []
        """What each row shows (its cells, or the spread text): rows are repainted on change."""
        self._strips: dict[int, Strip] = {}
        """Finished lines by row index, valid while the row's key, layout and theme stand."""
        self._styles: dict[tuple[str, ...], Style] = {}
        """Rich styles by role list, resolved once per theme or CSS change, not per cell."""
        self._header: Strip | None = None
        self._flash_timer_pending = False
        self._own: frozenset[float] = frozenset()

    @property
    def rows(self) -> Sequence[LadderRow]:
        """The rows currently shown, top to bottom."""
        return self._rows

    @property
    def stats(self) -> BookStats | None:
        """Totals, spread and imbalance of the levels shown (None before the first book)."""
        return book_stats(self._book, self.depth) if self._book is not None else None

    def set_price_grid(self, min_step: float | None, decimals: int | None) -> None:
        """Use the instrument's tick size and price decimals (from its reference data)."""
        self.min_step, self.decimals = min_step, decimals
        self._rebuild(force=True)

    def set_depth(self, depth: int) -> None:
        """Show ``depth`` levels per side; levels that come into view do not flash."""
        self.depth = depth
        self._flashes.clear()
        self._rebuild(force=True)

    def show_book(self, book: OrderBook) -> None:
        """Show a new full book, flashing the levels that differ from the previous one."""
        if self._book is not None:
            self._note_changes(self._book.bids, book.bids, "bid")
            self._note_changes(self._book.asks, book.asks, "ask")
        self._book = book
        self._rebuild()

    def set_own_orders(self, prices: frozenset[float]) -> None:
        """Mark the levels at ``prices``: the trader's own working orders (read-only)."""
        if prices != self._own:
            self._own = prices
            self._rebuild()

    @property
    def own_orders(self) -> frozenset[float]:
        """Prices of the trader's own working orders marked on the ladder."""
        return self._own

    def center(self) -> None:
        """Scroll so the spread row sits in the middle, and keep it there."""
        self.auto_center = True
        self._rebuild(force=True)

    def _note_changes(
        self, old: Sequence[PriceLevel], new: Sequence[PriceLevel], kind: str
    ) -> None:
        until = time.monotonic() + FLASH_SECONDS
        changes = level_changes(old[: self.depth], new[: self.depth], bids=kind == "bid")
        for price, direction in changes.items():
            self._flashes[(kind, price)] = (direction, until)

    def _active_flashes(self) -> dict[tuple[str, float], int]:
        now = time.monotonic()
        self._flashes = {key: value for key, value in self._flashes.items() if value[1] > now}
        return {key: direction for key, (direction, _) in self._flashes.items()}

    def _rebuild(self, *, force: bool = False) -> None:
        rows = (ladder_rows(self._book, self.depth, self._active_flashes(), self._own)
                if self._book else [])
        layout = self._measure(rows)
        pad = self._centering_pad(rows) if self.auto_center else self._pad
        keys = self._row_keys(rows, layout)
        if force or len(rows) != len(self._rows) or (layout, pad) != (self._layout, self._pad):
            self._rows, self._layout, self._pad, self._keys = rows, layout, pad, keys
            self._strips, self._header = {}, None
            self._set_virtual_height(HEADER + pad + len(rows))
            self.refresh()
        else:
            # Compare what the rows show, not the rows: a level whose bar share moved by less
            # than half a cell looks the same and is not repainted. The spread row is always
            # repainted: it is one line and its text comes from the whole book.
            changed = [
                i
                for i, (old, new, row) in enumerate(zip(self._keys, keys, rows, strict=True))
                if old != new or row.kind == "spread"
            ]
            self._rows, self._keys = rows, keys
            for index in changed:
                self._strips.pop(index, None)
                self.refresh_line(HEADER + pad + index)
        if self.auto_center:
            self._scroll_to_spread()
        if self._flashes and not self._flash_timer_pending:
            self._flash_timer_pending = True
            self.set_timer(FLASH_SECONDS, self._expire_flashes)

    def _row_keys(self, rows: Sequence[LadderRow], layout: Layout) -> list[object]:
        """What each row shows: its cells, or for the spread row its text and style."""
        return [
            self._spread_look(layout) if row.kind == "spread" else tuple(row_cells(row, layout))
            for row in rows
        ]

    def _spread_look(self, layout: Layout) -> tuple[str, str]:
        stats = self.stats
        if stats is None:
            return "", "ladder--spread"
        component = "ladder--crossed" if stats.crossed else "ladder--spread"
        return spread_label(stats, self.min_step, layout.decimals), component

    def _set_virtual_height(self, height: int) -> None:
        """Set the scrollable height without a layout of the whole screen.

        The ladder's own size comes from CSS, not from its content, so a new virtual size only
        changes the scrollbar; Textual lays the screen out again by itself if the scrollbar
        appears or goes (``show_vertical_scrollbar`` is a layout reactive).
        """
        size = Size(self.scrollable_content_region.width, height)
        if size != self.virtual_size:
            self.set_reactive(Ladder.virtual_size, size)
            self._scroll_update(size)

    def _centering_pad(self, rows: Sequence[LadderRow]) -> int:
        """Blank lines above the asks that put the spread row mid-screen when there are few asks."""
        spread = next((i for i, row in enumerate(rows) if row.kind == "spread"), 0)
        return max(0, self._rows_height // 2 - spread)

    def _measure(self, rows: Sequence[LadderRow]) -> Layout:
        return measure(rows, self.scrollable_content_region.width, self.decimals)

    def _expire_flashes(self) -> None:
        self._flash_timer_pending = False
        self._rebuild()

    def _scroll_to_spread(self) -> None:
        spread = next((i for i, row in enumerate(self._rows) if row.kind == "spread"), 0)
        target = max(0, self._pad + spread - self._rows_height // 2)
        self.scroll_to(y=target, animate=False, immediate=True)

    def action_scroll_rows(self, rows: int) -> None:
        """Scroll by ``rows``; the ladder stops following the spread until ``c``."""
        self.auto_center = False
        self.scroll_relative(y=rows, animate=False)

    def action_scroll_page(self, pages: int) -> None:
        """Scroll by whole screens."""
        self.action_scroll_rows(pages * max(1, self.scrollable_content_region.height - 1))

    def on_mouse_scroll_up(self, event: events.MouseScrollUp) -> None:
        """The reader scrolls: stop re-centring on the spread (``c`` turns it back on)."""
        self.auto_center = False

    def on_mouse_scroll_down(self, event: events.MouseScrollDown) -> None:
        """The reader scrolls: stop re-centring on the spread."""
        self.auto_center = False

    def on_resize(self) -> None:
        """Lay every row out again for the new size."""
        self._rebuild(force=True)

    def drop_style_caches(self) -> None:
        """Forget every style and strip computed with the old theme."""
        self._strips.clear()
        self._styles.clear()
        self._header = None

    def render_line(self, y: int) -> Strip:
        """Render one visible line of the ladder."""
        index = y - HEADER + self.scroll_offset.y - self._pad
        width = self.scrollable_content_region.width
        if self._layout is not None and self._layout.width != width:
            # A scrollbar came or went without a resize: lay the rows out for the new width.
            self._layout = self._measure(self._rows)
            self._keys = self._row_keys(self._rows, self._layout)
            self._strips, self._header = {}, None
        if not self._rows:
            text = "waiting for the order book…" if y == 0 else ""
            return self._text_strip(text, "ladder--empty", width)
        if y < HEADER:
            if self._header is None or self._header.cell_length != width:
                self._header = self._render_header().crop_extend(0, width, self._cell_style(()))
            return self._header
        if not 0 <= index < len(self._rows):
            return Strip.blank(width, self._cell_style(()))
        strip = self._strips.get(index)
        if strip is None or strip.cell_length != width:
            strip = self._render_row(index).crop_extend(0, width, self._cell_style(()))
            self._strips[index] = strip
        return strip

    def _text_strip(self, text: str, component: str, width: int) -> Strip:
        return Strip([Segment(text.center(width)[:width], self._style(component))], width)

    def _style(self, component: str) -> Style:
        return self._cell_style((component.removeprefix("ladder--"),))

    @property
    def _rows_height(self) -> int:
        return max(0, self.scrollable_content_region.height - HEADER)

    def _render_header(self) -> Strip:
        layout = self._layout or self._measure(self._rows)
        return Strip([Segment(header_text(layout), self._style("ladder--cumulative"))])

    def _render_row(self, index: int) -> Strip:
        row = self._rows[index]
        if row.kind == "spread":
            layout = self._layout or self._measure(self._rows)
            text, component = self._spread_look(layout)
            return self._text_strip(text, component, layout.width)
        # The row's cells were laid out by ``_rebuild`` to find what changed: not twice.
        cells = cast(tuple[Cell, ...], self._keys[index])
        return Strip([Segment(text, self._cell_style(roles)) for text, roles in cells])

    def _cell_style(self, roles: tuple[str, ...]) -> Style:
        """The widget's style with the component style of each role on top (cached)."""
        style = self._styles.get(roles)
        if style is None:
            style = self.rich_style
            for role in roles:
                style += (
                    Style(bold=True)
                    if role == "best"
                    else self.get_component_rich_style(f"ladder--{role}")
                )
            self._styles[roles] = style
        return style
