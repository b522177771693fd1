"""Decoders of reference data: securities, instrument status changes and market status."""

from __future__ import annotations

from typing import NamedTuple

from alortui.alor.timeparse import opt_time
from alortui.alor.wire_fields import (
    Getter,
    fail,
    fields,
    key_table,
    opt_int,
    opt_price,
    opt_str,
    opt_volume,
    req_str,
)
from alortui.models import Format, InstrumentChange, InstrumentKey, MarketStatus, Security

_MAX_DECIMALS = 15
"""More price decimals than a double can show is not a real ``roundTo``."""


class _SecurityKeys(NamedTuple):
    symbol: str
    exchange: str
    board: str
    short_name: str
    description: str
    type: str
    market: str | None
    currency: str
    isin: str
    cfi_code: str
    lot_size: str
    face_value: str
    min_step: str
    price_step: str
    round_to: str | None
    price_max: str
    price_min: str
    margin_buy: str
    margin_sell: str
    cancellation: str
    trading_status: str
    trading_status_info: str
    primary_board: str
    theor_price: str
    volatility: str
    yield_: str
    complex_product_category: str


# field                   Simple                  Slim   Heavy      (alor-api.md 2.3, 2.10)
_SECURITY = key_table(_SecurityKeys, """
    symbol                    symbol                  sym    symbol
    exchange                  exchange                ex     exchange
    board                     board                   bd     board
    short_name                shortname               n      shortName
    description               description             desc   description
    type                      type                    t      type
    market                    market                  -      market
    currency                  currency                cur    currency
    isin                      ISIN                    isin   ISIN
    cfi_code                  cfiCode                 cfi    cfiCode
    lot_size                  lotsize                 lot    lotSize
    face_value                facevalue               fv     faceValue
    min_step                  minstep                 stp    minStep
    price_step                pricestep               stppx  priceStep
    round_to                  -                       -      roundTo
    price_max                 priceMax                pxmx   priceMax
    price_min                 priceMin                pxmn   priceMin
    margin_buy                marginbuy               mgb    marginBuy
    margin_sell               marginsell              mgs    marginSell
    cancellation              cancellation            cncl   cancellation
    trading_status            tradingStatus           st     tradingStatus
    trading_status_info       tradingStatusInfo       sti    tradingStatusInfo
    primary_board             primary_board           pbd    primaryBoard
    theor_price               theorPrice              pxt    theorPrice
    volatility                volatility              vl     volatility
    yield_                    yield                   yld    yield
    complex_product_category  complexProductCategory  cpct   complexProductCategory
""")


def decode_security(obj: object, fmt: Format) -> Security:
    """Decode a security (``/md/v2/Securities`` search item or one instrument, alor-api.md 2.3).

    ``decimals`` is Heavy's ``roundTo``; other formats leave it ``None`` and the model derives
    it from ``min_step``. Slim has no ``market``. A missing lot size or tick keeps the model's
    default, a missing short name falls back to the symbol.

    Raises:
        MalformedMessage: ``obj`` is not a security of format ``fmt``.
    """
    k = _SECURITY[fmt]
    get = fields(obj, "security")
    symbol = req_str(get, k.symbol)
    lot_size = opt_volume(get, k.lot_size)
    min_step = opt_volume(get, k.min_step)
    return Security(
        key=InstrumentKey(
            req_str(get, k.exchange), symbol, opt_str(get, k.board)
        ),
        short_name=opt_str(get, k.short_name) or symbol,
        description=opt_str(get, k.description) or "",
        type=opt_str(get, k.type) or "",
        market=opt_str(get, k.market),
        currency=opt_str(get, k.currency),
        isin=opt_str(get, k.isin),
        cfi_code=opt_str(get, k.cfi_code),
        lot_size=1.0 if lot_size is None else lot_size,
        face_value=opt_volume(get, k.face_value),
        min_step=0.01 if min_step is None else min_step,
        price_step=opt_volume(get, k.price_step),
        decimals=_decimals(get, k.round_to),
        price_max=opt_price(get, k.price_max),
        price_min=opt_price(get, k.price_min),
        margin_buy=opt_price(get, k.margin_buy),
        margin_sell=opt_price(get, k.margin_sell),
        cancellation=opt_time(get, k.cancellation),
        trading_status=opt_int(get, k.trading_status),
        trading_status_info=opt_str(get, k.trading_status_info),
        primary_board=opt_str(get, k.primary_board),
        theor_price=opt_price(get, k.theor_price),
        volatility=opt_price(get, k.volatility),
        yield_=opt_price(get, k.yield_),
        complex_product_category=opt_str(get, k.complex_product_category),
    )


def _decimals(get: Getter, key: str | None) -> int | None:
    decimals = opt_int(get, key)
    if decimals is not None and not 0 <= decimals <= _MAX_DECIMALS:
        fail(key, f"0..{_MAX_DECIMALS} decimal places", decimals)
    return decimals


class _ChangeKeys(NamedTuple):
    symbol: str
    exchange: str
    board: str
    trading_status: str
    trading_status_info: str
    price_min: str
    price_max: str
    margin_buy: str
    margin_sell: str
    theor_price: str
    volatility: str


# Simple and Heavy both use the camelCase names here (alor-api.md 2.10 "Instrument change").
_CHANGE = key_table(_ChangeKeys, """
    symbol               symbol             sym   symbol
    exchange             exchange           ex    exchange
    board                board              bd    board
    trading_status       tradingStatus      st    tradingStatus
    trading_status_info  tradingStatusInfo  sti   tradingStatusInfo
    price_min            priceMin           pxmn  priceMin
    price_max            priceMax           pxmx  priceMax
    margin_buy           marginBuy          mgb   marginBuy
    margin_sell          marginSell         mgs   marginSell
    theor_price          theorPrice         pxt   theorPrice
    volatility           volatility         vl    volatility
""")


def decode_instrument_change(obj: object, fmt: Format) -> InstrumentChange:
    """Decode WS ``InstrumentsGetAndSubscribeV2`` data (full first message or a partial one).

    Raises:
        MalformedMessage: ``obj`` is not an instrument change of format ``fmt``.
    """
    k = _CHANGE[fmt]
    get = fields(obj, "instrument change")
    return InstrumentChange(
        symbol=req_str(get, k.symbol),
        exchange=opt_str(get, k.exchange),
        board=opt_str(get, k.board),
        trading_status=opt_int(get, k.trading_status),
        trading_status_info=opt_str(get, k.trading_status_info),
        price_min=opt_price(get, k.price_min),
        price_max=opt_price(get, k.price_max),
        margin_buy=opt_price(get, k.margin_buy),
        margin_sell=opt_price(get, k.margin_sell),
        theor_price=opt_price(get, k.theor_price),
        volatility=opt_price(get, k.volatility),
    )


def decode_market_status(obj: object) -> MarketStatus:
    """Decode ``GET /md/status/{exchange}/{market}``: ``{"code": "FOND", "status": "open"}``.

    Raises:
        MalformedMessage: ``obj`` is not that shape.
    """
    get = fields(obj, "market status")
    return MarketStatus(
        market=req_str(get, "code"), status=req_str(get, "status")
    )
