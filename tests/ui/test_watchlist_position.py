"""The watchlist's opt-in position column: lots of the chosen portfolio (issue 7, read-only)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace

from fake_portfolio import PORTFOLIOS, STOCK, position, states
from fake_service import FakeService
from ui_helpers import GAZP, LKOH, SBER, VTBR

from alortui.models import InstrumentKey
from alortui.service.api import Mode
from alortui.ui.app import AlorTUI
from alortui.ui.screens.column_chooser import ColumnChooserScreen

CHOSEN = ["symbol", "last", "position"]


def lots_shown(app: AlorTUI, key: InstrumentKey) -> str | None:
    """The Pos cell of ``key``'s row (``None``: blank); the cell ends under its title."""
    table = app.watchlist_screen.table
    header = table.render_line(0).text
    end = header.index(" Pos") + len(" Pos")
    index = table.order.index_of(key)
    assert index is not None
    row = table.render_line(1 + index).text
    return row[end - 7:end].strip() or None


async def test_the_column_shows_the_lots_held_and_follows_the_portfolio(
        fake: FakeService, make_app: Callable[..., AlorTUI]) -> None:
    fake.portfolio_ids = PORTFOLIOS
    fake.portfolio_states = states()
    app = make_app(columns=CHOSEN)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause(0.3)
        assert app.watchlist_screen.table.render_line(0).text.split() == ["Symbol", "Last", "Pos"]
        # 200 SBER shares in lots of 10, 500 GAZP in lots of 10, 3 LKOH; VTBR is not held.
        assert [lots_shown(app, k) for k in (SBER, GAZP, LKOH, VTBR)] == ["20", "50", "3", None]
        state = fake.portfolio_states[STOCK]
        sold = (position("SBER", -30, 10, 296.0, 296.58), position("GAZP", 0, 10, 135.5, 129.15),
                *state.positions[2:])
        fake.push_portfolio(replace(state, positions=sold))
        await pilot.pause(0.2)
        assert (lots_shown(app, SBER), lots_shown(app, GAZP)) == ("-3", None)  # short; closed
        await pilot.press("3", "1")  # another list and back: the held lots are still known
        await pilot.pause()
        assert lots_shown(app, SBER) == "-3"


async def test_nothing_is_streamed_while_the_column_is_hidden(
        fake: FakeService, make_app: Callable[..., AlorTUI]) -> None:
    fake.portfolio_ids = PORTFOLIOS
    fake.portfolio_states = states()
    app = make_app()
    async with app.run_test(size=(200, 30)) as pilot:
        await pilot.pause(0.3)
        assert "Pos" not in app.watchlist_screen.table.render_line(0).text.split()
        assert fake.portfolio_requests == []
        await pilot.press("c", "end", "space", "enter")  # the opt-in column is the chooser's last
        await pilot.pause(0.3)
        assert "position" in app.watchlist_screen.table.column_keys
        assert fake.portfolio_listeners(STOCK) == 1 and lots_shown(app, SBER) == "20"
        await pilot.press("c", "end", "space", "enter")
        await pilot.pause(0.3)
        assert not isinstance(app.screen, ColumnChooserScreen)
        assert fake.portfolio_listeners(STOCK) == 0


async def test_anonymously_the_column_stays_blank_and_nothing_is_subscribed(
        fake: FakeService, make_app: Callable[..., AlorTUI]) -> None:
    fake.set_status(replace(fake.status, mode=Mode.DELAYED))
    fake.portfolio_ids = PORTFOLIOS
    fake.portfolio_states = states()
    app = make_app(columns=CHOSEN, portfolio=STOCK)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause(0.3)
        assert lots_shown(app, SBER) is None
        assert fake.portfolio_requests == []
