"""The command palette's provider: instruments, watchlists, themes and actions (ctrl+p)."""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterator
from functools import partial
from typing import TYPE_CHECKING, cast

from textual.command import DiscoveryHit, Hit, Hits, Provider
from textual.content import Content
from textual.fuzzy import Matcher
from textual.markup import escape

from alortui.alor.errors import AlorError
from alortui.models import InstrumentKey
from alortui.service.api import Mode
from alortui.ui.formatting import clean_text
from alortui.ui.widgets.watchlist_columns import COLUMNS

if TYPE_CHECKING:
    from alortui.ui.app import AlorTUI

log = logging.getLogger(__name__)

Command = tuple[str, Callable[[], object], str]
"""Palette text (plain), what it does, help line (plain)."""

ALOR_SEARCH_MIN = 2
"""Characters typed before the palette also asks ALOR's search (one request per query)."""


def switch_data_mode(app: AlorTUI, anonymous: bool) -> None:
    """Move the service to delayed anonymous data or back to live, in the background.

    The status line shows the outcome (the move itself takes a reconnect or a first poll).
    """

    async def switch() -> None:
        try:
            await app.service.set_anonymous(anonymous)
        except AlorError as error:
            log.exception("switching the data mode failed")
            app.notify(f"Could not switch: {error}", severity="error", markup=False)

    app.notify(f"Switching to {'delayed' if anonymous else 'live'} data…", timeout=3)
    app.run_worker(switch(), group="data-mode", exclusive=True, exit_on_error=False)


def highlight(matcher: Matcher, text: str) -> Content:
    """``text`` with the matched letters styled; never parsed as markup (server names)."""
    content = Content(text)
    _score, offsets = matcher.fuzzy_search.match(matcher.query, text)
    for offset in offsets:
        content = content.stylize(matcher.match_style, offset, offset + 1)
    return content


class AlorCommands(Provider):
    """Finds instruments in the watchlists and on the exchange, watchlists, themes and actions."""

    @property
    def alortui(self) -> AlorTUI:
        """The app, typed."""
        return cast("AlorTUI", self.app)

    def _actions(self) -> Iterator[Command]:
        app = self.alortui
        screen = app.watchlist_screen
        yield "Reconnect", app.action_reconnect, "Drop the connection to ALOR and connect again"
        yield "Add instrument", screen.action_add, "Search and add to this list"
        yield "Portfolio", app.action_portfolio, "Positions, orders and trades (read-only)"
        if self.screen is screen:  # the cursor row and the sort are the watchlist's own
            yield from self._watchlist_actions()
        yield "Export watchlist", screen.action_export, "Copy this list as EXCHANGE:SYMBOL;..."
        yield "Import watchlist", screen.action_import, "Paste EXCHANGE:SYMBOL[:BOARD];..."
        yield self._data_mode()
        yield "Show keys", app.action_toggle_help, "List every key of this screen"
        yield "Quit", app.action_quit, "Save and leave alortui"

    def _watchlist_actions(self) -> Iterator[Command]:
        screen = self.alortui.watchlist_screen
        yield "Remove instrument", screen.action_remove, "Remove the cursor row"
        yield "Move to next list", screen.action_move, "Move the cursor row"
        yield "Choose columns", screen.action_choose_columns, "Show, hide and order the columns"
        yield "Unsorted", partial(screen.table.sort_by, None), "Watchlist order"
        for column in COLUMNS:
            yield (
                f"Sort by {column.title}",
                partial(screen.table.sort_by, column.key, reverse=False),
                "Sort the watchlist by this column",
            )

    def _data_mode(self) -> Command:
        app = self.alortui
        status = app.service_status
        if status.mode in (Mode.DELAYED, Mode.AUTH_FAILED) or status.delayed_by > 0:
            return "Switch to live", partial(switch_data_mode, app, False), "Stream live data"
        help_text = "Anonymous data, 15 minutes late"
        return "Switch to delayed", partial(switch_data_mode, app, True), help_text

    def _places(self) -> Iterator[Command]:
        app = self.alortui
        screen = app.watchlist_screen
        for name, keys in app.watchlists.items():
            yield (
                f"Watchlist: {clean_text(name)}",
                partial(app.go_to_watchlist, name),
                f"{len(keys)} instruments",
            )
            for key in keys:
                label = (
                    f"{clean_text(key.symbol)}  {screen.names.get(key, '')}  {clean_text(str(key))}"
                )
                yield (
                    label,
                    partial(app.go_to_instrument, name, key),
                    f"In watchlist {clean_text(name)}",
                )
        for theme in sorted(app.available_themes):
            yield f"Theme: {theme}", partial(setattr, app, "theme", theme), "Switch colours"

    async def discover(self) -> Hits:
        for text, command, help_text in self._actions():
            yield DiscoveryHit(Content(text), command, text=text, help=escape(help_text))

    async def search(self, query: str) -> Hits:
        matcher = self.matcher(query)
        for text, command, help_text in [*self._actions(), *self._places()]:
            score = matcher.match(text)
            if score > 0:
                yield Hit(
                    score, highlight(matcher, text), command, text=text, help=escape(help_text)
                )
        async for hit in self._portfolio_hits(matcher):
            yield hit
        if len(query.strip()) >= ALOR_SEARCH_MIN:
            async for hit in self._exchange_hits(matcher, query.strip()):
                yield hit

    async def _portfolio_hits(self, matcher: Matcher) -> Hits:
        """``Portfolio: D12345`` for each portfolio of the token (none anonymously)."""
        app = self.alortui
        try:
            portfolios = await app.service.portfolios()
        except Exception:
            log.warning("palette: portfolios unknown", exc_info=True)
            return
        for portfolio in portfolios:
            text = f"Portfolio: {clean_text(portfolio.id)}"
            score = matcher.match(text)
            if score > 0:
                show = partial(app.open_portfolio, portfolio.id)
                yield Hit(score, highlight(matcher, text), show, text=text,
                          help=escape(f"Show the {portfolio.kind.value} portfolio"))

    async def _exchange_hits(self, matcher: Matcher, query: str) -> Hits:
        app = self.alortui
        listed = {key for keys in app.watchlists.values() for key in keys}
        try:
            found = await app.service.search(query, limit=8)
        except Exception:
            log.warning("palette search failed", exc_info=True)
            return  # the palette still shows the local hits
        for security in found:
            if security.key in listed:
                continue
            text = f"Add {clean_text(str(security.key))}  {clean_text(security.short_name)}"
            yield Hit(
                max(matcher.match(text), 0.1),
                highlight(matcher, text),
                partial(self._add, security.key),
                text=text,
                help=escape(f"Add to watchlist {clean_text(app.watchlist_screen.active)}"),
            )

    def _add(self, key: InstrumentKey) -> None:
        self.alortui.watchlist_screen.add_key(key)
