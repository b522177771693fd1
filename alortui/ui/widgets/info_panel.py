"""The instrument information panel: one block of label/value lines per section.

Sections sit in two columns on a narrow screen and in one column beside the chart on a wide one.
Every value is a Rich ``Text`` built from a cleaned plain string, never markup (style.md 4).
"""

from __future__ import annotations

from itertools import zip_longest
from typing import ClassVar

from rich.console import Group
from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Container
from textual.widgets import Static

from alortui.models import InstrumentInfo, Quote
from alortui.ui.formatting import clean_text
from alortui.ui.widgets.info_content import InfoContent, Section

SECTION_SLOTS = 4
"""Identity, trading, today and the kind-specific section."""


class InfoPanel(Container):
    """The sections of :class:`InfoContent`, or a message saying why there are none."""

    COMPONENT_CLASSES: ClassVar[set[str]] = {"info--title", "info--label"}

    DEFAULT_CSS = """
    InfoPanel {
        layout: grid; grid-size: 2; grid-columns: 1fr 1fr; grid-rows: auto;
        grid-gutter: 0 2; height: auto; padding: 0 1;
    }
    InfoPanel > Static { height: auto; }
    InfoPanel > .info-section { padding-bottom: 1; }
    InfoPanel > #info-message { column-span: 2; }
    InfoPanel > .info--title { color: $accent; text-style: bold; }
    InfoPanel > .info--label { color: $text-muted; }
    """

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.content: InfoContent | None = None

    def compose(self) -> ComposeResult:
        """A message line and a block per section."""
        yield Static("loading instrument data…", id="info-message")
        for _ in range(SECTION_SLOTS):
            block = Static(classes="info-section")
            block.display = False
            yield block

    def show(self, info: InstrumentInfo, quote: Quote | None = None) -> None:
        """Show reference data and, when there is one, the latest quote."""
        self.content = InfoContent(info, quote)
        self.query_one("#info-message").display = False
        blocks = self.query(".info-section").results(Static)
        for block, section in zip_longest(blocks, self.content.sections()):
            block.display = section is not None
            if section is not None:
                block.update(self._render_section(section))

    def show_message(self, message: str) -> None:
        """Show a plain-text explanation instead of data."""
        self.content = None
        for block in self.query(".info-section"):
            block.display = False
        line = self.query_one("#info-message", Static)
        line.display = True
        line.update(Text(clean_text(message)))

    def _render_section(self, section: Section) -> Group:
        title, rows = section
        table = Table.grid(padding=(0, 2))
        table.add_column(style=self.get_component_rich_style("info--label"), no_wrap=True)
        table.add_column(overflow="fold")
        for label, value in rows:
            table.add_row(Text(label), Text(value))
        return Group(Text(title, style=self.get_component_rich_style("info--title")), table)
