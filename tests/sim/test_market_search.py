"""Search, security objects, GraphQL instrument info and market status of the simulated market."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from alortui.models import InstrumentKey, Security
from alortui.sim.clock import ManualClock
from alortui.sim.events import NoSuchMarket
from alortui.sim.market import Market
from alortui.sim.spec import USD_RUB

T0 = datetime(2026, 11, 25, 12, 0, tzinfo=UTC).timestamp()


@pytest.fixture(scope="module")
def market() -> Market:
    """One market for the read-only tests (its clock never moves)."""
    return Market(1, ManualClock(T0))


def symbols(found: list[Security]) -> list[str]:
    return [s.key.symbol for s in found]


def turnover(market: Market, security: Security) -> float:
    info = market.instrument_info(security.key)
    assert info.trade_amount is not None
    return info.trade_amount * (USD_RUB if security.currency == "USD" else 1)


def test_search_matches_symbol_prefix_case_insensitively(market: Market) -> None:
    found = symbols(market.search("sBeR"))
    assert found[0] == "SBER"
    assert set(found) == {"SBER", "SBERP"}
    assert symbols(market.search("gaz")) == ["GAZP"]


def test_search_matches_short_name_and_description_substrings(market: Market) -> None:
    found = symbols(market.search("сбер"))
    assert {"SBER", "SBERP", "SRZ6"} <= set(found)
    assert symbols(market.search("ОФЗ 26238")) == ["SU26238RMFS4"]
    assert symbols(market.search("alphabet")) == ["GOOGL"]
    assert "SiZ6" in symbols(market.search("доллар"))
    assert market.search("no such thing") == []


def test_search_is_sorted_by_day_turnover(market: Market) -> None:
    found = market.search("", limit=1000)
    assert len(found) == len(market.instrument_keys())
    amounts = [turnover(market, s) for s in found]
    assert amounts == sorted(amounts, reverse=True)
    order = symbols(found)
    assert order.index("SBER") < order.index("SBERP") < order.index("PHOR")
    assert order.index("SiZ6") < order.index("SiH7")


def test_search_filters_and_pages(market: Market) -> None:
    assert set(s.key.exchange for s in market.search("", limit=100, exchange="spbx")) == {"SPBX"}
    bonds = market.search("", limit=100, board="TQOB")
    assert len(bonds) >= 2 and all(s.type == "EUSOV" for s in bonds)
    futures = market.search("", limit=100, sector="FORTS")
    assert futures and all(s.key.board == "RFUD" and s.market == "FORTS" for s in futures)
    everything = market.search("", limit=100)
    assert market.search("", limit=5, offset=3) == everything[3:8]
    assert len(market.search("")) == 25  # ALOR's default page


def test_securities_list_every_instrument_once(market: Market) -> None:
    listed = market.securities()
    assert [s.key for s in listed] == market.instrument_keys()
    assert len({s.key.pair for s in listed}) == len(listed)


def test_security_reference_data(market: Market) -> None:
    sber = market.lookup("MOEX", "SBER")
    assert sber is not None
    assert (sber.lot_size, sber.min_step, sber.price_step, sber.decimals) == (10, 0.01, 0.1, 2)
    assert (sber.type, sber.market, sber.currency, sber.isin) == ("CS", "FOND", "RUB",
                                                                   "RU0009029540")
    assert (sber.trading_status, sber.trading_status_info) == (17, "нормальный период торгов")
    quote = market.quote(sber.key)
    assert sber.price_min < quote.prev_close < sber.price_max  # type: ignore[operator]
    assert sber.margin_buy == 0 and sber.yield_ is None
    si = market.lookup("MOEX", "SiZ6")
    assert si is not None and si.margin_buy and si.margin_sell
    assert 5000 < si.margin_buy < 30000 and si.complex_product_category == "2"
    assert si.cancellation and si.cancellation > T0
    bond = market.lookup("MOEX", "SU26243RMFS4")
    assert bond is not None and bond.face_value == 1000 and bond.decimals == 3
    assert bond.yield_ is not None and 10 < bond.yield_ < 20


def test_instrument_info_fills_the_graphql_groups(market: Market) -> None:
    info = market.instrument_info(InstrumentKey("MOEX", "SBER"))
    assert info.key == InstrumentKey("MOEX", "SBER", "TQBR")
    assert (info.short_name, info.full_name, info.readable_type) == (
        "Сбербанк", "ПАО Сбербанк", "Акция обыкновенная")
    assert info.is_primary_board and info.primary_board == "TQBR" and info.sector == "Финансы"
    assert info.extra == {}
    bond = market.instrument_info(InstrumentKey("MOEX", "SU26238RMFS4"))
    quote = market.quote(bond.key)
    assert bond.extra["faceValue"] == 1000 and bond.extra["couponRate"] == 7.1
    assert bond.extra["maturityDate"] == "2041-05-15T00:00:00.000Z"
    assert bond.extra["yield"] == quote.yield_
    assert bond.extra["accruedInterest"] == quote.accrued_interest
    future = market.instrument_info(InstrumentKey("MOEX", "BRF7"))
    assert future.type == "Фьючерсный контракт BR-1.27"
    assert future.extra["marginBuy"] == future.extra["initialMargin"]
    assert future.extra["expiry"] == "2026-12-30T00:00:00.000Z"


def test_instrument_change_carries_every_field(market: Market) -> None:
    change = market.instrument_change(InstrumentKey("MOEX", "SiZ6"))
    security = market.lookup("MOEX", "SiZ6")
    assert security is not None
    assert (change.symbol, change.exchange, change.board) == ("SiZ6", "MOEX", "RFUD")
    assert (change.price_min, change.price_max, change.margin_buy) == (
        security.price_min, security.price_max, security.margin_buy)
    assert change.trading_status == 17


def test_market_status(market: Market) -> None:
    assert market.status("MOEX", "FOND").status == "open"
    assert market.status("moex", "forts").market == "FORTS"
    assert market.status("SPBX", "SPBX").status == "open"
    with pytest.raises(NoSuchMarket):
        market.status("SPBX", "FOND")
    with pytest.raises(NoSuchMarket):
        market.status("NYSE", "FOND")
