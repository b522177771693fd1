"""Showing named watchlists: the tab strip, the table, its quote stream and background data.

:class:`WatchlistView` shows; :class:`~alortui.ui.screens.watchlist.WatchlistScreen` adds the
keys that edit. Quotes stream in one exclusive worker; names, trading status and turnover come
from :class:`~alortui.ui.screens.watchlist_feeds.WatchlistFeeds` in another, and sparklines
from :class:`~alortui.ui.screens.watchlist_sparks.SparklineFeed` in a third.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Sequence

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.events import ScreenResume
from textual.screen import Screen
from textual.widgets import Footer, Static

from alortui.models import InstrumentKey
from alortui.service.api import MarketDataService, ServiceStatus, StreamIssue
from alortui.ui.formatting import clean_text
from alortui.ui.messages import DataArrived
from alortui.ui.own_data import own_states, position_lots
from alortui.ui.screens.watchlist_feeds import INFO_REFRESH, TURNOVER_REFRESH, WatchlistFeeds
from alortui.ui.screens.watchlist_sparks import SparklineFeed
from alortui.ui.widgets.watchlist_canvas import WatchlistCanvas
from alortui.ui.widgets.watchlist_table import WatchlistTable
from alortui.ui.widgets.watchlist_tabs import WatchlistTabs

log = logging.getLogger(__name__)
_UNSET = object()


class WatchlistView(Screen[None]):
    """Named watchlists; the active one streams quotes into a ``WatchlistTable``.

    Args:
        service: The data service.
        watchlists: Named lists of instruments (edited in place).
        active: The list shown first.
        clock: Local Unix time.
        stale_after: Seconds without an update before a row is dimmed.
        sort: Saved sort (a column key, ``-`` in front when descending).
        columns: Saved column keys in order (``None`` or empty: every column).
    """

    def __init__(
        self,
        service: MarketDataService,
        watchlists: dict[str, list[InstrumentKey]],
        active: str | None = None,
        *,
        clock: Callable[[], float] = time.time,
        stale_after: float = 30.0,
        sort: str | None = None,
        columns: Sequence[str] | None = None,
    ) -> None:
        super().__init__()
        self.service = service
        self.watchlists = watchlists
        self.active = active if active in watchlists else next(iter(watchlists), "")
        self._clock = clock
        self._stale_after = stale_after
        self._initial_sort = sort
        self._columns = columns
        self.feeds = WatchlistFeeds(service, clock)
        self.sparks = SparklineFeed(service, clock)
        self._sparks_on = False
        self._positions_of: tuple[bool, str | None] = (False, None)
        """Whether the position column streams, and which portfolio (the app's choice)."""
        self._message: str | None = None
        # The note on screen; a sentinel at first so the first note (even none) is applied.
        self._message_shown: object = _UNSET

    def compose(self) -> ComposeResult:
        yield WatchlistTabs(id="watchlist-tabs")
        yield Static(id="watchlist-message")
        yield WatchlistTable(
            clock=self._clock, stale_after=self._stale_after, columns=self._columns
        )
        yield Footer(compact=True)

    @property
    def table(self) -> WatchlistTable:
        """The table of the active watchlist."""
        return self.query_one(WatchlistTable)

    @property
    def keys(self) -> list[InstrumentKey]:
        """Instruments of the active watchlist."""
        return self.watchlists.setdefault(self.active, [])

    @property
    def names(self) -> dict[InstrumentKey, str]:
        """Short names from reference data, cleaned (the command palette shows them)."""
        return self.feeds.names

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
        self.query_one(WatchlistTabs).show(list(self.watchlists), name)
        self.table.set_keys(self.keys)
        self.feeds.restore(self.keys, self.table)
        self.sparks.restore(self.keys, self.table)
        self._restart()

    def _restart(self) -> None:
        self._run_sparklines()
        if not self.keys:
            self.workers.cancel_group(self, "quotes")
            self.workers.cancel_group(self, "reference")
            self.show_message("This watchlist is empty: press a to add an instrument")
            return
        self.show_message("Waiting for quotes…")
        self._stream(list(self.keys))
        self._load_reference(list(self.keys))

    def show_message(self, message: str | None) -> None:
        """Show a one-line note above the table (a stream issue, an empty list), or hide it.

        Called for every stream item, mostly with the note already shown: ``Static.update``
        lays out the whole screen, so only a changed note is applied, and one that changes
        while another screen covers this one waits until this screen is shown again.
        """
        self._message = message or None
        if self.is_current:
            self._apply_message()

    def _apply_message(self) -> None:
        line = next(self.query("#watchlist-message").results(Static), None)
        if self._message == self._message_shown or line is None:
            return  # unchanged, or the app is quitting and the line already gone
        self._message_shown = self._message
        line.display = bool(self._message)
        if self._message:
            # Text, not str: Static parses a str as markup, and the message is server text.
            line.update(Text(clean_text(self._message)))

    @on(ScreenResume)
    def _resumed(self) -> None:
        self._apply_message()
        self._run_positions()  # the Portfolio screen may have chosen another portfolio

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

    @work(exclusive=True, group="reference", exit_on_error=False)
    async def _load_reference(self, keys: list[InstrumentKey]) -> None:
        await self.feeds.load_reference(keys, self.table, self._info_due_after)

    def _info_due_after(self, key: InstrumentKey) -> float:
        """Seconds after which ``key``'s info is asked again: a minute for a turnover on screen."""
        table = self.table
        shown = self.is_current and "turnover" in table.shown_columns
        return TURNOVER_REFRESH if shown and key in table.keys_on_screen else INFO_REFRESH

    @on(WatchlistTabs.TabClicked)
    def _tab_clicked(self, event: WatchlistTabs.TabClicked) -> None:
        self.show_watchlist(event.name)

    @on(WatchlistCanvas.LayoutChanged)
    def _layout_changed(self, event: WatchlistCanvas.LayoutChanged) -> None:
        if ("spark" in event.shown) != self._sparks_on:
            self._run_sparklines()
        self._run_positions()

    def _run_sparklines(self) -> None:
        # Only while the sparkline column shows: a narrow terminal asks for no candles.
        self._sparks_on = "spark" in self.table.shown_columns
        if self._sparks_on and self.keys:
            self._sparklines(list(self.keys))
        else:
            self.workers.cancel_group(self, "sparks")

    @work(exclusive=True, group="sparks", exit_on_error=False)
    async def _sparklines(self, keys: list[InstrumentKey]) -> None:
        await self.sparks.run(keys, self.table)

    def _run_positions(self) -> None:
        # Only while the position column shows: nothing else here needs the portfolio stream.
        shown = "position" in self.table.shown_columns
        wanted = (shown, getattr(self.app, "portfolio", None) if shown else None)
        if wanted == self._positions_of:
            return
        self._positions_of = wanted
        self.workers.cancel_group(self, "positions")
        self.table.set_positions({})
        if shown:
            self._positions(wanted[1])

    @work(exclusive=True, group="positions", exit_on_error=False)
    async def _positions(self, chosen: str | None) -> None:
        async for state in own_states(self.service, chosen):
            self.table.set_positions(position_lots(state))
