"""Decoder of the GraphQL ``instrument`` node (``POST /hyperion``, alor-api.md 4).

GraphQL returns exactly the fields the query asked for, grouped as in the schema. The known
fields of the six common groups map onto :class:`~alortui.models.InstrumentInfo`; everything else
— the rest of those groups (``gicsSector``, ``capitalization``, ``nominal`` ...) and the
type-specific fields of ``Bond``/``Derivative``/``Stock``/``Swap`` (``faceValue``,
``couponRate``, ``maturityDate``, ``initialMargin`` ...) — goes into ``extra`` under its GraphQL
name with its JSON value untouched. This is a once-per-card path, so a table walk is fine here.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from alortui.alor.timeparse import opt_time
from alortui.alor.wire_fields import (
    Getter,
    fail,
    opt_bool,
    opt_int,
    opt_price,
    opt_str,
    opt_volume,
)
from alortui.models import InstrumentInfo, InstrumentKey

Reader = Callable[[Getter, str], Any]


def _opt_flag(get: Getter, key: str) -> bool | None:
    """A strict boolean where ``null`` means unknown rather than false."""
    return None if get(key) is None else opt_bool(get, key)


# group -> GraphQL field -> (InstrumentInfo field, reader). `symbol`, `exchange` and `board` are
# collected too and become the key.
_GROUPS: dict[str, dict[str, tuple[str, Reader]]] = {
    "basicInformation": {
        "symbol": ("symbol", opt_str),
        "exchange": ("exchange", opt_str),
        "shortName": ("short_name", opt_str),
        "fullName": ("full_name", opt_str),
        "description": ("description", opt_str),
        "market": ("market", opt_str),
        "type": ("type", opt_str),
        "readableType": ("readable_type", opt_str),
        "sector": ("sector", opt_str),
    },
    "boardInformation": {
        "board": ("board", opt_str),
        "isPrimaryBoard": ("is_primary_board", _opt_flag),
        "primaryBoard": ("primary_board", opt_str),
    },
    "financialAttributes": {
        "cfiCode": ("cfi_code", opt_str),
        "currency": ("currency", opt_str),
        "isin": ("isin", opt_str),
        "tradingStatus": ("trading_status", opt_int),
        "tradingStatusInfo": ("trading_status_info", opt_str),
    },
    "tradingDetails": {
        "lotSize": ("lot_size", opt_volume),
        "minStep": ("min_step", opt_volume),
        "priceStep": ("price_step", opt_volume),
        "price": ("price", opt_price),
        "priceMax": ("price_max", opt_price),
        "priceMin": ("price_min", opt_price),
        "closingPrice": ("closing_price", opt_price),
        "dailyGrowth": ("daily_growth", opt_price),
        "dailyGrowthPercent": ("daily_growth_percent", opt_price),
        "tradeAmount": ("trade_amount", opt_volume),
        "tradeVolume": ("trade_volume", opt_volume),
    },
    "currencyInformation": {},
    "additionalInformation": {
        "cancellation": ("cancellation", opt_time),
    },
}


def decode_instrument_info(obj: object) -> InstrumentInfo:
    """Decode the ``instrument`` node of a hyperion response (``data.instrument``).

    Groups the query did not select, or that are ``null``, leave their fields ``None``.

    Raises:
        MalformedMessage: ``obj`` is not an instrument node with a symbol and an exchange.
    """
    node = _object(obj, "instrument")
    values: dict[str, Any] = {}
    extra: dict[str, object] = {}
    for name, raw in node.items():
        group = _GROUPS.get(name)
        if group is None:
            _keep(extra, name, raw)
        elif raw is not None:
            members = _object(raw, name)
            for field, (target, reader) in group.items():
                values[target] = reader(members.get, field)
            for field, value in members.items():
                if field not in group:
                    _keep(extra, field, value)
    symbol, exchange = values.pop("symbol", None), values.pop("exchange", None)
    if symbol is None or exchange is None:
        fail("basicInformation", "an object with symbol and exchange", node.get("basicInformation"))
    key = InstrumentKey(exchange, symbol, values.pop("board", None))
    return InstrumentInfo(key=key, extra=extra, **values)


def _object(value: object, key: str) -> dict[Any, Any]:
    if type(value) is not dict:
        fail(key, "a JSON object", value)
    return value


def _keep(extra: dict[str, object], name: str, value: object) -> None:
    """Keep a field the model has no place for; GraphQL's own ``__typename`` is not data."""
    if not name.startswith("__"):
        extra[name] = value
