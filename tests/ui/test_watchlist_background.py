"""What the watchlist learns in the background: trading status, price grids, day sparklines."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from textual.app import App, ComposeResult
from textual.geometry import Region
from ui_helpers import GAZP, LKOH, SBER, VTBR, YDEX, screen_text

from alortui.models import InstrumentKey
from alortui.service.api import Mode
from alortui.ui.app import AlorTUI
from alortui.ui.widgets.sparkline import BLOCKS, day_closes, sparkline
from alortui.ui.widgets.watchlist_table import WatchlistTable

SIZE = (120, 40)


def row_text(app: AlorTUI, key: InstrumentKey) -> str:
    table = app.watchlist_screen.table
    index = table.order.index_of(key)
    assert index is not None
    return table.render_line(index + 1 - int(table.scroll_offset.y)).text


async def until(pilot: Any, condition: Callable[[], bool]) -> None:
    for _ in range(50):
        await pilot.pause()
        if condition():
            return
    raise AssertionError("the background data never came")


async def test_an_instrument_not_trading_is_muted_with_a_word_not_only_a_colour(
    fake, make_app: Callable[..., AlorTUI]
) -> None:
    fake.trading_status[GAZP] = 18  # closed, no trading (alor-api.md 6.3)
    fake.trading_status[LKOH] = 119  # opening auction
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        rows = app.watchlist_screen.table.model.rows
        await until(pilot, lambda: all(row.trading_status for row in rows.values()))
        assert row_text(app, GAZP).rstrip().endswith("·halt")
        assert row_text(app, LKOH).rstrip().endswith("·auct")
        assert row_text(app, SBER).rstrip().endswith("<1s")
        assert rows[GAZP].muted and not rows[SBER].muted
        table = app.watchlist_screen.table
        muted = table.painter.roles["muted"]
        assert muted.dim and muted.italic
        gazp_line = table.render_line(table.order.index_of(GAZP) + 1)
        assert all(segment.style.dim for segment in gazp_line if segment.text.strip())
        assert not any(s.style.dim for s in table.render_line(1) if s.text.strip())
        await pilot.press("right_square_bracket", "left_square_bracket")  # away and back
        await pilot.pause()
        assert fake.info_requests.count(GAZP) == 1  # asked once, remembered
        assert row_text(app, GAZP).rstrip().endswith("·halt")


async def test_the_price_grid_comes_from_the_instrument_info_when_search_fails(
    fake, make_app: Callable[..., AlorTUI]
) -> None:
    async def broken_search(text: str, *, limit: int = 20) -> list[Any]:
        raise ConnectionError("search is down")

    fake.search = broken_search
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        rows = app.watchlist_screen.table.model.rows
        await until(pilot, lambda: rows[LKOH].decimals is not None)
        assert rows[LKOH].decimals == 1  # LKOH's step is 0.5
        assert "6 990.0 " in row_text(app, LKOH) and "6 990.00" not in row_text(app, LKOH)


async def test_failing_instrument_info_is_ignored(fake, make_app: Callable[..., AlorTUI]) -> None:
    async def broken_info(key: InstrumentKey) -> Any:
        raise ConnectionError("graphql is down")

    fake.instrument_info = broken_info
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause(0.2)
        assert app.is_running and "SBER" in screen_text(app)
        assert not any(row.muted for row in app.watchlist_screen.table.model.rows.values())


async def test_a_sparkline_of_the_day_shows_at_160_columns(
    fake, make_app: Callable[..., AlorTUI]
) -> None:
    app = make_app()
    async with app.run_test(size=(160, 40)) as pilot:
        rows = app.watchlist_screen.table.model.rows
        await until(pilot, lambda: all(row.spark for row in rows.values()))
        assert "Day" in app.watchlist_screen.table.render_line(0).text.split()
        assert {tf for _, tf in fake.candle_requests} == {300}
        now = fake.clock.now()
        expected = sparkline(day_closes(fake.market.candles(SBER, 300, now - 86400, now)), 12)
        assert len(expected) == 12 and set(expected) <= set(BLOCKS)
        assert expected in row_text(app, SBER)
        asked = len(fake.candle_requests)
        fake.clock.advance(30)
        await pilot.pause(0.1)
        assert len(fake.candle_requests) == asked  # not again within the minute
        fake.clock.advance(31)
        await until(pilot, lambda: len(fake.candle_requests) >= asked + 5)


async def test_no_sparkline_and_no_candles_at_80_columns(
    fake, make_app: Callable[..., AlorTUI]
) -> None:
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause(0.2)
        assert "Day" not in app.watchlist_screen.table.render_line(0).text.split()
        assert fake.candle_requests == []


class TableApp(App[None]):
    def compose(self) -> ComposeResult:
        yield WatchlistTable(clock=lambda: 0.0)


async def test_a_new_sparkline_repaints_its_own_row_only() -> None:
    app = TableApp()
    async with app.run_test(size=(160, 12)) as pilot:
        table = app.query_one(WatchlistTable)
        table.set_keys([SBER, GAZP, LKOH, YDEX, VTBR])
        await pilot.pause()
        regions: list[Region] = []
        original = table.refresh

        def spy(*regions_: Region, **kwargs: object) -> object:
            regions.extend(regions_)
            return original(*regions_, **kwargs)

        table.refresh = spy  # type: ignore[method-assign]
        table.set_spark(LKOH, [1.0, 2.0, 3.0, 2.0])
        assert regions == [Region(0, 3, table.size.width, 1)]
        assert "▁▅█▅" in table.render_line(3).text


async def test_the_palette_switches_to_delayed_and_back_to_live(
    fake, make_app: Callable[..., AlorTUI]
) -> None:
    from fake_service import status_for

    switched: list[bool] = []

    async def set_anonymous(anonymous: bool) -> None:
        switched.append(anonymous)
        fake.set_status(status_for(Mode.DELAYED if anonymous else Mode.LIVE))

    fake.set_anonymous = set_anonymous
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("ctrl+p", *"switch")
        await pilot.pause(0.3)
        assert "Switch to delayed" in screen_text(app)
        await pilot.press("enter")
        await until(pilot, lambda: app.service_status.mode is Mode.DELAYED)
        assert switched == [True]
        await pilot.press("ctrl+p", *"switch")
        await pilot.pause(0.3)
        assert "Switch to live" in screen_text(app)
        await pilot.press("enter")
        await until(pilot, lambda: switched == [True, False])
