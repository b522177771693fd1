"""Unique values the scripted feed carries, and when the terminal first showed each.

Every scripted quote, trade and book carries a fresh number in a field the app prints in one
piece: a quote's day ``volume`` (the watchlist's Volume column), a trade's ``qty`` (the tape) and
the best bid's volume (the ladder). All three ranges print as ``ddd ddd`` with the app's digit
grouping, and every other number the script puts on screen is kept out of that shape (sizes below
100 000, other bid levels above 999 999, prices below 100 000), so a ``ddd ddd`` token on the
screen names exactly one sent value.

The app conflates (latest value wins), so most values are never drawn. A value counts as shown
when it, or a later value of the same instrument and stream, is written to the terminal: its
latency is how old the newest data on screen was at that moment, which is what a reader sees.
"""

from __future__ import annotations

import itertools
import threading
from collections import deque
from dataclasses import dataclass

QUOTE_MARKERS = range(100_000, 500_000)
"""``Quote.volume`` of every scripted quote."""
TRADE_MARKERS = range(500_000, 800_000)
"""``Trade.qty`` of every scripted trade."""
BOOK_MARKERS = range(800_000, 1_000_000)
"""Volume of the best bid of every scripted book."""

MAX_PENDING = 5000
"""Values kept per channel while not shown: a stream whose screen is hidden never resolves."""

Channel = tuple[str, object]
"""A stream kind (``"quotes"``, ``"book"``, ``"trades"``) and the instrument it is about."""


class MarkerSource:
    """Hands out the values of one range in turn (wrapping around after the last)."""

    def __init__(self, values: range) -> None:
        self._values = values
        self._taken = 0

    def take(self) -> int:
        """The next value."""
        value = self._values[self._taken % len(self._values)]
        self._taken += 1
        return value


@dataclass(frozen=True, slots=True)
class Delivery:
    """One sent value that reached the screen (itself or a newer one of its channel)."""

    kind: str
    key: object
    sent: float
    latency: float


class MarkerLedger:
    """Sent values by channel, resolved as the screen shows them (thread-safe).

    ``sent`` is called by the feed on the event loop, ``seen`` by the terminal reader thread;
    both pass ``time.monotonic()`` readings of the same process.
    """

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._owner: dict[int, tuple[Channel, int]] = {}
        self._pending: dict[Channel, deque[tuple[int, int, float]]] = {}
        self._seq = itertools.count()
        self._seen_at: dict[int, float] = {}
        self.deliveries: list[Delivery] = []
        self.dropped: list[tuple[str, float]] = []
        """(kind, sent) of values given up on: too many newer ones were never shown."""
        self.first_seen: float | None = None
        self.first_seen_kind: dict[str, float] = {}

    def sent(self, kind: str, key: object, value: int, at: float) -> None:
        """Note that ``value`` of channel ``(kind, key)`` left the exchange at ``at``."""
        channel = (kind, key)
        with self._lock:
            seq = next(self._seq)
            self._owner[value] = (channel, seq)
            queue = self._pending.setdefault(channel, deque())
            queue.append((seq, value, at))
            if len(queue) > MAX_PENDING:
                old_seq, old, old_at = queue.popleft()
                self._forget(old, channel, old_seq)
                self.dropped.append((kind, old_at))

    def seen(self, value: int, at: float) -> None:
        """The terminal showed ``value`` at ``at``: resolve it and the older ones of its channel."""
        with self._lock:
            owner = self._owner.get(value)
            if owner is None:
                return
            channel, seq = owner
            queue = self._pending[channel]
            while queue and queue[0][0] <= seq:
                done_seq, done, sent = queue.popleft()
                self._forget(done, channel, done_seq)
                self.deliveries.append(Delivery(channel[0], channel[1], sent, at - sent))
            self._seen_at[value] = at
            if self.first_seen is None:
                self.first_seen = at
            self.first_seen_kind.setdefault(channel[0], at)

    def seen_time(self, value: int) -> float | None:
        """When ``value`` (sent before) was shown, or ``None`` so far."""
        with self._lock:
            return self._seen_at.get(value)

    def unresolved(self, since: float, until: float) -> dict[str, int]:
        """Values sent in ``[since, until]`` not shown (yet), by kind."""
        counts: dict[str, int] = {}
        with self._lock:
            late = [kind for (kind, _), queue in self._pending.items()
                    for _, _, sent in queue if since <= sent <= until]
            late += [kind for kind, sent in self.dropped if since <= sent <= until]
        for kind in late:
            counts[kind] = counts.get(kind, 0) + 1
        return counts

    def _forget(self, value: int, channel: Channel, seq: int) -> None:
        if self._owner.get(value) == (channel, seq):
            del self._owner[value]
