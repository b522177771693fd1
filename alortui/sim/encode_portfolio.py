"""Portfolio models -> ALOR JSON in Simple, Slim and Heavy (the inverse of ``wire_account`` and
``wire_orders``).

Field names follow alor-api.md 2.9/2.10 and the OpenAPI schemas ``response_Summary_*``,
``response_Position_*``, ``response_Risk_*``, ``response_FortsRisk_*``, ``response_Order_*``,
``response_StopOrder_Warp_*`` and ``response_Trade_*`` (WS) / ``response_Trade_V2_*`` (HTTP: Heavy
adds ``shortName`` and ``currency``). Where the spec's schema and its examples disagree the
examples win: a Simple stop order's condition is capitalised (``LessOrEqual``), a plain stop's
limit price is ``0``. Tables are ``(simple, slim, heavy, getter)`` rows as in ``encode.py``.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from alortui.models import Format
from alortui.portfolio_models import FortsRisk, Order, OwnTrade, Position, Risk, StopOrder, Summary
from alortui.sim.encode import Row, iso7, num, project

_CONDITIONS = {"more": "More", "less": "Less", "moreorequal": "MoreOrEqual",
               "lessorequal": "LessOrEqual"}
SETTLE_DAYS = 1
"""T+1 settlement of MOEX shares (since 2023): ``settleDate`` of a Heavy own trade."""


def _time(ts: float | None) -> str | None:
    return None if ts is None else iso7(ts)


def _broker(obj: Any) -> str:
    return f"{obj.exchange}:{obj.symbol}"


def _lots(p: Position, units: float | None) -> float | int | None:
    if units is None:
        return None
    return num(units / p.lot_size if p.lot_size else units)


_SUMMARY: tuple[Row, ...] = (
    ("buyingPowerAtMorning", "bpm", "buyingPowerAtMorning",
     lambda s: num(s.buying_power_at_morning)),
    ("buyingPower", "bp", "buyingPower", lambda s: num(s.buying_power)),
    ("profit", "p", "profit", lambda s: num(s.profit)),
    ("profitRate", "pr", "profitRate", lambda s: num(s.profit_rate)),
    ("portfolioEvaluation", "pe", "portfolioEvaluation", lambda s: num(s.portfolio_evaluation)),
    ("portfolioLiquidationValue", "plv", "portfolioLiquidationValue",
     lambda s: num(s.portfolio_liquidation_value)),
    ("initialMargin", "im", "initialMargin", lambda s: num(s.initial_margin)),
    ("correctedMargin", "mgc", "correctedMargin", lambda s: num(s.corrected_margin)),
    ("riskBeforeForcePositionClosing", "r", "riskBeforeForcePositionClosing",
     lambda s: num(s.risk_before_force_position_closing)),
    ("commission", "cms", "commission", lambda s: num(s.commission)),
)


def encode_summary(summary: Summary, fmt: Format) -> dict[str, object]:
    """``/summary`` body or ``SummariesGetAndSubscribeV2`` data."""
    out = project(_SUMMARY, fmt, summary)
    slim = fmt is Format.SLIM
    out["bpv2" if slim else "buyingPowerByCurrency"] = [
        {"cr" if slim else "currency": c.currency,
         "bp" if slim else "buyingPower": num(c.buying_power)}
        for c in summary.buying_power_by_currency]
    return out


_POSITION: tuple[Row, ...] = (
    ("volume", "v", "volume", lambda p: num(p.volume)),
    ("currentVolume", "cv", "currentVolume", lambda p: num(p.current_volume)),
    ("symbol", "sym", "symbol", lambda p: p.symbol),
    ("brokerSymbol", "tic", "brokerSymbol", _broker),
    ("portfolio", "p", "portfolio", lambda p: p.portfolio),
    ("exchange", "ex", "exchange", lambda p: p.exchange),
    ("avgPrice", "pxavg", "avgPrice", lambda p: num(p.avg_price)),
    ("qtyUnits", "q", "qtyUnits", lambda p: num(p.qty_units)),
    ("openUnits", "o", "openUnits", lambda p: num(p.open_units)),
    ("lotSize", "lot", "lotSize", lambda p: num(p.lot_size)),
    ("shortName", "n", "shortName", lambda p: p.short_name),
    *((name, slim, name, lambda p: num(p.qty_units))
      for name, slim in (("qtyT0", "q0"), ("qtyT1", "q1"), ("qtyT2", "q2"), ("qtyTFuture", "qf"))),
    *((name, None, name, lambda p: _lots(p, p.qty_units))
      for name in ("qtyT0Batch", "qtyT1Batch", "qtyT2Batch", "qtyTFutureBatch")),
    ("qtyBatch", None, None, lambda p: _lots(p, p.qty_units)),
    ("openQtyBatch", None, "openQtyBatch", lambda p: _lots(p, p.open_units)),
    ("qty", None, None, lambda p: _lots(p, p.qty_units)),
    ("open", None, None, lambda p: _lots(p, p.open_units)),
    ("dailyUnrealisedPl", "upd", "dailyUnrealisedPl", lambda p: num(p.daily_unrealised_pl)),
    ("unrealisedPl", "up", "unrealisedPl", lambda p: num(p.unrealised_pl)),
    ("isCurrency", "cur", "isCurrency", lambda p: p.is_currency),
    ("existing", "h", "existing", lambda p: p.existing),
)

_RISK: tuple[Row, ...] = (
    ("portfolio", "p", "portfolio", lambda r: r.portfolio),
    ("exchange", "ex", "exchange", lambda r: r.exchange),
    ("portfolioEvaluation", "pe", "portfolioEvaluation", lambda r: num(r.portfolio_evaluation)),
    ("portfolioLiquidationValue", "plv", "portfolioLiquidationValue",
     lambda r: num(r.portfolio_liquidation_value)),
    ("initialMargin", "mgi", "initialMargin", lambda r: num(r.initial_margin)),
    ("minimalMargin", "mgmn", "minimalMargin", lambda r: num(r.minimal_margin)),
    ("correctedMargin", "mgc", "correctedMargin", lambda r: num(r.corrected_margin)),
    ("riskCoverageRatioOne", "r1", "riskCoverageRatioOne",
     lambda r: num(r.risk_coverage_ratio_one)),
    ("riskCoverageRatioTwo", "r2", "riskCoverageRatioTwo",
     lambda r: num(r.risk_coverage_ratio_two)),
    ("riskCategoryId", "rid", "riskCategoryId", lambda r: r.risk_category_id),
    ("clientType", "ct", "clientType", lambda r: r.client_type),
    ("hasForbiddenPositions", "fpos", "hasForbiddenPositions", lambda r: r.has_forbidden_positions),
    ("hasNegativeQuantity", "nq", "hasNegativeQuantity", lambda r: r.has_negative_quantity),
    ("riskStatus", "rst", "riskStatus", lambda r: r.risk_status),
    ("calculationTime", "t", "calculationTime", lambda r: _time(r.calculation_time)),
)

_FORTS: tuple[Row, ...] = (
    ("portfolio", "p", "portfolio", lambda f: f.portfolio),
    ("moneyFree", "f", "moneyFree", lambda f: num(f.money_free)),
    ("moneyBlocked", "b", "moneyBlocked", lambda f: num(f.money_blocked)),
    ("fee", "fee", "fee", lambda f: num(f.fee)),
    ("moneyOld", "o", "moneyOld", lambda f: num(f.money_old)),
    ("moneyAmount", "a", "moneyAmount", lambda f: num(f.money_amount)),
    ("moneyPledgeAmount", "pa", "moneyPledgeAmount", lambda f: num(f.money_pledge_amount)),
    ("vmInterCl", "mgc", "vmInterCl", lambda f: num(f.vm_inter_cl)),
    ("vmCurrentPositions", "mgp", "vmCurrentPositions", lambda f: num(f.vm_current_positions)),
    ("varMargin", None, "varMargin", lambda f: num(f.var_margin)),
    ("indicativeVarMargin", "ivm", "indicativeVarMargin", lambda f: num(f.indicative_var_margin)),
    ("netOptionValue", "nov", "netOptionValue", lambda f: num(f.net_option_value)),
    ("posRisk", "pr", "posRisk", lambda f: num(f.pos_risk)),
    ("isLimitsSet", "lim", "isLimitsSet", lambda f: f.is_limits_set),
    ("balanceMoney", None, None, lambda f: num(f.money_amount)),  # deprecated, Simple only
)

# Rows shared by orders and stop orders (2.10: a stop order is an order plus a few fields).
_ORDER_COMMON: tuple[Row, ...] = (
    ("id", "id", "id", lambda o: o.id),
    ("symbol", "sym", "symbol", lambda o: o.symbol),
    ("board", "bd", "board", lambda o: o.board),
    ("brokerSymbol", "tic", "brokerSymbol", _broker),
    ("portfolio", "p", "portfolio", lambda o: o.portfolio),
    ("exchange", "ex", "exchange", lambda o: o.exchange),
    ("comment", "cmt", "comment", lambda o: o.comment if isinstance(o, Order) else None),
    ("type", "t", "type", lambda o: o.type),
    ("side", "s", "side", lambda o: str(o.side)),
    ("status", "st", "status", lambda o: o.status),
    ("transTime", "tt", "transTime", lambda o: _time(o.trans_time)),
    ("updateTime", "ut", "updateTime", lambda o: _time(o.update_time)),
    ("endTime", "et", "endTime", lambda o: _time(o.end_time)),
    ("qtyUnits", "q", "qtyUnits", lambda o: num(o.qty_units)),
    ("qtyBatch", "qb", "qtyBatch", lambda o: num(o.qty_lots)),
    ("qty", None, None, lambda o: num(o.qty_lots)),
    ("filledQtyBatch", "fqb", "filledQtyBatch", lambda o: num(o.filled_lots)),
    ("filled", None, None, lambda o: num(o.filled_lots)),
    ("existing", "h", "existing", lambda o: o.existing),
    ("timeInForce", "tf", "timeInForce", lambda o: "oneday"),
    ("iceberg", "i", "iceberg", lambda o: None),
)

_ORDER: tuple[Row, ...] = (
    *_ORDER_COMMON,
    ("filledQtyUnits", "fq", "filledQtyUnits", lambda o: num(o.filled_units)),
    ("price", "px", "price", lambda o: num(o.price)),
    ("volume", "v", "volume", lambda o: num(o.volume)),
)


def _stop_filled_units(s: StopOrder) -> float | int | None:
    per_lot = (s.qty_units or 0.0) / s.qty_lots if s.qty_lots else 1.0
    return num(s.filled_lots * per_lot)


_STOP: tuple[Row, ...] = (
    *_ORDER_COMMON,
    ("exchangeOrderId", "eid", "exchangeOrderId", lambda s: s.exchange_order_id),
    ("condition", "cnd", "condition", lambda s: s.condition),
    ("error", "err", "error", lambda s: s.error),
    ("filledQtyUnits", "fq", "filledQtyUnits", _stop_filled_units),
    ("price", "px", "price", lambda s: num(s.price or 0)),
    ("avg_price", "pxavg", "avgPrice", lambda s: num(s.avg_price or 0)),
    ("stopPrice", "pxs", "stopPrice", lambda s: num(s.stop_price)),
    ("volume", "v", "volume", 
     lambda s: num(round((s.qty_units or 0) * (s.price or s.stop_price or 0), 2))),
    ("protectingSeconds", "psec", "protectingSeconds", lambda s: 15),
)

_TRADE: tuple[Row, ...] = (
    ("id", "id", "id", lambda t: t.id),
    ("orderno", "eid", "orderNo", lambda t: t.order_no),
    ("comment", "cmt", "comment", lambda t: t.comment),
    ("symbol", "sym", "symbol", lambda t: t.symbol),
    ("brokerSymbol", "tic", "brokerSymbol", _broker),
    ("exchange", "ex", "exchange", lambda t: t.exchange),
    ("date", "d", "date", lambda t: _time(t.time)),
    ("board", "b", "board", lambda t: t.board),
    ("qtyUnits", "q", "qtyUnits", lambda t: num(t.qty_units)),
    ("qtyBatch", "qb", "qtyBatch", lambda t: num(t.qty_lots)),
    ("qty", None, "qty", lambda t: num(t.qty_lots)),
    ("price", "px", "price", lambda t: num(t.price)),
    ("accruedInt", "ai", "accruedInt", lambda t: num(t.accrued_int or 0)),
    ("side", "s", "side", lambda t: str(t.side)),
    ("existing", "h", "existing", lambda t: t.existing),
    ("commission", "cms", "commission", lambda t: num(t.commission)),
    ("repoSpecificFields", "r", "repoSpecificFields", lambda t: None),
    ("volume", "v", "volume", lambda t: num(t.volume)),
    (None, None, "settleDate", lambda t: _time(t.time + SETTLE_DAYS * 86400 if t.time else None)),
)


def encode_position(position: Position, fmt: Format) -> dict[str, object]:
    """One ``/positions`` item or ``PositionsGetAndSubscribeV2`` data."""
    return project(_POSITION, fmt, position)


def encode_risk(risk: Risk, fmt: Format) -> dict[str, object]:
    """``/risk`` body or ``RisksGetAndSubscribe`` data."""
    return project(_RISK, fmt, risk)


def encode_forts_risk(risk: FortsRisk, fmt: Format) -> dict[str, object]:
    """``/fortsrisk`` body or ``SpectraRisksGetAndSubscribe`` data."""
    return project(_FORTS, fmt, risk)


def encode_order(order: Order, fmt: Format) -> dict[str, object]:
    """One ``/orders`` item or ``OrdersGetAndSubscribeV2`` data."""
    return project(_ORDER, fmt, order)


def encode_stop_order(stop: StopOrder, fmt: Format) -> dict[str, object]:
    """One ``/stoporders`` item or ``StopOrdersGetAndSubscribeV2`` data."""
    out = project(_STOP, fmt, stop)
    if fmt is Format.SIMPLE and stop.condition is not None:
        out["condition"] = _CONDITIONS.get(stop.condition, stop.condition)
    return out


def encode_own_trade(trade: OwnTrade, fmt: Format, *, short_name: str | None = None,
                     currency: str | None = None) -> dict[str, object]:
    """One own trade. With ``short_name`` (HTTP ``/trades``, schema ``Trade_V2``) Heavy also
    carries ``shortName`` and ``currency``; the WS stream's Heavy trade has neither."""
    out = project(_TRADE, fmt, trade)
    if fmt is Format.HEAVY and short_name is not None:
        out.update(shortName=short_name, currency=currency)
    return out


ENCODERS: dict[type, Callable[[Any, Format], dict[str, object]]] = {
    Summary: encode_summary, Position: encode_position, Risk: encode_risk,
    FortsRisk: encode_forts_risk, Order: encode_order, StopOrder: encode_stop_order,
    OwnTrade: encode_own_trade,
}
"""Model type -> encoder, for the streams that send whatever model changed."""
