"""Keeping tokens out of reprs, logs and error messages.

A refresh token or JWT must never reach a repr, a log line, an exception message or a URL
(CONTRACT.md). Two tools for that: :class:`Secret` wraps a stored token so that printing the
object holding it shows nothing, and :func:`clean_server_text` makes text that came from a server
safe to put into an exception message (a server may echo the token it rejected).
"""

from __future__ import annotations

import re
import unicodedata
from typing import Protocol

REDACTED = "<redacted>"

# A JWT is three base64url parts; the first two always start with "eyJ" ('{"' encoded).
_JWT_RE = re.compile(r"eyJ[A-Za-z0-9_-]*\.[A-Za-z0-9_-]*(?:\.[A-Za-z0-9_-]*)?")
_BEARER_RE = re.compile(r"(?i)bearer\s+\S+")

# An escape sequence: CSI (ESC [ ... final), OSC/DCS/PM/APC strings (ESC ] ... BEL or ST),
# or a short ESC sequence (charset selection, ESC c, ...). Also the 8-bit CSI/OSC introducers.
ESCAPE_SEQUENCE = re.compile(
    r"\x1b\[[0-?]*[ -/]*[@-~]"
    r"|\x1b[\]PX^_].*?(?:\x07|\x1b\\|$)"
    r"|\x9b[0-?]*[ -/]*[@-~]"
    r"|[\x9d\x90\x98\x9e\x9f].*?(?:\x07|\x9c|\x1b\\|$)"
    r"|\x1b[ -/]*[0-~]?",
    re.DOTALL,
)
"""A terminal escape sequence in server text; removed whole, payload and all (style.md 4)."""

MAX_SERVER_TEXT = 200
"""Characters of a server's error body kept in an exception message."""


class Revealable(Protocol):
    """Anything that holds a secret string behind ``reveal()`` (e.g. :class:`Secret`)."""

    def reveal(self) -> str:
        """The secret itself."""
        ...


class Secret:
    """A string that never shows itself in ``repr``/``str``; call :meth:`reveal` to use it."""

    __slots__ = ("_value",)

    def __init__(self, value: str) -> None:
        self._value = value

    def reveal(self) -> str:
        """The wrapped string, for the one place that must send it."""
        return self._value

    def __repr__(self) -> str:
        return f"Secret({REDACTED})"

    __str__ = __repr__

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Secret) and other._value == self._value

    def __hash__(self) -> int:
        return hash(self._value)


def redact(text: str, *secrets: str) -> str:
    """Replace every JWT-looking string, ``Bearer ...`` and each given secret in ``text``."""
    for secret in secrets:
        if secret:
            text = text.replace(secret, REDACTED)
    text = _BEARER_RE.sub(f"Bearer {REDACTED}", text)
    return _JWT_RE.sub(REDACTED, text)


def clean_server_text(text: str, *secrets: str, limit: int = MAX_SERVER_TEXT) -> str:
    """Make a server's text fit for an error message: redacted, one line, printable, short.

    Escape sequences are removed whole (an OSC 52 clipboard payload must not survive as text);
    other control characters (C0, C1, bidi overrides: style.md section 4) become spaces so the
    text cannot drive a terminal, and whitespace runs collapse to one space.
    """
    redacted = ESCAPE_SEQUENCE.sub("", redact(text, *secrets))
    printable = "".join(
        " " if unicodedata.category(ch) in ("Cc", "Cf", "Zl", "Zp") else ch for ch in redacted
    )
    single = " ".join(printable.split())
    return single if len(single) <= limit else single[: limit - 1] + "…"
