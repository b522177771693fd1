"""The watchlist tab strip: ``1 Main  2 Bonds`` with the active list marked; a click switches."""

from __future__ import annotations

from rich.cells import cell_len
from rich.text import Text
from textual import events
from textual.message import Message
from textual.widgets import Static

from alortui.ui.formatting import clean_text


def _labels(names: list[str]) -> list[str]:
    """Each list's label; the first nine carry the digit that switches to them."""
    return [
        f" {number} {clean_text(name)} " if number <= 9 else f" {clean_text(name)} "
        for number, name in enumerate(names, start=1)
    ]


def tabs_text(names: list[str], active: str) -> Text:
    """The tab strip of ``names`` (cleaned: a config can hold anything), ``active`` marked."""
    text = Text(no_wrap=True, end="", overflow="ellipsis")
    for name, label in zip(names, _labels(names), strict=True):
        text.append(label, style="reverse bold" if name == active else "")
    return text


def tab_at(names: list[str], x: int) -> str | None:
    """The list whose tab is at cell ``x`` of the strip."""
    left = 0
    for name, label in zip(names, _labels(names), strict=True):
        left += cell_len(label)
        if x < left:
            return name
    return None


class WatchlistTabs(Static):
    """The tab strip; posts ``TabClicked`` when a tab is clicked."""

    class TabClicked(Message):
        """A tab was clicked: show its watchlist."""

        def __init__(self, name: str) -> None:
            super().__init__()
            self.name = name
            """The watchlist's name."""

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self._names: list[str] = []

    def show(self, names: list[str], active: str) -> None:
        """Draw the tabs of ``names`` with ``active`` marked."""
        self._names = list(names)
        self.update(tabs_text(self._names, active))

    def on_click(self, event: events.Click) -> None:
        offset = event.get_content_offset(self)
        if offset is not None and (name := tab_at(self._names, offset.x)) is not None:
            self.post_message(self.TabClicked(name))
