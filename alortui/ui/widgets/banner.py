"""The full-width tinted banner that says, in a sentence, why the data is not live."""

from __future__ import annotations

from rich.text import Text
from textual.widgets import Static

from alortui.service.api import Mode, ServiceStatus
from alortui.ui.formatting import clean_text

_TINTS = {
    Mode.DELAYED: "-delayed",
    Mode.DEMO: "-demo",
    Mode.OFFLINE: "-offline",
    Mode.AUTH_FAILED: "-offline",
}


def banner_text(status: ServiceStatus) -> str | None:
    """The sentence for ``status``, or ``None`` when the data is live."""
    reason = clean_text(status.reason)
    match status.mode:
        case Mode.LIVE:
            return None
        case Mode.DELAYED:
            minutes = round(status.delayed_by / 60) or 15
            return (
                f"DELAYED {minutes} MIN — anonymous data from ALOR is {minutes} minutes old; "
                "set ALOR_REFRESH_TOKEN for live data"
            )
        case Mode.DEMO:
            return "DEMO — a simulated market: prices are made up, not from an exchange"
        case Mode.AUTH_FAILED:
            detail = f" ({reason})" if reason else ""
            return (
                f"AUTH FAILED — ALOR rejected the refresh token{detail}; "
                "issue a new token and restart"
            )
        case _:
            detail = f": {reason}" if reason else ""
            return f"OFFLINE — no connection to ALOR{detail}; values shown are the last received"


class Banner(Static):
    """Tinted banner shown whenever the mode is not LIVE; hidden otherwise."""

    DEFAULT_CSS = """
    Banner {
        width: 1fr;
        height: auto;
        padding: 0 1;
        text-style: bold;
        display: none;
    }
    Banner.-shown { display: block; }
    """

    def __init__(self) -> None:
        super().__init__()
        # What is on screen now: (sentence or None when hidden, tint class). Starts hidden.
        self._shown: tuple[str | None, str | None] = (None, None)

    def show_status(self, status: ServiceStatus) -> None:
        """Show (or hide) the banner for ``status``.

        The status changes several times a second (latency, retry countdown) while the sentence
        rarely does; ``Static.update`` always lays out the whole screen, so it runs only when
        the sentence or tint changes, and a hidden banner's text is left alone.
        """
        text = banner_text(status)
        tint = _TINTS.get(status.mode) if text is not None else None
        if (text, tint) == self._shown:
            return
        self._shown = (text, tint)
        self.set_class(text is not None, "-shown")
        for name in set(_TINTS.values()):
            self.set_class(tint == name, name)
        if text is not None:
            # Text, not str: Static parses a str as markup, and the reason is server text.
            self.update(Text(text))
