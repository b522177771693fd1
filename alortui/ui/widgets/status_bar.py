"""The always-visible status line: mode, link, Moscow clock, age of the newest data.

The bar binds to three things the app exposes: the reactive ``service_status``, the
``newest_data`` pair ``(received, as_of)`` and a ``clock()`` giving local Unix time. Its clock
ticks once a second and repaints only this one line.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import ClassVar

from rich.style import Style
from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.widget import Widget

from alortui.service.api import Link, Mode, ServiceStatus
from alortui.ui.formatting import clean_text, fmt_age, fmt_clock, fmt_duration
from alortui.ui.widgets.banner import Banner

_MODE_CLASSES = {
    Mode.LIVE: "live",
    Mode.DEMO: "demo",
    Mode.DELAYED: "delayed",
    Mode.OFFLINE: "offline",
    Mode.AUTH_FAILED: "offline",
}
_SEPARATOR = " │ "


class StatusLine(Widget):
    """One line: ``LIVE │ connected │ MSK 14:03:27 │ data 1s``."""

    COMPONENT_CLASSES: ClassVar[set[str]] = {
        "status-line--live",
        "status-line--demo",
        "status-line--delayed",
        "status-line--offline",
        "status-line--dim",
    }
    DEFAULT_CSS = """
    StatusLine { height: 1; width: 1fr; }
    """

    def __init__(self, clock: Callable[[], float] = time.time) -> None:
        super().__init__()
        self.status = ServiceStatus(Mode.OFFLINE, Link.CONNECTING)
        self.clock = clock

    @property
    def newest(self) -> tuple[float, float] | None:
        """``(received, as_of)`` of the newest data, as the app last heard."""
        return getattr(self.app, "newest_data", None)

    def _style(self, name: str) -> Style:
        return self.get_component_rich_style(f"status-line--{name}", partial=True)

    def _mode_text(self, exchange_now: float) -> Text:
        status = self.status
        label = status.mode.value
        if status.mode is Mode.DELAYED:
            label = f"DELAYED {round(status.delayed_by / 60) or 15} MIN"
        text = Text()
        text.append(f" {label} ", style=self._style(_MODE_CLASSES[status.mode]))
        if status.mode is Mode.DELAYED:
            as_of = self.newest[1] if self.newest else exchange_now - status.delayed_by
            text.append(f" as of {fmt_clock(as_of)}")
        elif status.reason and status.mode in (Mode.AUTH_FAILED, Mode.OFFLINE):
            text.append(f" {clean_text(status.reason)[:40]}")
        return text

    def _link_text(self, now: float) -> str:
        status = self.status
        text = status.link.value
        if status.link is Link.RECONNECTING and status.attempt:
            text += f" #{status.attempt}"
        if status.next_retry_at is not None and status.link in (Link.RECONNECTING, Link.PAUSED):
            text += f" in {fmt_duration(status.next_retry_at - now)}"
        return text

    def build(self, width: int) -> Text:
        """The line for ``width`` cells; optional parts drop out when it is narrow."""
        now = self.clock()
        exchange_now = now + (self.status.clock_offset or 0.0)
        parts = [self._mode_text(exchange_now), Text(self._link_text(now))]
        parts.append(Text(f"MSK {fmt_clock(exchange_now)}"))
        # as_of is exchange time, so a 15-minute-late feed reads "data 15m", not "data 1s".
        age = fmt_age(exchange_now - self.newest[1]) if self.newest else "—"
        parts.append(Text(f"data {age}"))
        if self.status.latency is not None:
            parts.append(Text(f"lag {self.status.latency * 1000:.0f}ms", style=self._style("dim")))
        line = Text(no_wrap=True, end="", overflow="ellipsis")
        for part in parts:
            extra = len(_SEPARATOR) if line else 0
            if line and line.cell_len + extra + part.cell_len > width:
                break
            if extra:
                line.append(_SEPARATOR, style=self._style("dim"))
            line.append_text(part)
        hint = " ? keys "
        if line.cell_len + len(hint) <= width:
            line.append(" " * (width - line.cell_len - len(hint)))
            line.append(hint, style=self._style("dim"))
        return line

    def render(self) -> Text:
        return self.build(self.size.width)


class StatusBar(Vertical):
    """The status line and the not-live banner, docked at the top of every screen."""

    DEFAULT_CSS = """
    StatusBar { dock: top; height: auto; width: 1fr; }
    """

    def compose(self) -> ComposeResult:
        yield StatusLine(getattr(self.app, "clock", time.time))
        yield Banner()

    def on_mount(self) -> None:
        if hasattr(self.app, "service_status"):
            self.watch(self.app, "service_status", self.show_status)
        self.set_interval(1.0, self.tick)

    def tick(self) -> None:
        """Advance the clock and the data age: repaints this one line only."""
        self.query_one(StatusLine).refresh()

    def show_status(self, status: ServiceStatus) -> None:
        """Show a new service status in the line and the banner.

        Runs several times a second; the line repaints itself (a plain refresh, its size never
        changes) and the banner lays out only when its sentence changes.
        """
        line = self.query_one(StatusLine)
        if status != line.status:
            line.status = status
            line.refresh()
        self.query_one(Banner).show_status(status)
