"""What the app writes to its terminal: bytes, frames, and the scripted values among the text.

The reader thread hands every chunk read from the pseudo-terminal to :meth:`ScreenScanner.feed`
with the time it was read. Frames are counted by Textual's synchronized-update brackets
(``ESC [ ? 2026 h`` ... ``l``), which Textual uses once the terminal answers its mode query
(``ESC [ ? 2026 $ p``) as modern terminals do; the runner answers it. Text is recovered by
dropping colour codes (which split a number into styled pieces) and turning every other escape
sequence (cursor moves) into a line break, so text from two places never runs together.
"""

from __future__ import annotations

import codecs
import re
import threading
from dataclasses import dataclass

from alortui.bench.markers import MarkerLedger

SYNC_START = b"\x1b[?2026h"
SYNC_END = b"\x1b[?2026l"
SYNC_QUERY = b"\x1b[?2026$p"
SYNC_REPLY = b"\x1b[?2026;2$y"
"""DECRPM: mode 2026 is supported and currently reset (what kitty, foot or WezTerm answer)."""

_SGR = re.compile(r"\x1b\[[0-9;:]*m")
_ESCAPE = re.compile(
    r"\x1b(?:\[[0-?]*[ -/]*[@-~]"  # CSI: cursor moves, modes
    r"|\][^\x07\x1b]*(?:\x07|\x1b\\)"  # OSC ... BEL or ST
    r"|[P^_X][^\x1b]*\x1b\\"  # DCS, PM, APC, SOS ... ST
    r"|[ -/]*[0-~])"  # two- and three-byte sequences
)
_NUMBER = re.compile(r"(?<![\d.])\d{1,3}(?: \d{3})*(?:\.\d+)?(?!\d)")
"""A whole number as the app groups it: a marker must not be the tail of a longer one."""
_MARKER = re.compile(r"\d{3} \d{3}")
_OVERLAP = 24
"""Characters of the previous reads' text searched again: a number may straddle two reads."""
_MAX_CARRY = 512


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
        self._carry = ""
        self._text_tail = ""
        self._done = 0
        """Where (in ``_text_tail``) the last number looked at ended."""
        self._last_read = 0.0
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
        text = self._carry + text
        self._carry = ""
        cut = text.rfind("\x1b")
        if cut != -1 and len(text) - cut < _MAX_CARRY and not _ESCAPE.match(text, cut):
            text, self._carry = text[:cut], text[cut:]  # an escape sequence cut in two
        searched = self._text_tail + _ESCAPE.sub("\n", _SGR.sub("", text))
        earlier = len(self._text_tail)  # characters that came with earlier reads
        for match in _NUMBER.finditer(searched):
            end = match.end()
            if end <= self._done:
                continue
            if _may_go_on(searched, end):
                break  # "106 047" of "106 047 312" cut by the read: decided with the next one
            self._done = end
            if _MARKER.fullmatch(match.group()):
                value = int(match.group().replace(" ", ""))
                self._ledger.seen(value, self._last_read if end <= earlier else at)
        self._text_tail = searched[-_OVERLAP:]
        self._done = max(0, self._done - (len(searched) - len(self._text_tail)))
        self._last_read = at


def _may_go_on(text: str, end: int) -> bool:
    """Whether the number ending at ``end`` could continue in text not read yet."""
    after = text[end : end + 4]
    return len(after) < 4 and not after.strip(" .0123456789")
