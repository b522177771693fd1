"""The numbers and words of the Portfolio screen, before any styling (no Textual here).

A position's last price comes live from the quotes stream when there is one; its unrealised
P/L and value are then recomputed from it, else ALOR's own figures are shown (alor-api.md 2.9).
Money amounts go through :class:`Money`, which hides them all at once for screen sharing.
"""

from __future__ import annotations

from dataclasses import dataclass

from alortui.portfolio_models import PortfolioState, Position, Risk
from alortui.ui.formatting import MISSING, fmt_change, fmt_price, fmt_volume

HIDDEN = "•••••"
"""What a hidden money amount shows (same for every amount: no length gives a size away)."""

RISK_STATUS = {
    "ok": "OK: margin is sufficient",
    "demand": "margin call: no new margin positions",
    "toclose": "forced closing possible",
}
CLIENT_TYPE = {
    "lowrisk": "low risk (KNUR)",
    "standardrisk": "standard risk (KSUR)",
    "highrisk": "high risk (KPUR)",
    "special": "special (KOUR)",
}


@dataclass(frozen=True, slots=True)
class Money:
    """Formats money amounts, or hides every one of them."""

    hidden: bool = False

    def amount(self, value: float | None, decimals: int = 2) -> str:
        """``"182 431.20"``, or :data:`HIDDEN`."""
        return HIDDEN if self.hidden and value is not None else fmt_price(value, decimals)

    def change(self, value: float | None, decimals: int = 2) -> str:
        """A signed amount, ``"+1 274.50"``, or :data:`HIDDEN`."""
        return HIDDEN if self.hidden and value is not None else fmt_change(value, decimals)

    def size(self, value: float | None) -> str:
        """A holding's size (it gives the money away with the price), or :data:`HIDDEN`."""
        return HIDDEN if self.hidden and value is not None else fmt_volume(value)


def risk_words(risk: Risk | None) -> str:
    """Risk status and client category in words, e.g. ``"OK: margin is sufficient · ..."``."""
    if risk is None:
        return MISSING
    status = RISK_STATUS.get((risk.risk_status or "").lower(), risk.risk_status or MISSING)
    category = CLIENT_TYPE.get((risk.client_type or "").lower(), risk.client_type or "")
    return " · ".join(part for part in (status, category) if part)


def lots(position: Position) -> float | None:
    """Quantity in lots: ALOR's own in Simple, else pieces divided by the lot size."""
    if position.qty_lots is not None:
        return position.qty_lots
    if position.lot_size:
        return position.qty_units / position.lot_size
    return None


@dataclass(frozen=True, slots=True)
class PositionFigures:
    """One position row, valued at the live last price when there is one."""

    position: Position
    last: float | None
    value: float | None
    unrealised: float | None
    share: float | None
    """Percent of the portfolio's value."""


def figures(position: Position, last: float | None, total: float | None) -> PositionFigures:
    """Value, unrealised P/L and share of ``position`` at ``last`` (ALOR's figures if unknown)."""
    value, unrealised = position.current_volume, position.unrealised_pl
    if last is not None:
        value = position.qty_units * last
        if position.avg_price is not None:
            unrealised = position.qty_units * (last - position.avg_price)
    share = 100 * value / total if value is not None and total else None
    return PositionFigures(position, last, value, unrealised, share)


def portfolio_total(state: PortfolioState) -> float | None:
    """The portfolio's value: the summary's, or the Spectra risk's money amount."""
    if state.summary is not None:
        return state.summary.portfolio_evaluation
    if state.forts_risk is not None:
        return state.forts_risk.money_amount
    return None


def fmt_share(value: float | None) -> str:
    """A share of the portfolio, ``"12.3%"``."""
    return MISSING if value is None else f"{value:.1f}%"

