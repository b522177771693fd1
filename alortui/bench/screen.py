"""What the app writes to its terminal: bytes, frames, and the scripted values among the text.

The reader thread hands every chunk read from the pseudo-terminal to :meth:`ScreenScanner.feed`
with the time it was read. Frames are counted by Textual's synchronized-update brackets
(``ESC [ ? 2026 h`` ... ``l``), which Textual uses once the terminal answers its mode query
(``ESC [ ? 2026 $ p``) as modern terminals do; the runner answers it. Text is read off a
:class:`.VirtualScreen` the output is applied to, row by row once each frame is complete: the
app writes only changed cells, so a new value may arrive as one digit over an older number.
"""

from __future__ import annotations

import codecs
import re
import threading
from dataclasses import dataclass

from alortui.bench.markers import MarkerLedger
from alortui.bench.vt import VirtualScreen

SYNC_START = b"\x1b[?2026h"
SYNC_END = b"\x1b[?2026l"
SYNC_QUERY = b"\x1b[?2026$p"
SYNC_REPLY = b"\x1b[?2026;2$y"
"""DECRPM: mode 2026 is supported and currently reset (what kitty, foot or WezTerm answer)."""

_NUMBER = re.compile(r"(?<![\d.])\d{1,3}(?: \d{3})*(?:\.\d+)?(?!\d)")
"""A whole number as the app groups it: a marker must not be the tail of a longer one."""
_MARKER = re.compile(r"\d{3} \d{3}")


@dataclass(frozen=True, slots=True)
class Counts:
    """Totals since the app started."""

    bytes: int
    frames: int
    reads: int


class ScreenScanner:
    """Counts terminal output and reports the scripted values it shows to ``ledger``."""

    def __init__(self, ledger: MarkerLedger) -> None:
        self._ledger = ledger
        self._lock = threading.Lock()
        self._bytes = self._frames = self._reads = 0
        self._tail = b""
        self._decoder = codecs.getincrementaldecoder("utf-8")(errors="replace")
        self._screen = VirtualScreen()
        self.first_output: float | None = None
        self.first_frame: float | None = None
        """When the first complete synchronized frame had been written."""

    def counts(self) -> Counts:
        """Totals so far (consistent with each other)."""
        with self._lock:
            return Counts(self._bytes, self._frames, self._reads)

    def feed(self, chunk: bytes, at: float) -> bool:
        """Take one read of terminal output made at ``at``.

        Returns:
            Whether the app asked the terminal about synchronized output (answer it).
        """
        # The tail of the previous read is shorter than each bracket: nothing is counted twice.
        joined = self._tail[-(len(SYNC_START) - 1) :] + chunk
        asked = SYNC_QUERY in self._tail + chunk
        with self._lock:
            self._bytes += len(chunk)
            self._reads += 1
            self._frames += joined.count(SYNC_START)
        self._tail = (self._tail + chunk)[-(len(SYNC_QUERY) - 1) :]
        if self.first_output is None:
            self.first_output = at
        if self.first_frame is None and SYNC_END in joined:
            self.first_frame = at
        self._scan(self._decoder.decode(chunk), at)
        return asked

    def _scan(self, text: str, at: float) -> None:
        screen = self._screen
        screen.feed(text)
        if screen.in_frame:
            return  # the terminal shows a synchronized frame only once it is complete
        for y in screen.changed:
            for match in _NUMBER.finditer(screen.row_text(y)):
                if _MARKER.fullmatch(match.group()):
                    self._ledger.seen(int(match.group().replace(" ", "")), at)
        screen.changed.clear()


