"""A modal to choose the watchlist's columns and their order."""

from __future__ import annotations

from collections.abc import Sequence
from typing import ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Button, Label, SelectionList
from textual.widgets.selection_list import Selection

from alortui.ui.screens.keys import KEYS_BINDING
from alortui.ui.widgets.watchlist_columns import COLUMNS, COLUMNS_BY_KEY, Column
from alortui.ui.widgets.watchlist_layout import DEFAULT_KEYS

NOTES = {
    "symbol": "always shown",
    "name": "takes the spare width",
    "spark": "the day's prices, from 140 columns wide",
    "age": "since the last update, or ·halt",
    "position": "lots in your portfolio (needs a token)",
}
"""A word on the columns that behave unlike the others."""


def prompt(column: Column) -> Content:
    """A column's line in the chooser: its title, its key and a note (never markup)."""
    note = NOTES.get(column.key)
    return Content(f"{column.title:<8} {column.key:<15}" + (f" {note}" if note else ""))


class ColumnChooserScreen(ModalScreen[list[str] | None]):
    """Space (or a click) shows or hides a column, shift+up/down moves it, Enter applies.

    Dismisses with the shown column keys in order, or ``None`` when cancelled.

    Args:
        shown: The columns shown now, in their order (the others follow, hidden).
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        # Before the list's own Enter (which toggles, like space).
        Binding("enter", "enter", "Apply", priority=True),
        Binding("escape", "dismiss(None)", "Cancel"),
        Binding("shift+up", "move(-1)", "Move up"),
        Binding("shift+down", "move(1)", "Move down"),
        KEYS_BINDING,
    ]
    DEFAULT_CSS = """
    ColumnChooserScreen { align: center middle; }
    ColumnChooserScreen > Vertical {
        width: 72; max-width: 100%; height: 100%; max-height: 24;
        border: round $primary; background: $surface; padding: 0 1;
    }
    ColumnChooserScreen SelectionList { height: 1fr; }
    ColumnChooserScreen Horizontal { height: auto; }
    ColumnChooserScreen Button { min-width: 5; margin-right: 2; }
    """

    def __init__(self, shown: Sequence[str]) -> None:
        super().__init__()
        hidden = [column.key for column in COLUMNS if column.key not in shown]
        self._initial = [(key, True) for key in shown] + [(key, False) for key in hidden]

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Label("Columns: space shows/hides, shift+↑/↓ moves, Enter applies")
            yield SelectionList[str](*self._selections(self._initial))
            with Horizontal():
                yield Button("↑", id="up", compact=True, tooltip="Move up (shift+↑)")
                yield Button("↓", id="down", compact=True, tooltip="Move down (shift+↓)")
                yield Button("Default", id="default", compact=True)
                yield Button("Apply", variant="primary", id="apply", compact=True)
                yield Button("Cancel", id="cancel", compact=True)

    def on_mount(self) -> None:
        self._list.highlighted = 0

    @staticmethod
    def _selections(states: Sequence[tuple[str, bool]]) -> list[Selection[str]]:
        return [Selection(prompt(COLUMNS_BY_KEY[key]), key, ticked) for key, ticked in states]

    @property
    def _list(self) -> SelectionList[str]:
        return self.query_one(SelectionList)

    def states(self) -> list[tuple[str, bool]]:
        """Every column key in the chooser's order, with whether it is ticked."""
        chosen = set(self._list.selected)
        return [(option.value, option.value in chosen) for option in self._options()]

    def _options(self) -> list[Selection[str]]:
        selections = self._list
        return [selections.get_option_at_index(i) for i in range(selections.option_count)]

    def _show(self, states: Sequence[tuple[str, bool]], highlighted: int | None) -> None:
        selections = self._list
        selections.clear_options()
        selections.add_options(self._selections(states))
        selections.highlighted = highlighted

    def action_move(self, step: int) -> None:
        index = self._list.highlighted
        states = self.states()
        if index is None or not 0 <= index + step < len(states):
            return
        states[index], states[index + step] = states[index + step], states[index]
        self._show(states, index + step)

    def action_enter(self) -> None:
        if isinstance(self.focused, Button):
            self.focused.press()  # a focused Cancel or ↑ does what it says
        else:
            self.action_apply()

    def action_apply(self) -> None:
        # The symbol cannot be hidden: a row without it says nothing.
        self.dismiss([key for key, ticked in self.states() if ticked or key == "symbol"])

    @on(Button.Pressed)
    def _pressed(self, event: Button.Pressed) -> None:
        match event.button.id:
            case "up" | "down":
                self.action_move(-1 if event.button.id == "up" else 1)
                self._list.focus()  # the keys go on working on the list
            case "default":
                self._show([(key, True) for key in DEFAULT_KEYS], 0)
                self._list.focus()
            case "apply":
                self.action_apply()
            case _:
                self.dismiss(None)
