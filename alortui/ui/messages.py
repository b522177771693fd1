"""Messages the screens and widgets post upward to the app (style.md 2, "messages up")."""

from __future__ import annotations

from textual.message import Message

from alortui.models import InstrumentKey, Timestamp


class OpenDepth(Message):
    """A request to open the depth-of-book screen of an instrument."""

    def __init__(self, key: InstrumentKey) -> None:
        super().__init__()
        self.key = key


class OpenInfo(Message):
    """A request to open the instrument information screen."""

    def __init__(self, key: InstrumentKey) -> None:
        super().__init__()
        self.key = key


class DataArrived(Message):
    """New market data reached a screen; the status line shows the age of the newest."""

    def __init__(self, received: Timestamp, as_of: Timestamp) -> None:
        super().__init__()
        self.received = received
        self.as_of = as_of


class WatchlistsChanged(Message):
    """The user edited the watchlists (added, removed, reordered); the app saves them."""

    def __init__(self, watchlists: dict[str, list[InstrumentKey]], active: str) -> None:
        super().__init__()
        self.watchlists = watchlists
        self.active = active


class ColumnsChanged(Message):
    """The user chose the watchlist's columns; the app saves them."""

    def __init__(self, columns: list[str]) -> None:
        super().__init__()
        self.columns = columns
        """Column keys in order; empty means the default."""
