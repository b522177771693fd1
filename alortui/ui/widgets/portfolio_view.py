"""The body of the Portfolio screen: summary, positions, orders, stop orders, own trades.

A simple widget (the portfolio changes a few times a second at most, style.md section 3): each
update rebuilds its Rich sections from the latest state, live last prices and the privacy flag.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import ClassVar

from rich.console import Group, RenderableType
from rich.style import Style
from rich.table import Table
from rich.text import Text
from textual.widget import Widget

from alortui.models import InstrumentKey
from alortui.portfolio_models import PortfolioState
from alortui.ui.portfolio_figures import Money
from alortui.ui.portfolio_tables import (
    Look,
    orders_table,
    positions_table,
    risk_line,
    stops_table,
    summary_grid,
    trades_table,
)

WIDE = 100
"""Cells from which the positions table has room for the instruments' names."""
SIDE_BY_SIDE = 170
"""Cells from which orders and trades stand beside the summary and positions."""


class PortfolioView(Widget):
    """Every section of one portfolio's state, money amounts shown or hidden."""

    COMPONENT_CLASSES: ClassVar[set[str]] = {
        "portfolio--label", "portfolio--up", "portfolio--down", "portfolio--muted",
        "portfolio--heading",
    }
    DEFAULT_CSS = """
    PortfolioView { height: auto; padding: 0 1; }
    PortfolioView > .portfolio--label { color: $text-muted; }
    PortfolioView > .portfolio--muted { color: $text-muted; }
    PortfolioView > .portfolio--up { color: $price-up; }
    PortfolioView > .portfolio--down { color: $price-down; }
    PortfolioView > .portfolio--heading { color: $accent; text-style: bold; }
    """

    def __init__(self, *, hidden: bool = False, id: str | None = None) -> None:
        super().__init__(id=id)
        self.state: PortfolioState | None = None
        self.lasts: dict[InstrumentKey, float] = {}
        self.hidden = hidden

    def show(self, state: PortfolioState) -> None:
        """Show ``state`` (the newest merged state of the portfolio)."""
        self.state = state
        self.refresh(layout=True)

    def set_lasts(self, lasts: Mapping[InstrumentKey, float]) -> None:
        """Value the positions at these live last prices."""
        self.lasts.update(lasts)
        self.refresh()

    def set_hidden(self, hidden: bool) -> None:
        """Hide (``True``) or show every money amount."""
        self.hidden = hidden
        self.refresh(layout=True)

    def render(self) -> RenderableType:
        """The sections, top to bottom; empty sections say so in one muted line."""
        state = self.state
        if state is None:
            return Text("Loading the portfolio…")
        look = self._look()
        money = Money(self.hidden)
        parts: list[RenderableType] = [summary_grid(state, money, look), risk_line(state, look)]
        sections: list[tuple[str, bool, RenderableType]] = [
            ("Positions", bool(state.holdings or state.cash),
             positions_table(state, self.lasts, money, look, names=self.size.width >= WIDE)),
            ("Orders", bool(state.orders), orders_table(state, look)),
            ("Stop orders", bool(state.stop_orders), stops_table(state, look)),
            ("Today's trades", bool(state.trades), trades_table(state, money, look)),
        ]
        heading = self.get_component_rich_style("portfolio--heading", partial=True)
        blocks = [Group(Text(f"\n{title}", style=heading),
                        table if filled else Text("none", style=look.muted))
                  for title, filled, table in sections]
        if self.size.width < SIDE_BY_SIDE:
            return Group(*parts, *blocks)
        # Wide terminals: money and positions on the left, orders and trades beside them.
        grid = Table.grid(padding=(0, 4))
        grid.add_row(Group(*parts, blocks[0]), Group(*blocks[1:]))
        return grid

    def _look(self) -> Look:
        def style(name: str) -> Style:
            return self.get_component_rich_style(f"portfolio--{name}", partial=True)

        return Look(style("label"), style("up"), style("down"), style("muted"))
