"""Instrument search the way ALOR answers ``GET /md/v2/Securities`` (alor-api.md 2.2)."""

from __future__ import annotations

from collections.abc import Iterable

from alortui.sim.instrument import LiveInstrument
from alortui.sim.spec import InstrumentSpec


def matches(spec: InstrumentSpec, query: str) -> bool:
    """A symbol prefix, or a substring of the short name or description (``query`` lower-case)."""
    return (
        not query
        or spec.key.symbol.lower().startswith(query)
        or query in spec.short_name.lower()
        or query in spec.description.lower()
    )


def rank(
    instruments: Iterable[LiveInstrument], query: str, exchange: str | None, board: str | None,
    sector: str | None,
) -> list[LiveInstrument]:
    """Matching instruments, most traded first (day turnover in roubles), then catalog order.

    Args:
        query: search text, case ignored.
        exchange: ``MOEX``/``SPBX`` filter.
        board: board filter (``instrumentGroup``).
        sector: market filter (``FOND``, ``FORTS``, ``CURR``, ``SPBX``).
    """
    text = query.strip().lower()
    wanted = [
        inst for inst in instruments
        if matches(inst.spec, text)
        and (not exchange or inst.spec.key.exchange == exchange.upper())
        and (not board or (inst.spec.key.board or "").upper() == board.upper())
        and (not sector or inst.spec.market == sector.upper())
    ]
    # sorted() is stable, so equal turnover keeps catalog order.
    return sorted(wanted, key=lambda inst: -inst.spec.turnover_rub(inst.day.turnover))
