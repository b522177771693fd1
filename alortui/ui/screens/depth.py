"""Depth of book: the ladder, book statistics and the live trade tape of one instrument.

Two workers feed the screen, one per stream (style.md section 2): each iterates the service and
pushes values into a widget; when the screen closes or the depth changes the worker is cancelled
and the stream closed, which releases the subscription. ALOR serves books and the tape only to
authorized users (alor-api.md 2.5, 2.6): the service then yields a ``StreamIssue`` and the screen
explains it instead of showing an empty frame.
"""

from __future__ import annotations

import logging
from typing import ClassVar

from textual import work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Container, Vertical
from textual.screen import Screen
from textual.widgets import Footer, Label, Static

from alortui.models import InstrumentInfo, InstrumentKey, OrderBook, price_decimals
from alortui.service.api import IssueKind, MarketDataService, Stamped, StreamIssue
from alortui.ui.formatting import clean_text
from alortui.ui.messages import DataArrived, OpenInfo
from alortui.ui.own_data import own_order_prices, own_states, own_trade_ids
from alortui.ui.widgets.book_summary import BookSummary, issue_text
from alortui.ui.widgets.ladder import Ladder
from alortui.ui.widgets.ladder_model import DEPTHS
from alortui.ui.widgets.tape import TradeTape

log = logging.getLogger(__name__)


class DepthScreen(Screen[None]):
    """Order book ladder and trade tape of ``key``, bound to ``service``."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "back", "Back"),
        Binding("plus,equals_sign", "depth(1)", "More levels"),
        Binding("minus", "depth(-1)", "Fewer levels"),
        Binding("c", "center", "Centre"),
        Binding("i", "info", "Info"),
    ]
    HORIZONTAL_BREAKPOINTS: ClassVar[list[tuple[int, str]] | None] = [
        (0, "-narrow"),
        (110, "-wide"),
    ]

    DEFAULT_CSS = """
    DepthScreen #depth-body { height: 1fr; layout: horizontal; }
    DepthScreen.-narrow #depth-body { layout: vertical; }
    DepthScreen #book-pane { width: 1fr; height: 1fr; }
    DepthScreen #tape-pane { width: 44; height: 1fr; border-left: vkey $panel; }
    DepthScreen.-narrow #tape-pane { width: 1fr; height: 8; border-left: none; }
    DepthScreen #tape-title { width: 1fr; background: $panel; color: $text-muted; padding: 0 1; }
    DepthScreen TradeTape { height: 1fr; }
    DepthScreen #issue { display: none; height: 1fr; padding: 1 2; }
    DepthScreen.-issue #issue { display: block; }
    DepthScreen.-issue #depth-body { display: none; }
    """

    def __init__(self, service: MarketDataService, key: InstrumentKey, *, depth: int = 20) -> None:
        super().__init__()
        self.service = service
        self.key = key
        self.depth = depth if depth in DEPTHS else 20
        self._book_issue: StreamIssue | None = None

    def compose(self) -> ComposeResult:
        """Summary, ladder beside (wide) or above (narrow) the tape, footer."""
        with Container(id="depth-body"):
            with Vertical(id="book-pane"):
                yield BookSummary(self.key, id="summary")
                yield Ladder(depth=self.depth, id="ladder")
            with Vertical(id="tape-pane"):
                yield Label("Trades · time MSK · price · lots · side", id="tape-title")
                yield TradeTape(id="tape")
        yield Static(id="issue")
        yield Footer(compact=True)

    def on_mount(self) -> None:
        """Start the streams and fetch the instrument's price grid."""
        self.query_one(Ladder).focus()
        self.load_info()
        self.watch_book(self.depth)
        self.watch_tape()
        self.watch_own_orders()

    # A failing stream is a fact to show, not a reason to end an app kept open all day.
    @work(exclusive=True, group="depth-book", exit_on_error=False)
    async def watch_book(self, depth: int) -> None:
        """Feed the ladder from the service's order-book stream."""
        try:
            async for item in self.service.order_book(self.key, depth=depth):
                if isinstance(item, StreamIssue):
                    self._show_issue(item)
                    continue
                self._show_issue(None)
                self._show_book(item)
        except Exception as error:
            log.exception("order book stream of %s failed", self.key)
            self._show_issue(StreamIssue(IssueKind.UNAVAILABLE, f"the stream failed: {error}"))

    @work(exclusive=True, group="depth-tape", exit_on_error=False)
    async def watch_tape(self) -> None:
        """Feed the tape from the service's trade stream."""
        tape = self.query_one(TradeTape)
        try:
            async for item in self.service.trades(self.key):
                if isinstance(item, StreamIssue):
                    tape.show_message(clean_text(item.message))
                    continue
                tape.add_trades(item)
        except Exception as error:
            log.exception("trade stream of %s failed", self.key)
            tape.show_message(clean_text(f"the trade stream failed: {error}"))

    @work(exclusive=True, group="depth-own", exit_on_error=False)
    async def watch_own_orders(self) -> None:
        """Mark own working orders on the ladder and own fills on the tape (needs a token)."""
        ladder, tape = self.query_one(Ladder), self.query_one(TradeTape)
        async for state in own_states(self.service, getattr(self.app, "portfolio", None)):
            ladder.set_own_orders(own_order_prices(state, self.key))
            tape.set_own_trades(own_trade_ids(state, self.key))

    @work(exclusive=True, group="depth-info", exit_on_error=False)
    async def load_info(self) -> None:
        """Use the instrument's tick size and decimals once its reference data arrives."""
        info = await self.service.instrument_info(self.key)
        if isinstance(info, InstrumentInfo):
            decimals = price_decimals(info.min_step) if info.min_step else None
            self.query_one(Ladder).set_price_grid(info.min_step, decimals)
            self.query_one(TradeTape).set_decimals(decimals)
            self.query_one(BookSummary).set_info(info)

    def _show_book(self, stamped: Stamped[OrderBook]) -> None:
        ladder = self.query_one(Ladder)
        ladder.show_book(stamped.value)
        self.query_one(BookSummary).show(ladder.stats, ladder.depth, stamped.as_of)
        self.post_message(DataArrived(stamped.received, stamped.as_of))

    def _show_issue(self, issue: StreamIssue | None) -> None:
        if issue == self._book_issue:
            return
        self._book_issue = issue
        self.set_class(issue is not None, "-issue")
        if issue is not None:
            self.query_one("#issue", Static).update(issue_text(issue, self.key))

    def action_depth(self, step: int) -> None:
        """Step the number of levels per side through 5, 10, 20 and 50."""
        index = DEPTHS.index(self.depth) if self.depth in DEPTHS else DEPTHS.index(20)
        depth = DEPTHS[max(0, min(len(DEPTHS) - 1, index + step))]
        if depth == self.depth:
            self.app.bell()
            return
        self.depth = depth
        self.query_one(Ladder).set_depth(depth)
        self.watch_book(depth)

    def action_center(self) -> None:
        """Put the spread back in the middle of the ladder and keep it there."""
        self.query_one(Ladder).center()

    def action_info(self) -> None:
        """Ask the app to open the instrument information screen."""
        self.post_message(OpenInfo(self.key))

    def action_back(self) -> None:
        """Close the screen (its workers are cancelled and the subscriptions released)."""
        self.dismiss()
