"""The simulator's encoders reproduce ALOR's sample messages field for field.

Expected objects are copies of entries of ``shared/alor-samples.json`` (named in each test), so
the test runs without the shared folder.
"""

from __future__ import annotations

import math

import orjson
import pytest

from alortui.models import (
    Candle,
    CandlePage,
    Format,
    InstrumentChange,
    InstrumentKey,
    MarketStatus,
    OrderBook,
    PriceLevel,
    Quote,
    Security,
    Side,
    Trade,
)
from alortui.sim.encode import (
    confirmation,
    data_frame,
    encode_candle,
    encode_candle_page,
    encode_instrument_change,
    encode_market_status,
    encode_order_book,
    encode_quote,
    encode_security,
    encode_trade,
    iso7,
    num,
)

SBER = InstrumentKey("MOEX", "SBER", "TQBR")
DESC = "Сбербанк России ПАО ао"

QUOTE = Quote(
    key=InstrumentKey("MOEX", "SBER"), description=DESC, last=314.51, last_time=1747139781,
    prev_close=313.49, open=314.1, high=315.7, low=314.04, change=1.02, change_percent=0.33,
    volume=15237560, open_interest=None, bid=314.5, ask=314.51, bid_size=305, ask_size=276,
    total_bid_size=361175, total_ask_size=614990, book_time=1747139781.412,
    accrued_interest=0, yield_=None, lot_size=10, lot_value=3145.1, face_value=3, type="CS",
    currency="RUB",
)
# ws.quotes.simple / .slim / .heavy
QUOTE_SIMPLE = {
    "symbol": "SBER", "exchange": "MOEX", "description": DESC, "prev_close_price": 313.49,
    "last_price": 314.51, "last_price_timestamp": 1747139781, "high_price": 315.7,
    "low_price": 314.04, "accruedInt": 0, "volume": 15237560, "open_interest": None,
    "ask": 314.51, "bid": 314.5, "ask_vol": 276, "bid_vol": 305,
    "ob_ms_timestamp": 1747139781412, "open_price": 314.1, "yield": None, "lotsize": 10,
    "lotvalue": 3145.1, "facevalue": 3, "type": "CS", "total_bid_vol": 361175,
    "total_ask_vol": 614990, "accrued_interest": 0, "change": 1.02, "change_percent": 0.33,
}
QUOTE_SLIM = {
    "sym": "SBER", "ex": "MOEX", "desc": DESC, "tst": 1747139781, "tso": 1747139781412,
    "o": 314.1, "h": 315.7, "l": 314.04, "c": 314.51, "v": 15237560, "acci": 0, "oi": None,
    "y": None, "ask": 314.51, "bid": 314.5, "av": 276, "bv": 305, "tbv": 361175, "tav": 614990,
    "lot": 10, "lotv": 3145.1, "fv": 3, "t": "CS",
}
QUOTE_HEAVY = {
    "symbol": "SBER", "exchange": "MOEX", "description": DESC, "currency": "RUB",
    "prevClosePrice": 313.49, "lastPrice": 314.51, "lastPriceTimestamp": 1747139781,
    "highPrice": 315.7, "lowPrice": 314.04, "accruedInterest": 0, "volume": 15237560,
    "openInterest": None, "ask": 314.51, "bid": 314.5, "askVol": 276, "bidVol": 305,
    "obMsTimestamp": 1747139781412, "openPrice": 314.1, "yield": None, "lotSize": 10,
    "lotValue": 3145.1, "faceValue": 3, "type": "CS", "totalBidVol": 361175,
    "totalAskVol": 614990, "change": 1.02, "changePercent": 0.33,
}


@pytest.mark.parametrize(("fmt", "expected"), [
    (Format.SIMPLE, QUOTE_SIMPLE), (Format.SLIM, QUOTE_SLIM), (Format.HEAVY, QUOTE_HEAVY)])
def test_quote_matches_the_samples(fmt: Format, expected: dict[str, object]) -> None:
    assert encode_quote(QUOTE, fmt) == expected


def test_simple_quote_keeps_alors_field_order() -> None:
    assert list(encode_quote(QUOTE, Format.SIMPLE)) == list(QUOTE_SIMPLE)


LEVELS = ((314.5, 305), (314.49, 1210), (314.48, 840), (314.47, 95), (314.46, 2200))
ASKS = ((314.51, 276), (314.52, 930), (314.53, 415), (314.54, 1780), (314.55, 66))


def book(existing: bool) -> OrderBook:
    return OrderBook(tuple(PriceLevel(p, v) for p, v in LEVELS),
                     tuple(PriceLevel(p, v) for p, v in ASKS), 1747139781.412, existing, SBER)


def test_order_book_simple_sample_with_deprecated_twins() -> None:  # http.orderbook
    assert encode_order_book(book(True), Format.SIMPLE) == {
        "snapshot": True,
        "bids": [{"price": p, "volume": v} for p, v in LEVELS],
        "asks": [{"price": p, "volume": v} for p, v in ASKS],
        "timestamp": 1747139781, "ms_timestamp": 1747139781412, "existing": True,
    }


def test_order_book_slim_and_heavy_samples() -> None:  # ws.orderbook.slim / .heavy
    assert encode_order_book(book(False), Format.SLIM) == {
        "b": [{"p": p, "v": v} for p, v in LEVELS], "a": [{"p": p, "v": v} for p, v in ASKS],
        "t": 1747139781412, "h": False,
    }
    assert encode_order_book(book(False), Format.HEAVY) == {
        "bids": [{"price": p, "volume": v} for p, v in LEVELS],
        "asks": [{"price": p, "volume": v} for p, v in ASKS],
        "msTimestamp": 1747139781412, "existing": False,
    }


def test_slim_bond_book_levels_carry_yield() -> None:  # ws.orderbook.slim.bond
    bond = OrderBook((PriceLevel(70.589, 146, 16.21),), (PriceLevel(70.772, 10),),
                     1747139781.002, False)
    encoded = encode_order_book(bond, Format.SLIM, level_yield=lambda price: 16.14)
    assert encoded == {"b": [{"p": 70.589, "v": 146, "y": 16.21}],
                       "a": [{"p": 70.772, "v": 10, "y": 16.14}], "t": 1747139781002, "h": False}
    assert "y" not in str(encode_order_book(bond, Format.SIMPLE))


TRADE = Trade(12503844211, 314.51, 12, Side.BUY, 1747139781.337, "SBER", "TQBR", 0)


def test_trade_samples() -> None:  # ws.alltrades.simple / .slim / .heavy
    simple = {"id": 12503844211, "orderno": 0, "symbol": "SBER", "board": "TQBR", "qty": 12,
              "price": 314.51, "time": "2025-05-13T12:36:21.3370000Z",
              "timestamp": 1747139781337, "side": "buy", "oi": 0, "existing": False}
    assert encode_trade(TRADE, Format.SIMPLE) == simple
    heavy = dict(simple)
    del heavy["orderno"]
    assert encode_trade(TRADE, Format.HEAVY) == heavy
    assert encode_trade(TRADE, Format.SLIM) == {
        "id": 12503844211, "sym": "SBER", "bd": "TQBR", "q": 12, "px": 314.51,
        "t": 1747139781337, "s": "buy", "oi": 0, "h": False}


def test_backlog_trade_has_existing_true() -> None:  # ws.alltrades.simple.history
    old = Trade(12503843990, 314.5, 3, Side.SELL, 1747139779.881, "SBER", "TQBR", 0,
                existing=True)
    encoded = encode_trade(old, Format.SIMPLE)
    assert encoded["existing"] is True and encoded["time"] == "2025-05-13T12:36:19.8810000Z"


CANDLES = (Candle(1747139580, 314.35, 314.42, 314.3, 314.4, 3210),
           Candle(1747139640, 314.4, 314.5, 314.38, 314.46, 2875),
           Candle(1747139700, 314.46, 314.49, 314.41, 314.45, 1964))


def test_candle_and_history_page_samples() -> None:  # ws.bars.*, http.history, .slim
    assert encode_candle(CANDLES[2], Format.SLIM) == {
        "t": 1747139700, "c": 314.45, "o": 314.46, "h": 314.49, "l": 314.41, "v": 1964}
    page = encode_candle_page(CandlePage(CANDLES, None, 1747139520), Format.SIMPLE)
    assert page == {"history": [
        {"time": 1747139580, "close": 314.4, "open": 314.35, "high": 314.42, "low": 314.3,
         "volume": 3210},
        {"time": 1747139640, "close": 314.46, "open": 314.4, "high": 314.5, "low": 314.38,
         "volume": 2875},
        {"time": 1747139700, "close": 314.45, "open": 314.46, "high": 314.49, "low": 314.41,
         "volume": 1964}], "next": None, "prev": 1747139520}
    slim = encode_candle_page(CandlePage(CANDLES[2:], None, 1747139640), Format.SLIM)
    assert slim == {"h": [encode_candle(CANDLES[2], Format.SLIM)], "next": None,
                    "prev": 1747139640}


SECURITY = Security(
    key=SBER, short_name="Сбербанк", description=DESC, type="CS", market="FOND", currency="RUB",
    isin="RU0009029540", cfi_code="ESXXXX", lot_size=10, face_value=3, min_step=0.01,
    price_step=0.1, price_max=345.1, price_min=282.27, margin_buy=0, margin_sell=0,
    cancellation=None, trading_status=17, trading_status_info="нормальный период торгов",
    primary_board="TQBR", theor_price=0, volatility=0, yield_=None, complex_product_category="",
)
SECURITY_SIMPLE = {  # http.securities.one (rating is not modelled: the sim sends 0)
    "symbol": "SBER", "shortname": "Сбербанк", "description": DESC, "exchange": "MOEX",
    "market": "FOND", "type": "CS", "lotsize": 10, "facevalue": 3, "cfiCode": "ESXXXX",
    "cancellation": "2099-12-31T00:00:00.0000000", "minstep": 0.01, "rating": 0,
    "marginbuy": 0, "marginsell": 0, "marginrate": 0, "pricestep": 0.1, "priceMax": 345.1,
    "priceMin": 282.27, "theorPrice": 0, "theorPriceLimit": 0, "volatility": 0,
    "currency": "RUB", "ISIN": "RU0009029540", "yield": None, "board": "TQBR",
    "primary_board": "TQBR", "tradingStatus": 17, "tradingStatusInfo": "нормальный период торгов",
    "complexProductCategory": "", "priceMultiplier": 1, "priceShownUnits": 1,
}


def test_security_simple_sample_in_order() -> None:
    encoded = encode_security(SECURITY, Format.SIMPLE)
    assert encoded == SECURITY_SIMPLE
    assert list(encoded) == list(SECURITY_SIMPLE)


def test_security_slim_has_short_keys_and_no_market() -> None:  # http.securities.one.slim
    slim = encode_security(SECURITY, Format.SLIM)
    assert list(slim) == ["sym", "n", "desc", "ex", "t", "lot", "fv", "cfi", "cncl", "stp", "rt",
                          "mgb", "mgs", "mgrt", "stppx", "pxmx", "pxmn", "pxt", "pxtl", "vl",
                          "cur", "isin", "yld", "bd", "pbd", "st", "sti", "cpct", "pxmu", "pxu"]
    assert slim["n"] == "Сбербанк" and slim["stppx"] == 0.1 and slim["pbd"] == "TQBR"


def test_security_heavy_adds_round_to_and_currencies() -> None:  # http.securities.one.heavy
    heavy = encode_security(SECURITY, Format.HEAVY)
    assert list(heavy) == [
        "symbol", "shortName", "description", "exchange", "market", "type", "lotSize",
        "faceValue", "cfiCode", "cancellation", "minStep", "roundTo", "rating", "marginBuy",
        "marginSell", "marginRate", "priceStep", "priceMax", "priceMin", "theorPrice",
        "theorPriceLimit", "volatility", "currency", "nominalCurrency", "settlementCurrency",
        "underlyingCurrency", "ISIN", "yield", "board", "primaryBoard", "tradingStatus",
        "tradingStatusInfo", "complexProductCategory", "priceMultiplier", "priceShownUnits"]
    assert heavy["roundTo"] == 2 and heavy["nominalCurrency"] == "RUB"


def test_heavy_future_carries_risk_class_margins() -> None:
    future = Security(InstrumentKey("MOEX", "SiZ6", "RFUD"), "Si-12.26", "Si-12.26",
                      "Фьючерсный контракт Si-12.26", market="FORTS", min_step=1.0,
                      margin_buy=1000.0, margin_sell=1010.0, decimals=0)
    heavy = encode_security(future, Format.HEAVY)
    margins = [k for k in heavy if k.startswith("initialMargin")]
    assert len(margins) == 8 and heavy["initialMarginLowRiskLong"] == 2435.0
    assert heavy["roundTo"] == 0
    assert not any(k.startswith("initialMargin") for k in encode_security(future, Format.SIMPLE))


def test_instrument_change_full_and_partial() -> None:  # ws.instruments.*
    full = InstrumentChange("SBER", "MOEX", "TQBR", 17, "нормальный период торгов", 282.27,
                            345.1)
    assert encode_instrument_change(full, Format.SLIM) == {
        "sym": "SBER", "ex": "MOEX", "bd": "TQBR", "st": 17, "sti": "нормальный период торгов",
        "pxmn": 282.27, "pxmx": 345.1}
    partial = InstrumentChange("SBER", trading_status=2, trading_status_info="перерыв в торгах")
    assert encode_instrument_change(partial, Format.HEAVY) == {
        "symbol": "SBER", "tradingStatus": 2, "tradingStatusInfo": "перерыв в торгах"}


def test_market_status() -> None:  # http.status
    assert encode_market_status(MarketStatus("FOND", "open")) == {"code": "FOND",
                                                                  "status": "open"}


def test_iso_times_have_seven_fraction_digits() -> None:
    assert iso7(1702969208.987859) == "2023-12-19T07:00:08.9878590Z"
    assert iso7(4102358400.0, zulu=False) == "2099-12-31T00:00:00.0000000"


def test_numbers_are_json_friendly() -> None:
    assert num(5.0) == 5 and isinstance(num(5.0), int)
    assert num(math.nan) is None and num(None) is None
    assert isinstance(num(2.0**60), float) and num(0.1) == 0.1


def test_confirmation_bytes_start_with_request_guid() -> None:  # ws.confirm, ws.error.401
    assert confirmation("c328") == (
        b'{"requestGuid":"c328","httpCode":200,"message":"Handled successfully"}')
    assert confirmation("x", 401, "Invalid JWT token!").startswith(b'{"requestGuid":"x",')


def test_data_frame_is_compact_data_then_guid() -> None:
    frame = data_frame({"c": 1.5}, "g-1")
    assert frame == b'{"data":{"c":1.5},"guid":"g-1"}'
    assert orjson.loads(frame) == {"data": {"c": 1.5}, "guid": "g-1"}
