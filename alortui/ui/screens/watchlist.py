"""The default screen: named watchlists of instruments with their live quotes."""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from typing import ClassVar

from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.screen import Screen
from textual.widgets import Footer, Static

from alortui.models import InstrumentKey
from alortui.service.api import MarketDataService, ServiceStatus, StreamIssue
from alortui.ui.formatting import clean_text, is_bond
from alortui.ui.messages import DataArrived, WatchlistsChanged
from alortui.ui.screens.add_instrument import AddInstrumentScreen
from alortui.ui.widgets.watchlist_table import WatchlistTable

log = logging.getLogger(__name__)


def tabs_text(names: list[str], active: str) -> Text:
    """The watchlist tab strip: ``1 Main  2 Bonds`` with the active one marked."""
    text = Text(no_wrap=True, end="", overflow="ellipsis")
    for number, name in enumerate(names, start=1):
        label = f" {number} {clean_text(name)} " if number <= 9 else f" {clean_text(name)} "
        text.append(label, style="reverse bold" if name == active else "")
    return text


class WatchlistScreen(Screen[None]):
    """Named watchlists; the active one streams quotes into a ``WatchlistTable``."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("right_square_bracket", "switch(1)", "Next list"),
        Binding("left_square_bracket", "switch(-1)", "Prev list", show=False),
        *(Binding(str(n), f"switch_to({n - 1})", f"List {n}", show=False) for n in range(1, 10)),
        Binding("a", "add", "Add"),
        Binding("d", "remove", "Remove", show=False),
        Binding("m", "move", "Move to next list", show=False),
        Binding("shift+up", "reorder(-1)", "Move up", show=False),
        Binding("shift+down", "reorder(1)", "Move down", show=False),
    ]

    def __init__(
        self,
        service: MarketDataService,
        watchlists: dict[str, list[InstrumentKey]],
        active: str | None = None,
        *,
        clock: Callable[[], float] = time.time,
        stale_after: float = 30.0,
        sort: str | None = None,
    ) -> None:
        super().__init__()
        self.service = service
        self.watchlists = watchlists
        self.active = active if active in watchlists else next(iter(watchlists), "")
        self._clock = clock
        self._stale_after = stale_after
        self._initial_sort = sort
        self.names: dict[InstrumentKey, str] = {}
        """Short names from reference data, cleaned (also used by the command palette)."""

    def compose(self) -> ComposeResult:
        yield Static(id="watchlist-tabs")
        yield Static(id="watchlist-message")
        yield WatchlistTable(clock=self._clock, stale_after=self._stale_after)
        yield Footer(compact=True)

    @property
    def table(self) -> WatchlistTable:
        """The table of the active watchlist."""
        return self.query_one(WatchlistTable)

    @property
    def keys(self) -> list[InstrumentKey]:
        """Instruments of the active watchlist."""
        return self.watchlists.setdefault(self.active, [])

    def on_mount(self) -> None:
        if hasattr(self.app, "service_status"):
            self.watch(self.app, "service_status", self._status_changed)
        self.show_watchlist(self.active)
        if self._initial_sort:
            column = self._initial_sort.removeprefix("-")
            self.table.sort_by(column, reverse=self._initial_sort.startswith("-"))
        self.table.focus()

    def _status_changed(self, status: ServiceStatus) -> None:
        self.table.set_delay(status.delayed_by)

    @property
    def sort_text(self) -> str | None:
        """The table's sort as saved: a column key, ``-`` in front when descending."""
        order = self.table.order
        if order.sort_key is None:
            return None
        return f"-{order.sort_key}" if order.reverse else order.sort_key

    def show_watchlist(self, name: str) -> None:
        """Make ``name`` the active watchlist and stream its quotes."""
        self.active = name
        self.query_one("#watchlist-tabs", Static).update(tabs_text(list(self.watchlists), name))
        self.table.set_keys(self.keys)
        self._restart()

    def _restart(self) -> None:
        if not self.keys:
            self.workers.cancel_group(self, "quotes")
            self.show_message("This watchlist is empty: press a to add an instrument")
            return
        self.show_message("Waiting for quotes…")
        self._stream(list(self.keys))
        self._load_reference([key for key in self.keys if key not in self.names])

    def show_message(self, message: str | None) -> None:
        """Show a one-line note above the table (a stream issue, an empty list), or hide it."""
        line = self.query_one("#watchlist-message", Static)
        line.display = bool(message)
        line.update(Text(clean_text(message)))

    @work(exclusive=True, group="quotes", exit_on_error=False)
    async def _stream(self, keys: list[InstrumentKey]) -> None:
        try:
            async for item in self.service.quotes(keys):
                if isinstance(item, StreamIssue):
                    self.show_message(f"Quotes: {item.kind.value}: {item.message}")
                    continue
                self.show_message(None)
                self.table.apply(item)
                if item:
                    newest = max(item.values(), key=lambda stamped: stamped.received)
                    self.post_message(DataArrived(newest.received, newest.as_of))
        except Exception as error:
            # The service yields StreamIssue for known trouble; anything else still gets a line.
            log.exception("quote stream failed")
            self.show_message(f"Quotes stopped: {error}")

    @work(group="reference", exit_on_error=False)
    async def _load_reference(self, keys: list[InstrumentKey]) -> None:
        # One search per instrument, one at a time: ALOR throttles bursts (alor-api.md 5).
        for key in keys:
            try:
                found = await self.service.search(key.symbol, limit=10)
            except Exception:
                log.warning("no reference data for %s", key, exc_info=True)
                continue  # retried the next time the list is shown
            same = [s for s in found if s.key.without_board() == key.without_board()]
            best = next((s for s in same if s.key.board == key.board), same[0] if same else None)
            self.names[key] = clean_text(best.short_name) if best else ""
            if best is not None:
                percent = is_bond(best.type) or None
                self.table.set_reference(
                    key, name=best.short_name, decimals=best.price_decimals, percent=percent
                )

    # -- editing ---------------------------------------------------------------------------------

    def action_switch(self, step: int) -> None:
        names = list(self.watchlists)
        if names:
            self.show_watchlist(names[(names.index(self.active) + step) % len(names)])

    def action_switch_to(self, index: int) -> None:
        names = list(self.watchlists)
        if index < len(names):
            self.show_watchlist(names[index])

    def action_remove(self) -> None:
        key = self.table.selected_key
        if key is None:
            return
        self.keys.remove(key)
        self.show_watchlist(self.active)
        self._changed()
        self.notify(f"Removed {key} from {self.active}", timeout=3, markup=False)

    def action_reorder(self, step: int) -> None:
        key = self.table.selected_key
        if key is None or self.table.order.sort_key is not None:
            if key is not None:
                self.notify("Clear the sort (s until unsorted) to reorder", timeout=3)
            return
        keys = self.keys
        index = keys.index(key)
        target = index + step
        if 0 <= target < len(keys):
            keys[index], keys[target] = keys[target], keys[index]
            self.table.set_keys(keys)
            self.table.select_key(key)
            self._changed()

    def action_move(self) -> None:
        key, names = self.table.selected_key, list(self.watchlists)
        if key is None or len(names) < 2:
            return
        target = names[(names.index(self.active) + 1) % len(names)]
        self.keys.remove(key)
        if key not in self.watchlists[target]:
            self.watchlists[target].append(key)
        self.show_watchlist(self.active)
        self._changed()
        self.notify(f"Moved {key} to {target}", timeout=3, markup=False)

    def action_add(self) -> None:
        self.app.push_screen(AddInstrumentScreen(self.service), self.add_key)

    def add_key(self, key: InstrumentKey | None) -> None:
        """Append ``key`` to the active watchlist (if new) and put the cursor on it."""
        if key is None:
            return
        if key not in self.keys:
            self.keys.append(key)
            self.show_watchlist(self.active)
            self._changed()
        self.table.select_key(key)

    def _changed(self) -> None:
        self.post_message(WatchlistsChanged(self.watchlists, self.active))
