"""The mouse: a click selects a row or sorts by a column, the wheel scrolls the watchlist, the
ladder and the tape."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Callable

from fake_service import FakeService
from ui_helpers import SBER, SI, wheel

from alortui.models import InstrumentKey, Side, Trade
from alortui.service.api import StreamIssue
from alortui.ui.app import AlorTUI
from alortui.ui.screens.depth import DepthScreen
from alortui.ui.widgets.ladder import Ladder
from alortui.ui.widgets.tape import TradeTape
from alortui.ui.widgets.watchlist_table import WatchlistTable
from alortui.ui.widgets.watchlist_tabs import WatchlistTabs

SMALL = (80, 24)


def first_shown(table: WatchlistTable) -> str:
    return table.render_line(1).text.split()[0]


async def test_the_wheel_scrolls_a_long_watchlist_and_a_click_then_selects_the_row_under_it(
    fake: FakeService, make_app: Callable[..., AlorTUI]
) -> None:
    keys = [security.key for security in fake.market.securities()[:40]]
    app = make_app(watchlists={"Long": keys})
    async with app.run_test(size=SMALL) as pilot:
        await pilot.pause()
        table = app.watchlist_screen.table
        assert first_shown(table) == "SBER"
        await wheel(pilot, table, times=3)
        top = int(table.scroll_offset.y)
        assert top >= 3
        assert first_shown(table) == keys[top].symbol
        assert table.render_line(0).text.split()[0] == "Symbol"  # the header stays
        await pilot.click(WatchlistTable, offset=(2, 2))  # the second row shown
        assert table.selected_key == keys[top + 1]
        await wheel(pilot, table, down=False, times=top)
        assert first_shown(table) == "SBER"


async def test_clicking_a_header_sorts_by_it_and_again_reverses(
    make_app: Callable[..., AlorTUI],
) -> None:
    app = make_app()
    async with app.run_test(size=SMALL) as pilot:
        await pilot.pause()
        table = app.watchlist_screen.table
        x = table.render_line(0).text.index("Volume")
        await pilot.click(WatchlistTable, offset=(x, 0))
        volumes = [table.order.row_at(i).quote.volume for i in range(len(table.order))]
        assert table.order.sort_key == "volume" and volumes == sorted(volumes)
        await pilot.click(WatchlistTable, offset=(x, 0))
        volumes = [table.order.row_at(i).quote.volume for i in range(len(table.order))]
        assert volumes == sorted(volumes, reverse=True)
        assert "Volume▼" in table.render_line(0).text


class BusyTape(FakeService):
    """A tape of 60 trades, more than an 80x24 screen shows."""

    async def trades(
        self, key: InstrumentKey, *, backlog: int = 100, max_hz: float = 10.0
    ) -> AsyncIterator[list[Trade] | StreamIssue]:
        now = self.clock.now()
        yield [
            Trade(id=n, price=100 + n / 100, qty=n, side=Side.BUY, time=now - 60 + n)
            for n in range(1, 61)
        ]
        await asyncio.Event().wait()


async def test_the_wheel_scrolls_the_ladder_and_the_tape() -> None:
    service = BusyTape()
    app = AlorTUI(service, watchlists={"Test": [SBER]}, clock=service.clock.now)
    async with app.run_test(size=SMALL) as pilot:
        await pilot.press("enter")
        await pilot.pause(0.2)
        screen = app.screen
        assert isinstance(screen, DepthScreen)
        ladder, tape = screen.query_one(Ladder), screen.query_one(TradeTape)
        before = ladder.scroll_offset.y
        await wheel(pilot, ladder, times=2)
        assert ladder.scroll_offset.y > before and not ladder.auto_center
        assert len(tape.trades) == 60 and tape.scroll_offset.y == 0
        await wheel(pilot, tape, times=2)
        assert tape.scroll_offset.y > 0
        await wheel(pilot, tape, down=False, times=5)
        assert tape.scroll_offset.y == 0


async def test_clicking_a_tab_shows_its_watchlist(make_app: Callable[..., AlorTUI]) -> None:
    app = make_app()
    async with app.run_test(size=SMALL) as pilot:
        await pilot.pause()
        tabs = app.watchlist_screen.query_one(WatchlistTabs)
        x = str(tabs.render()).index("3 Futures")
        await pilot.click(WatchlistTabs, offset=(x + 2, 0))
        assert app.watchlist_screen.active == "Futures"
        assert app.watchlist_screen.table.selected_key == SI
        await pilot.click(WatchlistTabs, offset=(1, 0))
        assert app.watchlist_screen.active == "Shares"
