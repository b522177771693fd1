"""Reference views of a simulated instrument: Security, InstrumentInfo and InstrumentChange.

They combine the static spec with the few things the session changes: the previous close (price
band and futures margins follow it), the last price (bond yield) and the trading status.
"""

from __future__ import annotations

import math
from datetime import UTC, datetime

from alortui.models import InstrumentChange, InstrumentInfo, InstrumentKey, PriceLevel, Security
from alortui.sim.bonds import accrued_interest, yield_curve, yield_to_maturity
from alortui.sim.snapshot import Snapshot
from alortui.sim.spec import TRADING_STATUS_INFO, InstrumentSpec, Kind

Levels = tuple[PriceLevel, ...]


def _iso(t: float) -> str:
    """GraphQL ``DateTime`` form of a Unix time."""
    return datetime.fromtimestamp(t, UTC).strftime("%Y-%m-%dT%H:%M:%S.000Z")


def price_band(spec: InstrumentSpec, prev_close: int) -> tuple[float, float]:
    """(priceMin, priceMax): the exchange's limits around the previous close, on the grid."""
    band = prev_close * spec.limit_rate
    return spec.price(max(1, math.ceil(prev_close - band))), spec.price(
        math.floor(prev_close + band))


def margins(spec: InstrumentSpec, prev_close: int) -> tuple[float, float]:
    """(marginBuy, marginSell) per contract; 0 for anything but futures, as ALOR sends it."""
    if spec.margin_rate is None:
        return 0.0, 0.0
    base = spec.price(prev_close) * spec.money_per_point * spec.margin_rate
    return round(base, 2), round(base * 1.006, 2)


def bond_yield(spec: InstrumentSpec, snap: Snapshot, at: float) -> float | None:
    """Yield to maturity in percent at the last price (bonds only)."""
    if spec.bond is None:
        return None
    day = datetime.fromtimestamp(at, UTC).date()
    return yield_to_maturity(spec.bond, spec.price(snap.last), day)


def with_yields(
    spec: InstrumentSpec, bids: Levels, asks: Levels, at: float
) -> tuple[Levels, Levels]:
    """A bond's book levels with the yield at each price."""
    if spec.bond is None:
        return bids, asks
    day = datetime.fromtimestamp(at, UTC).date()
    levels = [*bids, *asks]
    yields = yield_curve(spec.bond, [level.price for level in levels], day)
    priced = [PriceLevel(lv.price, lv.volume, y) for lv, y in zip(levels, yields, strict=True)]
    return tuple(priced[: len(bids)]), tuple(priced[len(bids) :])


def security(spec: InstrumentSpec, snap: Snapshot, status: int, at: float) -> Security:
    """The security object of alor-api.md 2.3."""
    low, high = price_band(spec, snap.prev_close)
    buy, sell = margins(spec, snap.prev_close)
    return Security(
        key=spec.key, short_name=spec.short_name, description=spec.description, type=spec.type,
        market=spec.market, currency=spec.currency, isin=spec.isin, cfi_code=spec.cfi_code,
        lot_size=spec.lot_size, face_value=spec.face_value, min_step=spec.min_step,
        price_step=spec.price_step, decimals=spec.decimals, price_max=high, price_min=low,
        margin_buy=buy, margin_sell=sell, cancellation=spec.cancellation, trading_status=status,
        trading_status_info=TRADING_STATUS_INFO[status], primary_board=spec.key.board,
        theor_price=0.0, volatility=0.0, yield_=bond_yield(spec, snap, at),
        complex_product_category="2" if spec.kind is Kind.FUTURE else "",
    )


def instrument_change(spec: InstrumentSpec, snap: Snapshot, status: int) -> InstrumentChange:
    """The full first message of ``InstrumentsGetAndSubscribeV2`` (alor-api.md 3.5)."""
    low, high = price_band(spec, snap.prev_close)
    buy, sell = margins(spec, snap.prev_close)
    return InstrumentChange(
        symbol=spec.key.symbol, exchange=spec.key.exchange, board=spec.key.board,
        trading_status=status, trading_status_info=TRADING_STATUS_INFO[status], price_min=low,
        price_max=high, margin_buy=buy, margin_sell=sell, theor_price=0.0, volatility=0.0,
    )


def limits_change(spec: InstrumentSpec, snap: Snapshot) -> InstrumentChange:
    """The partial message of a new day: its price band and (futures) margins."""
    low, high = price_band(spec, snap.prev_close)
    buy, sell = margins(spec, snap.prev_close)
    key = spec.key
    return InstrumentChange(key.symbol, key.exchange, key.board, price_min=low, price_max=high,
                            margin_buy=buy, margin_sell=sell)


def status_change(key: InstrumentKey, status: int) -> InstrumentChange:
    """The partial message of an opened or closed market."""
    return InstrumentChange(key.symbol, key.exchange, key.board, trading_status=status,
                            trading_status_info=TRADING_STATUS_INFO[status])


def _extra(spec: InstrumentSpec, snap: Snapshot, at: float) -> dict[str, object]:
    """Type-specific GraphQL fields (alor-api.md 4: ``Bond``, ``Derivative``)."""
    if spec.bond is not None:
        day = datetime.fromtimestamp(at, UTC).date()
        return {
            "faceValue": spec.bond.face, "currentFaceValue": spec.bond.face,
            "couponRate": round(spec.bond.coupon_rate * 100, 4), "couponType": "FIXED",
            "maturityDate": _iso(spec.cancellation), "yield": bond_yield(spec, snap, at),
            "accruedInterest": accrued_interest(spec.bond, day),
        }
    if spec.kind is Kind.FUTURE:
        buy, sell = margins(spec, snap.prev_close)
        return {
            "initialMargin": buy, "marginBuy": buy, "marginSell": sell,
            "marginRate": spec.margin_rate, "expiry": _iso(spec.cancellation),
            "underlyingCurrency": "RUB",
        }
    return {}


def instrument_info(
    spec: InstrumentSpec, snap: Snapshot, status: int, at: float
) -> InstrumentInfo:
    """The GraphQL ``instrument`` node (alor-api.md 4) as an :class:`InstrumentInfo`."""
    low, high = price_band(spec, snap.prev_close)
    last, prev = spec.price(snap.last), spec.price(snap.prev_close)
    growth = round(last - prev, spec.decimals)
    return InstrumentInfo(
        key=spec.key, short_name=spec.short_name, full_name=spec.full_name,
        description=spec.description, market=spec.market, type=spec.type,
        readable_type=spec.readable_type, sector=spec.sector, is_primary_board=True,
        primary_board=spec.key.board, cfi_code=spec.cfi_code, currency=spec.currency,
        isin=spec.isin, trading_status=status, trading_status_info=TRADING_STATUS_INFO[status],
        lot_size=spec.lot_size, min_step=spec.min_step, price_step=spec.price_step, price=last,
        price_max=high, price_min=low, closing_price=prev, daily_growth=growth,
        daily_growth_percent=round(growth / prev * 100, 2) if prev else None,
        trade_amount=round(snap.turnover, 2), trade_volume=float(snap.volume),
        cancellation=spec.cancellation, extra=_extra(spec, snap, at),
    )
