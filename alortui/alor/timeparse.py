"""One parser for every time form ALOR sends, to float Unix seconds UTC (alor-api.md 6.4).

ALOR mixes three forms: Unix seconds (candles, ``last_price_timestamp``), Unix milliseconds (order
book and trade ``timestamp``, ``ob_ms_timestamp``) and ISO-8601 strings with seven fractional
digits, with or without ``Z`` (trade ``time``, security ``cancellation``; naive means UTC).
Numbers are told apart by magnitude, which is unambiguous for any real instant: 1e11 seconds is
the year 5138, while 1e11 milliseconds is March 1973.
"""

from __future__ import annotations

import re
from datetime import datetime

from alortui.alor.wire_fields import Getter, fail
from alortui.models import Timestamp

_MS_FROM = 1e11
"""Numbers at or above this are milliseconds."""
_MS_UNTIL = 1e14
"""Milliseconds beyond the year 5138 are not a time ALOR sends."""
_ISO = re.compile(
    r"(?P<date>\d{4}-\d{2}-\d{2})"
    r"(?:[T ](?P<clock>\d{2}:\d{2}(?::\d{2})?)(?:[.,](?P<fraction>\d{1,9}))?)?"
    r"(?P<zone>Z|z|[+-]\d{2}(?::?\d{2})?)?",
    re.ASCII,
)


def parse_time(value: object, key: str | None = "time") -> Timestamp | None:
    """Convert an ALOR time to Unix seconds UTC; ``null``/absent is ``None``.

    Args:
        value: Unix seconds or milliseconds (int or float), an ISO-8601 string (any number of
            fractional digits up to 9, ``Z``, an offset, or naive = UTC), or ``None``.
        key: The wire field, named in the error.

    Raises:
        MalformedMessage: anything else, including negative or non-finite numbers and booleans.
    """
    if type(value) is int or type(value) is float:
        if 0 <= value < _MS_FROM:
            return float(value)
        if _MS_FROM <= value < _MS_UNTIL:
            return value / 1000  # int / int rounds correctly: 1747139781337 -> 1747139781.337
        fail(key, "a Unix time in seconds or milliseconds", value)
    if value is None:
        return None
    if type(value) is str:
        return _parse_iso(value, key)
    fail(key, "a time", value)


def opt_time(get: Getter, key: str | None) -> Timestamp | None:
    """Field reader (see :mod:`alortui.alor.wire_fields`): a time or ``null``/absent."""
    return parse_time(get(key), key)


def req_time(get: Getter, key: str | None) -> Timestamp:
    """Field reader: a time that must be there."""
    result = parse_time(get(key), key)
    if result is None:
        fail(key, "a time", None)
    return result


def _parse_iso(text: str, key: str | None) -> Timestamp:
    """Parse ISO-8601 exactly: whole seconds via ``datetime``, the fraction as an exact decimal.

    ``datetime`` keeps only six fractional digits; ALOR sends seven. Adding the fraction as a
    rational number gives the float nearest the true instant, so ``...21.3370000Z`` equals the
    same trade's millisecond ``timestamp`` / 1000 bit for bit.
    """
    match = _ISO.fullmatch(text)
    if match is None:
        fail(key, "an ISO-8601 time", text)
    zone = match["zone"]
    stamp = f"{match['date']}T{match['clock'] or '00:00'}"
    stamp += "+00:00" if zone in (None, "Z", "z") else zone
    try:
        whole = int(datetime.fromisoformat(stamp).timestamp())
    except (ValueError, OverflowError):
        fail(key, "a valid ISO-8601 time", text)
    fraction = match["fraction"]
    if not fraction:
        return float(whole)
    scale: int = 10 ** len(fraction)
    return (whole * scale + int(fraction)) / scale
