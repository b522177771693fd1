"""Portfolio decoders: every ALOR sample, each message kind in Simple/Slim/Heavy, the JWT claim.

The property tests (arbitrary JSON, every value replaced, damaged messages) run these decoders
through ``test_wire_fuzz.py``, whose cases include ``tests.fixtures.portfolio_seeds``.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from alortui.alor import wire
from alortui.alor.auth import jwt_portfolios
from alortui.models import Format, Side
from alortui.portfolio_models import Portfolio, PortfolioKind
from tests.fixtures.portfolio_seeds import (
    FORTS_SIMPLE,
    FORTS_SLIM,
    PORTFOLIO_CASES,
    SLIM_POSITION,
    SLIM_TRADE,
    STOP_SIMPLE,
    STOP_SLIM,
    heavy_stop,
    heavy_trade,
)
from tests.fixtures.samples import load_sample, ws_data

SIMPLE, SLIM, HEAVY = Format.SIMPLE, Format.SLIM, Format.HEAVY
CASES, IDS = PORTFOLIO_CASES, [case[0] for case in PORTFOLIO_CASES]


@pytest.mark.parametrize(("name", "decode", "model", "seed"), CASES, ids=IDS)
def test_each_seed_decodes(name: str, decode: Callable[[Any], object], model: type,
                           seed: Callable[[], Any]) -> None:
    assert isinstance(decode(seed()), model)


def test_every_http_portfolio_sample_decodes() -> None:
    summary = wire.decode_summary(load_sample("http.summary"), SIMPLE)
    assert summary.buying_power == 99186 and summary.profit_rate == 0.01
    assert summary.buying_power_by_currency[0].currency == "RUB"
    sber, rub = (wire.decode_position(p, SIMPLE) for p in load_sample("http.positions"))
    assert (sber.symbol, sber.qty_units, sber.qty_lots, sber.avg_price) == ("SBER", 100, 10, 314.1)
    assert (sber.unrealised_pl, sber.daily_unrealised_pl, sber.existing) == (41.0, 102.0, True)
    assert rub.is_currency and rub.qty_units == 68549.0 and not sber.is_currency
    risk = wire.decode_risk(load_sample("http.risk"), SIMPLE)
    assert (risk.risk_status, risk.client_type, risk.risk_category_id) == ("Ok", "StandardRisk", 1)
    assert risk.calculation_time == pytest.approx(1747139780.8283796)
    (trade,) = (wire.decode_own_trade(t, SIMPLE) for t in load_sample("http.trades"))
    assert (trade.id, trade.order_no, trade.side, trade.qty_lots, trade.qty_units) == (
        "12503844211", "74125533018", Side.BUY, 10, 100)
    (order,) = (wire.decode_order(o, SIMPLE) for o in load_sample("http.orders"))
    assert (order.id, order.status, order.type, order.filled_lots, order.price) == (
        "74125533018", "filled", "limit", 10, 314.1)


def test_formats_agree() -> None:
    """The same message in Simple, Slim and Heavy gives the same values where all carry them."""
    assert (wire.decode_summary(ws_data("ws.summaries.slim"), SLIM)
            == wire.decode_summary(ws_data("ws.summaries.simple"), SIMPLE))
    simple = wire.decode_order(ws_data("ws.orders.simple"), SIMPLE)
    slim = wire.decode_order(ws_data("ws.orders.slim"), SLIM)
    assert slim.board == "TQBR" and slim.time_in_force == "oneday"
    assert (simple.id, simple.qty_lots, simple.filled_units, simple.trans_time) == (
        slim.id, slim.qty_lots, slim.filled_units, slim.trans_time)
    assert wire.decode_own_trade(SLIM_TRADE, SLIM) == wire.decode_own_trade(
        ws_data("ws.trades.simple"), SIMPLE)
    assert wire.decode_own_trade(heavy_trade(), HEAVY).order_no == "74125533018"
    stops = [wire.decode_stop_order(STOP_SIMPLE, SIMPLE), wire.decode_stop_order(STOP_SLIM, SLIM),
             wire.decode_stop_order(heavy_stop(), HEAVY)]
    assert {(s.condition, s.stop_price, s.price, s.qty_lots, s.type) for s in stops} == {
        ("lessorequal", 301.5, 300.0, 5, "stoplimit")}
    slim_pos = wire.decode_position(SLIM_POSITION, SLIM)
    assert slim_pos.qty_lots is None and slim_pos.qty_units == 100 and slim_pos.lot_size == 10
    forts = wire.decode_forts_risk(FORTS_SLIM, SLIM)
    assert forts.var_margin is None and forts.money_free == 95000.5
    assert wire.decode_forts_risk(FORTS_SIMPLE, SIMPLE).var_margin == -120.5


def test_slim_summary_reads_the_spec_examples_typo() -> None:
    data = ws_data("ws.summaries.slim")
    data["bp2v"] = data.pop("bpv2")
    assert wire.decode_summary(data, SLIM).buying_power_by_currency[0].currency == "RUB"


def test_wrong_shapes_are_malformed_messages() -> None:
    with pytest.raises(wire.MalformedMessage, match="side: expected"):
        wire.decode_order({**ws_data("ws.orders.simple"), "side": "hold"}, SIMPLE)
    with pytest.raises(wire.MalformedMessage, match="id: expected an id"):
        wire.decode_own_trade({**ws_data("ws.trades.simple"), "id": ""}, SIMPLE)
    with pytest.raises(wire.MalformedMessage):
        wire.decode_summary([], SIMPLE)


def test_portfolios_come_from_the_jwt_claim() -> None:
    token = load_sample("ws.request.positions")["token"]
    assert jwt_portfolios(token) == ("D39004", "G39004", "7500GHC")
    kinds = [Portfolio(p).kind for p in jwt_portfolios(token)]
    assert kinds == [PortfolioKind.STOCK, PortfolioKind.CURRENCY, PortfolioKind.DERIVATIVES]
    assert Portfolio("E1").kind is PortfolioKind.UNIFIED
    with pytest.raises(ValueError, match="not a JWT") as raised:
        jwt_portfolios("abc.%%%.def")
    assert "abc" not in str(raised.value)
