"""Instrument information: reference data, today's numbers and a chart of recent candles.

Reference data is fetched once (GraphQL ``instrument``, alor-api.md 4); the quote and the candles
are streams, iterated by workers that the screen's closing cancels (style.md section 2).
"""

from __future__ import annotations

import logging
import time
from typing import ClassVar

from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Container, Vertical, VerticalScroll
from textual.screen import Screen
from textual.widgets import Footer, Label

from alortui.models import InstrumentInfo, InstrumentKey, Quote, price_decimals
from alortui.service.api import IssueKind, MarketDataService, StreamIssue
from alortui.ui.formatting import clean_text, fmt_datetime
from alortui.ui.messages import DataArrived
from alortui.ui.widgets.chart import PriceChart
from alortui.ui.widgets.info_panel import InfoPanel

log = logging.getLogger(__name__)

TIMEFRAMES = (
    (60, 2 * 86400, "1-minute"),
    (3600, 30 * 86400, "1-hour"),
    (86400, 365 * 86400, "daily"),
)
"""(candle seconds, history window seconds, name) the chart steps through with ``f``."""


class InfoScreen(Screen[None]):
    """Reference data, live numbers and a price chart of ``key``, bound to ``service``."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "back", "Back"),
        Binding("f", "timeframe", "Timeframe"),
    ]
    HORIZONTAL_BREAKPOINTS: ClassVar[list[tuple[int, str]] | None] = [
        (0, "-narrow"),
        (110, "-wide"),
    ]

    DEFAULT_CSS = """
    InfoScreen #info-body { height: 1fr; layout: horizontal; }
    InfoScreen.-narrow #info-body { layout: vertical; }
    InfoScreen #info-scroll { width: 58; height: 1fr; }
    InfoScreen.-narrow #info-scroll { width: 1fr; }
    InfoScreen.-wide InfoPanel { grid-size: 1; grid-columns: 1fr; }
    InfoScreen.-wide InfoPanel > #info-message { column-span: 1; }
    InfoScreen #chart-pane { width: 1fr; height: 1fr; padding: 0 1; }
    InfoScreen.-narrow #chart-pane { height: 8; }
    InfoScreen #chart-title { color: $text-muted; }
    """

    def __init__(
        self,
        service: MarketDataService,
        key: InstrumentKey,
    ) -> None:
        super().__init__()
        self.service = service
        self.key = key
        self.info: InstrumentInfo | None = None
        self.quote: Quote | None = None
        self.timeframe = 0

    def compose(self) -> ComposeResult:
        """The info panel beside (wide) or above (narrow) the chart, footer."""
        with Container(id="info-body"):
            with VerticalScroll(id="info-scroll"):
                yield InfoPanel(id="info")
            with Vertical(id="chart-pane"):
                yield Label(id="chart-title")
                yield PriceChart(id="chart")
        yield Footer(compact=True)

    def on_mount(self) -> None:
        """Fetch the reference data and start the quote and candle streams."""
        self.query_one("#info-scroll").focus()
        self.load_info()
        self.watch_quote()
        self._start_chart()

    # A failing stream is a fact to show, not a reason to end an app kept open all day.
    @work(exclusive=True, group="info-ref", exit_on_error=False)
    async def load_info(self) -> None:
        """Show the instrument's reference data, or why there is none."""
        panel = self.query_one(InfoPanel)
        try:
            result = await self.service.instrument_info(self.key)
        except Exception as error:
            log.exception("reference data of %s failed", self.key)
            result = StreamIssue(IssueKind.UNAVAILABLE, str(error))
        if isinstance(result, StreamIssue):
            panel.show_message(f"No reference data for {self.key}: {result.message}")
            return
        self.info = result
        if result.min_step:
            self.query_one(PriceChart).decimals = price_decimals(result.min_step)
        panel.show(result, self.quote)

    @work(exclusive=True, group="info-quote", exit_on_error=False)
    async def watch_quote(self) -> None:
        """Keep today's numbers current (a calm 2 updates a second is plenty here)."""
        try:
            async for batch in self.service.quotes([self.key], max_hz=2.0):
                if isinstance(batch, StreamIssue) or self.key not in batch:
                    continue  # today's numbers then come from the reference data
                stamped = batch[self.key]
                self.quote = stamped.value
                self.post_message(DataArrived(stamped.received, stamped.as_of))
                if self.info is not None:
                    self.query_one(InfoPanel).show(self.info, self.quote)
        except Exception:
            log.exception("quote stream of %s failed", self.key)

    @work(exclusive=True, group="info-candles", exit_on_error=False)
    async def watch_candles(self, tf: int, since: float) -> None:
        """Feed the chart with candles of ``tf`` seconds since ``since``."""
        chart = self.query_one(PriceChart)
        try:
            async for item in self.service.candles(self.key, tf=tf, since=since):
                if isinstance(item, StreamIssue):
                    chart.show_message(clean_text(item.message))
                    continue
                chart.add_candles(item)
                if not chart.candles:
                    since_text = fmt_datetime(since)
                    chart.show_message(f"no candles since {since_text} MSK; f: another timeframe")
        except Exception as error:
            log.exception("candle stream of %s failed", self.key)
            chart.show_message(clean_text(f"the candle stream failed: {error}"))

    def _start_chart(self) -> None:
        tf, window, name = TIMEFRAMES[self.timeframe]
        now = getattr(self.app, "clock", time.time)()
        title = Text(f"{self.key} · {name} closes · f: timeframe")
        self.query_one("#chart-title", Label).update(title)
        chart = self.query_one(PriceChart)
        chart.candles = []
        chart.show_message(f"loading {name} candles…")
        self.watch_candles(tf, now - window)

    def action_timeframe(self) -> None:
        """Step the chart through 1-minute, 1-hour and daily candles."""
        self.timeframe = (self.timeframe + 1) % len(TIMEFRAMES)
        self._start_chart()

    def action_back(self) -> None:
        """Close the screen (its workers are cancelled and the subscriptions released)."""
        self.dismiss()
