"""Own working orders on the depth ladder, own fills on the tape (issue 7, read-only)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace

from fake_portfolio import PORTFOLIOS, STOCK, order, states
from fake_service import FakeService
from ui_helpers import SBER, screen_text

from alortui.models import Side
from alortui.portfolio_models import OwnTrade
from alortui.service.api import Mode
from alortui.ui.app import AlorTUI
from alortui.ui.formatting import fmt_price
from alortui.ui.screens.depth import DepthScreen
from alortui.ui.widgets.ladder import Ladder
from alortui.ui.widgets.ladder_layout import OWN_MARKER
from alortui.ui.widgets.tape import TradeTape


async def test_own_orders_are_marked_on_their_levels(
        fake: FakeService, make_app: Callable[..., AlorTUI]) -> None:
    book = fake.market.order_book(SBER, 20)
    bid, ask = book.bids[2].price, book.asks[4].price
    state = states()[STOCK]
    mine = (order("9001", "SBER", Side.BUY, bid, 3), order("9002", "SBER", Side.SELL, ask, 2),
            order("9003", "GAZP", Side.BUY, ask, 1),  # another instrument: not on this ladder
            order("9004", "SBER", Side.BUY, book.bids[5].price, 1, status="filled"))
    fake.portfolio_ids = PORTFOLIOS
    fake.portfolio_states = {STOCK: replace(state, orders=mine, stop_orders=())}
    app = make_app()
    async with app.run_test(size=(120, 50)) as pilot:
        await pilot.press("enter")
        await pilot.pause(0.3)
        assert isinstance(app.screen, DepthScreen)
        ladder = app.screen.query_one(Ladder)
        assert ladder.own_orders == {bid, ask}
        marked = [row.price for row in ladder.rows if row.own]
        assert sorted(marked) == sorted([bid, ask])
        lines = [line for line in screen_text(app).splitlines() if OWN_MARKER in line]
        assert len(lines) == 2 and fmt_price(ask) in lines[0] and fmt_price(bid) in lines[1]
        fake.push_portfolio(replace(state, orders=(replace(mine[0], status="filled"),),
                                    stop_orders=()))
        await pilot.pause(0.2)
        assert [row.price for row in ladder.rows if row.own] == []


async def test_nothing_is_marked_without_a_token(
        fake: FakeService, make_app: Callable[..., AlorTUI]) -> None:
    fake.set_status(replace(fake.status, mode=Mode.DELAYED))
    fake.portfolio_ids = PORTFOLIOS
    app = make_app()
    async with app.run_test(size=(120, 50)) as pilot:
        await pilot.press("enter")
        await pilot.pause(0.3)
        assert OWN_MARKER not in screen_text(app)
        assert fake.portfolio_requests == []


async def test_own_fills_are_highlighted_on_the_tape(
        fake: FakeService, make_app: Callable[..., AlorTUI]) -> None:
    for _ in range(10):
        fake.step(1.0)
    tape_trades = fake.market.trades(SBER, last=100)
    filled = tape_trades[-2]  # the second newest: the tape's second row
    mine = OwnTrade(str(filled.id), "1001", "SBER", "MOEX", filled.side or Side.BUY,
                    filled.price, filled.qty, None, filled.time)
    fake.portfolio_ids = PORTFOLIOS
    fake.portfolio_states = {STOCK: replace(states()[STOCK], trades=(mine,))}
    app = make_app()
    async with app.run_test(size=(120, 50)) as pilot:
        await pilot.press("enter")
        await pilot.pause(0.3)
        tape = app.screen.query_one(TradeTape)
        rows = [tape.render_line(y).text for y in range(3)]
        assert OWN_MARKER not in rows[0] and OWN_MARKER not in rows[2]
        assert OWN_MARKER in rows[1] and fmt_price(filled.price) in rows[1]
