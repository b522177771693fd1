"""Every screen in an 80x24 terminal: its content fits, ``?`` lists its keys, Escape goes back."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from ui_helpers import screen_text

from alortui.ui.app import AlorTUI
from alortui.ui.screens.keys import HIDDEN_ACTIONS, KeysScreen

SMALL = (80, 24)

SCREENS: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {
    "watchlist": ((), ("Symbol", "SBER", "VTBR", "Chg%", "Volume", "Age", "? Keys")),
    "depth": (("enter",), ("MOEX:SBER:TQBR", "spread", "mid", "Σ bids", "Trades", "esc Back")),
    "info": (("i",), ("ISIN", "RU0009029540", "Status", "Today", "closes", "esc Back")),
    "add": (("a",), ("Add instrument: ticker, name",)),
    "columns": (("c",), ("Columns:", "Symbol", "Apply", "Cancel")),
    "confirm": (("d",), ("Remove MOEX:SBER:TQBR from Shares?", "Remove (y)", "No (n)")),
    "export": (("e",), ("copied to the clipboard", "MOEX:SBER:TQBR;MOEX:GAZP:TQBR")),
    "import": (("p",), ("Import into Shares: EXCHANGE:SYMBOL[:BOARD]",)),
}
"""Keys from the watchlist to the screen, and texts it must show whole at 80x24."""

WITH_KEYS = ("watchlist", "depth", "info", "columns", "confirm", "export")
"""Screens where ``?`` lists the keys (in the others it is typed into the search or paste box)."""


async def open_screen(pilot: object, name: str) -> None:
    for key in SCREENS[name][0]:
        await pilot.press(key)  # type: ignore[attr-defined]
        await pilot.pause(0.2)  # type: ignore[attr-defined]
    await pilot.pause(0.3)  # type: ignore[attr-defined]


@pytest.mark.parametrize("name", list(SCREENS))
async def test_each_screen_fits_80x24(name: str, make_app: Callable[..., AlorTUI]) -> None:
    app = make_app()
    async with app.run_test(size=SMALL) as pilot:
        await open_screen(pilot, name)
        text = screen_text(app)
        lines = text.splitlines()
        assert len(lines) == 24 and all(len(line) == 80 for line in lines)
        missing = [part for part in SCREENS[name][1] if part not in text]
        assert not missing, f"{name} at 80x24 does not show {missing}:\n{text}"
        if not app.screen.is_modal:
            assert " DEMO " in lines[0]  # the status line is never pushed off


@pytest.mark.parametrize("name", WITH_KEYS)
async def test_question_mark_lists_every_key_of_the_screen_and_escape_closes_it(
    name: str, make_app: Callable[..., AlorTUI]
) -> None:
    app = make_app()
    async with app.run_test(size=SMALL) as pilot:
        await open_screen(pilot, name)
        screen = app.screen
        bindings = [active.binding for active in app.active_bindings.values()]
        await pilot.press("question_mark")
        await pilot.pause()
        assert isinstance(app.screen, KeysScreen)
        text = screen_text(app)
        listed = {b.description for b in bindings if b.action not in HIDDEN_ACTIONS}
        assert "Keys" in listed and "Scroll Left" not in text
        if name != "export":  # the text area's many keys scroll; the rest fit 80x24 whole
            # "List 1" ... "List 9" are one line, "List n".
            absent = [d for d in listed if d and not d[-1].isdigit() and d not in text]
            assert not absent, f"{name}: keys not listed {absent}:\n{text}"
        await pilot.press("escape")
        await pilot.pause()
        assert app.screen is screen


async def test_the_keys_of_the_watchlist_name_its_editing_and_app_actions(
    make_app: Callable[..., AlorTUI],
) -> None:
    app = make_app()
    async with app.run_test(size=SMALL) as pilot:
        await pilot.press("question_mark")
        await pilot.pause()
        text = screen_text(app)
        for line in (
            "a  Add",
            "d  Remove",
            "c  Columns",
            "^r  Reconnect",
            "t  Next theme",
            "^q q  Quit",
            "↓ j  Down",
            "⏎  Depth",
            "1…9  List n",
        ):
            assert line in text, line
        assert "Scroll Left" not in text and "Copy selected text" not in text
        await pilot.press("question_mark")  # ? toggles it too
        await pilot.pause()
        assert app.screen is app.watchlist_screen
        await pilot.press("question_mark", "q")  # q quits from the keys as it is listed
        await pilot.pause()
        assert not app.is_running


@pytest.mark.parametrize("name", [name for name in SCREENS if name != "watchlist"])
async def test_escape_goes_back_to_the_watchlist_from_every_screen(
    name: str, make_app: Callable[..., AlorTUI]
) -> None:
    app = make_app()
    async with app.run_test(size=SMALL) as pilot:
        await open_screen(pilot, name)
        assert app.screen is not app.watchlist_screen
        await pilot.press("escape")
        await pilot.pause()
        assert app.screen is app.watchlist_screen
        assert app.watchlists["Shares"][0].symbol == "SBER"  # escape cancelled, removed nothing


async def test_escape_from_info_opened_in_depth_goes_back_to_depth(
    make_app: Callable[..., AlorTUI],
) -> None:
    app = make_app()
    async with app.run_test(size=SMALL) as pilot:
        await pilot.press("enter")
        await pilot.pause()
        depth = app.screen
        await pilot.press("i")
        await pilot.pause()
        assert app.screen is not depth
        await pilot.press("escape")
        await pilot.pause()
        assert app.screen is depth
