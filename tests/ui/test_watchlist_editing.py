"""Editing the watchlist: the column chooser, import, export and the question before removing."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from textual.widgets import Input, SelectionList, TextArea
from ui_helpers import GAZP, LKOH, SBER, VTBR, YDEX, screen_text

from alortui.models import InstrumentKey
from alortui.ui.app import AlorTUI
from alortui.ui.screens.column_chooser import ColumnChooserScreen
from alortui.ui.screens.confirm import ConfirmScreen
from alortui.ui.screens.watchlist_io import ExportScreen, ImportScreen, export_text, parse_keys
from alortui.ui.widgets.watchlist_layout import (
    DEFAULT_COLUMNS,
    DEFAULT_KEYS,
    fit_columns,
    resolve_columns,
)

WIDE = (200, 40)
AFLT = InstrumentKey("MOEX", "AFLT", "TQBR")


def header(app: AlorTUI) -> list[str]:
    return app.watchlist_screen.table.render_line(0).text.split()


async def test_the_chooser_hides_and_moves_columns_by_keyboard_and_the_choice_is_saved(
    make_app: Callable[..., AlorTUI],
) -> None:
    saved: list[dict[str, Any]] = []
    app = make_app(on_save=lambda **state: saved.append(state))
    async with app.run_test(size=WIDE) as pilot:
        await pilot.pause()
        assert "Name" in header(app)
        await pilot.press("c")
        await pilot.pause()
        assert isinstance(app.screen, ColumnChooserScreen)
        await pilot.press("down", "space")  # hide Name
        await pilot.press("end", "up", "shift+up")  # Age before Time (the hidden Pos is last)
        await pilot.press("enter")
        await pilot.pause()
        assert not isinstance(app.screen, ColumnChooserScreen)
        shown = header(app)
        assert "Name" not in shown
        assert shown[-2:] == ["Age", "Time"]
        expected = [key for key in DEFAULT_KEYS if key not in {"name", "age", "last_time"}]
        assert saved[-1]["columns"] == [*expected, "age", "last_time"]
    columns = saved[-1]["columns"]
    again = make_app(columns=columns)  # the saved choice comes back at the next start
    async with again.run_test(size=WIDE) as pilot:
        await pilot.pause()
        assert header(again) == shown


async def test_the_chooser_works_with_the_mouse_and_from_the_palette(
    make_app: Callable[..., AlorTUI],
) -> None:
    saved: list[dict[str, Any]] = []
    app = make_app(on_save=lambda **state: saved.append(state))
    async with app.run_test(size=WIDE) as pilot:
        await pilot.press("ctrl+p", *"choose columns")
        await pilot.pause(0.3)
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, ColumnChooserScreen)
        options = app.screen.query_one(SelectionList)
        row = DEFAULT_KEYS.index("volume")
        await pilot.click(SelectionList, offset=(4, row + 1))  # +1: the list's border
        await pilot.pause()
        assert "volume" not in options.selected
        await pilot.click("#up")  # the highlighted (clicked) column moves up
        keys = [key for key, _ in app.screen.states()]
        assert keys.index("volume") == row - 1 and options.highlighted == row - 1
        await pilot.click("#apply")
        await pilot.pause()
        assert "Volume" not in header(app) and "Last" in header(app)
        assert "volume" not in saved[-1]["columns"]
        await pilot.press("c", "space")  # hide the symbol... then cancel
        await pilot.click("#cancel")
        assert not isinstance(app.screen, ColumnChooserScreen)
        await pilot.press("c", "down", "space", "escape")  # cancelling changes nothing
        assert "volume" not in app.watchlist_screen.table.column_keys
        assert "name" in app.watchlist_screen.table.column_keys


async def test_the_symbol_cannot_be_hidden_and_default_is_saved_as_empty(
    make_app: Callable[..., AlorTUI],
) -> None:
    saved: list[dict[str, Any]] = []
    app = make_app(columns=["last", "symbol"], on_save=lambda **state: saved.append(state))
    async with app.run_test(size=WIDE) as pilot:
        await pilot.pause()
        assert header(app) == ["Last", "Symbol"]
        await pilot.press("c", "down", "space", "enter")  # untick Symbol
        await pilot.pause()
        assert header(app) == ["Last", "Symbol"]
        await pilot.press("c")
        await pilot.click("#default")
        await pilot.press("enter")
        await pilot.pause()
        assert saved[-1]["columns"] == []
        assert len(header(app)) == len(DEFAULT_KEYS)


def test_narrow_widths_drop_low_priority_columns_but_keep_the_users_order() -> None:
    chosen = resolve_columns(["volume", "age", "symbol", "high", "last", "bogus"])
    assert [c.key for c in chosen] == ["volume", "age", "symbol", "high", "last"]
    fitted = [c.key for c, _ in fit_columns(40, 6, columns=chosen)]
    assert fitted == ["volume", "age", "symbol", "last"]  # High has the lowest priority
    assert [c.key for c, _ in fit_columns(200, 6, columns=chosen)] == [c.key for c in chosen]
    assert resolve_columns(["last"])[0].key == "symbol"  # the symbol always shows
    assert resolve_columns(["bogus"]) == list(DEFAULT_COLUMNS)


def test_export_and_import_text_round_trip_with_optional_boards() -> None:
    keys = [SBER, InstrumentKey("MOEX", "GAZP"), InstrumentKey("SPBX", "AAPL")]
    text = export_text(keys)
    assert text == "MOEX:SBER:TQBR;MOEX:GAZP;SPBX:AAPL"
    assert parse_keys(text).keys == keys
    parsed = parse_keys(" moex:SBER:TQBR ;; MOEX:SBER:TQBR;nope;\nMOEX:LKOH:TQBR,")
    assert parsed.keys == [SBER, LKOH]
    assert [item for item, _ in parsed.bad] == ["nope"]


async def test_export_copies_the_list_and_shows_it_to_select(
    make_app: Callable[..., AlorTUI],
) -> None:
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("e")
        await pilot.pause()
        text = "MOEX:SBER:TQBR;MOEX:GAZP:TQBR;MOEX:LKOH:TQBR;MOEX:YDEX:TQBR;MOEX:VTBR:TQBR"
        assert app.clipboard == text
        assert isinstance(app.screen, ExportScreen)
        area = app.screen.query_one(TextArea)
        assert area.text == text and area.selected_text == text
        assert "MOEX:SBER:TQBR;MOEX:GAZP:TQBR" in screen_text(app)
        await pilot.press("escape")
        assert not isinstance(app.screen, ExportScreen)


async def test_import_adds_the_good_keys_once_and_reports_the_bad_as_text(
    make_app: Callable[..., AlorTUI],
) -> None:
    saved: list[dict[str, Any]] = []
    app = make_app(on_save=lambda **state: saved.append(state))
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("p")
        await pilot.pause()
        assert isinstance(app.screen, ImportScreen)
        field = app.screen.query_one(Input)
        field.value = "MOEX:AFLT:TQBR;FOO;MOEX:SBER:TQBR;[red]:X;MOEX:AFLT:TQBR"  # a paste
        await pilot.press("enter")
        await pilot.pause()
        assert app.watchlists["Shares"] == [SBER, GAZP, LKOH, YDEX, VTBR, AFLT]
        assert saved[-1]["watchlists"]["Shares"][-1] == AFLT
        text = screen_text(app)
        assert "Added 1 to Shares (1 already there). Not added:" in text
        assert "expected EXCHANGE:SYMBOL[:BOARD], got 'FOO'" in text
        assert "unknown exchange '[red]'" in text  # drawn literally, not as markup
        assert isinstance(app.screen, ImportScreen)  # open, with the bad items left to fix
        assert field.value == "FOO;[red]:X"
        field.value = "MOEX:MOEX:TQBR"
        await pilot.press("enter")
        await pilot.pause()
        assert not isinstance(app.screen, ImportScreen)
        assert app.watchlists["Shares"][-1] == InstrumentKey("MOEX", "MOEX", "TQBR")


async def test_removing_asks_first(make_app: Callable[..., AlorTUI]) -> None:
    saved: list[dict[str, Any]] = []
    app = make_app(on_save=lambda **state: saved.append(state))
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("d")
        await pilot.pause()
        assert isinstance(app.screen, ConfirmScreen)
        assert "Remove MOEX:SBER:TQBR from Shares?" in screen_text(app)
        await pilot.press("n")
        await pilot.press("d", "escape")
        await pilot.pause()
        assert app.watchlists["Shares"][0] == SBER and not saved
        await pilot.press("d", "tab", "enter")  # Enter on the focused No button
        await pilot.pause()
        assert app.watchlists["Shares"][0] == SBER
        await pilot.press("d", "enter")
        await pilot.pause()
        assert app.watchlists["Shares"] == [GAZP, LKOH, YDEX, VTBR]
        assert saved[-1]["watchlists"]["Shares"] == [GAZP, LKOH, YDEX, VTBR]


async def test_removing_from_the_palette_asks_too_and_the_buttons_click(
    make_app: Callable[..., AlorTUI],
) -> None:
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("d")
        await pilot.click("#no")
        await pilot.pause()
        assert app.watchlists["Shares"][0] == SBER
        await pilot.press("ctrl+p", *"remove")
        await pilot.pause(0.3)
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, ConfirmScreen)
        await pilot.click("#yes")
        await pilot.pause()
        assert app.watchlists["Shares"] == [GAZP, LKOH, YDEX, VTBR]
