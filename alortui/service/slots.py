"""How a stream's values pile up between two reads: keep the latest, a bounded ring, or by key.

A slot sits in two places: the hub keeps one per topic (what a newly attached consumer is primed
with) and each consumer keeps one per dirty topic (what its next batch carries). ``add`` is O(1)
and allocation-light because it runs inside the WebSocket reader (style.md section 2).
"""

from __future__ import annotations

from collections import deque
from collections.abc import Callable
from typing import Generic, TypeVar

V = TypeVar("V")


class Slot(Generic[V]):
    """Values received for one topic since the slot was last drained."""

    __slots__ = ()

    def add(self, value: V) -> None:
        """Store ``value`` (O(1))."""
        raise NotImplementedError

    def values(self) -> list[V]:
        """The stored values, oldest first."""
        raise NotImplementedError


class LatestSlot(Slot[V]):
    """Only the newest value: quotes and order books are full snapshots (alor-api.md 3.5)."""

    __slots__ = ("_value",)

    def __init__(self) -> None:
        self._value: list[V] = []

    def add(self, value: V) -> None:
        """Replace the stored value."""
        self._value = [value]

    def values(self) -> list[V]:
        """The newest value (or nothing)."""
        return list(self._value)


class RingSlot(Slot[V]):
    """The newest ``limit`` values: the trade tape, where every message is a new trade."""

    __slots__ = ("_ring",)

    def __init__(self, limit: int) -> None:
        self._ring: deque[V] = deque(maxlen=max(1, limit))

    def add(self, value: V) -> None:
        """Append; the oldest value falls out once ``limit`` is reached."""
        self._ring.append(value)

    def values(self) -> list[V]:
        """Stored values, oldest first."""
        return list(self._ring)


class KeyedSlot(Slot[V]):
    """Newest value per key, at most ``limit`` keys: candles keyed by their start time.

    A candle with the same time replaces the current one, a greater time starts a new one
    (alor-api.md 3.5 "Bars"); the oldest keys fall out first.
    """

    __slots__ = ("_by_key", "_key", "_limit")

    def __init__(self, key: Callable[[V], float], limit: int) -> None:
        self._by_key: dict[float, V] = {}
        self._key = key
        self._limit = max(1, limit)

    def add(self, value: V) -> None:
        """Store ``value`` under its key, evicting the first-inserted key when full."""
        # A replaced key keeps its place, so insertion order stays time order for candles.
        self._by_key[self._key(value)] = value
        if len(self._by_key) > self._limit:
            del self._by_key[next(iter(self._by_key))]

    def values(self) -> list[V]:
        """Stored values sorted by key."""
        return [self._by_key[k] for k in sorted(self._by_key)]


SlotFactory = Callable[[], Slot[V]]
"""Makes an empty slot; chosen per stream kind."""
