"""A modal that finds an instrument through the service's search, with suggestions as you type."""

from __future__ import annotations

import asyncio
import logging
from typing import ClassVar

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, Label, OptionList
from textual.widgets.option_list import Option

from alortui.models import InstrumentKey, Security
from alortui.service.api import MarketDataService
from alortui.ui.formatting import clean_text

log = logging.getLogger(__name__)

SEARCH_DELAY = 0.25
"""Seconds of no typing before searching: one request per pause, not per key (alor-api.md 5)."""


def suggestion(security: Security) -> Text:
    """One suggestion line: symbol, full key and short name, all as plain text."""
    text = Text(no_wrap=True, overflow="ellipsis")
    text.append(f"{clean_text(security.key.symbol):<14}", style="bold")
    text.append(f"{clean_text(str(security.key)):<24}")
    text.append(clean_text(security.short_name))
    return text


class AddInstrumentScreen(ModalScreen[InstrumentKey | None]):
    """Type a ticker or name; Enter adds the highlighted suggestion (or a typed EXCHANGE:SYMBOL)."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "dismiss(None)", "Cancel"),
        Binding("down", "move(1)", "Next", show=False),
        Binding("up", "move(-1)", "Previous", show=False),
    ]
    DEFAULT_CSS = """
    AddInstrumentScreen { align: center middle; }
    AddInstrumentScreen > Vertical {
        width: 76; max-width: 100%; height: auto; max-height: 80%;
        border: round $primary; background: $surface; padding: 0 1;
    }
    AddInstrumentScreen OptionList { height: auto; max-height: 14; }
    """

    def __init__(self, service: MarketDataService) -> None:
        super().__init__()
        self.service = service
        self._found: list[Security] = []

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Label("Add instrument: ticker, name, ISIN or EXCHANGE:SYMBOL[:BOARD]")
            yield Input(placeholder="e.g. SBER, Газпром, MOEX:SU26238RMFS4:TQOB")
            yield OptionList()

    @on(Input.Changed)
    def _typed(self, event: Input.Changed) -> None:
        self._search(event.value.strip())

    @work(exclusive=True, group="search", exit_on_error=False)
    async def _search(self, text: str) -> None:
        options = self.query_one(OptionList)
        if len(text) < 1:
            options.clear_options()
            return
        await asyncio.sleep(SEARCH_DELAY)
        try:
            self._found = await self.service.search(text, limit=20)
        except Exception as error:
            log.warning("search failed", exc_info=True)
            self._found = []
            options.clear_options()
            options.add_option(Option(Text(f"Search failed: {clean_text(error)}"), disabled=True))
            return
        options.clear_options()
        options.add_options(Option(suggestion(s)) for s in self._found)
        if self._found:
            options.highlighted = 0

    def action_move(self, step: int) -> None:
        options = self.query_one(OptionList)
        if options.option_count:
            current = options.highlighted if options.highlighted is not None else -step
            options.highlighted = (current + step) % options.option_count

    @on(Input.Submitted)
    def _submitted(self, event: Input.Submitted) -> None:
        highlighted = self.query_one(OptionList).highlighted
        if highlighted is not None and highlighted < len(self._found):
            self.dismiss(self._found[highlighted].key)
            return
        try:
            self.dismiss(InstrumentKey.parse(event.value))
        except ValueError as error:
            self.notify(str(error), severity="warning", timeout=4, markup=False)

    @on(OptionList.OptionSelected)
    def _chosen(self, event: OptionList.OptionSelected) -> None:
        if event.option_index < len(self._found):
            self.dismiss(self._found[event.option_index].key)
