"""FrameDelta: the terminal ends up showing what Textual's own output would show, for less."""

from __future__ import annotations

import re

from hypothesis import given, settings
from hypothesis import strategies as st
from rich.color import ColorSystem
from rich.console import Console
from rich.segment import Segment
from rich.style import Style
from textual._compositor import ChopsUpdate, LayoutUpdate
from textual.geometry import Region
from textual.strip import Strip

from alortui.ui.frame_delta import FrameDelta

WIDTH, HEIGHT = 24, 4
STYLES = [None, Style(color="red"), Style(color="green", bgcolor="black"), Style(bold=True),
          Style(color="red")]  # the last equals the second but is another object
CHARS = "ab1 .▲界"
_TOKEN = re.compile(r"\x1b\[([0-9;]*)([A-Za-z])|([^\x1b\n])|\n")


class Terminal:
    """A terminal that follows cursor moves, colour codes and wide characters: enough to
    compare what two outputs leave on screen."""

    def __init__(self) -> None:
        self.cells: dict[tuple[int, int], tuple[str, tuple[str, ...]]] = {}
        self.x = self.y = 0
        self.sgr: tuple[str, ...] = ()

    def write(self, output: str) -> None:
        for match in _TOKEN.finditer(output):
            params, final, char = match.groups()
            if final == "H":
                row, column = params.split(";")
                self.y, self.x = int(row) - 1, int(column) - 1
            elif final == "m":
                codes = params.split(";") if params else ["0"]
                if codes[0] == "0":
                    self.sgr, codes = (), codes[1:]
                self.sgr += tuple(codes)
            elif char is not None:
                self.cells[(self.x, self.y)] = (char, self.sgr)
                self.x += 2 if char == "界" else 1


def frame_strip(cells: list[tuple[str, int]]) -> Strip:
    """A row of ``WIDTH`` cells from (character, style index) pairs."""
    segments: list[Segment] = []
    width = 0
    for char, style in cells:
        if width + (2 if char == "界" else 1) > WIDTH:
            char = " "
        width += 2 if char == "界" else 1
        segments.append(Segment(char, STYLES[style]))
        if width == WIDTH:
            break
    segments.append(Segment(" " * (WIDTH - width)))
    return Strip(segments)


rows = st.lists(st.tuples(st.sampled_from(CHARS), st.integers(0, len(STYLES) - 1)),
                min_size=WIDTH, max_size=WIDTH).map(frame_strip)
frames = st.lists(st.tuples(st.integers(0, HEIGHT - 1), rows, st.integers(0, WIDTH - 1)),
                  min_size=1, max_size=6)


def chops_update(changes: list[tuple[int, Strip, int]]) -> ChopsUpdate:
    """A partial update of some rows, each from column 0 up to ``x2`` (Textual's shape)."""
    chops: list[dict[int, Strip | None]] = [{} for _ in range(HEIGHT)]
    spans = []
    for y, strip, x2 in sorted({y: (y, s, x) for y, s, x in changes}.values()):
        chops[y] = {0: strip}
        spans.append((y, 0, max(1, x2)))
    return ChopsUpdate(chops, spans, [[WIDTH] for _ in range(HEIGHT)])


@settings(deadline=None, database=None, max_examples=150)
@given(first=st.lists(rows, min_size=HEIGHT, max_size=HEIGHT), updates=st.lists(frames, max_size=5))
def test_the_delta_leaves_the_screen_textual_would_leave(
    first: list[Strip], updates: list[list[tuple[int, Strip, int]]]
) -> None:
    console = Console(color_system="256", force_terminal=True, width=WIDTH)
    delta, by_textual, by_delta = FrameDelta(), Terminal(), Terminal()
    for update in [LayoutUpdate([[strip] for strip in first], Region(0, 0, WIDTH, HEIGHT)),
                   *(chops_update(changes) for changes in updates)]:
        by_textual.write(update.render_segments(console))
        by_delta.write(delta.render(update, ColorSystem.EIGHT_BIT))
        assert by_delta.cells == by_textual.cells


def test_one_changed_cell_costs_a_cursor_move_and_the_cell() -> None:
    console = Console(color_system="256", force_terminal=True)
    styles = [Style(color="red"), Style(color="blue"), Style(bold=True)]
    before = Strip([Segment(f"{n:>8}", styles[n % 3]) for n in range(10)])
    after = Strip([Segment(f"{n + (n == 4):>8}", styles[n % 3]) for n in range(10)])
    delta = FrameDelta()
    delta.render(LayoutUpdate([[before]], Region(0, 0, 80, 1)), ColorSystem.EIGHT_BIT)
    update = ChopsUpdate([{0: after}], [(0, 0, 80)], [[80]])

    written = delta.render(update, ColorSystem.EIGHT_BIT)

    assert written == "\x1b[1;40H\x1b[0;34m5\x1b[0m"
    assert len(update.render_segments(console)) > 8 * len(written)


def test_an_unchanged_repaint_writes_nothing_and_a_full_update_writes_everything() -> None:
    strip = Strip([Segment("price 1 234", Style(color="red"))])
    delta = FrameDelta()
    whole = LayoutUpdate([[strip]], Region(0, 0, 11, 1))
    assert "price 1 234" in delta.render(whole, ColorSystem.EIGHT_BIT)
    assert delta.render(ChopsUpdate([{0: strip}], [(0, 0, 11)], [[11]]),
                        ColorSystem.EIGHT_BIT) == ""
    assert "price 1 234" in delta.render(whole, ColorSystem.EIGHT_BIT)
    delta.forget()
    assert "price 1 234" in delta.render(ChopsUpdate([{0: strip}], [(0, 0, 11)], [[11]]),
                                         ColorSystem.EIGHT_BIT)
