"""ALOR's GraphQL instrument schema as the simulator serves it, and the nodes it serves.

``SCHEMA`` is the table the executor (``gql_exec.py``) validates selections against: the
``Instrument`` interface with its groups, the concrete types with their own fields, and the
Relay connection types (alor-api.md 4). :func:`node` turns a market
:class:`~alortui.models.InstrumentInfo` into the full object of its concrete type; the executor
then projects exactly what a query selected.
"""

from __future__ import annotations

from alortui.models import InstrumentInfo
from alortui.sim.encode import RISK_FACTORS, iso7
from alortui.sim.gql_exec import ANY

_BONDS = frozenset({"EUSOV", "MUNI", "CORP", "OFZ", "BOND"})


def _leaves(*names: str) -> dict[str, str | None]:
    return dict.fromkeys(names)


_INSTRUMENT: dict[str, str | None] = {
    "basicInformation": "BasicInformation", "boardInformation": "BoardInformation",
    "financialAttributes": "FinancialAttributes", "tradingDetails": "TradingDetails",
    "currencyInformation": "CurrencyInformation",
    "additionalInformation": "AdditionalInformation",
}
# Type-specific fields per concrete type (alor-api.md 4); object-valued ones are shaped by data.
_EXTRAS = {
    "Stock": ("dividends", "dividendsAggregateInfo", "mainIndicators", "costEstimate",
              "profitability", "sales", "netIncome", "trading"),
    "Bond": ("faceValue", "currentFaceValue", "couponRate", "couponType", "coupons",
             "amortizations", "offers", "maturityDate", "placementEndDate", "duration",
             "durationMacaulay", "issuer", "guaranteed", "pledged", "hasOffer",
             "hasAmortization", "volumes", "yield", "accruedInterest"),
    "Derivative": ("initialMargin", "marginBuy", "marginSell", "marginRate", "theorPrice",
                   "theorPriceLimit", "volatility", "underlyingCurrency", "expiry"),
    "Currency": (),
    "Swap": ("baseSwapPrice",),
}
_TYPED_EXTRAS: dict[str, dict[str, str | None]] = {
    "Bond": {"yield": "BondYield"}, "Derivative": {"initialMargin": "InitialMargin"}}
SCHEMA: dict[str, dict[str, str | None]] = {
    "Query": {},
    ANY: {},
    "Instrument": _INSTRUMENT,
    **{name: {**_INSTRUMENT, **dict.fromkeys(extra, ANY), **_TYPED_EXTRAS.get(name, {})}
       for name, extra in _EXTRAS.items()},
    "BondYield": _leaves("currentYield", "yieldToMaturity"),
    "InitialMargin": _leaves(*(f"{risk.lower()}Risk{side}" for risk, _ in RISK_FACTORS
                               for side in ("Long", "Short"))),
    "BasicInformation": _leaves("symbol", "exchange", "shortName", "fullName", "description",
                                "fullDescription", "market", "type", "readableType", "sector",
                                "gicsSector", "complexProductCategory"),
    "BoardInformation": _leaves("board", "isPrimaryBoard", "primaryBoard"),
    "FinancialAttributes": {**_leaves("cfiCode", "currency", "isin", "tradingStatus",
                                      "tradingStatusInfo"), "tradingPeriods": "TradingPeriod"},
    "TradingPeriod": _leaves("start", "finish"),
    "TradingDetails": _leaves("lotSize", "minStep", "priceStep", "price", "priceMax",
                              "priceMin", "closingPrice", "dailyGrowth", "dailyGrowthPercent",
                              "capitalization", "rating", "tradeAmount", "tradeVolume"),
    "CurrencyInformation": _leaves("nominal", "settlement"),
    "AdditionalInformation": _leaves("cancellation", "priceMultiplier", "priceShownUnits",
                                     "complexProductCategory"),
    "PageInfo": _leaves("hasNextPage", "hasPreviousPage", "startCursor", "endCursor"),
}
ROOTS = {"instrument": "Instrument", "stock": "Stock", "bond": "Bond",
         "derivative": "Derivative", "currency": "Currency"}
"""Single-item root fields (args ``symbol``, ``exchange``, ``board``) and their types."""
LISTS = {"instruments": "Instrument", "stocks": "Stock", "bonds": "Bond",
         "derivatives": "Derivative", "currencies": "Currency"}
"""Relay-connection root fields and their node types."""
for _item in LISTS.values():
    SCHEMA[f"{_item}Edge"] = {"cursor": None, "node": _item}
    SCHEMA[f"{_item}Connection"] = {"edges": f"{_item}Edge", "nodes": _item,
                                    "pageInfo": "PageInfo", "totalCount": None}
IMPLEMENTS = dict.fromkeys(_EXTRAS, "Instrument")
"""Concrete type -> the interface it implements (for ``... on Instrument``)."""


def concrete_type(info: InstrumentInfo) -> str:
    """The GraphQL type of an instrument: Derivative, Currency, Bond or Stock."""
    if info.market == "FORTS":
        return "Derivative"
    if info.market == "CURR":
        return "Currency"
    if (info.type or "").upper() in _BONDS or (info.cfi_code or "").startswith("D"):
        return "Bond"
    return "Stock"


def _typed_extras(kind: str, info: InstrumentInfo) -> dict[str, object]:
    """The market's type-specific values in the shapes of ALOR's schema (alor-api.md 4)."""
    extra = dict(info.extra)
    if kind == "Bond" and not isinstance(extra.get("yield"), dict):
        coupon, price = extra.get("couponRate"), info.price
        current = (round(coupon / price * 100, 2)
                   if isinstance(coupon, int | float) and price else None)
        extra["yield"] = {"currentYield": current, "yieldToMaturity": extra.get("yield")}
    if kind == "Derivative":
        margin = extra.get("initialMargin")
        if isinstance(margin, int | float):
            extra["initialMargin"] = {
                f"{risk.lower()}Risk{side}": round(margin * factor, 2)
                for risk, factor in RISK_FACTORS for side in ("Long", "Short")}
        for name in ("theorPrice", "theorPriceLimit", "volatility"):
            extra.setdefault(name, 0)  # not modelled; ALOR sends 0 for most futures
    return extra


def node(info: InstrumentInfo) -> dict[str, object]:
    """The full GraphQL object of one instrument (the executor picks what was asked)."""
    kind = concrete_type(info)
    extra = _typed_extras(kind, info)
    return {
        "__type": kind,
        "basicInformation": {
            "symbol": info.key.symbol, "exchange": info.key.exchange,
            "shortName": info.short_name, "fullName": info.full_name,
            "description": info.description,
            "fullDescription": extra.pop("fullDescription", info.description),
            "market": info.market, "type": info.type, "readableType": info.readable_type,
            "sector": info.sector, "gicsSector": extra.pop("gicsSector", None),
            "complexProductCategory": extra.get("complexProductCategory", ""),
        },
        "boardInformation": {"board": info.key.board, "isPrimaryBoard": info.is_primary_board,
                             "primaryBoard": info.primary_board},
        "financialAttributes": {
            "cfiCode": info.cfi_code, "currency": info.currency, "isin": info.isin,
            "tradingStatus": info.trading_status, "tradingStatusInfo": info.trading_status_info,
            "tradingPeriods": extra.pop("tradingPeriods", []),
        },
        "tradingDetails": {
            "lotSize": info.lot_size, "minStep": info.min_step, "priceStep": info.price_step,
            "price": info.price, "priceMax": info.price_max, "priceMin": info.price_min,
            "closingPrice": info.closing_price, "dailyGrowth": info.daily_growth,
            "dailyGrowthPercent": info.daily_growth_percent,
            "capitalization": extra.pop("capitalization", None),
            "rating": extra.pop("rating", None), "tradeAmount": info.trade_amount,
            "tradeVolume": info.trade_volume,
        },
        "currencyInformation": {"nominal": info.currency, "settlement": info.currency},
        "additionalInformation": {
            "cancellation": None if info.cancellation is None
            else iso7(info.cancellation)[:23] + "Z",
            "priceMultiplier": 1, "priceShownUnits": 1,
            "complexProductCategory": extra.pop("complexProductCategory", ""),
        },
        **extra,
    }
