"""Timings and limits of the market data service, in one place (tests shorten them)."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class ServiceOptions:
    """Tunable numbers of :class:`~alortui.service.service.MarketData`.

    Defaults follow alor-api.md: pings every 5 s with a 3 s deadline like Astras (3.8),
    reconnect backoff from 1 s up to 30 s, a JWT renewed 60 s before ``exp`` (1.2), HTTP well
    under 100 requests/s (5).

    Attributes:
        poll_interval: Seconds between anonymous polling cycles.
        ping_interval: Seconds between WS pings.
        ping_timeout: An unanswered ping after this long drops the socket.
        silence_timeout: A socket silent this long is dead.
        backoff: First and largest reconnect delay.
        healthy_after: A connection up this long resets the backoff.
        refresh_margin: Renew the JWT this long before it expires (capped at 20 % of its life).
        token_retry: Pause between renewals after a transient token-server failure.
        open_wait: How long opening a stream waits for ALOR's confirmation before letting the
            consumer wait for data instead.
        confirm_timeout: A subscription unconfirmed this long is sent again (new guid).
        subscribe_retry: Pause before re-trying a subscription that could get no token.
        http_rate: Sustained HTTP requests per second.
        http_burst: HTTP requests allowed back to back (``http_rate + http_burst <= 100``).
        http_timeout: Seconds per HTTP request.
        clock_interval: Seconds between server-clock measurements.
        default_candles: Candles of history when a consumer gives no ``since``.
    """

    poll_interval: float = 5.0
    ping_interval: float = 5.0
    ping_timeout: float = 3.0
    silence_timeout: float = 15.0
    backoff: tuple[float, float] = (1.0, 30.0)
    healthy_after: float = 60.0
    refresh_margin: float = 60.0
    token_retry: float = 5.0
    open_wait: float = 5.0
    confirm_timeout: float = 10.0
    subscribe_retry: float = 2.0
    http_rate: float = 40.0
    http_burst: int = 10
    http_timeout: float = 10.0
    clock_interval: float = 300.0
    default_candles: int = 300
