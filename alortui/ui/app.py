"""The alortui application: screens bound to an injected data service (style.md 2)."""

from __future__ import annotations

import importlib
import logging
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import ClassVar

from textual import work
from textual.app import App
from textual.binding import Binding, BindingType
from textual.reactive import var
from textual.screen import Screen

from alortui.config import DEFAULT_WATCHLIST, DEFAULT_WATCHLIST_NAME
from alortui.models import InstrumentKey
from alortui.service.api import Link, MarketDataService, Mode, ServiceStatus
from alortui.ui.commands import AlorCommands
from alortui.ui.messages import (
    ColumnsChanged,
    DataArrived,
    OpenDepth,
    OpenInfo,
    WatchlistsChanged,
)
from alortui.ui.screens.keys import KeysScreen, key_sections
from alortui.ui.screens.watchlist import WatchlistScreen
from alortui.ui.terminal_app import TerminalApp
from alortui.ui.themes import BUNDLED_THEMES_DIR, DEFAULT_THEME, VARIABLE_DEFAULTS, load_themes
from alortui.ui.widgets.status_bar import StatusBar

log = logging.getLogger(__name__)

SaveCallback = Callable[..., None]
"""Called as ``on_save(watchlists=..., active_watchlist=..., theme=..., sort=..., columns=...,
portfolio=...)``."""


class AlorTUI(TerminalApp):
    """A calm, fast market monitor for ALOR.

    Args:
        service: The data service the screens bind to (live, delayed, simulated or a fake).
        settings: The loaded settings, kept for screens that need them; not interpreted here.
        watchlists: Named lists of instruments, in tab order.
        theme: Theme name; unknown names fall back to the default with a warning.
        on_save: Receives the watchlists, the active list, the theme, the sort and the columns
            after each change and at quit (see :data:`SaveCallback`).
        clock: Local Unix time (frozen in tests and screenshots).
        theme_dirs: Extra directories of user themes (``*.toml``).
        active_watchlist: The list shown first.
        stale_after: Seconds without an update before a row is dimmed as stale.
        sort: The watchlist's sort column key, ``-`` in front for descending (``"-volume"``).
        columns: The watchlist's column keys in order (``None`` or empty: every column).
        portfolio: The portfolio the Portfolio screen shows first (``None``: the token's first).
    """

    CSS_PATH = "alortui.tcss"
    TITLE = "alortui"
    COMMANDS = App.COMMANDS | {AlorCommands}
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("q", "quit", "Quit"),
        Binding("question_mark", "toggle_help", "Keys"),
        Binding("escape", "back", "Back", show=False),
        Binding("ctrl+r", "reconnect", "Reconnect", show=False),
        Binding("t", "next_theme", "Next theme", show=False),
    ]

    service_status: var[ServiceStatus] = var(ServiceStatus(Mode.OFFLINE, Link.CONNECTING))
    """The latest status of the service; the status bars and screens watch it."""

    def __init__(
        self,
        service: MarketDataService,
        *,
        settings: object | None = None,
        watchlists: dict[str, list[InstrumentKey]] | None = None,
        theme: str | None = None,
        on_save: SaveCallback | None = None,
        clock: Callable[[], float] | None = None,
        theme_dirs: Sequence[Path] = (),
        active_watchlist: str | None = None,
        stale_after: float = 30.0,
        sort: str | None = None,
        columns: Sequence[str] | None = None,
        portfolio: str | None = None,
    ) -> None:
        super().__init__()
        self.service = service
        self.settings = settings
        self.clock = clock or time.time
        self.on_save = on_save
        self.portfolio = portfolio
        """The chosen portfolio id (saved with the settings)."""
        self.hide_amounts = False
        """Money amounts hidden on the Portfolio screen (``$``), kept while the app runs."""
        self.newest_data: tuple[float, float] | None = None
        """``(received, as_of)`` of the newest data any screen received."""
        if watchlists is None:
            default = [InstrumentKey.parse(text) for text in DEFAULT_WATCHLIST]
            watchlists = {DEFAULT_WATCHLIST_NAME: default}
        self.watchlists = {name: list(keys) for name, keys in watchlists.items()}
        themes = load_themes([BUNDLED_THEMES_DIR, *theme_dirs])
        for extra in themes:
            self.register_theme(extra)
        self._theme_cycle = [extra.name for extra in themes] or [DEFAULT_THEME]
        if theme and theme not in self.available_themes:
            log.warning("unknown theme %r, using %r", theme, DEFAULT_THEME)
        self.theme = theme if theme in self.available_themes else DEFAULT_THEME
        self.service_status = service.status
        self._watchlist_screen = self.with_status_bar(
            WatchlistScreen(
                service,
                self.watchlists,
                active_watchlist,
                clock=self.clock,
                stale_after=stale_after,
                sort=sort,
                columns=columns,
            )
        )

    def get_theme_variable_defaults(self) -> dict[str, str]:
        return dict(VARIABLE_DEFAULTS)

    def get_default_screen(self) -> Screen[None]:
        return self._watchlist_screen

    @property
    def watchlist_screen(self) -> WatchlistScreen:
        """The watchlist screen (the bottom of the screen stack)."""
        return self._watchlist_screen

    def with_status_bar(self, screen: Screen[object]) -> Screen[object]:
        """Give a full screen the status bar before it composes (it is the first child)."""
        screen.compose_add_child(StatusBar())
        return screen

    def on_mount(self) -> None:
        self._follow_status()
        self.theme_changed_signal.subscribe(self, lambda theme: self.save())

    @work(group="status", exit_on_error=False)
    async def _follow_status(self) -> None:
        try:
            async for status in self.service.watch_status():
                self.service_status = status
        except Exception as error:
            # The status line must keep telling the truth even if the service breaks.
            log.exception("status stream failed")
            self.service_status = ServiceStatus(Mode.OFFLINE, Link.CLOSED, reason=str(error))

    # -- messages from the screens ---------------------------------------------------------------

    def on_data_arrived(self, message: DataArrived) -> None:
        newest = self.newest_data
        if newest is None or message.received >= newest[0]:
            self.newest_data = (message.received, message.as_of)
        if newest is None:
            # Later ages show at the status line's next one-second tick; the first shows now.
            for bar in self.screen.query(StatusBar):
                bar.tick()

    def on_open_depth(self, message: OpenDepth) -> None:
        self._open("depth", "DepthScreen", message.key)

    def on_open_info(self, message: OpenInfo) -> None:
        self._open("info", "InfoScreen", message.key)

    def on_watchlists_changed(self, message: WatchlistsChanged) -> None:
        self.save()

    def on_columns_changed(self, message: ColumnsChanged) -> None:
        self.save()

    def _open(self, module_name: str, class_name: str, key: InstrumentKey) -> None:
        # Imported on first use: the depth and info screens are heavier and optional at start.
        try:
            module = importlib.import_module(f"alortui.ui.screens.{module_name}")
            factory = getattr(module, class_name)
        except (ImportError, AttributeError):
            log.exception("cannot open %s", class_name)
            self.notify(f"The {module_name} screen is not available", severity="warning")
            return
        self.push_screen(self.with_status_bar(factory(self.service, key)))

    def open_portfolio(self, portfolio: str | None = None) -> None:
        """Show the Portfolio screen (or switch the open one to ``portfolio``)."""
        from alortui.ui.screens.portfolio import PortfolioScreen

        if isinstance(self.screen, PortfolioScreen):
            if portfolio is not None and portfolio != self.screen.portfolio:
                self.screen.show_portfolio(portfolio)
            return
        if portfolio is not None:
            self.choose_portfolio(portfolio)
        screen = PortfolioScreen(self.service, self.portfolio, on_choose=self.choose_portfolio,
                                 hidden=self.hide_amounts)
        self.push_screen(self.with_status_bar(screen))

    def choose_portfolio(self, portfolio: str) -> None:
        """Remember ``portfolio`` as the one to show, and save the choice."""
        if portfolio != self.portfolio:
            self.portfolio = portfolio
            self.save()

    def go_to_watchlist(self, watchlist: str) -> None:
        """Close the screens above the watchlists and show ``watchlist`` (command palette)."""
        while len(self.screen_stack) > 1:
            self.pop_screen()
        self.watchlist_screen.show_watchlist(watchlist)

    def go_to_instrument(self, watchlist: str, key: InstrumentKey) -> None:
        """Show ``watchlist`` with the cursor on ``key`` (from the command palette)."""
        self.go_to_watchlist(watchlist)
        self.watchlist_screen.table.select_key(key)

    def save(self) -> None:
        """Hand the watchlists, theme, sort and columns to ``on_save`` (the CLI writes them)."""
        if self.on_save is None:
            return
        screen = self.watchlist_screen
        try:
            self.on_save(
                watchlists=self.watchlists,
                active_watchlist=screen.active,
                theme=self.theme,
                sort=screen.sort_text,
                columns=screen.table.column_keys,
                portfolio=self.portfolio,
            )
        except Exception as error:
            # A read-only config must not take the monitor down; say so and carry on.
            log.exception("saving the settings failed")
            self.notify(f"Could not save settings: {error}", severity="error", markup=False)

    # -- actions ---------------------------------------------------------------------------------

    async def action_quit(self) -> None:
        self.save()  # the sort order is saved here rather than on every sort key press
        await super().action_quit()

    def action_toggle_help(self) -> None:
        """Show every key of the current screen, generated from its bindings."""
        if self.screen.query("HelpPanel"):  # Textual's own panel (the palette's "Keys")
            self.action_hide_help_panel()
        else:
            self.push_screen(KeysScreen(key_sections(self, self.active_bindings)))

    def action_back(self) -> None:
        if self.screen.query("HelpPanel"):
            self.action_hide_help_panel()
        elif len(self.screen_stack) > 1:
            self.pop_screen()

    async def action_reconnect(self) -> None:
        self.notify("Reconnecting to ALOR…", timeout=3)
        try:
            await self.service.reconnect()
        except Exception as error:
            log.exception("reconnect failed")
            self.notify(f"Reconnect failed: {error}", severity="error", markup=False)

    def action_portfolio(self) -> None:
        """Open the Portfolio screen (read-only: positions, orders, trades)."""
        self.open_portfolio()

    def action_next_theme(self) -> None:
        names = self._theme_cycle
        current = names.index(self.theme) if self.theme in names else -1
        self.theme = names[(current + 1) % len(names)]
