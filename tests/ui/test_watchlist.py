"""The watchlist screen: flashes, staleness, server text, lists, editing, palette, themes."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from textual.command import CommandPalette
from textual.message import Message
from ui_helpers import BR, GAZP, LKOH, OFZ, SBER, SI, VTBR, YDEX, screen_text

from alortui.models import InstrumentKey
from alortui.ui.app import AlorTUI
from alortui.ui.formatting import DOWN_ARROW, UP_ARROW, fmt_price
from alortui.ui.messages import OpenDepth
from alortui.ui.widgets.watchlist_rows import FLASH_SECONDS
from alortui.ui.widgets.watchlist_table import WatchlistTable

SIZE = (120, 40)
HOSTILE = "[bold]x[/] [@click=app.quit]q[/] \x1b[31mred\x1b]0;t\x07 \u202eevil"
HOSTILE_SHOWN = "[bold]x[/] [@click=app.quit]q[/] red evil"


def table_of(app: AlorTUI) -> WatchlistTable:
    return app.watchlist_screen.table


def row_text(app: AlorTUI, key: InstrumentKey) -> str:
    table = table_of(app)
    index = table.order.index_of(key)
    assert index is not None
    return table.render_line(index + 1 - int(table.scroll_offset.y)).text


async def test_a_changed_price_flashes_with_an_arrow_then_settles(
    fake, make_app: Callable[..., AlorTUI]
) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert UP_ARROW not in screen_text(app) and DOWN_ARROW not in screen_text(app)
        before = {key: fake.quote(key).last for key in app.watchlists["Shares"]}
        for _ in range(5):
            fake.step()
            await pilot.pause()
            moved = [k for k in before if fake.quote(k).last != before[k]]
            if moved:
                break
        assert moved, "the seeded market should move some price within five steps"
        key = moved[0]
        arrow = UP_ARROW if fake.quote(key).last > before[key] else DOWN_ARROW
        assert arrow + fmt_price(fake.quote(key).last, 0).split(".")[0][:1] in row_text(app, key)
        fake.clock.advance(FLASH_SECONDS + 0.1)
        await pilot.pause(0.25)
        assert UP_ARROW not in row_text(app, key) and DOWN_ARROW not in row_text(app, key)


async def test_rows_without_updates_turn_stale_and_show_their_age(
    fake, make_app: Callable[..., AlorTUI]
) -> None:
    app = make_app(stale_after=30)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        table = table_of(app)
        assert not table.order.row_at(0).stale
        fake.clock.advance(45)
        table.tick()
        await pilot.pause()
        assert table.order.row_at(0).stale
        assert row_text(app, SBER).rstrip().endswith("40s")  # tens of seconds past ten


async def test_server_text_renders_literally_and_never_acts(
    fake, make_app: Callable[..., AlorTUI]
) -> None:
    fake.names[SBER] = HOSTILE
    app = make_app()
    async with app.run_test(size=(200, 40)) as pilot:
        await pilot.pause()
        assert HOSTILE_SHOWN[:20] in row_text(app, SBER)
        text = screen_text(app)
        assert "\x1b" not in text and "\u202e" not in text
        table = table_of(app)
        x = next(x for x in range(200) if row_text(app, SBER)[x:].startswith("[@click"))
        await pilot.click(WatchlistTable, offset=(x + 2, 1))
        await pilot.pause()
        assert app.is_running and table.selected_key == SBER
        await pilot.press("ctrl+p", *"click")
        await pilot.pause(0.3)
        assert "SBER  [bold]x[/] [@click=app.quit]q[/]" in screen_text(app)
        await pilot.press("escape")


async def test_server_text_in_palette_suggestions_is_literal(
    fake, make_app: Callable[..., AlorTUI]
) -> None:
    aflt = InstrumentKey("MOEX", "AFLT", "TQBR")
    fake.names[aflt] = HOSTILE
    app = make_app()
    async with app.run_test(size=(160, 40)) as pilot:
        await pilot.press("ctrl+p", *"AFLT")
        await pilot.pause(0.5)
        assert f"Add MOEX:AFLT:TQBR  {HOSTILE_SHOWN}" in screen_text(app)
        await pilot.press("enter")
        await pilot.pause()
        assert app.is_running and app.watchlists["Shares"][-1] == aflt


async def test_watchlists_switch_with_brackets_and_numbers(
    fake, make_app: Callable[..., AlorTUI]
) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("right_square_bracket")
        await pilot.pause()
        assert app.watchlist_screen.active == "Bonds"
        assert fake.quote_requests[-1] == (OFZ,)
        security = fake.market.lookup(OFZ.exchange, OFZ.symbol, OFZ.board)
        last = fake.quote(OFZ).last
        await pilot.pause(0.1)
        assert fmt_price(last, security.price_decimals, percent=True) in row_text(app, OFZ)
        await pilot.press("3")
        await pilot.pause()
        assert fake.quote_requests[-1] == (SI, BR)
        await pilot.press("left_square_bracket", "left_square_bracket")
        assert app.watchlist_screen.active == "Shares"


async def test_remove_and_reorder_are_saved(make_app: Callable[..., AlorTUI]) -> None:
    saved: list[dict[str, Any]] = []
    app = make_app(on_save=lambda **state: saved.append(state))
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("j", "d", "y")
        await pilot.pause()
        assert saved[-1]["watchlists"]["Shares"] == [SBER, LKOH, YDEX, VTBR]
        assert saved[-1]["active_watchlist"] == "Shares"
        await pilot.press("shift+down")
        assert app.watchlists["Shares"] == [SBER, YDEX, LKOH, VTBR]
        assert table_of(app).selected_key == LKOH
        assert len(saved) == 2


async def test_sorting_by_column_keeps_the_cursor_on_its_instrument(
    fake, make_app: Callable[..., AlorTUI]
) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        table = table_of(app)
        await pilot.press("j")  # GAZP
        table.sort_by("last")
        await pilot.pause()
        lasts = [table.order.row_at(i).quote.last for i in range(len(table.order))]
        assert lasts == sorted(lasts)
        assert table.selected_key == GAZP
        assert "Last▲" in table.render_line(0).text
        await pilot.press("S")
        lasts = [table.order.row_at(i).quote.last for i in range(len(table.order))]
        assert lasts == sorted(lasts, reverse=True)
        await pilot.click(WatchlistTable, offset=(1, 0))  # the Symbol header
        symbols = [table.order.row_at(i).key.symbol for i in range(len(table.order))]
        assert symbols == sorted(symbols)


async def test_click_selects_and_double_click_opens_depth(make_app: Callable[..., AlorTUI]) -> None:
    posted: list[Message] = []
    app = make_app()
    async with app.run_test(size=SIZE, message_hook=posted.append) as pilot:
        await pilot.pause()
        await pilot.click(WatchlistTable, offset=(2, 3))
        assert table_of(app).selected_key == LKOH
        assert not [m for m in posted if isinstance(m, OpenDepth)]
        await pilot.double_click(WatchlistTable, offset=(2, 4))
        await pilot.pause()
        assert {m.key for m in posted if isinstance(m, OpenDepth)} == {YDEX}


async def test_add_instrument_by_search_with_suggestions(
    fake, make_app: Callable[..., AlorTUI]
) -> None:
    saved: list[dict[str, Any]] = []
    app = make_app(on_save=lambda **state: saved.append(state))
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("a")
        await pilot.press(*"AFLT")
        await pilot.pause(0.5)
        assert "AFLT" in fake.searches and "Аэрофлот" in screen_text(app)
        await pilot.press("enter")
        await pilot.pause()
        aflt = InstrumentKey("MOEX", "AFLT", "TQBR")
        assert app.watchlists["Shares"][-1] == aflt
        assert table_of(app).selected_key == aflt
        assert saved[-1]["watchlists"]["Shares"][-1] == aflt
        assert fake.quote_requests[-1][-1] == aflt


async def test_palette_finds_an_instrument_of_the_watchlists(
    make_app: Callable[..., AlorTUI],
) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("ctrl+p")
        await pilot.press(*"SiZ6")
        await pilot.pause(0.3)
        assert isinstance(app.screen, CommandPalette)
        assert "MOEX:SiZ6:RFUD" in screen_text(app)
        await pilot.press("enter")
        await pilot.pause()
        assert app.watchlist_screen.active == "Futures"
        assert table_of(app).selected_key == SI


async def test_palette_runs_actions_and_switches_themes(
    fake, make_app: Callable[..., AlorTUI]
) -> None:
    saved: list[dict[str, Any]] = []
    app = make_app(on_save=lambda **state: saved.append(state))
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("ctrl+p", *"reconnect")
        await pilot.pause(0.3)
        await pilot.press("enter")
        await pilot.pause()
        assert fake.reconnects == 1
        await pilot.press("ctrl+p", *"theme: light")
        await pilot.pause(0.3)
        await pilot.press("enter")
        await pilot.pause()
        assert app.theme == "light" and saved[-1]["theme"] == "light"


async def test_theme_change_rebuilds_the_line_api_styles(make_app: Callable[..., AlorTUI]) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        table = table_of(app)
        dark_bid = table.painter.roles["bid"].color
        await pilot.press("t")
        await pilot.pause()
        assert app.theme == "high-contrast"
        assert table.painter.roles["bid"].color != dark_bid
        assert table.painter.roles["bid"].color.triplet.hex == "#00ffff"


async def test_built_in_textual_themes_still_work(make_app: Callable[..., AlorTUI]) -> None:
    app = make_app(theme="nord")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert app.theme == "nord"
        assert table_of(app).painter.roles["up"].color is not None


async def test_80_columns_show_the_core_and_200_columns_show_everything(
    make_app: Callable[..., AlorTUI],
) -> None:
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        header = table_of(app).render_line(0).text.split()
        assert header == ["Symbol", "Name", "Last", "Chg%", "Bid", "Ask", "Volume", "Age"]
        assert all(len(line) == 80 for line in screen_text(app).splitlines())
    app = make_app()
    async with app.run_test(size=(200, 60)) as pilot:
        await pilot.pause()
        header = table_of(app).render_line(0).text.split()
        assert header == [
            "Symbol",
            "Name",
            "Last",
            "Chg",
            "Chg%",
            "Day",
            "Bid",
            "Ask",
            "Spread",
            "BidSz",
            "AskSz",
            "Open",
            "High",
            "Low",
            "Prev",
            "Volume",
            "Turnover",
            "Time",
            "Age",
        ]


async def test_sort_is_restored_and_saved_at_quit(make_app: Callable[..., AlorTUI]) -> None:
    saved: list[dict[str, Any]] = []
    app = make_app(sort="-last", on_save=lambda **state: saved.append(state))
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        table = table_of(app)
        lasts = [table.order.row_at(i).quote.last for i in range(len(table.order))]
        assert lasts == sorted(lasts, reverse=True)
        await pilot.press("S", "q")
        await pilot.pause()
    assert saved[-1]["sort"] == "last"


async def test_a_failing_save_is_reported_not_fatal(make_app: Callable[..., AlorTUI]) -> None:
    def broken(**state: Any) -> None:
        raise PermissionError("config.toml is read-only")

    app = make_app(on_save=broken)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("d", "y")
        await pilot.pause()
        assert app.is_running
        assert any("read-only" in str(n.message) for n in app._notifications)


async def test_m_moves_the_instrument_to_the_next_list(make_app: Callable[..., AlorTUI]) -> None:
    saved: list[dict[str, Any]] = []
    app = make_app(on_save=lambda **state: saved.append(state))
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("m")
        await pilot.pause()
        assert SBER not in app.watchlists["Shares"] and app.watchlists["Bonds"] == [OFZ, SBER]
        assert saved[-1]["watchlists"]["Bonds"] == [OFZ, SBER]


async def test_failing_search_leaves_the_watchlist_working(
    fake, make_app: Callable[..., AlorTUI]
) -> None:
    async def broken_search(text: str, *, limit: int = 20) -> list[Any]:
        raise ConnectionError("search is down")

    fake.search = broken_search
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert app.is_running and "SBER" in screen_text(app)
        await pilot.press("a", *"GAZ")
        await pilot.pause(0.5)
        assert "Search failed: search is down" in screen_text(app)
        await pilot.press("escape")
        await pilot.press("ctrl+p", *"GAZ")
        await pilot.pause(0.5)
        assert "MOEX:GAZP:TQBR" in screen_text(app)  # local hits still come


async def test_a_stream_note_arriving_while_the_app_quits_is_dropped_quietly(
    make_app: Callable[..., AlorTUI],
) -> None:
    app = make_app()
    async with app.run_test(size=(100, 30)):
        screen = app.watchlist_screen
        await screen.query_one("#watchlist-message").remove()  # as when the app shuts down
        screen.show_message("Quotes: unavailable: the stream failed")  # no NoMatches
        assert not screen.query("#watchlist-message")
