"""Send the terminal only the cells a frame changed, with one colour code per run of a style.

Textual repaints whole line fragments and writes every segment as ``ESC[<style>m text ESC[0m``.
Over SSH that is most of the cost of a monitor kept open all day: a ladder row whose size and
cumulative volume changed rewrites its 110 cells and their colour codes, and the tape rewrites
every line when a trade arrives on top. :class:`FrameDelta` keeps what the terminal shows, cell
by cell, compares each of Textual's partial updates with it, and writes only the changed runs;
a colour code is written only where the style changes from the previous cell written.

A full update (a new screen, a resize, a resumed app) is written whole and replaces what is
known, so the terminal and this copy of it cannot drift apart for longer than one screen.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from rich.cells import cell_len
from rich.color import ColorSystem
from rich.console import Console
from rich.style import Style
from textual._compositor import ChopsUpdate, CompositorUpdate, LayoutUpdate
from textual.strip import Strip

MERGE_GAP = 6
"""Unchanged cells between two changed runs that are rewritten rather than jumped over: a
cursor move costs about as many bytes."""

Piece = tuple[int, int, Strip]
"""A strip to write at column ``x``, row ``y``: ``(x, y, strip)``."""


class _Row:
    """What one terminal row shows: a character and a style per cell (``""`` continues a wide
    character; ``None`` in ``chars`` is a cell whose content is unknown)."""

    __slots__ = ("chars", "styles")

    def __init__(self, width: int) -> None:
        self.chars: list[str | None] = [None] * width
        self.styles: list[Style | None] = [None] * width

    def widen(self, width: int) -> None:
        missing = width - len(self.chars)
        if missing > 0:
            self.chars.extend([None] * missing)
            self.styles.extend([None] * missing)


class FrameDelta:
    """The terminal's content as last written, and the delta of each new update against it."""

    def __init__(self) -> None:
        self._rows: dict[int, _Row] = {}
        self._ansi: dict[Style, str] = {}

    def wrap(self, update: ChopsUpdate | LayoutUpdate) -> CompositorUpdate:
        """An update that writes ``update`` as a delta when Textual renders it."""
        return _DeltaUpdate(self, update)

    def forget(self) -> None:
        """Assume nothing about the terminal's content: the next update is written whole."""
        self._rows.clear()

    def render(self, update: ChopsUpdate | LayoutUpdate, color_system: ColorSystem) -> str:
        """The terminal sequence that brings the screen to ``update``; remembers the result."""
        if isinstance(update, LayoutUpdate):
            self.forget()  # the terminal may hold anything after a resize or a resume
            pieces: Iterable[Piece] = _layout_pieces(update)
        else:
            pieces = _chop_pieces(update)
        writer = _Writer(self._ansi, color_system)
        for x, y, strip in pieces:
            self._write_piece(writer, x, y, strip)
        return writer.finish()

    def _write_piece(self, writer: _Writer, x: int, y: int, strip: Strip) -> None:
        chars, styles = _cells(strip)
        end = x + len(chars)
        row = self._rows.get(y)
        if row is None:
            row = self._rows[y] = _Row(end)
        row.widen(end)
        old_chars, old_styles = row.chars[x:end], row.styles[x:end]
        if old_chars == chars and old_styles == styles:
            return
        for start, stop in _changed_runs(chars, styles, old_chars, old_styles):
            writer.run(x + start, y, chars[start:stop], styles[start:stop])
        row.chars[x:end] = chars
        row.styles[x:end] = styles


class _DeltaUpdate(CompositorUpdate):
    """Textual's update, rendered through a :class:`FrameDelta` (computed when written)."""

    def __init__(self, delta: FrameDelta, update: ChopsUpdate | LayoutUpdate) -> None:
        self._delta, self._update = delta, update

    def render_segments(self, console: Console) -> str:
        color_system = console._color_system or ColorSystem.TRUECOLOR
        return self._delta.render(self._update, color_system)


class _Writer:
    """Builds the terminal sequence: cursor moves, colour codes only on a change of style."""

    def __init__(self, ansi: dict[Style, str], color_system: ColorSystem) -> None:
        self._out: list[str] = []
        self._ansi = ansi
        self._color_system = color_system
        self._current: str | None = None
        """The SGR parameters in force (``""``: plain), ``None``: unknown or a link closed."""

    def run(self, x: int, y: int, chars: list[str | None], styles: list[Style | None]) -> None:
        out = self._out
        out.append(f"\x1b[{y + 1};{x + 1}H")
        start = 0
        for index in range(1, len(chars) + 1):
            if index == len(chars) or styles[index] is not styles[start]:
                text = "".join(char or "" for char in chars[start:index])
                self._text(text, styles[start])
                start = index

    def _text(self, text: str, style: Style | None) -> None:
        if style is not None and style.link:
            # Hyperlinks keep Textual's own encoding (an OSC 8 pair around the text).
            self._out.append(Strip.render_style(style, text, self._color_system))
            self._current = None
            return
        ansi = self._sgr(style)
        if ansi != self._current:
            self._out.append(f"\x1b[0;{ansi}m" if ansi else "\x1b[0m")
            self._current = ansi
        self._out.append(text)

    def _sgr(self, style: Style | None) -> str:
        if style is None:
            return ""
        ansi = self._ansi.get(style)
        if ansi is None:
            ansi = self._ansi[style] = Strip.render_ansi(style, self._color_system)
        return ansi

    def finish(self) -> str:
        if self._current:
            self._out.append("\x1b[0m")
        return "".join(self._out)


def _cells(strip: Strip) -> tuple[list[str | None], list[Style | None]]:
    """One character and one style per terminal cell of ``strip``."""
    chars: list[str | None] = []
    styles: list[Style | None] = []
    for text, style, control in strip:
        if control or not text:
            continue
        if len(text) == cell_len(text):
            chars.extend(text)
            styles.extend([style] * len(text))
            continue
        for char in text:
            width = cell_len(char)
            if width == 0:
                if chars:
                    chars[-1] = (chars[-1] or "") + char  # a combining mark joins its base
                continue
            chars.append(char)
            styles.append(style)
            if width == 2:
                chars.append("")
                styles.append(style)
    return chars, styles


def _changed_runs(
    chars: list[str | None], styles: list[Style | None],
    old_chars: list[str | None], old_styles: list[Style | None],
) -> Iterator[tuple[int, int]]:
    """``(start, stop)`` of the cells to rewrite, nearby runs merged, never half a wide char."""
    changed = [
        index
        for index, (char, style, old_char, old_style) in enumerate(
            zip(chars, styles, old_chars, old_styles, strict=True)
        )
        if char != old_char or (style is not old_style and style != old_style)
    ]
    if not changed:
        return
    start = stop = changed[0]
    for index in changed[1:]:
        if index - stop > MERGE_GAP:
            yield _whole_chars(chars, start, stop + 1)
            start = index
        stop = index
    yield _whole_chars(chars, start, stop + 1)


def _whole_chars(chars: list[str | None], start: int, stop: int) -> tuple[int, int]:
    """Widen ``start:stop`` so that it neither starts nor ends inside a wide character."""
    while start > 0 and chars[start] == "":
        start -= 1
    while stop < len(chars) and chars[stop] == "":
        stop += 1
    return start, stop


def _layout_pieces(update: LayoutUpdate) -> Iterator[Piece]:
    x = update.region.x
    for y, line in enumerate(update.strips, update.region.y):
        yield x, y, Strip.join(list(line))


def _chop_pieces(update: ChopsUpdate) -> Iterator[Piece]:
    """The strips Textual's own ``ChopsUpdate.render_segments`` would write, and where."""
    for y, x1, x2 in update.spans:
        for end, (x, strip) in zip(update.chop_ends[y], update.chops[y].items(), strict=False):
            if strip is None or x > x2 or end <= x1:
                continue
            if not (x2 > x >= x1 and end <= x2):
                strip = strip.crop(0, min(end, x2) - x)
            yield x, y, strip
