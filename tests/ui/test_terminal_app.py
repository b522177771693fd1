"""A screen covered by an opaque one keeps its data but does not repaint the screen on top."""

from __future__ import annotations

from typing import Any

from fake_service import FakeService
from textual.color import Color
from textual.screen import Screen
from ui_helpers import SBER

from alortui.ui.app import AlorTUI
from alortui.ui.formatting import fmt_price
from alortui.ui.screens.depth import DepthScreen
from alortui.ui.widgets.watchlist_table import WatchlistTable

GAZP = SBER.__class__("MOEX", "GAZP", "TQBR")


def count_full_repaints(app: AlorTUI) -> list[int]:
    """Count the full-screen repaints of the screen now on top."""
    compositor = app.screen._compositor
    calls = [0]
    full = compositor.render_full_update

    def counted(*args: Any, **kwargs: Any) -> Any:
        calls[0] += 1
        return full(*args, **kwargs)

    compositor.render_full_update = counted  # type: ignore[method-assign]
    return calls


async def test_quotes_under_the_depth_screen_do_not_repaint_it_in_full() -> None:
    service = FakeService()
    app = AlorTUI(service, watchlists={"Test": [SBER, GAZP]}, clock=service.clock.now)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("enter")
        await pilot.pause(0.2)
        assert isinstance(app.screen, DepthScreen)
        full = count_full_repaints(app)
        for _ in range(10):
            service.step(1.0)  # new quotes for the watchlist below, a new clock second
            await pilot.pause(0.05)
        assert full[0] == 0

        await pilot.press("escape")
        await pilot.pause(0.2)
        table = app.screen.query_one(WatchlistTable)
        shown = "\n".join(
            "".join(segment.text for segment in table.render_line(y))
            for y in range(table.size.height)
        )
        last = service.quote(SBER).last
        assert last is not None
        assert fmt_price(last, 2) in shown  # the quotes taken while covered are on screen


async def test_a_translucent_screen_still_shows_the_live_screen_below() -> None:
    service = FakeService()
    app = AlorTUI(service, watchlists={"Test": [SBER]}, clock=service.clock.now)
    async with app.run_test(size=(120, 40)) as pilot:
        overlay = Screen[None]()
        await app.push_screen(overlay)
        overlay.styles.background = Color(0, 0, 0, 0.5)
        await pilot.pause(0.1)
        assert app._background_screens == [app.watchlist_screen]
        overlay.styles.background = Color(0, 0, 0)
        assert app._background_screens == []

