"""Decoders of the trader's orders, stop orders and own trades (alor-api.md 2.9, 2.10).

Same contract as every ``wire_*`` decoder: any JSON value in, a model or
:class:`~alortui.alor.wire_fields.MalformedMessage` out. Simple carries the lot counts twice
(``qtyBatch`` and the older ``qty``, ``filledQtyBatch`` and ``filled``): the ``*Batch`` name is
read first, the old one is the fallback. Order, stop-order and trade ids are strings in the
schema but numbers in some examples: both are read as exact text.
"""

from __future__ import annotations

from typing import NamedTuple

from alortui.alor.timeparse import opt_time
from alortui.alor.wire_fields import (
    Getter,
    fail,
    fields,
    key_table,
    opt_bool,
    opt_price,
    opt_str,
    opt_volume,
    order_no,
    req_price,
    req_str,
)
from alortui.models import Format, Side
from alortui.portfolio_models import Order, OwnTrade, StopOrder

_SIDES = {"buy": Side.BUY, "sell": Side.SELL}
_MAX_ID = 2**63


def ident(get: Getter, key: str | None) -> str:
    """An order, stop-order or trade id as exact text (a non-empty string or an int64)."""
    value = get(key)
    if type(value) is str and value:
        return value
    if type(value) is int and 0 <= value < _MAX_ID:
        return str(value)
    fail(key, "an id", value)


def req_side(get: Getter, key: str | None) -> Side:
    """``buy`` or ``sell`` (any case)."""
    value = get(key)
    side = _SIDES.get(value.lower()) if type(value) is str else None
    if side is None:
        fail(key, '"buy" or "sell"', value)
    return side


def word(get: Getter, key: str | None) -> str | None:
    """An enum-like word, lower-cased (Simple capitalises ``LessOrEqual``, Slim does not)."""
    value = opt_str(get, key)
    return None if value is None else value.lower()


def lots(get: Getter, key: str | None, old_key: str | None) -> float:
    """A lot count under its ``*Batch`` name, else its older Simple name; absent is 0."""
    found = opt_volume(get, key)
    if found is None:
        found = opt_volume(get, old_key)
    return found or 0.0


class _OrderKeys(NamedTuple):
    id: str
    symbol: str
    exchange: str
    side: str
    type: str
    status: str
    price: str
    qty_lots: str
    qty_lots_old: str | None
    qty_units: str
    filled_lots: str
    filled_lots_old: str | None
    filled_units: str
    trans_time: str
    update_time: str
    end_time: str
    board: str
    portfolio: str
    time_in_force: str
    volume: str
    comment: str
    existing: str
    # stop orders only
    condition: str
    stop_price: str
    exchange_order_id: str
    avg_price: str
    error: str


_ORDER = key_table(_OrderKeys, """
    id                 id               id     id
    symbol             symbol           sym    symbol
    exchange           exchange         ex     exchange
    side               side             s      side
    type               type             t      type
    status             status           st     status
    price              price            px     price
    qty_lots           qtyBatch         qb     qtyBatch
    qty_lots_old       qty              -      -
    qty_units          qtyUnits         q      qtyUnits
    filled_lots        filledQtyBatch   fqb    filledQtyBatch
    filled_lots_old    filled           -      -
    filled_units       filledQtyUnits   fq     filledQtyUnits
    trans_time         transTime        tt     transTime
    update_time        updateTime       ut     updateTime
    end_time           endTime          et     endTime
    board              board            bd     board
    portfolio          portfolio        p      portfolio
    time_in_force      timeInForce      tf     timeInForce
    volume             volume           v      volume
    comment            comment          cmt    comment
    existing           existing         h      existing
    condition          condition        cnd    condition
    stop_price         stopPrice        pxs    stopPrice
    exchange_order_id  exchangeOrderId  eid    exchangeOrderId
    avg_price          avg_price        pxavg  avgPrice
    error              error            err    error
""")


def decode_order(obj: object, fmt: Format) -> Order:
    """Decode one order (HTTP ``/orders`` item or WS ``OrdersGetAndSubscribeV2`` data).

    Raises:
        MalformedMessage: ``obj`` is not an order of format ``fmt``.
    """
    k = _ORDER[fmt]
    get = fields(obj, "order")
    return Order(
        ident(get, k.id), req_str(get, k.symbol), req_str(get, k.exchange),
        req_side(get, k.side), word(get, k.type) or "limit", word(get, k.status) or "working",
        opt_price(get, k.price), lots(get, k.qty_lots, k.qty_lots_old),
        opt_volume(get, k.qty_units), lots(get, k.filled_lots, k.filled_lots_old),
        opt_volume(get, k.filled_units), opt_time(get, k.trans_time),
        opt_time(get, k.update_time), opt_time(get, k.end_time), opt_str(get, k.board),
        opt_str(get, k.portfolio), word(get, k.time_in_force), opt_price(get, k.volume),
        opt_str(get, k.comment), opt_bool(get, k.existing),
    )


def decode_stop_order(obj: object, fmt: Format) -> StopOrder:
    """Decode one stop order (``/stoporders`` item or ``StopOrdersGetAndSubscribeV2`` data).

    Raises:
        MalformedMessage: ``obj`` is not a stop order of format ``fmt``.
    """
    k = _ORDER[fmt]
    get = fields(obj, "stop order")
    eid = get(k.exchange_order_id)
    return StopOrder(
        ident(get, k.id), req_str(get, k.symbol), req_str(get, k.exchange),
        req_side(get, k.side), word(get, k.type) or "stop", word(get, k.status) or "working",
        word(get, k.condition), opt_price(get, k.stop_price), opt_price(get, k.price),
        lots(get, k.qty_lots, k.qty_lots_old), opt_volume(get, k.qty_units),
        lots(get, k.filled_lots, k.filled_lots_old), opt_time(get, k.trans_time),
        opt_time(get, k.update_time), opt_time(get, k.end_time), opt_str(get, k.board),
        opt_str(get, k.portfolio), None if eid is None else order_no(get, k.exchange_order_id),
        opt_price(get, k.avg_price), opt_str(get, k.error), opt_bool(get, k.existing),
    )


class _TradeKeys(NamedTuple):
    id: str
    order_no: str
    symbol: str
    exchange: str
    side: str
    price: str
    qty_lots: str
    qty_lots_old: str | None
    qty_units: str
    time: str
    board: str
    volume: str
    commission: str
    accrued_int: str
    comment: str
    existing: str


# Heavy spells the order number `orderNo`; Slim's own-trade board is `b`, not `bd` (2.10).
_TRADE = key_table(_TradeKeys, """
    id            id          id   id
    order_no      orderno     eid  orderNo
    symbol        symbol      sym  symbol
    exchange      exchange    ex   exchange
    side          side        s    side
    price         price       px   price
    qty_lots      qtyBatch    qb   qtyBatch
    qty_lots_old  qty         -    qty
    qty_units     qtyUnits    q    qtyUnits
    time          date        d    date
    board         board       b    board
    volume        volume      v    volume
    commission    commission  cms  commission
    accrued_int   accruedInt  ai   accruedInt
    comment       comment     cmt  comment
    existing      existing    h    existing
""")


def decode_own_trade(obj: object, fmt: Format) -> OwnTrade:
    """Decode one own trade (``/trades`` item or ``TradesGetAndSubscribeV2`` data).

    Raises:
        MalformedMessage: ``obj`` is not an own trade of format ``fmt``.
    """
    k = _TRADE[fmt]
    get = fields(obj, "own trade")
    return OwnTrade(
        ident(get, k.id), order_no(get, k.order_no), req_str(get, k.symbol),
        req_str(get, k.exchange), req_side(get, k.side), req_price(get, k.price),
        lots(get, k.qty_lots, k.qty_lots_old), opt_volume(get, k.qty_units),
        opt_time(get, k.time), opt_str(get, k.board), opt_price(get, k.volume),
        opt_price(get, k.commission), opt_price(get, k.accrued_int), opt_str(get, k.comment),
        opt_bool(get, k.existing),
    )
