"""Field readers shared by the ALOR decoders: one wire field in, one checked value out.

A reader is called as ``reader(get, key)``: ``get`` is the ``dict.get`` of the JSON object (from
:func:`fields`) and ``key`` the field's wire name for the format at hand, or ``None`` when the
format does not carry the field (``get(None)`` is ``None``, i.e. absent). The decoders call one
reader per field on every frame, so each is flat: an exact ``type()`` test and a range check, no
``isinstance`` chains, no loops. Every reader raises :class:`MalformedMessage` and nothing else
for a value of the wrong shape, naming the wire key.

Conventions (alor-api.md 2.10, 6.3, 7.15):

* Booleans are strict: ``true``/``false`` only, never ``0``/``1``/``"true"``. A JSON boolean is
  also never accepted where a number is expected (``type(True) is bool``, not ``int``).
* An optional price that is ``null``, ``NaN`` or ``±Infinity`` is ``None``; .NET serialises a
  double NaN as the *string* ``"NaN"``, so those three spellings are read as absent prices too.
  A required price (book level, trade, candle) must be a finite number.
* Volumes are finite and non-negative.
* Absurd magnitudes are malformed, not values: a price beyond :data:`MAX_PRICE` or a volume
  beyond int64 is refused like a wrong type, so the last good value stays on screen.
* Exchange order numbers can exceed 2**53 and stay ``str``; the tape's trade id is ``int``.
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from typing import Any, NamedTuple, NoReturn, TypeVar

from alortui.models import Format

_MAX = sys.float_info.max
MAX_PRICE = 1e15
"""Largest price magnitude read: past it a double keeps no cents (2**53 / 100 is about 9e13),
and no instrument ALOR lists comes within many orders of magnitude of it."""
MAX_VOLUME = 2**63
"""Volumes (lots, alor-api.md 2.5) and money amounts at or past int64 are garbage, not data."""
_NON_FINITE = frozenset({"NaN", "Infinity", "-Infinity"})
_MAX_ID = 2**63
"""Exchange ids are int64 (alor-api.md 2.6); the bound also keeps ``str(int)`` cheap and safe."""

Getter = Callable[[str | None], Any]
KeysT = TypeVar("KeysT", bound=NamedTuple)


class MalformedMessage(ValueError):
    """A message, or one field of it, is not of the shape ALOR documents."""


def describe(value: object) -> str:
    """A short, safe description of a raw value for an error message."""
    if isinstance(value, dict):
        return "an object"
    if isinstance(value, list):
        return "an array"
    if value is None:
        return "null or nothing"
    if type(value) is int and value.bit_length() > 64:
        return "an integer out of range"
    text = repr(value)
    return text if len(text) <= 60 else text[:57] + "..."


def fail(key: str | None, expected: str, value: object) -> NoReturn:
    """Raise :class:`MalformedMessage` naming the field, what it should be and what it was."""
    raise MalformedMessage(f"{key}: expected {expected}, got {describe(value)}")


def fields(obj: object, what: str) -> Getter:
    """Return the ``get`` of a JSON object, so a decoder reads fields as ``get(key)``.

    A key table may hold ``None`` for a field a format does not carry: ``get(None)`` is ``None``.
    """
    if type(obj) is not dict:
        fail(what, "a JSON object", obj)
    return obj.get


def key_table(keys: type[KeysT], table: str) -> dict[Format, KeysT]:
    """Build one key tuple per format from a text table of ``field simple slim heavy`` rows.

    ``-`` marks a field the format does not carry. The rows must name the tuple's fields in order,
    so the table in the source reads like the maps of alor-api.md 2.10.
    """
    columns: dict[Format, list[str | None]] = {fmt: [] for fmt in Format}
    names = []
    for line in table.strip().splitlines():
        name, *wire_keys = line.split()
        names.append(name)
        for fmt, wire_key in zip(Format, wire_keys, strict=True):
            columns[fmt].append(None if wire_key == "-" else wire_key)
    if tuple(names) != keys._fields:
        raise TypeError(f"key table rows {names} do not match {keys.__name__}{keys._fields}")
    return {fmt: keys._make(column) for fmt, column in columns.items()}


def opt_price(get: Getter, key: str | None) -> float | None:
    """A price that may be absent: ``null``, NaN and ±Infinity read as ``None``."""
    value = get(key)
    if type(value) is float:
        if -MAX_PRICE <= value <= MAX_PRICE:
            return value
        if -_MAX <= value <= _MAX:
            fail(key, f"a finite number within ±{MAX_PRICE:g}", value)
        return None
    if type(value) is int:
        if -MAX_PRICE <= value <= MAX_PRICE:
            return float(value)
        if value.bit_length() > 1024:  # an integer beyond a double is an Infinity too
            return None
        fail(key, f"a finite number within ±{MAX_PRICE:g}", value)
    if value is None or (type(value) is str and value in _NON_FINITE):
        return None
    fail(key, "a number", value)


def req_price(get: Getter, key: str | None) -> float:
    """A price that must be there and finite (order book level, trade, candle)."""
    value = get(key)
    if type(value) is float or type(value) is int:
        if -MAX_PRICE <= value <= MAX_PRICE:
            return float(value)
        fail(key, f"a finite number within ±{MAX_PRICE:g}", value)
    fail(key, "a finite number", value)


def req_volume(get: Getter, key: str | None) -> float:
    """A finite, non-negative amount (lots, contracts, money)."""
    value = get(key)
    if (type(value) is float or type(value) is int) and 0 <= value < MAX_VOLUME:
        return float(value)
    fail(key, "a finite number >= 0 and below 2**63", value)


def opt_volume(get: Getter, key: str | None) -> float | None:
    """Like :func:`req_volume`, but ``null``/absent is ``None``."""
    return None if get(key) is None else req_volume(get, key)


def req_str(get: Getter, key: str | None) -> str:
    """A string that must be there."""
    value = get(key)
    if type(value) is str:
        return value
    fail(key, "a string", value)


def opt_str(get: Getter, key: str | None) -> str | None:
    """A string or ``null``/absent."""
    value = get(key)
    if value is None or type(value) is str:
        return value
    fail(key, "a string or null", value)


def opt_bool(get: Getter, key: str | None, default: bool = False) -> bool:
    """A strict JSON boolean; ``null``/absent is ``default``."""
    value = get(key)
    if value is True or value is False:
        return value
    if value is None:
        return default
    fail(key, "true or false", value)


def opt_int(get: Getter, key: str | None) -> int | None:
    """An integer (status codes, decimal places) or ``null``/absent."""
    value = get(key)
    if type(value) is int and -_MAX_ID <= value < _MAX_ID:
        return value
    if value is None:
        return None
    fail(key, "an integer or null", value)


def req_list(get: Getter, key: str | None) -> list[Any]:
    """A JSON array that must be there (it may be empty)."""
    value = get(key)
    if type(value) is list:
        return value
    fail(key, "an array", value)


def trade_id(get: Getter, key: str | None) -> int:
    """The anonymous tape's trade number: a non-negative int64 (digits in a string accepted)."""
    value = get(key)
    if type(value) is int and 0 <= value < _MAX_ID:
        return value
    if type(value) is str and 0 < len(value) <= 18 and value.isascii() and value.isdigit():
        return int(value)
    fail(key, "a trade number", value)


def order_no(get: Getter, key: str | None) -> str | None:
    """An exchange order number as exact text; ``0`` (the anonymous tape's "not disclosed") is None.

    The schema says string, the examples show the number ``0`` (alor-api.md 2.6): accept both.
    """
    value = get(key)
    if type(value) is int and 0 <= value < _MAX_ID:
        return str(value) if value else None
    if value is None:
        return None
    if type(value) is str:
        return value if value not in ("", "0") else None
    fail(key, "an order number", value)
