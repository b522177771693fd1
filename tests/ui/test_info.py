"""The instrument information screen through the app, driven by the scripted fake service."""

from __future__ import annotations

import re
from dataclasses import replace
from itertools import pairwise

from fake_service import FakeService
from ui_helpers import OFZ, SBER, SI, screen_text

from alortui.models import InstrumentKey
from alortui.ui.app import AlorTUI
from alortui.ui.formatting import THIN_SPACE
from alortui.ui.screens.info import InfoScreen
from alortui.ui.screens.watchlist import WatchlistScreen
from alortui.ui.widgets.chart import PriceChart
from alortui.ui.widgets.info_content import status_words
from alortui.ui.widgets.info_panel import InfoPanel

SIZE = (160, 50)
"""Wide: the panel is one column beside the chart, every section visible without scrolling."""


def make_app(service: FakeService, key: InstrumentKey) -> AlorTUI:
    return AlorTUI(service, watchlists={"Test": [key]}, clock=service.clock.now)


async def info_text(service: FakeService, key: InstrumentKey) -> str:
    """Open the info screen of ``key`` from the watchlist and return what the screen shows."""
    app = make_app(service, key)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("i")
        await pilot.pause()
        await pilot.pause()
        assert isinstance(app.screen, InfoScreen)
        return screen_text(app)


def value_of(text: str, label: str) -> str:
    """The value right of ``label`` on the screen (up to the chart's axis)."""
    match = re.search(rf"^ {re.escape(label)}  +(.+?)(?:  +\S*┤|$)", text, re.MULTILINE)
    assert match, f"{label!r} is not on the screen"
    return match.group(1).strip()


async def test_a_share_shows_its_isin_lot_tick_and_status_in_words() -> None:
    service = FakeService()
    info = service.market.instrument_info(SBER)

    text = await info_text(service, SBER)

    assert value_of(text, "ISIN") == info.isin
    assert value_of(text, "Lot size") == "10"
    assert value_of(text, "Tick") == "0.01"
    assert value_of(text, "Status").startswith(status_words(info.trading_status))
    assert " Bond " not in text and "Face value" not in text


async def test_an_ofz_shows_face_value_coupon_maturity_yield_and_accrued_interest() -> None:
    service = FakeService()
    quote = service.market.quote(OFZ)

    text = await info_text(service, OFZ)

    assert value_of(text, "ISIN") == "RU000A1038V6"
    assert value_of(text, "Tick") == "0.001"
    assert value_of(text, "Face value") == f"1{THIN_SPACE}000 RUB"
    assert value_of(text, "Coupon").startswith("7.10%")
    assert value_of(text, "Maturity") == "2041-05-15"
    assert re.fullmatch(r"\d+\.\d\d%", value_of(text, "Yield"))
    assert quote.accrued_interest is not None
    assert value_of(text, "Accrued interest") == f"{quote.accrued_interest:.2f} RUB"
    assert value_of(text, "Last").endswith("%")  # bond prices are percent of face value


async def test_a_future_shows_its_expiry_and_margins() -> None:
    service = FakeService()
    info = service.market.instrument_info(SI)

    text = await info_text(service, SI)

    assert value_of(text, "Expiry").startswith("2026-12-")
    assert value_of(text, "Margin buy").endswith("RUB")
    assert value_of(text, "Margin sell").endswith("RUB")
    assert info.extra.get("marginBuy") is not None


def test_trading_status_codes_are_said_in_english_with_alors_own_words() -> None:
    assert status_words(17, "нормальный период торгов") == (
        "normal trading (нормальный период торгов)"
    )
    assert status_words(18) == "closed, no trading"
    assert status_words(999, None) == "status 999"
    russian = "нормальный период"
    assert status_words(None, "\x1b[31m" + russian) == russian


async def test_the_chart_draws_the_services_candles_and_escape_goes_back() -> None:
    service = FakeService()
    app = make_app(service, SBER)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("i")
        await pilot.pause()
        chart = app.screen.query_one(PriceChart)
        assert chart.candles, "the fake's market has candles for the last two days"
        closes = [candle.close for candle in chart.visible()]
        assert f"{max(closes):.2f}┤" in screen_text(app)
        assert f"{min(closes):.2f}┤" in screen_text(app)

        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, WatchlistScreen)


async def test_f_steps_the_chart_to_hourly_candles() -> None:
    service = FakeService()
    app = make_app(service, SBER)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("i")
        await pilot.pause()
        await pilot.press("f")
        await pilot.pause()
        chart = app.screen.query_one(PriceChart)
        times = [candle.time for candle in chart.candles]
        assert "1-hour closes" in screen_text(app)
        assert len(times) > 1 and all(b - a >= 3600 for a, b in pairwise(times))


async def test_server_text_is_drawn_literally() -> None:
    service = FakeService()
    app = make_app(service, SBER)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("i")
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, InfoScreen) and screen.info is not None
        hostile = replace(screen.info, full_name="[bold]Evil[/] [@click=app.quit]x[/]\x1b[2J")
        screen.query_one(InfoPanel).show(hostile)
        await pilot.pause()
        assert value_of(screen_text(app), "Full name") == "[bold]Evil[/] [@click=app.quit]x[/]"
