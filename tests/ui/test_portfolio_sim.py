"""The Portfolio screen bound to the real service and the simulated exchange on loopback.

A fill made in the simulator moves through order -> trade -> position -> summary on screen.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable

import aiohttp
from ui_helpers import WATCHLISTS, screen_text

from alortui.alor.endpoints import Endpoints
from alortui.models import InstrumentKey, Side
from alortui.portfolio_models import PortfolioState
from alortui.service.service import MarketData
from alortui.sim.server import SimExchange
from alortui.ui.app import AlorTUI
from alortui.ui.screens.portfolio import PortfolioScreen
from alortui.ui.widgets.portfolio_view import PortfolioView

STOCK = "D39004"
SBER = InstrumentKey("MOEX", "SBER")


async def until(predicate: Callable[[], bool], what: str, wait: float = 8.0) -> None:
    deadline = time.monotonic() + wait
    while not predicate():
        assert time.monotonic() < deadline, f"timed out waiting for {what}"
        await asyncio.sleep(0.05)


async def test_a_simulated_fill_reaches_the_screen() -> None:
    async with SimExchange(seed=5, tick=0.05) as sim, aiohttp.ClientSession() as session:
        endpoints = Endpoints(sim.api_url, sim.ws_url, sim.oauth_url)
        async with MarketData(session, endpoints, refresh_token=sim.refresh_token,
                              demo=True) as service:
            app = AlorTUI(service, watchlists=dict(WATCHLISTS), theme="dark")
            async with app.run_test(size=(120, 60)) as pilot:
                await pilot.press("P")
                view = app.screen.query_one(PortfolioView)
                assert isinstance(app.screen, PortfolioScreen)

                def state_has(test: Callable[[PortfolioState], object]) -> bool:
                    return view.state is not None and bool(test(view.state))

                await until(lambda: state_has(lambda s: s.summary and s.holdings), "the state")
                before = view.state
                assert before is not None and before.summary is not None
                summary = before.summary
                held = next(p for p in before.holdings if p.symbol == "SBER").qty_units
                order = sim.accounts.add_order(STOCK, SBER, Side.BUY, 7, 250.0)
                sim.accounts.fill(sim.accounts.books[STOCK], order, 250.0, sim.market.time)

                def moved(s: PortfolioState) -> bool:
                    sber = next(p for p in s.holdings if p.symbol == "SBER")
                    paid = s.summary.commission if s.summary else 0.0
                    return (any(t.order_no == order.id for t in s.trades)
                            and sber.qty_units == held + 70 and paid > summary.commission)

                await until(lambda: state_has(moved), "the fill in the state")
                await pilot.pause(0.3)
                text = screen_text(app)
                trade_row = next(line for line in text.splitlines()
                                 if "SBER" in line and "250.00" in line and " 7 " in line)
                assert "buy" in trade_row
                sber_row = next(line for line in text.splitlines()
                                if line.strip().startswith("SBER "))
                assert f" {int(held + 70)} " in sber_row
