"""The depth-of-book screen through the app, driven by the scripted fake service."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator

from fake_service import FakeService
from textual.app import App, ComposeResult
from textual.widgets import Static
from ui_helpers import SBER

from alortui.models import InstrumentKey, OrderBook, PriceLevel, Side, Trade
from alortui.service.api import IssueKind, Mode, Stamped, StreamIssue
from alortui.ui.app import AlorTUI
from alortui.ui.formatting import fmt_price
from alortui.ui.screens.depth import DepthScreen
from alortui.ui.screens.info import InfoScreen
from alortui.ui.screens.watchlist import WatchlistScreen
from alortui.ui.themes import VARIABLE_DEFAULTS
from alortui.ui.widgets.book_summary import BookSummary
from alortui.ui.widgets.ladder import Ladder
from alortui.ui.widgets.tape import TradeTape


class RecordingService(FakeService):
    """The fake, remembering which book depths were asked for and how many books are open."""

    def __init__(self) -> None:
        super().__init__()
        self.depths: list[int] = []
        self.open_books = 0

    async def order_book(
        self, key: InstrumentKey, *, depth: int = 20, max_hz: float = 20.0
    ) -> AsyncIterator[Stamped[OrderBook] | StreamIssue]:
        self.depths.append(depth)
        self.open_books += 1
        try:
            async for item in super().order_book(key, depth=depth, max_hz=max_hz):
                yield item
        finally:
            self.open_books -= 1


class AnonymousService(FakeService):
    """The fake as an anonymous client sees it: no book and no tape (alor-api.md 2.5, 2.6)."""

    async def order_book(
        self, key: InstrumentKey, *, depth: int = 20, max_hz: float = 20.0
    ) -> AsyncIterator[Stamped[OrderBook] | StreamIssue]:
        yield StreamIssue(IssueKind.NEEDS_AUTHORIZATION, "HTTP 401 [b]Unauthorized[/b]")
        await asyncio.Event().wait()

    async def trades(
        self, key: InstrumentKey, *, backlog: int = 100, max_hz: float = 10.0
    ) -> AsyncIterator[list[Trade] | StreamIssue]:
        yield StreamIssue(IssueKind.NEEDS_AUTHORIZATION, "HTTP 401")
        await asyncio.Event().wait()


class CrossedService(FakeService):
    """A book whose best bid is above its best ask."""

    async def order_book(
        self, key: InstrumentKey, *, depth: int = 20, max_hz: float = 20.0
    ) -> AsyncIterator[Stamped[OrderBook] | StreamIssue]:
        book = OrderBook((PriceLevel(300.05, 10),), (PriceLevel(300.0, 5),), key=key)
        yield Stamped(book, received=self.clock.now(), as_of=self.clock.now())
        await asyncio.Event().wait()


def make_app(service: FakeService) -> AlorTUI:
    return AlorTUI(service, watchlists={"Test": [SBER]}, clock=service.clock.now)


async def open_depth(app: App[None], pilot: object) -> DepthScreen:
    await pilot.press("enter")  # type: ignore[attr-defined]
    await pilot.pause()  # type: ignore[attr-defined]
    await pilot.pause()  # type: ignore[attr-defined]
    assert isinstance(app.screen, DepthScreen)
    return app.screen


def line_text(widget: Ladder | TradeTape, y: int) -> str:
    return "".join(segment.text for segment in widget.render_line(y))


async def test_the_ladder_shows_the_best_bid_and_ask_of_the_services_book() -> None:
    service = RecordingService()
    app = make_app(service)
    async with app.run_test(size=(100, 40)) as pilot:
        screen = await open_depth(app, pilot)
        book = service.market.order_book(SBER, 20)
        ladder = screen.query_one(Ladder)
        stats = ladder.stats

        assert stats is not None
        assert (stats.best_bid, stats.best_ask) == (book.bids[0].price, book.asks[0].price)
        assert [row.price for row in ladder.rows if row.best] == [
            book.asks[0].price,
            book.bids[0].price,
        ]
        shown = "\n".join(line_text(ladder, y) for y in range(ladder.size.height))
        decimals = ladder.decimals
        assert decimals is not None
        assert fmt_price(book.bids[0].price, decimals) in shown
        assert fmt_price(book.asks[0].price, decimals) in shown
        assert "spread" in shown and "mid" in shown


async def test_plus_and_minus_step_the_depth_and_resubscribe() -> None:
    service = RecordingService()
    app = make_app(service)
    async with app.run_test(size=(100, 40)) as pilot:
        screen = await open_depth(app, pilot)
        ladder = screen.query_one(Ladder)

        def level_counts() -> tuple[int, int]:
            return (
                sum(row.kind == "ask" for row in ladder.rows),
                sum(row.kind == "bid" for row in ladder.rows),
            )

        assert level_counts() == (20, 20)
        await pilot.press("minus")
        await pilot.pause()
        assert level_counts() == (10, 10)
        await pilot.press("minus", "minus")
        await pilot.pause()
        assert level_counts() == (5, 5)
        await pilot.press("plus", "plus", "plus")
        await pilot.pause()
        assert level_counts() == (50, 50)
        assert service.depths == [20, 10, 5, 10, 20, 50]
        assert service.open_books == 1


async def test_the_tape_shows_the_trades_newest_first_with_their_side_as_a_letter() -> None:
    service = FakeService()
    for _ in range(60):
        service.step(1.0)
    trades = service.market.trades(SBER, last=100)
    assert len(trades) > 5, "a minute of the seeded market has trades"
    app = make_app(service)
    async with app.run_test(size=(100, 40)) as pilot:
        screen = await open_depth(app, pilot)
        tape = screen.query_one(TradeTape)

        assert [trade.id for trade in tape.trades] == [trade.id for trade in reversed(trades)]
        top = line_text(tape, 0)
        assert top.rstrip().endswith({Side.BUY: "B", Side.SELL: "S"}[trades[-1].side])


async def test_anonymous_users_get_an_explanation_instead_of_an_empty_ladder() -> None:
    app = make_app(AnonymousService(Mode.DELAYED))
    async with app.run_test(size=(100, 40)) as pilot:
        screen = await open_depth(app, pilot)
        panel = screen.query_one("#issue", Static)
        text = str(panel.render())

        assert panel.display and panel.region.height > 0
        assert not screen.query_one("#depth-body").display
        assert "only to authorized users" in text
        assert "ALOR_REFRESH_TOKEN" in text and "alortui --help" in text
        # The server's text is shown as it came, not interpreted as markup.
        assert "HTTP 401 [b]Unauthorized[/b]" in text


async def test_a_crossed_book_is_flagged_in_the_ladder_and_the_summary() -> None:
    app = make_app(CrossedService())
    async with app.run_test(size=(100, 40)) as pilot:
        screen = await open_depth(app, pilot)
        ladder = screen.query_one(Ladder)
        shown = "\n".join(line_text(ladder, y) for y in range(ladder.size.height))

        assert "CROSSED BOOK" in shown
        assert "CROSSED BOOK" in screen.query_one(BookSummary).render().plain


async def test_escape_goes_back_and_releases_the_book_subscription() -> None:
    service = RecordingService()
    app = make_app(service)
    async with app.run_test(size=(100, 40)) as pilot:
        await open_depth(app, pilot)
        assert service.open_books == 1

        await pilot.press("escape")
        await pilot.pause()

        assert isinstance(app.screen, WatchlistScreen)
        assert service.open_books == 0


async def test_i_opens_the_instrument_information() -> None:
    app = make_app(FakeService())
    async with app.run_test(size=(100, 40)) as pilot:
        await open_depth(app, pilot)
        await pilot.press("i")
        await pilot.pause()

        assert isinstance(app.screen, InfoScreen)
        assert app.screen.key == SBER


class BrokenService(FakeService):
    """An order-book stream that fails after its first book."""

    async def order_book(
        self, key: InstrumentKey, *, depth: int = 20, max_hz: float = 20.0
    ) -> AsyncIterator[Stamped[OrderBook] | StreamIssue]:
        yield Stamped(self.market.order_book(key, depth), self.clock.now(), self.clock.now())
        raise RuntimeError("socket closed [red]")


async def test_a_failing_stream_is_explained_and_the_app_keeps_running() -> None:
    app = make_app(BrokenService())
    async with app.run_test(size=(100, 40)) as pilot:
        screen = await open_depth(app, pilot)
        text = str(screen.query_one("#issue", Static).render())

        assert app.is_running and screen.query_one("#issue").display
        assert "the stream failed: socket closed [red]" in text


def trade(number: int) -> Trade:
    return Trade(number, 100.0 + number / 100, number, Side.SELL, 1_764_066_600.0 + number)


class TapeApp(App[None]):
    def __init__(self, max_trades: int) -> None:
        super().__init__()
        self.max_trades = max_trades

    def get_theme_variable_defaults(self) -> dict[str, str]:
        return dict(VARIABLE_DEFAULTS)

    def compose(self) -> ComposeResult:
        yield TradeTape(max_trades=self.max_trades)


async def test_the_tape_keeps_the_newest_trades_on_top_up_to_its_bound() -> None:
    app = TapeApp(max_trades=5)
    async with app.run_test(size=(40, 10)) as pilot:
        tape = app.query_one(TradeTape)
        tape.add_trades([trade(1), trade(2), trade(3)])
        tape.add_trades([trade(3), trade(4), trade(5), trade(6)])  # 3 again: a replayed backlog
        await pilot.pause()

        assert [t.id for t in tape.trades] == [6, 5, 4, 3, 2]
        assert line_text(tape, 0).split() == ["13:30:06", "100.06", "6", "S"]
        assert line_text(tape, 5).strip() == ""


async def test_new_trades_do_not_move_the_rows_a_scrolled_reader_is_looking_at() -> None:
    app = TapeApp(max_trades=100)
    async with app.run_test(size=(40, 2)) as pilot:
        tape = app.query_one(TradeTape)
        tape.add_trades([trade(1), trade(2), trade(3)])
        await pilot.pause()
        tape.scroll_to(y=1, animate=False, immediate=True)
        assert line_text(tape, 0).split()[1] == "100.02"

        tape.add_trades([trade(4), trade(5), trade(6)])
        await pilot.pause()

        assert line_text(tape, 0).split()[1] == "100.02"


async def test_the_spread_stays_mid_ladder_until_the_reader_scrolls_and_c_brings_it_back() -> None:
    app = make_app(FakeService())
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_depth(app, pilot)
        ladder = screen.query_one(Ladder)

        def spread_line() -> int:
            lines = [line_text(ladder, y) for y in range(ladder.size.height)]
            return next(y for y, line in enumerate(lines) if "spread" in line)

        middle = spread_line()
        assert abs(middle - ladder.size.height // 2) <= 1
        await pilot.press("k", "k")
        assert spread_line() == middle + 2 and not ladder.auto_center
        await pilot.press("c")
        assert spread_line() == middle and ladder.auto_center
