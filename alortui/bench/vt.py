"""Just enough of a terminal to know the text on each row after the app's output.

The app writes only the cells that changed (``alortui/ui/frame_delta.py``), so a new value may
reach the terminal as one digit written over an older number: the value is found by reading
the row as the terminal shows it, not the bytes as they pass. Colours and modes are ignored;
cursor positioning, line feeds, erases and wide characters are followed.
"""

from __future__ import annotations

import re

from rich.cells import cell_len

_TOKEN = re.compile(
    r"\x1b\[([0-?]*)[ -/]*([@-~])"  # CSI: parameters, final byte
    r"|\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)"  # OSC ... BEL or ST
    r"|\x1b[P^_X][^\x1b]*\x1b\\"  # DCS, PM, APC, SOS ... ST
    r"|\x1b[ -/]*[0-~]"  # two- and three-byte sequences
    r"|([\r\n\b])"
    r"|([^\x1b\r\n\b]+)"
)
_INCOMPLETE = re.compile(r"\x1b(?:\[[0-?]*[ -/]*|\][^\x07\x1b]*|[P^_X][^\x1b]*|[ -/]*)?\Z")
SYNC_PARAMS = "?2026"
"""``ESC [ ? 2026 h`` starts a synchronized frame, ``ESC [ ? 2026 l`` ends it."""


class VirtualScreen:
    """Rows of characters and a cursor, fed the app's output as text."""

    def __init__(self) -> None:
        self._rows: dict[int, list[str]] = {}
        self._x = self._y = 0
        self._carry = ""
        self.changed: set[int] = set()
        """Rows written since the caller last cleared this set."""
        self.in_frame = False
        """Whether a synchronized frame has begun and not ended: the terminal would not show
        what has been written of it yet."""

    def feed(self, text: str) -> None:
        """Apply ``text`` (it may end in the middle of an escape sequence)."""
        text = self._carry + text
        cut = _INCOMPLETE.search(text)
        if cut is not None:
            text, self._carry = text[: cut.start()], text[cut.start() :]
        else:
            self._carry = ""
        for match in _TOKEN.finditer(text):
            params, final, control, printable = match.groups()
            if printable is not None:
                self._print(printable)
            elif control is not None:
                self._control(control)
            elif final is not None:
                self._csi(params, final)

    def row_text(self, y: int) -> str:
        """The characters on row ``y`` (0-based), wide characters once."""
        return "".join(self._rows.get(y, ()))

    def _print(self, text: str) -> None:
        row = self._rows.setdefault(self._y, [])
        for char in text:
            width = 1 if char < "\u0300" else cell_len(char)
            if width == 0:
                continue
            if len(row) < self._x + width:
                row.extend(" " * (self._x + width - len(row)))
            row[self._x] = char
            if width == 2:
                row[self._x + 1] = ""
            self._x += width
        self.changed.add(self._y)

    def _control(self, char: str) -> None:
        if char == "\r":
            self._x = 0
        elif char == "\n":
            self._y += 1
        elif self._x:
            self._x -= 1

    def _csi(self, params: str, final: str) -> None:
        numbers = [int(p) if p.isdigit() else 0 for p in params.split(";")]
        first = numbers[0] or 1
        if final in "Hf":
            self._y = first - 1
            self._x = (numbers[1] if len(numbers) > 1 and numbers[1] else 1) - 1
        elif final == "A":
            self._y = max(0, self._y - first)
        elif final == "B":
            self._y += first
        elif final == "C":
            self._x += first
        elif final == "D":
            self._x = max(0, self._x - first)
        elif final == "G":
            self._x = first - 1
        elif final == "J" and numbers[0] == 2:
            self.changed.update(self._rows)
            self._rows.clear()
        elif final == "K":
            row = self._rows.get(self._y)
            if row is not None:
                del row[self._x :]
                self.changed.add(self._y)
        elif final in "hl" and params == SYNC_PARAMS:
            self.in_frame = final == "h"
