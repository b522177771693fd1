"""The ladder's arithmetic (rows, cumulative volume, bars, imbalance, flashes) and its repaints."""

from __future__ import annotations

import pytest
from textual.app import App, ComposeResult

from alortui.models import OrderBook, PriceLevel
from alortui.ui.themes import VARIABLE_DEFAULTS
from alortui.ui.widgets.ladder import Ladder
from alortui.ui.widgets.ladder_layout import bar_cells, header_text, measure, row_cells
from alortui.ui.widgets.ladder_model import (
    BookStats,
    book_stats,
    gauge_cells,
    ladder_rows,
    level_changes,
    spread_label,
)


def levels(*pairs: tuple[float, float]) -> tuple[PriceLevel, ...]:
    return tuple(PriceLevel(price, volume) for price, volume in pairs)


BOOK = OrderBook(
    bids=levels((100.0, 10), (99.9, 30), (99.8, 60)),
    asks=levels((100.1, 5), (100.2, 15), (100.3, 40)),
)


def test_rows_run_from_worst_ask_to_worst_bid_with_cumulative_volume() -> None:
    rows = ladder_rows(BOOK, 20, {})

    assert [(r.kind, r.price) for r in rows] == [
        ("ask", 100.3), ("ask", 100.2), ("ask", 100.1), ("spread", 0.0),
        ("bid", 100.0), ("bid", 99.9), ("bid", 99.8),
    ]  # fmt: skip
    assert [r.cumulative for r in rows if r.kind == "ask"] == [60, 20, 5]
    assert [r.cumulative for r in rows if r.kind == "bid"] == [10, 40, 100]
    assert [r.best for r in rows] == [False, False, True, False, True, False, False]


def test_depth_limits_the_levels_of_each_side() -> None:
    rows = ladder_rows(BOOK, 2, {})

    assert [r.price for r in rows if r.kind == "ask"] == [100.2, 100.1]
    assert [r.price for r in rows if r.kind == "bid"] == [100.0, 99.9]
    assert book_stats(BOOK, 2) == BookStats(100.0, 100.1, 40, 20)


def test_bar_share_is_relative_to_the_largest_level_on_either_side() -> None:
    shares = {r.price: r.share for r in ladder_rows(BOOK, 20, {}) if r.kind != "spread"}

    assert shares[99.8] == 1.0
    assert shares[100.3] == pytest.approx(40 / 60)
    assert shares[100.1] == pytest.approx(5 / 60)


@pytest.mark.parametrize(
    ("share", "leftward", "expected"),
    [
        (1.0, False, "██████████"),
        (0.5, False, "█████     "),
        (0.25, False, "██▌       "),
        (0.25, True, "       ▐██"),
        (0.001, False, "▌         "),
        (0.0, True, "          "),
    ],
)
def test_bar_cells_fill_the_share_of_the_width_in_half_cells(
    share: float, leftward: bool, expected: str
) -> None:
    assert bar_cells(share, 10, leftward=leftward) == expected


def test_row_cells_line_up_under_the_column_titles() -> None:
    rows = ladder_rows(BOOK, 20, {("bid", 99.9): -1})
    layout = measure(rows, 60, 1)
    header = header_text(layout)

    def text(row_index: int) -> str:
        return "".join(cell_text for cell_text, _ in row_cells(rows[row_index], layout))

    best_bid, flashed_bid, best_ask = text(4), text(5), text(2)
    assert best_bid.index("100.0") == best_ask.index("100.1") == header.index("price")
    assert best_bid[: header.index("Σ bids") + 6].strip() == "10"  # cumulative under "Σ bids"
    volume_at = header.index("bids", header.index("Σ bids") + len("Σ bids"))
    assert flashed_bid[volume_at : volume_at + 5] == "  30▼"  # volume and its flash marker
    assert best_ask.rstrip().endswith("5")  # cumulative under "Σ asks"
    cells = [(cell_text.strip(), roles) for cell_text, roles in row_cells(rows[2], layout)]
    assert ("100.1", ("ask", "best")) in cells


def test_statistics_spread_mid_ticks_percent_and_imbalance() -> None:
    stats = book_stats(BOOK, 20)

    assert stats.spread == pytest.approx(0.1)
    assert stats.mid == pytest.approx(100.05)
    assert stats.spread_ticks(0.1) == pytest.approx(1.0)
    assert stats.spread_percent == pytest.approx(0.1 / 100.05 * 100)
    assert stats.imbalance == pytest.approx((100 - 60) / 160)
    assert not stats.crossed
    assert spread_label(stats, 0.1, 1) == "spread 0.1 · 1 tick · 0.100%   mid 100.05"


def test_imbalance_gauge_splits_the_width_between_bids_and_asks() -> None:
    assert gauge_cells(1.0, 20) == (20, 0)
    assert gauge_cells(-1.0, 20) == (0, 20)
    assert gauge_cells(0.0, 20) == (10, 10)
    assert gauge_cells(0.5, 20) == (15, 5)
    assert gauge_cells(None, 20) == (0, 0)


def test_a_crossed_or_one_sided_book_is_said_in_words() -> None:
    crossed = OrderBook(bids=levels((100.2, 1)), asks=levels((100.1, 1)))
    locked = OrderBook(bids=levels((100.1, 1)), asks=levels((100.1, 1)))

    assert book_stats(crossed, 20).crossed
    assert "CROSSED BOOK" in spread_label(book_stats(crossed, 20), 0.1, 1)
    assert "LOCKED BOOK" in spread_label(book_stats(locked, 20), 0.1, 1)
    assert spread_label(book_stats(OrderBook(BOOK.bids, ()), 20), 0.1, 1) == "no asks"
    assert spread_label(book_stats(OrderBook((), ()), 20), 0.1, 1) == "the order book is empty"


def test_level_changes_mark_growth_shrinkage_and_new_levels_inside_the_old_range() -> None:
    new_bids = levels((100.05, 7), (100.0, 12), (99.9, 20), (99.8, 60), (99.7, 80))

    changes = level_changes(BOOK.bids, new_bids, bids=True)

    # 100.05 is a new better level; 99.7 only came into view below the old worst level.
    assert changes == {100.05: 1, 100.0: 1, 99.9: -1}
    assert level_changes((), new_bids, bids=True) == {}


class LadderApp(App[None]):
    def get_theme_variable_defaults(self) -> dict[str, str]:
        return dict(VARIABLE_DEFAULTS)

    def compose(self) -> ComposeResult:
        yield Ladder(depth=20)


async def test_a_changed_level_repaints_only_its_own_row_and_the_spread_row() -> None:
    app = LadderApp()
    async with app.run_test(size=(80, 20)) as pilot:
        ladder = app.query_one(Ladder)
        ladder.show_book(BOOK)
        await pilot.pause()
        refreshed: list[int] = []
        ladder.refresh_line = refreshed.append  # type: ignore[method-assign]

        # Only the worst ask grows: no other level's volume, total or bar length changes.
        ladder.show_book(OrderBook(BOOK.bids, BOOK.asks[:2] + levels((100.3, 45))))

        pad = ladder.virtual_size.height - len(ladder.rows)
        assert sorted(index - pad for index in refreshed) == [0, 3]
        assert ladder.rows[0].flash == 1


async def test_flashes_fade_and_the_markers_go_with_them(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("alortui.ui.widgets.ladder.FLASH_SECONDS", 0.05)
    app = LadderApp()
    async with app.run_test(size=(80, 20)) as pilot:
        ladder = app.query_one(Ladder)
        ladder.show_book(BOOK)
        ladder.show_book(OrderBook(BOOK.bids, (PriceLevel(100.1, 9), *BOOK.asks[1:])))
        assert [r.flash for r in ladder.rows if r.kind == "ask"] == [0, 0, 1]
        await pilot.pause(0.2)
        assert [r.flash for r in ladder.rows] == [0] * 7
