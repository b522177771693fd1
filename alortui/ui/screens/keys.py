"""Every key of the screen below, generated from its bindings (``?``).

Textual's own help panel is a side column that an 80x24 terminal clips, and it scrolls only by
mouse; this modal lays the same bindings out in as many columns as fit, scrolls by keyboard,
and leaves out the framework's keys that do nothing here (horizontal scrolling, copying).
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping
from typing import Any, ClassVar

from rich.text import Text
from textual import events
from textual.app import App, ComposeResult
from textual.binding import ActiveBinding, Binding, BindingType
from textual.containers import VerticalScroll
from textual.screen import ModalScreen, Screen
from textual.widgets import Static

HIDDEN_ACTIONS = frozenset({
    "scroll_left", "scroll_right", "page_left", "page_right", "scroll_home", "scroll_end",
    "screen.copy_text",
})  # fmt: skip
"""Framework bindings that do nothing in alortui (its tables never scroll sideways, and
mouse selection of text is not enabled); focus cycling stays: tab reaches the trade tape."""

KEYS_BINDING = Binding("question_mark", "app.toggle_help", "Keys")
"""``?`` for modal screens: the app's own binding does not reach past a modal (Textual)."""

GAP = 3
"""Cells between two columns of keys."""

Section = tuple[str, list[tuple[str, str]]]
"""A heading and its (keys, description) lines."""


def _heading(node: object) -> str:
    if isinstance(node, App):
        return "Everywhere"
    if isinstance(node, Screen):
        return "This screen"
    words = re.findall(r"[A-Z][a-z]*", type(node).__name__)
    return " ".join(words).capitalize() or "Here"


def key_sections(app: App[Any], bindings: Mapping[str, ActiveBinding]) -> list[Section]:
    """The ``bindings`` grouped by the widget, screen or app they belong to.

    Keys of one action share a line (``↑ k  Up``); ``List 1`` … ``List 9`` become one line.
    """
    sections: dict[int, tuple[str, dict[tuple[str, str], list[str]]]] = {}
    for active in bindings.values():
        binding = active.binding
        if not binding.description or binding.action in HIDDEN_ACTIONS:
            continue
        _, lines = sections.setdefault(id(active.node), (_heading(active.node), {}))
        name = binding.action.split("(")[0]
        description = re.sub(r"\d+$", "n", binding.description)
        keys = lines.setdefault((name, description), [])
        if (display := app.get_key_display(binding)) not in keys:
            keys.append(display)
    return [
        (heading, [(_keys_text(keys), description) for (_, description), keys in lines.items()])
        for heading, lines in sections.values()
    ]


def _keys_text(keys: list[str]) -> str:
    return f"{keys[0]}…{keys[-1]}" if len(keys) > 3 else " ".join(keys)


def keys_text(sections: list[Section], width: int) -> Text:
    """The sections laid out column by column in as many columns as fit ``width`` cells."""
    key_width = max((len(keys) for _, lines in sections for keys, _ in lines), default=1)
    text_width = max((len(text) for _, lines in sections for _, text in lines), default=1)
    column = max(key_width + 2 + text_width, *(len(heading) for heading, _ in sections))
    cells: list[Text] = []
    for heading, lines in sections:
        if cells:
            cells.append(Text())
        cells.append(Text(heading, style="bold underline"))
        for keys, description in lines:
            cells.append(Text.assemble((keys.rjust(key_width), "bold"), "  ", description))
    columns = max(1, min(3, (width + GAP) // (column + GAP)))
    height = math.ceil(len(cells) / columns)
    while len(placed := _flow(cells, height)) > height * columns:
        height += 1
    out = Text(no_wrap=True, end="")
    for row in range(height):
        if row:
            out.append("\n")
        for index in range(row, len(placed), height):
            cell = placed[index].copy()
            cell.pad_right(column - cell.cell_len)
            out.append_text(cell if index < height else Text(" " * GAP) + cell)
    return out


def _flow(cells: list[Text], height: int) -> list[Text]:
    """``cells`` in columns of ``height``: no heading ends a column, no blank starts one."""
    placed: list[Text] = []
    for cell in cells:
        row = len(placed) % height
        if not cell.plain and row == 0:
            continue
        if cell.style and row == height - 1:  # a heading: it goes with its first line
            placed.append(Text())
        placed.append(cell)
    return placed


class KeysScreen(ModalScreen[None]):
    """The keys of the screen below it; Escape or ``?`` closes it.

    Args:
        sections: What :func:`key_sections` made of the screen's active bindings.
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape,question_mark", "dismiss", "Close"),
        Binding("q", "app.quit", "Quit", show=False),  # as everywhere else, and as listed
    ]
    DEFAULT_CSS = """
    KeysScreen { align: center middle; }
    KeysScreen > VerticalScroll {
        width: auto; max-width: 100%; height: auto; max-height: 100%;
        border: round $primary; border-title-color: $foreground; background: $surface;
        padding: 0 1;
    }
    KeysScreen #keys { width: auto; }
    """

    def __init__(self, sections: list[Section]) -> None:
        super().__init__()
        self.sections = sections

    def compose(self) -> ComposeResult:
        scroll = VerticalScroll(Static(id="keys"), id="keys-scroll")
        scroll.border_title = "Keys · Escape closes · ↑/↓ scroll"
        yield scroll

    def on_mount(self) -> None:
        self.query_one("#keys-scroll").focus()
        self._lay_out(self.app.size.width)

    def on_resize(self, event: events.Resize) -> None:
        self._lay_out(event.size.width)

    def _lay_out(self, width: int) -> None:
        # The frame's border and padding take four cells.
        self.query_one("#keys", Static).update(keys_text(self.sections, width - 4))
