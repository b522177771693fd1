"""The two lines above the ladder, and the panel shown when a stream has no data for us.

The summary names the instrument and gives the bid and ask totals with an imbalance gauge drawn
in two different glyphs, so the split reads without colour. The issue panel says in words why
there is no book: ALOR serves order books and the tape only to authorized users (alor-api.md
2.5, 2.6), and an anonymous client gets only 15-minute-delayed HTTP data (alor-api.md 5).
"""

from __future__ import annotations

from typing import ClassVar

from rich.style import Style
from rich.text import Text
from textual.widget import Widget

from alortui.models import InstrumentInfo, InstrumentKey
from alortui.service.api import IssueKind, StreamIssue
from alortui.ui.formatting import clean_text, fmt_clock, fmt_volume
from alortui.ui.widgets.ladder_model import BookStats, gauge_cells

GAUGE_WIDTH = 24

AUTHORIZATION_HELP = """\
ALOR serves the order book and the trade tape only to authorized users. Without a token \
alortui shows quotes from ALOR's public HTTP API, which are 15 minutes late.

To add a token:
  1. Issue a refresh token in your ALOR account (API tokens page).
  2. Either start alortui with it in the environment:
         ALOR_REFRESH_TOKEN=<token> alortui
     or save it in a file that only you can read (chmod 600), by default
         ~/.config/alortui/token
     `alortui --help` shows the options (--token-file) and the paths in use.
"""

_TITLES = {
    IssueKind.NEEDS_AUTHORIZATION: "Depth of book needs authorization",
    IssueKind.REJECTED: "ALOR rejected the subscription",
    IssueKind.UNKNOWN_INSTRUMENT: "Unknown instrument",
    IssueKind.UNAVAILABLE: "Depth of book is unavailable",
}


def issue_text(issue: StreamIssue, key: InstrumentKey) -> Text:
    """The explanation for a book stream that yields ``issue`` instead of data."""
    text = Text(no_wrap=False, end="")
    text.append(f"{_TITLES.get(issue.kind, 'No data')}: {key}\n\n", style="bold")
    if issue.kind is IssueKind.NEEDS_AUTHORIZATION:
        text.append(AUTHORIZATION_HELP + "\n")
    if message := clean_text(issue.message):
        text.append("Server said: ", style="italic")
        text.append(message + "\n\n")
    text.append("Escape goes back · i shows the instrument's information.")
    return text


def imbalance_words(imbalance: float | None) -> str:
    """The imbalance in words: ``"+12% bids"``, ``"-30% asks"``, ``"balanced"``."""
    if imbalance is None:
        return "no volume"
    percent = round(imbalance * 100)
    if percent == 0:
        return "balanced"
    return f"{percent:+d}% {'bids' if percent > 0 else 'asks'}"


class BookSummary(Widget):
    """Instrument, depth and book time; bid/ask totals with the imbalance gauge."""

    COMPONENT_CLASSES: ClassVar[set[str]] = {
        "book-summary--bid",
        "book-summary--ask",
        "book-summary--muted",
        "book-summary--crossed",
    }

    DEFAULT_CSS = """
    BookSummary { height: 2; padding: 0 1; }
    BookSummary > .book-summary--bid { color: $bid; }
    BookSummary > .book-summary--ask { color: $ask; }
    BookSummary > .book-summary--muted { color: $text-muted; }
    BookSummary > .book-summary--crossed { background: $error; color: $text; text-style: bold; }
    """

    def __init__(self, key: InstrumentKey, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.key = key
        self.short_name = ""
        self.stats: BookStats | None = None
        self.depth = 0
        self.as_of: float | None = None

    def set_info(self, info: InstrumentInfo) -> None:
        """Name the instrument."""
        self.short_name = clean_text(info.short_name)
        self.refresh()

    def show(self, stats: BookStats | None, depth: int, as_of: float | None) -> None:
        """Show the statistics of the book just drawn (repainted only if its text changes)."""
        before = (self.stats, self.depth, self._clock())
        self.stats, self.depth, self.as_of = stats, depth, as_of
        if (stats, depth, self._clock()) != before:
            self.refresh()

    def _clock(self) -> str | None:
        # The book time is shown to the second: a newer book in the same second looks the same.
        return fmt_clock(self.as_of) if self.as_of is not None else None

    def _style(self, name: str) -> Style:
        return self.get_component_rich_style(f"book-summary--{name}", partial=True)

    def render(self) -> Text:
        """Two lines: what is shown, then the totals and the gauge."""
        text = Text(no_wrap=True, end="", overflow="ellipsis")
        text.append(str(self.key), style="bold")
        if self.short_name:
            text.append(f"  {self.short_name}")
        muted = self._style("muted")
        text.append(f"  · {self.depth} levels per side", style=muted)
        if self.as_of is not None:
            text.append(f" · book {self._clock()} MSK", style=muted)
        if self.stats is not None and self.stats.crossed:
            text.append("  ")
            text.append(" ⚠ CROSSED BOOK ", style=self._style("crossed"))
        text.append("\n")
        if self.stats is None:
            return text
        bid, ask = self._style("bid"), self._style("ask")
        bid_cells, ask_cells = gauge_cells(self.stats.imbalance, GAUGE_WIDTH)
        text.append(f"bids {fmt_volume(self.stats.bid_total)} ", style=bid)
        text.append("█" * bid_cells, style=bid)
        text.append("░" * ask_cells, style=ask)
        text.append(f" {fmt_volume(self.stats.ask_total)} asks", style=ask)
        text.append(f"   imbalance {imbalance_words(self.stats.imbalance)}")
        return text
