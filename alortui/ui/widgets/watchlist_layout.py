"""Which watchlist columns show, in which order and how wide, for the user's choice and a width."""

from __future__ import annotations

from collections.abc import Sequence

from alortui.ui.widgets.watchlist_columns import COLUMNS, COLUMNS_BY_KEY, Column

NAME_MAX = 28
"""The name column grows into spare width up to this many cells."""

DEFAULT_COLUMNS: tuple[Column, ...] = tuple(column for column in COLUMNS if not column.opt_in)
"""Every column but the opt-in ones, in display order: what an empty ``ui.columns`` means."""

DEFAULT_KEYS: tuple[str, ...] = tuple(column.key for column in DEFAULT_COLUMNS)

Layout = list[tuple[Column, int]]
"""Visible columns with their widths, in display order."""


def resolve_columns(keys: Sequence[str] | None) -> list[Column]:
    """The user's chosen columns in their order; unknown keys are skipped (an older config).

    The symbol always shows: without it a row says nothing. No usable key means the default.
    """
    chosen = [COLUMNS_BY_KEY[key] for key in dict.fromkeys(keys or ()) if key in COLUMNS_BY_KEY]
    if not chosen:
        return list(DEFAULT_COLUMNS)
    if COLUMNS_BY_KEY["symbol"] not in chosen:
        chosen.insert(0, COLUMNS_BY_KEY["symbol"])
    return chosen


def saved_columns(columns: Sequence[Column]) -> list[str]:
    """The ``ui.columns`` setting for ``columns``: empty when they are the default."""
    keys = [column.key for column in columns]
    return [] if tuple(keys) == DEFAULT_KEYS else keys


def fit_columns(
    width: int,
    symbol_width: int = 8,
    gap: int = 1,
    columns: Sequence[Column] = DEFAULT_COLUMNS,
) -> Layout:
    """The ``columns`` that fit ``width`` (highest priority first), in their given order.

    Args:
        width: Cells available.
        symbol_width: Width of the symbol column (the longest symbol in the list).
        gap: Cells between columns.
        columns: The user's columns in the user's order.
    """
    chosen: set[str] = set()
    used = 0
    for column in sorted(columns, key=lambda c: c.priority):
        column_width = symbol_width if column.key == "symbol" else column.width
        extra = column_width + (gap if chosen else 0)
        if width >= column.min_width and used + extra <= width:
            chosen.add(column.key)
            used += extra
    slack = min(width - used, NAME_MAX - COLUMNS_BY_KEY["name"].width)
    widths = {key: COLUMNS_BY_KEY[key].width for key in chosen}
    widths["symbol"] = symbol_width
    if "name" in widths:
        widths["name"] += max(0, slack)
    return [(column, widths[column.key]) for column in columns if column.key in chosen]


def column_at(layout: Layout, x: int, gap: int = 1) -> Column | None:
    """The column of ``layout`` under cell ``x`` (a gap belongs to the column on its left)."""
    left = 0
    for column, width in layout:
        if left <= x < left + width + gap:
            return column
        left += width + gap
    return None
