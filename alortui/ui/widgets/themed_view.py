"""A Line-API scroll view whose cached styles and strips follow theme changes."""

from __future__ import annotations

from textual.scroll_view import ScrollView


class ThemedScrollView(ScrollView):
    """Base of the hot Line-API widgets (ladder, tape) that cache resolved styles and strips.

    Subclasses drop their caches in :meth:`drop_style_caches`; this class calls it whenever the
    CSS or the theme changes.
    """

    def on_mount(self) -> None:
        """Follow theme changes: a theme may change only the component styles, which Textual
        applies without calling ``notify_style_update``."""
        self.app.theme_changed_signal.subscribe(self, lambda _theme: self._restyle())

    def notify_style_update(self) -> None:
        """Drop cached styles and strips when the theme or CSS changes."""
        super().notify_style_update()
        self._restyle(refresh=False)

    def drop_style_caches(self) -> None:
        """Forget every style and strip computed with the old theme."""
        raise NotImplementedError

    def _restyle(self, *, refresh: bool = True) -> None:
        self.drop_style_caches()
        if refresh:
            self.refresh()
