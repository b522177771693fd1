"""Numbers, times and server text turned into what the screens show.

Pure functions, no Textual: prices with the instrument's own decimals, volumes grouped with thin
spaces or shortened with K/M/B, Moscow time (UTC+3, no DST, alor-api.md 6.4), ages, and
server-sent strings made safe to draw (style.md section 4).
"""

from __future__ import annotations

import math
import re
from datetime import UTC, datetime, timedelta, timezone

from rich.text import Text

from alortui.alor.redact import ESCAPE_SEQUENCE

MISSING = "—"
"""Shown in place of a value the server did not send."""

THIN_SPACE = " "
"""Thousands separator, the Russian convention: reads as a gap, never as a decimal point.

A plain space rather than U+2009: some terminal fonts draw the thin space two cells wide."""

MSK = timezone(timedelta(hours=3), "MSK")
"""Moscow time, the exchanges' clock (no daylight saving since 2014)."""

UP_ARROW = "▲"
DOWN_ARROW = "▼"

BOND_TYPES = frozenset({"EUSOV", "MUNI", "CORP", "EUEURO", "OFZ", "BOND"})
"""Instrument types quoted in percent of face value (alor-api.md 6.3)."""

# Whitespace controls become a space so words do not run together.
_WHITESPACE_CONTROLS = re.compile(r"[\t\n\r\v\f]+")
# Remaining C0 controls, DEL, C1 controls, and bidi embeddings/overrides/isolates/marks that
# could reorder what the user sees (Trojan Source).
_UNSAFE = re.compile(r"[\x00-\x1f\x7f-\x9f\u200e\u200f\u061c\u202a-\u202e\u2066-\u2069]")


def clean_text(value: object) -> str:
    """Return server text with escape sequences and unsafe control characters removed.

    Args:
        value: Any value from the server; ``None`` becomes an empty string.
    """
    if value is None:
        return ""
    text = ESCAPE_SEQUENCE.sub("", str(value))
    text = _WHITESPACE_CONTROLS.sub(" ", text)
    return _UNSAFE.sub("", text)


def plain(value: object, style: str = "") -> Text:
    """Server text as a Rich ``Text`` that is drawn literally, never parsed as markup."""
    return Text(clean_text(value), style=style, no_wrap=True, end="")


def _group(integer_digits: str) -> str:
    """Insert thin spaces between groups of three digits."""
    head = len(integer_digits) % 3 or 3
    groups = [integer_digits[:head]]
    groups += [integer_digits[i : i + 3] for i in range(head, len(integer_digits), 3)]
    return THIN_SPACE.join(groups)


def _fixed(value: float, decimals: int, *, group: bool = True) -> str:
    """``value`` with ``decimals`` places, thousands grouped, ASCII minus."""
    text = f"{abs(value):.{max(0, decimals)}f}"
    integer, dot, fraction = text.partition(".")
    if group:
        integer = _group(integer)
    sign = "-" if value < 0 and float(text) != 0 else ""
    return f"{sign}{integer}{dot}{fraction}"


def _missing(value: float | None) -> bool:
    return value is None or not math.isfinite(value)


def fmt_price(value: float | None, decimals: int = 2, *, percent: bool = False) -> str:
    """A price on the instrument's grid, e.g. ``"1 234.50"``; bonds add ``%`` of face value.

    Args:
        value: The price, ``None`` when unknown.
        decimals: The instrument's price decimals (``Security.price_decimals``).
        percent: The price is in percent of face value (bonds, alor-api.md 6.3).
    """
    if _missing(value):
        return MISSING
    assert value is not None
    return _fixed(value, decimals) + ("%" if percent else "")


def fmt_change(value: float | None, decimals: int = 2) -> str:
    """A signed price change, ``"+1.25"`` / ``"-0.30"`` / ``"0.00"``."""
    if _missing(value):
        return MISSING
    assert value is not None
    text = _fixed(value, decimals)
    return f"+{text}" if value > 0 and text.strip("0.") else text


def fmt_percent(value: float | None, decimals: int = 2) -> str:
    """A signed percentage, ``"+1.23%"``."""
    text = fmt_change(value, decimals)
    return text if text == MISSING else f"{text}%"


def fmt_volume(value: float | None, *, width: int | None = None) -> str:
    """A volume: grouped digits (``"1 234 567"``), or K/M/B when that does not fit ``width``."""
    if _missing(value):
        return MISSING
    assert value is not None
    decimals = 0 if float(value).is_integer() else 2
    full = _fixed(value, decimals)
    if width is None or len(full) <= width:
        return full
    return fmt_compact(value)


def fmt_compact(value: float | None) -> str:
    """A magnitude with a K/M/B suffix and three significant digits, ``"12.3M"``."""
    if _missing(value):
        return MISSING
    assert value is not None
    magnitude = abs(value)
    for limit, suffix in ((1e9, "B"), (1e6, "M"), (1e3, "K")):
        if magnitude >= limit:
            scaled = value / limit
            places = 0 if abs(scaled) >= 100 else 1 if abs(scaled) >= 10 else 2
            return f"{scaled:.{places}f}{suffix}"
    return _fixed(value, 0 if float(value).is_integer() else 2)


def msk(timestamp: float) -> datetime:
    """Unix seconds as an aware datetime in Moscow time."""
    return datetime.fromtimestamp(timestamp, UTC).astimezone(MSK)


def fmt_clock(timestamp: float | None) -> str:
    """Moscow wall-clock time ``"HH:MM:SS"``."""
    if _missing(timestamp):
        return MISSING
    assert timestamp is not None
    return msk(timestamp).strftime("%H:%M:%S")


def fmt_datetime(timestamp: float | None) -> str:
    """Moscow date and time ``"YYYY-MM-DD HH:MM"``."""
    if _missing(timestamp):
        return MISSING
    assert timestamp is not None
    return msk(timestamp).strftime("%Y-%m-%d %H:%M")


def fmt_age(seconds: float | None) -> str:
    """A short age: ``"<1s"``, ``"7s"``, ``"40s"``, ``"15m"``, ``"3h"``, ``"2d"``.

    Seconds count one by one up to 10, then in tens: an old row is read as "tens of seconds
    old", and a quiet watchlist repaints its ages every ten seconds instead of every second.
    """
    if _missing(seconds):
        return MISSING
    assert seconds is not None
    seconds = max(0.0, seconds)
    if seconds < 1:
        return "<1s"
    for unit, size in (("d", 86400), ("h", 3600), ("m", 60)):
        if seconds >= size:
            return f"{int(seconds // size)}{unit}"
    whole = int(seconds)
    return f"{whole}s" if whole < 10 else f"{whole // 10 * 10}s"


def fmt_duration(seconds: float) -> str:
    """A countdown, ``"4s"`` or ``"1m05s"``."""
    seconds = max(0, math.ceil(seconds))
    minutes, rest = divmod(seconds, 60)
    return f"{minutes}m{rest:02d}s" if minutes else f"{rest}s"


def is_bond(instrument_type: str | None) -> bool:
    """Whether an ALOR ``type`` is a bond, whose prices are percent of face value."""
    return (instrument_type or "").upper() in BOND_TYPES


def decimals_of(value: float | None, limit: int = 6) -> int:
    """Decimal places ``value`` actually uses (a fallback until the instrument's grid is known)."""
    if _missing(value):
        return 0
    assert value is not None
    text = f"{value:.{limit}f}".rstrip("0")
    return len(text.partition(".")[2])
