"""How the app talks to its terminal: only what is visible, only the cells that changed.

Two of Textual's defaults cost a trader on SSH most of the app's output, and are changed here
(measured with ``alortui bench``; Textual 8):

- Textual counts the screen just below the top one as visible even when the top screen is
  opaque, and a repaint there repaints the whole top screen: with the watchlist's quotes and
  clock running under the depth screen, nearly every frame was a full-screen frame.
- Textual writes whole line fragments with a colour code around every segment;
  :class:`.FrameDelta` writes only the cells that changed.

And one of Python's: the objects built at start-up (the DOM, styles, themes, caches) live as
long as the app, yet every full collection of the cyclic garbage collector walked them all,
about every three seconds, 70-100 ms each: the longest pauses of the event loop. They are
frozen out of collection once the start-up is over.

Both overrides are of private ``App`` methods: Textual is pinned below 9, and the tests of
``tests/ui/test_terminal_app.py`` break if their behaviour changes.
"""

from __future__ import annotations

import gc

from rich.console import RenderableType
from textual import events, on
from textual._compositor import ChopsUpdate, LayoutUpdate
from textual.app import App
from textual.screen import Screen

from alortui.ui.frame_delta import FrameDelta

START_UP_SECONDS = 5.0
"""After this long the app has built what it keeps (screens, first data, reference data)."""


class TerminalApp(App[None]):
    """An ``App`` that writes cell deltas, does not repaint for screens nobody can see, and keeps
    its start-up objects out of garbage collection."""

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

    @on(events.Mount)
    def _freeze_start_up_objects_later(self) -> None:
        # Once only: what is frozen is never collected, so later garbage must stay collectable.
        self.set_timer(START_UP_SECONDS, gc.freeze)

    @on(events.Resize)
    def _forget_the_terminal_on_resize(self) -> None:
        self.frame_delta.forget()  # the terminal reflows its content on a resize
