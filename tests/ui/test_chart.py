"""The block-character price chart: scaling a known series, merging candle updates, axes."""

from __future__ import annotations

from textual.app import App, ComposeResult

from alortui.models import Candle
from alortui.ui.themes import VARIABLE_DEFAULTS
from alortui.ui.widgets.chart import PriceChart, area_rows, merge_candles, time_axis

T0 = 1_764_066_600.0  # 2025-11-25 10:30 UTC = 13:30 MSK


def candle(minute: int, close: float) -> Candle:
    return Candle(T0 + 60 * minute, close, close, close, close, 1.0)


def test_a_known_series_fills_from_one_eighth_at_the_minimum_to_full_at_the_maximum() -> None:
    rows = area_rows([10.0, 12.0, 11.0, 14.0, 10.0], height=4)

    assert rows == [
        "   █ ",
        " ▁ █ ",
        " █▁█ ",
        "▁███▁",
    ]


def test_each_step_of_a_ramp_is_an_eighth_of_a_cell() -> None:
    assert area_rows([float(v) for v in range(8)], height=1) == ["▁▂▃▄▅▆▇█"]


def test_a_flat_series_sits_at_half_height() -> None:
    assert area_rows([5.0, 5.0], height=2) == ["  ", "██"]


def test_a_candle_with_the_same_start_replaces_the_current_one_and_a_later_one_is_added() -> None:
    history = [candle(0, 1.0), candle(1, 2.0)]

    merged = merge_candles(history, [candle(1, 2.5), candle(2, 3.0)])

    assert [(c.time - T0, c.close) for c in merged] == [(0, 1.0), (60, 2.5), (120, 3.0)]


class ChartApp(App[None]):
    def get_theme_variable_defaults(self) -> dict[str, str]:
        return dict(VARIABLE_DEFAULTS)

    def compose(self) -> ComposeResult:
        yield PriceChart()


async def test_the_chart_labels_the_high_and_low_rows_and_the_first_and_last_times() -> None:
    app = ChartApp()
    async with app.run_test(size=(40, 6)) as pilot:
        chart = app.query_one(PriceChart)
        chart.decimals = 2
        chart.add_candles([candle(0, 100.0), candle(1, 101.5), candle(2, 100.25)])
        await pilot.pause()
        lines = chart.render().plain.splitlines()

    assert len(lines) == 6
    assert lines[0].startswith("101.50┤ █")
    assert lines[4].startswith("100.00┤▁█▇")
    assert all("┤" in line for line in lines[:5])
    assert lines[5].split() == ["13:30", "13:32"]


async def test_without_candles_the_chart_says_why() -> None:
    app = ChartApp()
    async with app.run_test(size=(40, 6)) as pilot:
        chart = app.query_one(PriceChart)
        chart.show_message("no candles since 2025-11-24 13:30 MSK")
        await pilot.pause()
        assert chart.render().plain == "no candles since 2025-11-24 13:30 MSK"


def test_the_time_axis_shows_dates_when_the_candles_span_days() -> None:
    minutes = [candle(0, 1.0), candle(90, 2.0)]
    hours = [Candle(T0 + 3600 * h, 1, 1, 1, 1, 1) for h in range(48)]
    days = [Candle(T0 + 86400 * d, 1, 1, 1, 1, 1) for d in range(40)]

    assert time_axis(minutes, 2, 40).split() == ["13:30", "15:00"]
    assert time_axis(hours, 2, 60).split() == ["25.11", "13:30", "27.11", "12:30"]
    assert time_axis(days, 2, 60).split() == ["25.11.2025", "03.01.2026"]
