"""A small TOML writer for the subset the config file uses, and an atomic owner-only file write.

Python ships a TOML reader (:mod:`tomllib`) but no writer. The config needs only tables, strings,
integers, booleans and arrays of those, which is a few lines, not a dependency. ``None`` values
are left out (TOML has no null), which is how an unset optional setting reads back as ``None``.
"""

from __future__ import annotations

import contextlib
import os
import re
import tempfile
from collections.abc import Mapping
from pathlib import Path

_BARE_KEY = re.compile(r"[A-Za-z0-9_-]+")
_ESCAPES = {
    '"': '\\"',
    "\\": "\\\\",
    "\b": "\\b",
    "\t": "\\t",
    "\n": "\\n",
    "\f": "\\f",
    "\r": "\\r",
}


def dump_toml(data: Mapping[str, object]) -> str:
    """Render ``data`` as a TOML document: plain keys first, then one ``[table]`` per mapping.

    Raises:
        TypeError: a value of a type outside the supported subset.
    """
    return "\n".join(_table_lines(data, ())).lstrip("\n") + "\n"


def _table_lines(data: Mapping[str, object], path: tuple[str, ...]) -> list[str]:
    lines = [
        f"{_key(key)} = {_value(value)}"
        for key, value in data.items()
        if value is not None and not isinstance(value, Mapping)
    ]
    for key, value in data.items():
        if isinstance(value, Mapping):
            inner = (*path, key)
            lines += ["", f"[{'.'.join(map(_key, inner))}]", *_table_lines(value, inner)]
    return lines


def _key(key: str) -> str:
    return key if _BARE_KEY.fullmatch(key) else _string(key)


def _value(value: object) -> str:
    if isinstance(value, bool):  # before int: bool is an int subclass
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, str):
        return _string(value)
    if isinstance(value, list | tuple):
        return "[" + ", ".join(_value(item) for item in value) + "]"
    raise TypeError(f"cannot write {type(value).__name__} as TOML")


def _string(text: str) -> str:
    """A TOML basic string: control characters, DEL, quote and backslash escaped."""
    out = []
    for char in text:
        if char in _ESCAPES:
            out.append(_ESCAPES[char])
        elif char < " " or char == "\x7f":
            out.append(f"\\u{ord(char):04X}")
        else:
            out.append(char)
    return '"' + "".join(out) + '"'


def write_private(path: Path, text: str) -> None:
    """Replace ``path`` with ``text`` atomically; the file is mode 0600, its new directory 0700.

    A crash mid-write leaves either the old file or the new one, never half of each: the text
    goes to a temporary file in the same directory (``mkstemp`` creates it 0600), is synced,
    then renamed over ``path``.

    Raises:
        OSError: the directory or file could not be written.
    """
    path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as file:
            file.write(text)
            file.flush()
            os.fsync(file.fileno())
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(tmp)
        raise
