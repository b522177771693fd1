"""Reference data off the wire: securities, instrument changes, market status, GraphQL cards."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

import pytest

from alortui.alor.wire import (
    MalformedMessage,
    decode_instrument_change,
    decode_instrument_info,
    decode_market_status,
    decode_security,
)
from alortui.models import Format, InstrumentChange, InstrumentKey, MarketStatus
from tests.fixtures.samples import load_sample, ws_data

SIMPLE, SLIM, HEAVY = Format.SIMPLE, Format.SLIM, Format.HEAVY
SBER_TQBR = InstrumentKey("MOEX", "SBER", "TQBR")
END_OF_2099 = 4102358400.0  # "2099-12-31T00:00:00.0000000", naive = UTC
SBER_DESCRIPTION = "Сбербанк России ПАО ао"


# --- securities -------------------------------------------------------------------------------

def test_simple_security() -> None:
    sec = decode_security(load_sample("http.securities.one"), SIMPLE)
    assert sec.key == SBER_TQBR
    assert (sec.short_name, sec.description, sec.type) == ("Сбербанк", SBER_DESCRIPTION, "CS")
    assert (sec.market, sec.currency, sec.isin, sec.cfi_code) == (
        "FOND", "RUB", "RU0009029540", "ESXXXX")
    assert (sec.lot_size, sec.face_value, sec.min_step, sec.price_step) == (10, 3, 0.01, 0.1)
    assert (sec.price_min, sec.price_max) == (282.27, 345.1)
    assert sec.cancellation == END_OF_2099
    assert (sec.trading_status, sec.trading_status_info) == (17, "нормальный период торгов")
    assert (sec.primary_board, sec.margin_buy, sec.theor_price, sec.yield_) == ("TQBR", 0, 0, None)
    assert sec.complex_product_category == ""
    assert sec.decimals is None and sec.price_decimals == 2  # derived from min_step


def test_security_formats_agree() -> None:
    simple = decode_security(load_sample("http.securities.one"), SIMPLE)
    assert decode_security(load_sample("http.securities.one.slim"), SLIM) == replace(
        simple, market=None)  # Slim has no market key
    assert decode_security(load_sample("http.securities.one.heavy"), HEAVY) == replace(
        simple, decimals=2)  # Heavy's roundTo


def test_search_results() -> None:
    found = load_sample("http.securities.search")
    sber, sberp, future = (decode_security(obj, SIMPLE) for obj in found)
    assert sberp.key == InstrumentKey("MOEX", "SBERP", "TQBR") and sberp.type == "PS"
    assert future.key == InstrumentKey("MOEX", "SBRF-6.25", "RFUD")
    assert (future.market, future.min_step, future.price_decimals) == ("FORTS", 1, 0)
    assert (future.margin_buy, future.margin_sell, future.isin) == (3490.55, 3512.77, None)
    assert future.cancellation == 1750291200.0  # 2025-06-19 UTC
    slim = [decode_security(o, SLIM) for o in load_sample("http.securities.search.slim")]
    assert slim == [replace(sber, market=None), replace(future, market=None)]


def test_sparse_security_keeps_model_defaults() -> None:
    sec = decode_security({"sym": "X", "ex": "SPBX"}, SLIM)
    assert sec.key == InstrumentKey("SPBX", "X")
    assert (sec.short_name, sec.description, sec.lot_size, sec.min_step) == ("X", "", 1.0, 0.01)


@pytest.mark.parametrize(("key", "value"), [
    ("symbol", None), ("exchange", 1), ("roundTo", -1), ("roundTo", 16), ("roundTo", 2.0),
    ("roundTo", True), ("tradingStatus", "17"), ("lotSize", -10), ("minStep", "0.01"),
    ("cancellation", "someday"), ("primaryBoard", ["TQBR"]),
])
def test_malformed_securities(key: str, value: object) -> None:
    data = load_sample("http.securities.one.heavy")
    data[key] = value
    with pytest.raises(MalformedMessage, match=f"^{key}: "):
        decode_security(data, HEAVY)


# --- instrument changes and market status -----------------------------------------------------

FULL_CHANGE = InstrumentChange("SBER", "MOEX", "TQBR", 17, "нормальный период торгов", 282.27,
                               345.1)


def test_instrument_changes() -> None:
    assert decode_instrument_change(ws_data("ws.instruments.full.simple"), SIMPLE) == FULL_CHANGE
    assert decode_instrument_change(ws_data("ws.instruments.full.slim"), SLIM) == FULL_CHANGE
    assert decode_instrument_change(ws_data("ws.instruments.full.simple"), HEAVY) == FULL_CHANGE
    partial = decode_instrument_change(ws_data("ws.instruments.partial.simple"), SIMPLE)
    assert partial == InstrumentChange("SBER", trading_status=2,
                                       trading_status_info="перерыв в торгах")


def test_derivative_change_fields() -> None:
    data = {"sym": "SBRF-6.25", "mgb": 3490.55, "mgs": 3512.77, "pxt": 31440, "vl": 0.25}
    change = decode_instrument_change(data, SLIM)
    assert (change.margin_buy, change.margin_sell, change.theor_price, change.volatility) == (
        3490.55, 3512.77, 31440, 0.25)


@pytest.mark.parametrize("data", [{}, {"sym": None}, {"sym": "SBER", "st": 17.5},
                                  {"sym": "SBER", "pxmn": "low"}, {"sym": "SBER", "bd": 1}])
def test_malformed_instrument_changes(data: dict[str, Any]) -> None:
    with pytest.raises(MalformedMessage):
        decode_instrument_change(data, SLIM)


def test_market_status() -> None:
    assert decode_market_status(load_sample("http.status")) == MarketStatus("FOND", "open")
    for bad in ({"code": "FOND"}, {"code": 1, "status": "open"}, ["FOND", "open"]):
        with pytest.raises(MalformedMessage):
            decode_market_status(bad)


# --- GraphQL instrument card ------------------------------------------------------------------

def sber_node() -> dict[str, Any]:
    node: dict[str, Any] = load_sample("graphql.instrument")["data"]["instrument"]
    return node


def test_graphql_instrument() -> None:
    info = decode_instrument_info(sber_node())
    assert info.key == SBER_TQBR
    assert (info.short_name, info.full_name, info.readable_type, info.sector) == (
        "Сбербанк", "ПАО Сбербанк", "Акция обыкновенная", "Финансы")
    assert (info.market, info.type, info.is_primary_board, info.primary_board) == (
        "FOND", "CS", True, "TQBR")
    assert (info.isin, info.cfi_code, info.currency, info.trading_status) == (
        "RU0009029540", "ESXXXX", "RUB", 17)
    assert (info.lot_size, info.min_step, info.price_step, info.price) == (10, 0.01, 0.1, 314.51)
    assert (info.closing_price, info.daily_growth, info.daily_growth_percent) == (
        313.49, 1.02, 0.33)
    assert (info.trade_amount, info.trade_volume) == (4792339000, 15237560)
    assert info.cancellation == END_OF_2099  # "2099-12-31T00:00:00.000Z"
    assert info.extra == {"gicsSector": "Financials", "capitalization": 7098941000000,
                          "rating": 41232115, "nominal": "RUB", "settlement": "RUB",
                          "priceMultiplier": 1, "priceShownUnits": 1, "complexProductCategory": ""}


def test_graphql_type_specific_fields_go_to_extra() -> None:
    bond = sber_node()
    bond.update(__typename="Bond", faceValue=1000, couponRate=7.5, maturityDate="2030-01-15",
                **{"yield": 16.21})
    extra = decode_instrument_info(bond).extra
    assert {k: extra[k] for k in ("faceValue", "couponRate", "maturityDate", "yield")} == {
        "faceValue": 1000, "couponRate": 7.5, "maturityDate": "2030-01-15", "yield": 16.21}
    assert "__typename" not in extra
    future = sber_node()
    future.update(initialMargin={"lowRiskLong": 3490.55}, marginBuy=3490.55, theorPrice=31440)
    extra = decode_instrument_info(future).extra
    assert extra["initialMargin"] == {"lowRiskLong": 3490.55} and extra["marginBuy"] == 3490.55


def test_graphql_groups_not_selected_or_null_leave_fields_none() -> None:
    node = {"basicInformation": {"symbol": "SBER", "exchange": "MOEX"}, "tradingDetails": None}
    info = decode_instrument_info(node)
    assert info.key == InstrumentKey("MOEX", "SBER")
    assert info.price is None and info.is_primary_board is None and info.extra == {}


@pytest.mark.parametrize(("group", "field", "value"), [
    ("basicInformation", "symbol", None), ("basicInformation", "exchange", 7),
    ("boardInformation", "isPrimaryBoard", "yes"), ("tradingDetails", "price", "314"),
    ("tradingDetails", "lotSize", -1), ("financialAttributes", "tradingStatus", 17.0),
    ("additionalInformation", "cancellation", "never"),
])
def test_malformed_graphql_fields(group: str, field: str, value: object) -> None:
    node = sber_node()
    node[group][field] = value
    with pytest.raises(MalformedMessage):
        decode_instrument_info(node)


@pytest.mark.parametrize("node", [None, [], {}, {"basicInformation": []},
                                  {"basicInformation": {"symbol": "SBER", "exchange": "MOEX"},
                                   "tradingDetails": 5}])
def test_malformed_graphql_nodes(node: object) -> None:
    with pytest.raises(MalformedMessage):
        decode_instrument_info(node)
