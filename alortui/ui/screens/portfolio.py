"""The Portfolio screen: the trader's own money, positions, orders and trades (read-only).

Two workers feed it (style.md section 2): one iterates the service's merged portfolio stream,
the other the quotes of the instruments held, restarted when the set of holdings changes, so
the last prices are as live as the watchlist's. alortui never places or cancels orders: this
screen only shows what the trading terminal did. Anonymous mode yields a ``StreamIssue`` that
the screen explains, with how to add a token.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import ClassVar

from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.screen import Screen
from textual.widgets import Footer, Label, Static

from alortui.models import InstrumentKey
from alortui.portfolio_models import Portfolio, PortfolioState
from alortui.service.api import IssueKind, MarketDataService, StreamIssue
from alortui.ui.formatting import clean_text
from alortui.ui.widgets.portfolio_view import PortfolioView

log = logging.getLogger(__name__)

TOKEN_HELP = """\
ALOR serves portfolios, positions, orders and trades only to a logged-in user: alortui is \
running without a token (anonymous, 15-minute delayed quotes).

To add a token:
  1. Issue a refresh token in your ALOR account (API tokens page).
  2. Start alortui with it in the environment:
         ALOR_REFRESH_TOKEN=<token> alortui
     or save it in a file only you can read (chmod 600), by default
         ~/.config/alortui/token
  `alortui --help` shows the options (--token-file, --portfolio).

alortui is read-only: it never places or cancels orders."""


class PortfolioScreen(Screen[None]):
    """One portfolio of the token, live; ``n`` moves to the next one, ``$`` hides money.

    Args:
        service: The data service.
        portfolio: The portfolio to show first (``None``: the token's first).
        on_choose: Told the id whenever the shown portfolio changes (the app saves it).
        hidden: Start with every money amount hidden.
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "back", "Back"),
        Binding("n", "next_portfolio", "Next portfolio"),
        Binding("dollar_sign", "toggle_privacy", "Hide/show amounts"),
    ]
    DEFAULT_CSS = """
    PortfolioScreen #portfolio-title { width: 1fr; background: $panel; padding: 0 1; }
    PortfolioScreen #portfolio-body { height: 1fr; }
    PortfolioScreen #portfolio-issue { display: none; height: 1fr; padding: 1 2; }
    PortfolioScreen.-issue #portfolio-issue { display: block; }
    PortfolioScreen.-issue #portfolio-body { display: none; }
    """

    def __init__(self, service: MarketDataService, portfolio: str | None = None, *,
                 on_choose: Callable[[str], None] | None = None, hidden: bool = False) -> None:
        super().__init__()
        self.service = service
        self.portfolio = portfolio
        self.portfolios: tuple[Portfolio, ...] = ()
        self.on_choose = on_choose
        self.hidden = hidden
        self._held: frozenset[InstrumentKey] = frozenset()

    def compose(self) -> ComposeResult:
        """Title line, the scrolling sections (or the issue panel), footer."""
        yield Label(id="portfolio-title")
        with VerticalScroll(id="portfolio-body"):
            yield PortfolioView(hidden=self.hidden, id="portfolio-view")
        yield Static(id="portfolio-issue")
        yield Footer(compact=True)

    def on_mount(self) -> None:
        """Find the token's portfolios, then stream the chosen one."""
        self.query_one("#portfolio-body").focus()
        self._title()
        self.start()

    @work(exclusive=True, group="portfolio-list", exit_on_error=False)
    async def start(self) -> None:
        """Ask for the token's portfolios and stream the chosen (or first) one."""
        self.portfolios = await self.service.portfolios()
        ids = [p.id for p in self.portfolios]
        if self.portfolio is None and ids:
            self.portfolio = ids[0]
        self._title()
        if self.portfolio is None:
            self._show_issue(StreamIssue(IssueKind.NEEDS_AUTHORIZATION, "no portfolio"))
            return
        self.watch_portfolio(self.portfolio)

    def show_portfolio(self, portfolio: str) -> None:
        """Switch to ``portfolio`` (its streams replace the current one's)."""
        self.portfolio = portfolio
        self._held = frozenset()
        self.query_one(PortfolioView).state = None
        self._title()
        self.watch_portfolio(portfolio)
        if self.on_choose is not None:
            self.on_choose(portfolio)

    # A failing stream is a fact to show, not a reason to end an app kept open all day.
    @work(exclusive=True, group="portfolio", exit_on_error=False)
    async def watch_portfolio(self, portfolio: str) -> None:
        """Feed the view from the service's merged portfolio stream."""
        try:
            async for item in self.service.portfolio(portfolio):
                if isinstance(item, StreamIssue):
                    self._show_issue(item)
                else:
                    self._show_issue(None)
                    self._show_state(item)
        except Exception as error:
            log.exception("portfolio stream of %s failed", portfolio)
            self._show_issue(StreamIssue(IssueKind.UNAVAILABLE, f"the stream failed: {error}"))

    @work(exclusive=True, group="portfolio-quotes", exit_on_error=False)
    async def watch_lasts(self, keys: frozenset[InstrumentKey]) -> None:
        """Live last prices of the instruments held, from the quotes stream."""
        view = self.query_one(PortfolioView)
        async for item in self.service.quotes(sorted(keys, key=str), max_hz=2.0):
            if not isinstance(item, StreamIssue):
                view.set_lasts({k: s.value.last for k, s in item.items()
                                if s.value.last is not None})

    def _show_state(self, state: PortfolioState) -> None:
        self.query_one(PortfolioView).show(state)
        held = frozenset(p.key for p in state.holdings)
        if held != self._held:
            self._held = held
            if held:
                self.watch_lasts(held)

    def _show_issue(self, issue: StreamIssue | None) -> None:
        self.set_class(issue is not None, "-issue")
        if issue is None:
            return
        if issue.kind is IssueKind.NEEDS_AUTHORIZATION:
            text = Text.assemble(("Portfolio data needs a token\n\n", "bold"), TOKEN_HELP)
        else:
            text = Text.assemble(("No portfolio data\n\n", "bold"), clean_text(issue.message))
        self.query_one("#portfolio-issue", Static).update(text)

    def _title(self) -> None:
        name = clean_text(self.portfolio) if self.portfolio else "—"
        kind = next((p.kind.value for p in self.portfolios if p.id == self.portfolio), "")
        more = f" · {len(self.portfolios)} in token · n: next" if len(self.portfolios) > 1 else ""
        hidden = " · amounts hidden ($)" if self.hidden else ""
        text = f"Portfolio {name} {kind}{more}{hidden} · read-only"
        self.query_one("#portfolio-title", Label).update(Text(text))

    def action_next_portfolio(self) -> None:
        """Show the token's next portfolio (wrapping around)."""
        ids = [p.id for p in self.portfolios]
        if len(ids) < 2:
            self.app.bell()
            return
        index = ids.index(self.portfolio) if self.portfolio in ids else -1
        self.show_portfolio(ids[(index + 1) % len(ids)])

    def action_toggle_privacy(self) -> None:
        """Hide or show every money amount at once (for screen sharing)."""
        self.hidden = not self.hidden
        if hasattr(self.app, "hide_amounts"):
            self.app.hide_amounts = self.hidden  # kept for the next time the screen opens
        self.query_one(PortfolioView).set_hidden(self.hidden)
        self._title()

    def action_back(self) -> None:
        """Close the screen (its workers are cancelled and the subscriptions released)."""
        self.dismiss()
