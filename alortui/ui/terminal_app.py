"""How the app talks to its terminal: only what is visible, only the cells that changed.

Two of Textual's defaults cost a trader on SSH most of the app's output, and are changed here
(measured with ``alortui bench``; Textual 8):

- Textual counts the screen just below the top one as visible even when the top screen is
  opaque, and a repaint there repaints the whole top screen: with the watchlist's quotes and
  clock running under the depth screen, nearly every frame was a full-screen frame.
- Textual writes whole line fragments with a colour code around every segment;
  :class:`.FrameDelta` writes only the cells that changed.

Both overrides are of private ``App`` methods: Textual is pinned below 9, and the tests of
``tests/ui/test_terminal_app.py`` break if their behaviour changes.
"""

from __future__ import annotations

from rich.console import RenderableType
from textual import events, on
from textual._compositor import ChopsUpdate, LayoutUpdate
from textual.app import App
from textual.screen import Screen

from alortui.ui.frame_delta import FrameDelta


class TerminalApp(App[None]):
    """An ``App`` that writes cell deltas and does not repaint for screens nobody can see."""

    def __init__(self) -> None:
        super().__init__()
        self.frame_delta = FrameDelta()

    @property
    def _background_screens(self) -> list[Screen[object]]:
        """The screens that show through the top one: none when the top screen is opaque.

        A covered screen's widgets keep taking data and repaint when it is shown again
        (Textual repaints a resumed screen in full).
        """
        stack = self._screen_stack
        if stack and stack[-1].styles.background.a == 1:
            return []
        return super()._background_screens

    def _display(self, screen: Screen[object], renderable: RenderableType | None) -> None:
        """Write Textual's updates of the whole terminal as cell deltas."""
        if isinstance(renderable, ChopsUpdate | LayoutUpdate) and not self.is_inline:
            renderable = self.frame_delta.wrap(renderable)
        super()._display(screen, renderable)

    @on(events.Mount)
    def _forget_the_terminal_on_resume(self) -> None:
        self.app_resume_signal.subscribe(self, lambda _app: self.frame_delta.forget())

    @on(events.Resize)
    def _forget_the_terminal_on_resize(self) -> None:
        self.frame_delta.forget()  # the terminal reflows its content on a resize
