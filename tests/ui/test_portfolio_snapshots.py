"""Snapshots of the Portfolio screen: the fixed demo portfolio on a frozen clock, dark theme."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from fake_portfolio import PORTFOLIOS, states
from fake_service import FakeService
from textual.pilot import Pilot
from ui_helpers import WATCHLISTS

from alortui.service.api import Mode
from alortui.ui.app import AlorTUI


def portfolio_app(mode: Mode = Mode.DEMO) -> AlorTUI:
    service = FakeService(mode)
    service.portfolio_ids = PORTFOLIOS
    service.portfolio_states = states()
    return AlorTUI(service, watchlists=dict(WATCHLISTS), clock=service.clock.now, theme="dark")


async def open_portfolio(pilot: Pilot[None]) -> None:
    await pilot.press("P")
    await pilot.pause()
    await pilot.pause(0.2)


async def open_hidden(pilot: Pilot[None]) -> None:
    await open_portfolio(pilot)
    await pilot.press("dollar_sign")
    await pilot.pause()


class TestPortfolioScreen:
    @pytest.mark.parametrize("size", [(80, 24), (160, 50)])
    def test_stock_portfolio(self, snap_compare: Callable[..., bool],
                             size: tuple[int, int]) -> None:
        assert snap_compare(portfolio_app(), terminal_size=size, run_before=open_portfolio)

    @pytest.mark.parametrize("size", [(80, 24), (160, 50)])
    def test_privacy_key_hides_every_amount(self, snap_compare: Callable[..., bool],
                                            size: tuple[int, int]) -> None:
        assert snap_compare(portfolio_app(), terminal_size=size, run_before=open_hidden)

    def test_anonymous_explanation(self, snap_compare: Callable[..., bool]) -> None:
        app = portfolio_app(Mode.DELAYED)
        assert snap_compare(app, terminal_size=(80, 24), run_before=open_portfolio)
