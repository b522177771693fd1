"""Snapshots of the watchlist screen: seeded market, frozen clock, 80x24 to 160x50, three themes."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from fake_service import FakeService, status_for
from textual.pilot import Pilot
from ui_helpers import WATCHLISTS

from alortui.service.api import Mode
from alortui.ui.app import AlorTUI
from alortui.ui.screens.watchlist import WatchlistScreen


def make(mode: Mode = Mode.LIVE, theme: str = "dark") -> tuple[AlorTUI, FakeService]:
    service = FakeService(mode)
    service.set_status(status_for(mode))
    watchlists = {name: list(keys) for name, keys in WATCHLISTS.items()}
    app = AlorTUI(service, watchlists=watchlists, clock=service.clock.now, theme=theme)
    return app, service


def complete(screen: WatchlistScreen) -> bool:
    """Every row has its reference data, its trading status and (if shown) its sparkline."""
    table = screen.table
    sparks = "spark" in table.shown_columns
    return all(
        key in screen.names and row.trading_status is not None and (row.spark or not sparks)
        for key, row in table.model.rows.items()
    )


async def settled(pilot: Pilot[None]) -> None:
    """Wait until the background data is in (names, decimals, status, sparklines): no race."""
    screen = pilot.app.watchlist_screen  # type: ignore[attr-defined]
    for _ in range(50):
        await pilot.pause()
        if complete(screen):
            break
    await pilot.pause()


class TestWatchlistScreen:
    @pytest.mark.parametrize("theme", ["dark", "light"])
    @pytest.mark.parametrize("size", [(80, 24), (160, 50)])
    def test_watchlist(
        self, snap_compare: Callable[..., bool], size: tuple[int, int], theme: str
    ) -> None:
        app, _ = make(theme=theme)
        assert snap_compare(app, terminal_size=size, run_before=settled)

    def test_high_contrast_with_flashes(self, snap_compare: Callable[..., bool]) -> None:
        app, service = make(theme="high-contrast")

        async def step(pilot: Pilot[None]) -> None:
            await settled(pilot)
            service.step()  # flashes, up and down, in the theme's own colours
            await settled(pilot)

        assert snap_compare(app, terminal_size=(140, 24), run_before=step)

    def test_delayed(self, snap_compare: Callable[..., bool]) -> None:
        app, _ = make(Mode.DELAYED)
        assert snap_compare(app, terminal_size=(80, 24), run_before=settled)

    def test_flashes_after_a_step(self, snap_compare: Callable[..., bool]) -> None:
        app, service = make(Mode.DEMO)

        async def step(pilot: Pilot[None]) -> None:
            await settled(pilot)
            service.step()  # the frozen clock keeps the flashes on for the picture
            await settled(pilot)

        assert snap_compare(app, terminal_size=(160, 50), run_before=step)
