"""Decoders of a portfolio's money, risk and positions (alor-api.md 2.9, 2.10).

Same contract as every ``wire_*`` decoder: any JSON value in, a model or
:class:`~alortui.alor.wire_fields.MalformedMessage` out. Money amounts may be negative (a loss, a
debt), so they are read as finite numbers, not volumes.
"""

from __future__ import annotations

from typing import NamedTuple

from alortui.alor.timeparse import opt_time
from alortui.alor.wire_fields import (
    fields,
    key_table,
    opt_bool,
    opt_int,
    opt_price,
    opt_str,
    opt_volume,
    req_list,
    req_price,
    req_str,
)
from alortui.models import Format
from alortui.portfolio_models import CurrencyBuyingPower, FortsRisk, Position, Risk, Summary


class _SummaryKeys(NamedTuple):
    morning_buying_power: str
    buying_power: str
    profit: str
    profit_rate: str
    portfolio_evaluation: str
    liquidation_value: str
    initial_margin: str
    corrected_margin: str
    risk_before_close: str
    commission: str
    by_currency: str
    currency: str
    currency_buying_power: str


_SUMMARY = key_table(_SummaryKeys, """
    morning_buying_power    buyingPowerAtMorning           bpm  buyingPowerAtMorning
    buying_power            buyingPower                    bp   buyingPower
    profit                  profit                         p    profit
    profit_rate             profitRate                     pr   profitRate
    portfolio_evaluation    portfolioEvaluation            pe   portfolioEvaluation
    liquidation_value       portfolioLiquidationValue      plv  portfolioLiquidationValue
    initial_margin          initialMargin                  im   initialMargin
    corrected_margin        correctedMargin                mgc  correctedMargin
    risk_before_close       riskBeforeForcePositionClosing r    riskBeforeForcePositionClosing
    commission              commission                     cms  commission
    by_currency             buyingPowerByCurrency          bpv2 buyingPowerByCurrency
    currency                currency                       cr   currency
    currency_buying_power   buyingPower                    bp   buyingPower
""")
_SLIM_BY_CURRENCY_TYPO = "bp2v"
"""One WS example in the spec spells ``bpv2`` as ``bp2v`` (2.10): read either."""


def decode_summary(obj: object, fmt: Format) -> Summary:
    """Decode ``/summary`` or one ``SummariesGetAndSubscribeV2`` message.

    Raises:
        MalformedMessage: ``obj`` is not a summary of format ``fmt``.
    """
    k = _SUMMARY[fmt]
    get = fields(obj, "summary")
    by_key = k.by_currency
    if fmt is Format.SLIM and get(by_key) is None and get(_SLIM_BY_CURRENCY_TYPO) is not None:
        by_key = _SLIM_BY_CURRENCY_TYPO
    rows = [] if get(by_key) is None else req_list(get, by_key)
    return Summary(
        req_price(get, k.morning_buying_power), req_price(get, k.buying_power),
        req_price(get, k.profit), req_price(get, k.profit_rate),
        req_price(get, k.portfolio_evaluation), req_price(get, k.liquidation_value),
        req_price(get, k.initial_margin), req_price(get, k.corrected_margin),
        req_price(get, k.risk_before_close), req_price(get, k.commission),
        tuple(_currency(row, k) for row in rows),
    )


def _currency(row: object, k: _SummaryKeys) -> CurrencyBuyingPower:
    get = fields(row, k.by_currency)
    return CurrencyBuyingPower(req_str(get, k.currency), req_price(get, k.currency_buying_power))


class _RiskKeys(NamedTuple):
    portfolio: str
    exchange: str
    portfolio_evaluation: str
    portfolio_liquidation_value: str
    initial_margin: str
    minimal_margin: str
    corrected_margin: str
    risk_coverage_ratio_one: str
    risk_coverage_ratio_two: str
    risk_category_id: str
    client_type: str
    has_forbidden_positions: str
    has_negative_quantity: str
    risk_status: str
    calculation_time: str


_RISK = key_table(_RiskKeys, """
    portfolio                    portfolio                  p     portfolio
    exchange                     exchange                   ex    exchange
    portfolio_evaluation         portfolioEvaluation        pe    portfolioEvaluation
    portfolio_liquidation_value  portfolioLiquidationValue  plv   portfolioLiquidationValue
    initial_margin               initialMargin              mgi   initialMargin
    minimal_margin               minimalMargin              mgmn  minimalMargin
    corrected_margin             correctedMargin            mgc   correctedMargin
    risk_coverage_ratio_one      riskCoverageRatioOne       r1    riskCoverageRatioOne
    risk_coverage_ratio_two      riskCoverageRatioTwo       r2    riskCoverageRatioTwo
    risk_category_id             riskCategoryId             rid   riskCategoryId
    client_type                  clientType                 ct    clientType
    has_forbidden_positions      hasForbiddenPositions      fpos  hasForbiddenPositions
    has_negative_quantity        hasNegativeQuantity        nq    hasNegativeQuantity
    risk_status                  riskStatus                 rst   riskStatus
    calculation_time             calculationTime            t     calculationTime
""")


def decode_risk(obj: object, fmt: Format) -> Risk:
    """Decode ``/risk`` or one ``RisksGetAndSubscribe`` message.

    Raises:
        MalformedMessage: ``obj`` is not a risk object of format ``fmt``.
    """
    k = _RISK[fmt]
    get = fields(obj, "risk")
    return Risk(
        req_str(get, k.portfolio), req_str(get, k.exchange),
        req_price(get, k.portfolio_evaluation), req_price(get, k.portfolio_liquidation_value),
        req_price(get, k.initial_margin), req_price(get, k.minimal_margin),
        req_price(get, k.corrected_margin), req_price(get, k.risk_coverage_ratio_one),
        req_price(get, k.risk_coverage_ratio_two), opt_int(get, k.risk_category_id),
        opt_str(get, k.client_type), opt_bool(get, k.has_forbidden_positions),
        opt_bool(get, k.has_negative_quantity), opt_str(get, k.risk_status),
        opt_time(get, k.calculation_time),
    )


class _FortsKeys(NamedTuple):
    portfolio: str
    money_free: str
    money_blocked: str
    fee: str
    money_old: str
    money_amount: str
    money_pledge_amount: str
    vm_inter_cl: str
    vm_current_positions: str
    var_margin: str | None
    indicative_var_margin: str
    net_option_value: str
    pos_risk: str
    is_limits_set: str


_FORTS = key_table(_FortsKeys, """
    portfolio              portfolio            p    portfolio
    money_free             moneyFree            f    moneyFree
    money_blocked          moneyBlocked         b    moneyBlocked
    fee                    fee                  fee  fee
    money_old              moneyOld             o    moneyOld
    money_amount           moneyAmount          a    moneyAmount
    money_pledge_amount    moneyPledgeAmount    pa   moneyPledgeAmount
    vm_inter_cl            vmInterCl            mgc  vmInterCl
    vm_current_positions   vmCurrentPositions   mgp  vmCurrentPositions
    var_margin             varMargin            -    varMargin
    indicative_var_margin  indicativeVarMargin  ivm  indicativeVarMargin
    net_option_value       netOptionValue       nov  netOptionValue
    pos_risk               posRisk              pr   posRisk
    is_limits_set          isLimitsSet          lim  isLimitsSet
""")


def decode_forts_risk(obj: object, fmt: Format) -> FortsRisk:
    """Decode ``/fortsrisk`` or one ``SpectraRisksGetAndSubscribe`` message.

    Raises:
        MalformedMessage: ``obj`` is not a FORTS risk object of format ``fmt``.
    """
    k = _FORTS[fmt]
    get = fields(obj, "FORTS risk")
    return FortsRisk(
        req_str(get, k.portfolio), req_price(get, k.money_free), req_price(get, k.money_blocked),
        req_price(get, k.fee), req_price(get, k.money_old), req_price(get, k.money_amount),
        req_price(get, k.money_pledge_amount), req_price(get, k.vm_inter_cl),
        req_price(get, k.vm_current_positions), opt_price(get, k.var_margin),
        req_price(get, k.indicative_var_margin), req_price(get, k.net_option_value),
        req_price(get, k.pos_risk), opt_bool(get, k.is_limits_set),
    )


class _PositionKeys(NamedTuple):
    symbol: str
    exchange: str
    portfolio: str
    qty_units: str
    qty_lots: str | None
    open_units: str
    lot_size: str
    avg_price: str
    volume: str
    current_volume: str
    unrealised_pl: str
    daily_unrealised_pl: str
    short_name: str
    is_currency: str
    existing: str


# Lot counts have no Slim key and Heavy drops `qtyBatch` (2.10): those carry pieces only.
_POSITION = key_table(_PositionKeys, """
    symbol               symbol             sym    symbol
    exchange             exchange           ex     exchange
    portfolio            portfolio          p      portfolio
    qty_units            qtyUnits           q      qtyUnits
    qty_lots             qtyBatch           -      -
    open_units           openUnits          o      openUnits
    lot_size             lotSize            lot    lotSize
    avg_price            avgPrice           pxavg  avgPrice
    volume               volume             v      volume
    current_volume       currentVolume      cv     currentVolume
    unrealised_pl        unrealisedPl       up     unrealisedPl
    daily_unrealised_pl  dailyUnrealisedPl  upd    dailyUnrealisedPl
    short_name           shortName          n      shortName
    is_currency          isCurrency         cur    isCurrency
    existing             existing           h      existing
""")


def decode_position(obj: object, fmt: Format) -> Position:
    """Decode one position (``/positions`` item or ``PositionsGetAndSubscribeV2`` data).

    A short position has a negative quantity, so quantities are read as finite numbers.

    Raises:
        MalformedMessage: ``obj`` is not a position of format ``fmt``.
    """
    k = _POSITION[fmt]
    get = fields(obj, "position")
    return Position(
        req_str(get, k.symbol), req_str(get, k.exchange), opt_str(get, k.portfolio),
        req_price(get, k.qty_units), opt_price(get, k.qty_lots), opt_price(get, k.open_units),
        opt_volume(get, k.lot_size), opt_price(get, k.avg_price), opt_price(get, k.volume),
        opt_price(get, k.current_volume), opt_price(get, k.unrealised_pl),
        opt_price(get, k.daily_unrealised_pl), opt_str(get, k.short_name),
        opt_bool(get, k.is_currency), opt_bool(get, k.existing),
    )
