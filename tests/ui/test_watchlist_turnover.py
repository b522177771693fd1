"""The Turnover column: the GraphQL card's ``tradeAmount``, kept about a minute fresh on screen."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from ui_helpers import GAZP, SBER, VTBR

from alortui.models import InstrumentKey
from alortui.ui.app import AlorTUI
from alortui.ui.formatting import fmt_compact
from alortui.ui.widgets.watchlist_layout import fit_columns


def cells(app: AlorTUI, key: InstrumentKey) -> dict[str, str]:
    """The row of ``key`` by column title."""
    table = app.watchlist_screen.table
    index = table.order.index_of(key)
    assert index is not None
    header = table.render_line(0).text.split()
    return dict(zip(header, table.render_line(index + 1).text.split(), strict=False))


async def until(pilot: Any, condition: Callable[[], bool]) -> None:
    for _ in range(100):
        await pilot.pause()
        if condition():
            return
    raise AssertionError("the condition never came true")


def test_turnover_is_the_first_of_the_size_columns_to_go_when_narrow() -> None:
    shown = {width: {c.key for c, _ in fit_columns(width)} for width in (79, 120, 140)}
    assert "volume" in shown[79] and "turnover" not in shown[79]
    assert "turnover" not in shown[120] and "turnover" in shown[140]


async def test_turnover_shows_the_cards_trade_amount_compactly_and_is_asked_once_a_minute(
    fake, make_app: Callable[..., AlorTUI]
) -> None:
    app = make_app()
    async with app.run_test(size=(160, 40)) as pilot:
        rows = app.watchlist_screen.table.model.rows
        await until(pilot, lambda: all(row.turnover for row in rows.values()))
        amount = fake.market.instrument_info(SBER).trade_amount
        assert amount and amount >= 1e6
        assert cells(app, SBER)["Turnover"] == fmt_compact(amount)
        assert cells(app, SBER)["Turnover"][-1] in "KMB"
        asked = len(fake.info_requests)
        fake.clock.advance(30)
        await pilot.pause(0.1)
        assert len(fake.info_requests) == asked  # not again within the minute
        fake.step(31)  # the market trades on: the card's turnover grows
        newer = fake.market.instrument_info(SBER).trade_amount
        assert newer and newer > amount
        await until(pilot, lambda: cells(app, SBER)["Turnover"] == fmt_compact(newer))
        assert {GAZP, VTBR} <= set(fake.info_requests[asked:])  # the whole list on screen


async def test_no_minute_refresh_while_the_turnover_column_is_hidden(
    fake, make_app: Callable[..., AlorTUI]
) -> None:
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        rows = app.watchlist_screen.table.model.rows
        await until(pilot, lambda: all(row.trading_status for row in rows.values()))
        asked = len(fake.info_requests)
        fake.clock.advance(61)
        await pilot.pause(0.2)
        assert len(fake.info_requests) == asked  # only the trading status: every 5 minutes
        fake.clock.advance(240)
        await until(pilot, lambda: len(fake.info_requests) >= asked + len(rows))
