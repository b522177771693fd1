"""The command palette (ctrl+p): actions, watchlists and instruments from any screen."""

from __future__ import annotations

from collections.abc import Callable

from textual.command import CommandPalette
from ui_helpers import OFZ, SBER, screen_text

from alortui.models import InstrumentKey
from alortui.ui.app import AlorTUI
from alortui.ui.screens.add_instrument import AddInstrumentScreen
from alortui.ui.screens.depth import DepthScreen

SIZE = (120, 40)


async def palette(pilot: object, query: str) -> str:
    """Open the palette, type ``query``; the screen's text once the hits are in."""
    await pilot.press("ctrl+p", *query)  # type: ignore[attr-defined]
    await pilot.pause(0.3)  # type: ignore[attr-defined]
    app = pilot.app  # type: ignore[attr-defined]
    assert isinstance(app.screen, CommandPalette)
    return screen_text(app)


async def test_add_instrument_from_the_palette_opens_the_search_and_adds(
    make_app: Callable[..., AlorTUI],
) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        assert "Add instrument" in await palette(pilot, "add ins")
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, AddInstrumentScreen)
        await pilot.press(*"AFLT")
        await pilot.pause(0.5)
        await pilot.press("enter")
        await pilot.pause()
        aflt = InstrumentKey("MOEX", "AFLT", "TQBR")
        assert app.watchlists["Shares"][-1] == aflt
        assert app.watchlist_screen.table.selected_key == aflt


async def test_palette_lists_actions_watchlists_themes_and_instruments(
    make_app: Callable[..., AlorTUI],
) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("ctrl+p")
        await pilot.pause(0.3)
        shown = screen_text(app)  # with no query: the actions
        assert "Reconnect" in shown and "Add instrument" in shown
        await pilot.press("escape")
        assert "Theme: high-contrast" in await palette(pilot, "high-con")
        await pilot.press("escape")
        assert "Watchlist: Bonds" in await palette(pilot, "st: bonds")
        await pilot.press("escape")
        assert "MOEX:SBER:TQBR" in await palette(pilot, "SBER")


async def test_a_watchlist_chosen_in_the_palette_on_the_depth_screen_is_shown(
    make_app: Callable[..., AlorTUI],
) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, DepthScreen)
        shown = await palette(pilot, "st: bonds")
        assert "Watchlist: Bonds" in shown
        await pilot.press("enter")
        await pilot.pause()
        assert app.screen is app.watchlist_screen
        assert app.watchlist_screen.active == "Bonds"
        assert app.watchlist_screen.table.selected_key == OFZ


async def test_watchlist_row_actions_are_not_offered_over_the_depth_screen(
    make_app: Callable[..., AlorTUI],
) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        assert "Remove instrument" in await palette(pilot, "remove ins")
        await pilot.press("escape", "enter")
        await pilot.pause()
        assert isinstance(app.screen, DepthScreen)
        shown = await palette(pilot, "remove ins")
        assert "Remove instrument" not in shown
        await pilot.press("escape")
        await pilot.pause()
        assert SBER in app.watchlists["Shares"]
