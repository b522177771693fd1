"""What the WebSocket stream reports about itself: state, retry schedule and counters."""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum


class StreamState(StrEnum):
    """Life cycle of :class:`alortui.alor.stream.AlorStream`'s connection."""

    CONNECTING = "connecting"
    """Trying to open the first connection."""
    CONNECTED = "connected"
    RECONNECTING = "reconnecting"
    """The connection was lost (or an attempt failed); waiting for or making the next attempt."""
    CLOSED = "closed"
    """Closed by its owner; final."""


@dataclass(slots=True)
class StreamCounters:
    """Running totals since the stream started (mutated only by the stream)."""

    messages: int = 0
    """Data messages decoded and handed to a sink."""
    reconnects: int = 0
    """Connections opened after the first one."""
    resubscriptions: int = 0
    """Subscription requests re-sent on a new connection."""
    malformed: int = 0
    """Frames dropped as unreadable: binary, not JSON, or not the documented shape."""
    unknown_guid: int = 0
    """Data messages for a guid with no live subscription (normal right after unsubscribe)."""
    sink_errors: int = 0
    """Sinks that raised (the exception is logged; the stream goes on)."""


@dataclass(frozen=True, slots=True)
class StreamStatus:
    """A snapshot of the stream for status lines and tests.

    Attributes:
        state: Connection state.
        attempt: Consecutive failed/short-lived connections since the last healthy one.
        next_retry_at: When the next attempt starts (stream clock), while waiting for it.
        subscriptions: Live subscriptions (they survive reconnects).
        rtt: Last ping round trip in seconds.
        last_error: Why the last connection ended or failed, as a sentence.
        connect_failed: The last attempt could not open the socket at all (refused, DNS,
            timeout), as opposed to a connection that opened and was lost.
        counters: A copy of the running totals.
    """

    state: StreamState
    attempt: int = 0
    next_retry_at: float | None = None
    subscriptions: int = 0
    rtt: float | None = None
    last_error: str | None = None
    connect_failed: bool = False
    counters: StreamCounters = field(default_factory=StreamCounters)
