"""The Portfolio screen's sections as Rich renderables: summary, positions, orders, trades.

Built from plain strings only (server text as :func:`plain` Text: a Table cell given a str
parses it as markup), never markup
(style.md section 4). Money amounts go through :class:`~alortui.ui.portfolio_figures.Money`.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from rich.style import Style
from rich.table import Table
from rich.text import Text

from alortui.models import InstrumentKey, Side
from alortui.portfolio_models import PortfolioState
from alortui.ui.formatting import (
    MISSING,
    clean_text,
    fmt_clock,
    fmt_percent,
    fmt_price,
    fmt_volume,
    plain,
)
from alortui.ui.portfolio_figures import (
    Money,
    figures,
    fmt_share,
    lots,
    portfolio_total,
    risk_words,
)

LEFT = frozenset({"Symbol", "Name", "Time", "Side", "Type", "Status", "Trigger"})
"""Columns of words (left-aligned); figures align right."""
CONDITIONS = {"more": ">", "less": "<", "moreorequal": "≥", "lessorequal": "≤"}


@dataclass(frozen=True, slots=True)
class Look:
    """Styles resolved from the theme (labels, gains, losses, headings)."""

    label: Style
    up: Style
    down: Style
    muted: Style


def _signed(text: str, value: float | None, look: Look) -> Text:
    style = look.up if value and value > 0 else look.down if value and value < 0 else Style()
    arrow = "▲" if value and value > 0 else "▼" if value and value < 0 else " "
    return Text(f"{text} {arrow}", style=style, no_wrap=True)


def _table(look: Look, *headers: str, gap: int = 2) -> Table:
    table = Table(box=None, padding=(0, gap, 0, 0), pad_edge=False, expand=False,
                  header_style=look.label, show_edge=False)
    for header in headers:
        table.add_column(header, justify="left" if header in LEFT else "right", no_wrap=True)
    return table


def summary_grid(state: PortfolioState, money: Money, look: Look) -> Table:
    """Buying power, value, liquidation value, P/L, margin and risk, two figures a line."""
    grid = Table.grid(padding=(0, 2))
    for style in (look.label, None, look.label, None):
        grid.add_column(style=style, no_wrap=True, justify="left" if style else "right")
    s, f = state.summary, state.forts_risk
    if s is not None:
        profit = Text.assemble(_signed(money.change(s.profit), s.profit, look),
                               f" {fmt_percent(s.profit_rate)}")
        grid.add_row("Buying power", money.amount(s.buying_power),
                     "Portfolio value", money.amount(s.portfolio_evaluation))
        grid.add_row("Liquidation value", money.amount(s.portfolio_liquidation_value),
                     "P/L today", profit)
        grid.add_row("Initial margin", money.amount(s.initial_margin),
                     "Corrected margin", money.amount(s.corrected_margin))
    if f is not None:
        grid.add_row("Free money", money.amount(f.money_free),
                     "Blocked (GO)", money.amount(f.money_blocked))
        grid.add_row("Variation margin", money.change(f.var_margin),
                     "Fee", money.amount(f.fee))
    if s is None and f is None:
        grid.add_row("Summary", "waiting for ALOR…", "", "")
    return grid


def risk_line(state: PortfolioState, look: Look) -> Text:
    """``Risk  OK: margin is sufficient · standard risk (KSUR)``."""
    words = risk_words(state.risk) if state.risk is not None else (
        "derivatives: limits set" if state.forts_risk and state.forts_risk.is_limits_set
        else MISSING)
    return Text.assemble(("Risk  ", look.label), words)


def positions_table(state: PortfolioState, lasts: Mapping[InstrumentKey, float],
                    money: Money, look: Look, *, names: bool = True) -> Table:
    """Instrument positions at live prices; money balances follow as cash lines.

    ``names`` adds the instruments' short names (when the screen is wide enough).
    """
    headers = ["Symbol", *(["Name"] if names else []), "Lots", "Pieces", "Avg", "Last",
               "Unreal P/L", "Day P/L", "Share"]
    table = _table(look, *headers, gap=2 if names else 1)  # 80 columns need the room
    total = portfolio_total(state)
    for position in state.holdings:
        row = figures(position, lasts.get(position.key), total)
        name = [plain((position.short_name or "")[:24])] if names else []
        table.add_row(plain(position.symbol), *name,
                      money.size(lots(position)), money.size(position.qty_units),
                      fmt_price(position.avg_price), fmt_price(row.last),
                      _signed(money.change(row.unrealised), row.unrealised, look),
                      _signed(money.change(position.daily_unrealised_pl),
                              position.daily_unrealised_pl, look),
                      fmt_share(row.share))
    for cash in state.cash:
        share = figures(cash, None, total).share
        label = Text(f"{clean_text(cash.symbol)} cash", style=look.muted)
        table.add_row(label, *([""] if names else []), "", money.amount(cash.qty_units),
                      "", "", "", "", fmt_share(share))
    return table


def orders_table(state: PortfolioState, look: Look) -> Table:
    """Working orders first, then the day's other orders, newest first within each."""
    table = _table(look, "Time", "Symbol", "Side", "Type", "Price", "Qty", "Filled", "Status")
    orders = sorted(state.orders, key=lambda o: (o.status != "working", -(o.trans_time or 0)))
    for order in orders:
        table.add_row(fmt_clock(order.trans_time), plain(order.symbol),
                      _side(order.side, look), plain(order.type),
                      fmt_price(order.price), fmt_volume(order.qty_lots),
                      fmt_volume(order.filled_lots), _status(order.status, look))
    return table


def stops_table(state: PortfolioState, look: Look) -> Table:
    """Stop orders: trigger condition and stop price, limit price, quantity, status."""
    table = _table(look, "Time", "Symbol", "Side", "Trigger", "Limit", "Qty", "Filled", "Status")
    for stop in sorted(state.stop_orders, key=lambda o: (o.status != "working",
                                                         -(o.trans_time or 0))):
        trigger = f"{CONDITIONS.get(stop.condition or '', '?')} {fmt_price(stop.stop_price)}"
        table.add_row(fmt_clock(stop.trans_time), plain(stop.symbol),
                      _side(stop.side, look), trigger,
                      fmt_price(stop.price) if stop.type == "stoplimit" else "market",
                      fmt_volume(stop.qty_lots), fmt_volume(stop.filled_lots),
                      _status(stop.status, look))
    return table


def trades_table(state: PortfolioState, money: Money, look: Look) -> Table:
    """Today's own trades, newest first."""
    table = _table(look, "Time", "Symbol", "Side", "Price", "Qty", "Value")
    for trade in sorted(state.trades, key=lambda t: -(t.time or 0)):
        table.add_row(fmt_clock(trade.time), plain(trade.symbol), _side(trade.side, look),
                      fmt_price(trade.price), fmt_volume(trade.qty_lots),
                      money.amount(trade.volume))
    return table


def _side(side: Side, look: Look) -> Text:
    return Text(side.value, style=look.up if side is Side.BUY else look.down)


def _status(status: str, look: Look) -> Text:
    return Text(clean_text(status), style=Style() if status == "working" else look.muted)
