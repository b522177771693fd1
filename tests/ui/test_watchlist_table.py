"""The watchlist table is fast by construction: cached strips, one-line repaints."""

from __future__ import annotations

from dataclasses import replace

from textual.app import App, ComposeResult
from textual.geometry import Region

from alortui.models import InstrumentKey, Quote
from alortui.service.api import Stamped
from alortui.ui.formatting import UP_ARROW
from alortui.ui.widgets.watchlist_columns import COLUMNS, COLUMNS_BY_KEY
from alortui.ui.widgets.watchlist_layout import DEFAULT_COLUMNS, fit_columns
from alortui.ui.widgets.watchlist_model import WatchlistModel
from alortui.ui.widgets.watchlist_table import WatchlistTable

KEYS = [InstrumentKey("MOEX", f"S{i:02d}", "TQBR") for i in range(60)]
NOW = 1_800_000_000.0


def quote(key: InstrumentKey, last: float) -> Stamped[Quote]:
    q = Quote(
        key,
        description=f"name {key.symbol}",
        last=last,
        bid=last - 0.01,
        ask=last + 0.01,
        change=0.5,
        change_percent=0.5,
        volume=1000,
    )
    return Stamped(q, received=NOW, as_of=NOW)


class TableApp(App[None]):
    def compose(self) -> ComposeResult:
        yield WatchlistTable(clock=lambda: NOW)


async def test_one_changed_price_repaints_one_line_from_cache_for_the_rest() -> None:
    app = TableApp()
    async with app.run_test(size=(120, 30)) as pilot:
        table = app.query_one(WatchlistTable)
        table.set_keys(KEYS)
        table.apply({key: quote(key, 100.0 + i) for i, key in enumerate(KEYS)})
        await pilot.pause()
        cached = {y: table.render_line(y) for y in range(1, 29)}
        assert all(table.render_line(y) is cached[y] for y in cached)  # served from cache

        regions: list[Region] = []
        original = table.refresh

        def spy(*regions_: Region, **kwargs: object) -> object:
            regions.extend(regions_)
            return original(*regions_, **kwargs)

        table.refresh = spy  # type: ignore[method-assign]
        table.apply({KEYS[3]: quote(KEYS[3], 200.0)})
        assert regions == [Region(0, 4, table.size.width, 1)]
        assert (
            table.render_line(4) is not cached[4]
            and UP_ARROW + "200.00" in table.render_line(4).text
        )
        assert all(table.render_line(y) is cached[y] for y in cached if y != 4)

        regions.clear()
        table.apply({KEYS[50]: quote(KEYS[50], 1.0)})  # below the fold: nothing to repaint
        assert regions == []


async def test_cursor_moves_repaint_two_lines_and_scroll_into_view() -> None:
    app = TableApp()
    async with app.run_test(size=(100, 12)) as pilot:
        table = app.query_one(WatchlistTable)
        table.set_keys(KEYS)
        await pilot.pause()
        table.focus()
        await pilot.press("end")
        assert table.selected_key == KEYS[-1]
        assert table.scroll_offset.y == len(KEYS) - (table.size.height - 1)
        assert table.render_line(table.size.height - 1).text.startswith("S59")
        assert table.render_line(0).text.startswith("Symbol")  # the header stays
        await pilot.press("home", "pagedown")
        assert table.cursor == table.size.height - 2


async def test_unknown_decimals_fall_back_to_what_prices_show_then_the_grid() -> None:
    app = TableApp()
    async with app.run_test(size=(100, 10)) as pilot:
        table = app.query_one(WatchlistTable)
        key = KEYS[0]
        table.set_keys([key])
        table.apply({key: replace(quote(key, 0.1234), received=NOW)})
        await pilot.pause()
        assert "0.1234" in table.render_line(1).text
        table.set_reference(key, decimals=5)
        assert "0.12340" in table.render_line(1).text


def test_columns_fit_the_width_in_display_order() -> None:
    for width in (40, 80, 120, 160, 200):
        fitted = fit_columns(width)
        used = sum(w for _, w in fitted) + len(fitted) - 1
        assert used <= width
        order = [c.key for c in COLUMNS]
        keys = [c.key for c, _ in fitted]
        assert keys == sorted(keys, key=order.index)
    assert len(fit_columns(200)) == len(DEFAULT_COLUMNS)


def test_model_flashes_moves_ages_and_sorts_missing_values_last() -> None:
    model = WatchlistModel(stale_after=30)
    keys = KEYS[:3]
    model.set_keys(keys)
    model.apply({keys[0]: quote(keys[0], 10.0), keys[1]: quote(keys[1], 5.0)}, NOW)
    assert not model.flashing  # a first value has nothing to differ from

    changed = model.apply({keys[0]: quote(keys[0], 9.0)}, NOW + 1)
    assert [row.key for row in changed] == [keys[0]]
    assert model.rows[keys[0]].flashes["last"] == -1 and model.flashing
    assert model.expire_flashes(NOW + 1.5) == []
    assert [row.key for row in model.expire_flashes(NOW + 2)] == [keys[0]]

    column = COLUMNS_BY_KEY["last"]
    model.order.sort_by("last", column.value, reverse=True)
    assert [model.order.row_at(i).key for i in range(3)] == [keys[0], keys[1], keys[2]]
    model.order.sort_by("last", column.value, reverse=False)
    assert [model.order.row_at(i).key for i in range(3)] == [keys[1], keys[0], keys[2]]

    stale = model.tick(NOW + 40)
    assert {row.key for row in stale} == set(keys)
    assert all(model.rows[key].stale for key in keys)
    model.delayed_by = 900
    model.tick(NOW + 1)
    assert model.rows[keys[0]].age == 901
