"""The Portfolio screen through the app, driven by the scripted fake service (issue 7)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from typing import Any

import pytest
from fake_portfolio import CURRENCY, PORTFOLIOS, STOCK, states
from fake_service import FakeService
from textual.command import CommandPalette
from ui_helpers import screen_text

from alortui.models import InstrumentKey, Side
from alortui.portfolio_models import OwnTrade
from alortui.service.api import Mode
from alortui.ui.app import AlorTUI
from alortui.ui.formatting import fmt_change, fmt_price
from alortui.ui.portfolio_figures import HIDDEN
from alortui.ui.screens.keys import KeysScreen
from alortui.ui.screens.portfolio import PortfolioScreen
from alortui.ui.screens.watchlist import WatchlistScreen

SIZE = (120, 50)
SBER = InstrumentKey("MOEX", "SBER")


@pytest.fixture
def with_portfolios(fake: FakeService) -> FakeService:
    fake.portfolio_ids = PORTFOLIOS
    fake.portfolio_states = states()
    return fake


async def open_portfolio(pilot: Any) -> str:
    await pilot.press("P")
    await pilot.pause()
    await pilot.pause(0.2)
    assert isinstance(pilot.app.screen, PortfolioScreen)
    return screen_text(pilot.app)


async def test_p_opens_summary_positions_orders_and_trades(
        with_portfolios: FakeService, make_app: Callable[..., AlorTUI]) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        text = await open_portfolio(pilot)
        assert "Portfolio D39004 stock" in text and "read-only" in text
        for words in ("Buying power", "182 431.20", "Portfolio value", "Liquidation value",
                      "P/L today", "+1 274.50 ▲ +0.82%", "Initial margin",
                      "OK: margin is sufficient · standard risk (KSUR)"):
            assert words in text, words
        assert "SBER" in text and "GAZP" in text and "LKOH" in text
        rub = next(line for line in text.splitlines() if "RUB" in line)
        assert "cash" in rub and "48 250.75" in rub  # money as cash, not an instrument
        assert "295.00" in text and "working" in text and "filled" in text  # orders
        assert "≤ 280.00" in text and "279.50" in text  # stop order: trigger and limit
        assert "3 930.00" in text  # a trade's value
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, WatchlistScreen)


async def test_last_prices_are_live_from_the_quotes_stream(
        with_portfolios: FakeService, make_app: Callable[..., AlorTUI]) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await open_portfolio(pilot)
        assert any(SBER in keys for keys in with_portfolios.quote_requests)
        for _ in range(20):
            with_portfolios.step(1.0)
        await pilot.pause(0.6)
        last = with_portfolios.quote(SBER).last
        assert last is not None
        row = next(line for line in screen_text(app).splitlines() if "SBER" in line)
        assert fmt_price(last) in row
        assert fmt_change(200 * (last - 290.0)) in row  # unrealised P/L, live


async def test_a_fill_moves_order_trade_and_position(
        with_portfolios: FakeService, make_app: Callable[..., AlorTUI]) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await open_portfolio(pilot)
        state = with_portfolios.portfolio_states[STOCK]
        order = replace(state.orders[0], status="filled", filled_lots=5, existing=False)
        sber = replace(state.positions[0], qty_units=250, qty_lots=25, existing=False)
        trade = OwnTrade("3003", order.id, "SBER", "MOEX", Side.BUY, 295.0, 5, 50,
                         with_portfolios.clock.now(), volume=14750.0)
        with_portfolios.push_portfolio(replace(
            state, orders=(order, *state.orders[1:]), positions=(sber, *state.positions[1:]),
            trades=(*state.trades, trade)))
        await pilot.pause(0.2)
        text = screen_text(app)
        assert "14 750.00" in text
        row = next(line for line in text.splitlines() if line.strip().startswith("SBER"))
        assert " 25 " in row and " 250 " in row


async def test_n_cycles_portfolios_and_the_choice_is_saved(
        with_portfolios: FakeService, make_app: Callable[..., AlorTUI]) -> None:
    saved: list[dict[str, Any]] = []
    app = make_app(on_save=lambda **state: saved.append(state))
    async with app.run_test(size=SIZE) as pilot:
        await open_portfolio(pilot)
        await pilot.press("n")
        await pilot.pause()
        assert "Portfolio G39004 currency" in screen_text(app)
        assert saved[-1]["portfolio"] == CURRENCY and app.portfolio == CURRENCY
        await pilot.press("n")
        await pilot.pause()
        assert "Spectra" not in screen_text(app)
        assert "Free money" in screen_text(app)  # derivatives: its Spectra risk figures
    assert with_portfolios.portfolio_requests == [STOCK, CURRENCY, "7500GHC"]


async def test_the_saved_portfolio_is_shown_first(
        with_portfolios: FakeService, make_app: Callable[..., AlorTUI]) -> None:
    app = make_app(portfolio=CURRENCY)
    async with app.run_test(size=SIZE) as pilot:
        assert "Portfolio G39004" in await open_portfolio(pilot)


async def test_dollar_hides_every_money_amount(
        with_portfolios: FakeService, make_app: Callable[..., AlorTUI]) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await open_portfolio(pilot)
        await pilot.press("dollar_sign")
        await pilot.pause()
        text = screen_text(app)
        assert HIDDEN in text and "amounts hidden" in text
        for amount in ("182 431.20", "48 250.75", "1 274.50", "3 930.00", "61 000.00"):
            assert amount not in text, amount
        await pilot.press("escape", "P")  # hidden stays hidden when the screen opens again
        await pilot.pause()
        assert HIDDEN in screen_text(app)
        await pilot.press("dollar_sign")
        await pilot.pause()
        assert "182 431.20" in screen_text(app)


async def test_anonymous_mode_explains_how_to_add_a_token(
        make_app: Callable[..., AlorTUI], fake: FakeService) -> None:
    fake.set_status(replace(fake.status, mode=Mode.DELAYED))
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        text = await open_portfolio(pilot)
        assert "Portfolio data needs a token" in text and "ALOR_REFRESH_TOKEN" in text


async def test_a_foreign_portfolio_says_so(
        with_portfolios: FakeService, make_app: Callable[..., AlorTUI]) -> None:
    app = make_app(portfolio="D00001")
    async with app.run_test(size=SIZE) as pilot:
        text = await open_portfolio(pilot)
        assert "Portfolio D00001 is not available with this token" in text


async def test_keys_screen_and_palette_list_the_portfolio(
        with_portfolios: FakeService, make_app: Callable[..., AlorTUI]) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await open_portfolio(pilot)
        await pilot.press("question_mark")
        await pilot.pause()
        assert isinstance(app.screen, KeysScreen)
        text = screen_text(app)
        assert "Next portfolio" in text and "Hide/show amounts" in text and "Back" in text
        await pilot.press("escape", "escape")
        await pilot.pause()
        await pilot.press("ctrl+p", *"portfolio: G3")
        await pilot.pause(0.3)
        assert isinstance(app.screen, CommandPalette)
        assert "Portfolio: G39004" in screen_text(app)
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, PortfolioScreen) and app.screen.portfolio == CURRENCY


async def test_a_wide_terminal_puts_orders_and_trades_beside_the_positions(
        with_portfolios: FakeService, make_app: Callable[..., AlorTUI]) -> None:
    app = make_app()
    async with app.run_test(size=(200, 60)) as pilot:
        lines = (await open_portfolio(pilot)).splitlines()
        assert any("Initial margin" in line and "Time" in line for line in lines)
        assert any("SBER" in line and "≤ 280.00" in line for line in lines)


async def test_server_text_in_the_portfolio_is_shown_literally_never_as_markup(
        with_portfolios: FakeService, make_app: Callable[..., AlorTUI]) -> None:
    state = with_portfolios.portfolio_states[STOCK]
    hostile = "[@click=app.quit]X[/]"
    order = replace(state.orders[0], symbol="[bold]SB", type=hostile)
    position = replace(state.positions[0], symbol="[red]SB[/]")
    with_portfolios.portfolio_states[STOCK] = replace(
        state, orders=(order, *state.orders[1:]), positions=(position, *state.positions[1:]))
    app = make_app()
    async with app.run_test(size=(160, 50)) as pilot:
        text = await open_portfolio(pilot)
        assert "[bold]SB" in text and "[red]SB[/]" in text
        assert "[@click=app.quit]" in text  # drawn, so no click action rides on it
