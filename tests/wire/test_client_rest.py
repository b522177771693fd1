"""AlorRest against the simulator: every endpoint in Simple/Slim/Heavy, auth and access rules."""

from __future__ import annotations

import time

import pytest

from alortui.alor.errors import NotAuthorized, UnknownInstrument
from alortui.alor.rest import AlorRest
from alortui.models import (
    CandlePage,
    Format,
    InstrumentKey,
    MarketStatus,
    OrderBook,
    Quote,
    Security,
    Trade,
)
from alortui.sim.server import SimExchange

SBER = InstrumentKey("MOEX", "SBER", "TQBR")
GAZP = InstrumentKey("MOEX", "GAZP", "TQBR")
OFZ = InstrumentKey("MOEX", "SU26238RMFS4", "TQOB")
SI = InstrumentKey("MOEX", "SiZ6", "RFUD")
FORMATS = [Format.SIMPLE, Format.SLIM, Format.HEAVY]


async def test_server_time_is_now_with_a_token(rest: AlorRest, sim: SimExchange) -> None:
    assert abs(await rest.server_time() - time.time()) < 5
    entry = sim.log.http_requests("/md/v2/time")[-1]
    assert entry.bearer and entry.status == 200


async def test_anonymous_time_is_fifteen_minutes_old(anonymous: AlorRest,
                                                     sim: SimExchange) -> None:
    assert abs(await anonymous.server_time() - (time.time() - 900)) < 5
    assert not sim.log.http_requests("/md/v2/time")[-1].bearer


@pytest.mark.parametrize("fmt", FORMATS)
async def test_search_finds_sber(rest: AlorRest, fmt: Format) -> None:
    found = await rest.search("SBER", limit=5, exchange="MOEX", fmt=fmt)
    assert found and all(isinstance(s, Security) for s in found)
    assert len(found) <= 5
    assert "SBER" in [s.key.symbol for s in found]


async def test_search_sends_the_documented_parameters(rest: AlorRest, sim: SimExchange) -> None:
    await rest.search("GAZ", limit=3, exchange="MOEX", board="TQBR", fmt=Format.SLIM)
    query = sim.log.http_requests("/md/v2/Securities")[-1].query
    assert query == {"query": "GAZ", "limit": "3", "exchange": "MOEX",
                     "instrumentGroup": "TQBR", "format": "Slim"}


@pytest.mark.parametrize("fmt", FORMATS)
async def test_one_security(rest: AlorRest, fmt: Format) -> None:
    security = await rest.security(SBER, fmt=fmt)
    assert security.key.symbol == "SBER"
    assert security.lot_size == 10
    assert security.min_step == 0.01


async def test_unknown_security_is_unknown_instrument(rest: AlorRest) -> None:
    with pytest.raises(UnknownInstrument):
        await rest.security(InstrumentKey("MOEX", "NOSUCH"))


@pytest.mark.parametrize("fmt", FORMATS)
async def test_quotes_of_many_instruments_in_one_request(rest: AlorRest, sim: SimExchange,
                                                         fmt: Format) -> None:
    sim.log.clear()
    quotes = await rest.quotes([SBER, GAZP, SBER.without_board(), OFZ], fmt=fmt)
    assert sorted(q.key.symbol for q in quotes) == ["GAZP", "SBER", "SU26238RMFS4"]
    assert all(isinstance(q, Quote) and q.last is not None for q in quotes)
    requests = sim.log.http_requests("/md/v2/Securities")
    assert [r.path for r in requests] == [
        "/md/v2/Securities/MOEX:SBER,MOEX:GAZP,MOEX:SU26238RMFS4/quotes"]
    if fmt is Format.SLIM:  # Slim quotes carry no previous close (alor-api.md 2.10)
        assert all(q.prev_close is None for q in quotes)
    else:
        assert all(q.prev_close is not None for q in quotes)


async def test_no_keys_no_request(rest: AlorRest, sim: SimExchange) -> None:
    sim.log.clear()
    assert await rest.quotes([]) == []
    assert sim.log.http == []


async def test_unknown_pairs_are_missing_from_quotes(rest: AlorRest) -> None:
    quotes = await rest.quotes([SBER, InstrumentKey("MOEX", "NOSUCH")])
    assert [q.key.symbol for q in quotes] == ["SBER"]


@pytest.mark.parametrize("fmt", FORMATS)
async def test_order_book(rest: AlorRest, fmt: Format) -> None:
    book = await rest.order_book(SBER, depth=5, fmt=fmt)
    assert isinstance(book, OrderBook)
    assert 0 < len(book.bids) <= 5 and 0 < len(book.asks) <= 5
    assert book.bids[0].price < book.asks[0].price
    assert [b.price for b in book.bids] == sorted((b.price for b in book.bids), reverse=True)


@pytest.mark.parametrize("fmt", FORMATS)
async def test_all_trades(rest: AlorRest, fmt: Format) -> None:
    trades = await rest.all_trades(SBER, take=10, fmt=fmt)
    assert 0 < len(trades) <= 10
    assert all(isinstance(t, Trade) and t.price > 0 for t in trades)
    times = [t.time for t in trades]
    assert times == sorted(times, reverse=True)  # descending=True: newest first


@pytest.mark.parametrize("fmt", FORMATS)
async def test_history(rest: AlorRest, fmt: Format) -> None:
    now = time.time()
    page = await rest.history(SBER, 60, now - 3600, now, fmt=fmt)
    assert isinstance(page, CandlePage)
    assert len(page.candles) > 10
    starts = [c.time for c in page.candles]
    assert starts == sorted(starts) and all(t % 60 == 0 for t in starts)
    assert all(c.low <= min(c.open, c.close) and c.high >= max(c.open, c.close)
               for c in page.candles)


async def test_history_count_back_and_daily_frame(rest: AlorRest, sim: SimExchange) -> None:
    now = time.time()
    page = await rest.history(SBER, "D", now - 86400, now, count_back=5)
    assert len(page.candles) >= 5
    query = sim.log.http_requests("/md/v2/history")[-1].query
    assert query["tf"] == "D" and query["countBack"] == "5"


async def test_market_status(rest: AlorRest) -> None:
    status = await rest.market_status("MOEX", "FOND")
    assert isinstance(status, MarketStatus)
    assert status.market == "FOND" and status.status


@pytest.mark.parametrize("call", ["order_book", "all_trades", "security"])
async def test_anonymous_callers_need_authorization(anonymous: AlorRest, call: str) -> None:
    with pytest.raises(NotAuthorized) as caught:
        await getattr(anonymous, call)(SBER)
    assert caught.value.anonymous
    assert "needs authorization" in str(caught.value)


async def test_anonymous_callers_get_delayed_quotes_and_candles(anonymous: AlorRest) -> None:
    quotes = await anonymous.quotes([SBER])
    assert quotes[0].key.symbol == "SBER"
    assert quotes[0].last_time is None or quotes[0].last_time < time.time() - 800
    now = time.time()
    page = await anonymous.history(SBER, 60, now - 1800, now)
    assert page.candles and page.candles[-1].time < now - 800


async def test_instrument_info_by_graphql(rest: AlorRest, sim: SimExchange) -> None:
    info = await rest.instrument_info(SBER)
    assert info.key == SBER
    assert info.short_name and info.isin == "RU0009029540"
    assert info.lot_size == 10 and info.min_step == 0.01
    assert sim.log.http_requests("/hyperion")[-1].bearer


async def test_instrument_info_of_a_bond_and_a_future_with_their_extras(
        rest: AlorRest) -> None:
    bond = await rest.instrument_info(OFZ)
    assert bond.key == OFZ and bond.isin == "RU000A1038V6"
    assert bond.extra.get("faceValue") == 1000
    assert bond.extra.get("maturityDate")
    assert bond.extra.get("couponRate") == 7.1
    assert set(bond.extra.get("yield") or {}) == {"currentYield", "yieldToMaturity"}
    future = await rest.instrument_info(SI)
    assert future.key == SI and future.market == "FORTS"
    assert future.extra.get("marginBuy", 0) > 0
    assert "theorPrice" in future.extra and "faceValue" not in future.extra


async def test_instrument_info_without_a_board_finds_the_primary_one(rest: AlorRest) -> None:
    info = await rest.instrument_info(InstrumentKey("MOEX", "GAZP"))
    assert info.key == GAZP


async def test_unknown_instrument_by_graphql(rest: AlorRest) -> None:
    with pytest.raises(UnknownInstrument):
        await rest.instrument_info(InstrumentKey("MOEX", "NOSUCH", "TQBR"))
    with pytest.raises(UnknownInstrument):
        await rest.instrument_info(InstrumentKey("MOEX", "NOSUCH"))
