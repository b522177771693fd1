"""A watchlist as text, ``EXCHANGE:SYMBOL[:BOARD];...``: exported to the clipboard, imported
by pasting."""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import ClassVar

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, Label, Static, TextArea

from alortui.models import InstrumentKey
from alortui.ui.formatting import clean_text
from alortui.ui.screens.keys import KEYS_BINDING

_SEPARATORS = re.compile(r"[;,\s]+")
"""Items are split at ``;`` (the format), and at commas and whitespace too (pasted lists)."""


def export_text(keys: Sequence[InstrumentKey]) -> str:
    """``MOEX:SBER:TQBR;MOEX:GAZP``: the keys in list order (a board only where one is set)."""
    return ";".join(str(key) for key in keys)


@dataclass
class ParsedKeys:
    """What an imported text held: the keys understood (in order, once) and the items not."""

    keys: list[InstrumentKey] = field(default_factory=list)
    bad: list[tuple[str, str]] = field(default_factory=list)
    """``(item, why)`` for each item not understood, both plain text."""


def parse_keys(text: str) -> ParsedKeys:
    """Parse ``EXCHANGE:SYMBOL[:BOARD];...`` with ``InstrumentKey.parse`` (empty items skipped)."""
    parsed = ParsedKeys()
    for item in filter(None, _SEPARATORS.split(clean_text(text))):
        try:
            key = InstrumentKey.parse(item)
        except ValueError as error:
            parsed.bad.append((item, str(error)))
            continue
        if key not in parsed.keys:
            parsed.keys.append(key)
    return parsed


class ExportScreen(ModalScreen[None]):
    """The list as text, selected, to copy by hand where OSC 52 does not reach the clipboard."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape,enter", "dismiss(None)", "Close", priority=True),
        KEYS_BINDING,
    ]
    DEFAULT_CSS = """
    ExportScreen { align: center middle; }
    ExportScreen > Vertical {
        width: 80; max-width: 100%; height: auto; max-height: 80%;
        border: round $primary; background: $surface; padding: 0 1;
    }
    ExportScreen TextArea { height: auto; max-height: 12; }
    """

    def __init__(self, watchlist: str, text: str) -> None:
        super().__init__()
        self._title = f"Watchlist {clean_text(watchlist)}: copied to the clipboard. Escape closes."
        self.text = text

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Label(Text(self._title))
            yield TextArea(self.text, read_only=True, soft_wrap=True)

    def on_mount(self) -> None:
        self.query_one(TextArea).select_all()


class ImportScreen(ModalScreen[None]):
    """Paste ``EXCHANGE:SYMBOL[:BOARD];...``; Enter adds what parses and lists what did not.

    Args:
        watchlist: The watchlist the keys go to.
        add: Adds keys to it and returns those that were new.
    """

    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape", "dismiss(None)", "Close")]
    DEFAULT_CSS = """
    ImportScreen { align: center middle; }
    ImportScreen > Vertical {
        width: 80; max-width: 100%; height: auto; max-height: 80%;
        border: round $primary; background: $surface; padding: 0 1;
    }
    ImportScreen #import-report { height: auto; color: $warning; }
    """

    def __init__(
        self, watchlist: str, add: Callable[[list[InstrumentKey]], list[InstrumentKey]]
    ) -> None:
        super().__init__()
        self._name = clean_text(watchlist)
        self._add = add

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Label(Text(f"Import into {self._name}: EXCHANGE:SYMBOL[:BOARD];..."))
            yield Input(placeholder="MOEX:SBER:TQBR;MOEX:GAZP;SPBX:AAPL")
            yield Static(id="import-report")

    @on(Input.Submitted)
    def _submitted(self, event: Input.Submitted) -> None:
        parsed = parse_keys(event.value)
        added = self._add(parsed.keys) if parsed.keys else []
        listed = len(parsed.keys) - len(added)
        summary = f"Added {len(added)} to {self._name}" + (
            f" ({listed} already there)" if listed else ""
        )
        if not parsed.bad:
            self.notify(summary, timeout=4, markup=False)
            self.dismiss(None)
            return
        # Keep the modal open on what went wrong, with the bad items left in the input to fix.
        report = "\n".join([f"{summary}. Not added:", *(f"  {why}" for _, why in parsed.bad)])
        self.query_one("#import-report", Static).update(Text(report))
        event.input.value = ";".join(item for item, _ in parsed.bad)
