"""Time sources for the simulated exchange.

The market reads time only through a :class:`Clock`, so tests drive it with a
:class:`ManualClock` and get the same market for the same readings.
"""

from __future__ import annotations

import time
from typing import Protocol


class Clock(Protocol):
    """Something that tells the current time."""

    def now(self) -> float:
        """Current time, Unix seconds UTC."""
        ...


class SystemClock:
    """The real wall clock."""

    def now(self) -> float:
        """Current time, Unix seconds UTC."""
        return time.time()

    def __repr__(self) -> str:
        return "SystemClock()"


class ManualClock:
    """A clock that moves only when told to (for tests and screenshots).

    Args:
        start: the first reading, Unix seconds UTC.
    """

    def __init__(self, start: float) -> None:
        self._now = float(start)

    def now(self) -> float:
        """Current time, Unix seconds UTC."""
        return self._now

    def advance(self, seconds: float) -> float:
        """Move forward by ``seconds`` and return the new time.

        Raises:
            ValueError: ``seconds`` is negative.
        """
        if seconds < 0:
            raise ValueError(f"a clock cannot advance by a negative amount ({seconds})")
        self._now += seconds
        return self._now

    def set(self, t: float) -> None:
        """Jump to ``t``. A market never rewinds: an earlier time just pauses it."""
        self._now = float(t)

    def __repr__(self) -> str:
        return f"ManualClock({self._now!r})"
