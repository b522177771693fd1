"""Reconnect backoff: exponential, jittered upwards only, capped, reset only when healthy."""

from __future__ import annotations

import pytest

from alortui.alor.backoff import Backoff


def test_delays_double_up_to_the_cap_without_jitter() -> None:
    backoff = Backoff(1.0, 30.0, rng=lambda: 0.0)
    assert [backoff.next_delay() for _ in range(8)] == [1, 2, 4, 8, 16, 30, 30, 30]
    assert backoff.attempt == 8


def test_jitter_only_lengthens_so_attempts_never_come_faster_than_the_floor() -> None:
    backoff = Backoff(1.0, 30.0, jitter=0.2, rng=lambda: 0.999)
    delays = [backoff.next_delay() for _ in range(10)]
    assert all(d >= 1.0 for d in delays)
    assert delays[0] == pytest.approx(1.1998)
    assert max(delays) < 30 * 1.2


def test_real_random_jitter_stays_in_its_band() -> None:
    backoff = Backoff(1.0, 4.0)
    for expected in (1, 2, 4, 4, 4):
        assert expected <= backoff.next_delay() < expected * 1.2


def test_only_a_healthy_connection_resets() -> None:
    backoff = Backoff(1.0, 30.0, healthy_after=60.0, rng=lambda: 0.0)
    backoff.next_delay()
    backoff.next_delay()
    backoff.connection_ended(0.05)  # accept-then-close: keep slowing down
    assert backoff.next_delay() == 4
    backoff.connection_ended(61.0)
    assert backoff.attempt == 0
    assert backoff.next_delay() == 1


def test_endless_failures_stay_finite() -> None:
    backoff = Backoff(1.0, 30.0, rng=lambda: 0.0)
    backoff.attempt = 10_000
    assert backoff.next_delay() == 30


@pytest.mark.parametrize("args", [(0.0, 1.0), (2.0, 1.0), (-1.0, 5.0)])
def test_nonsense_parameters_are_refused(args: tuple[float, float]) -> None:
    with pytest.raises(ValueError):
        Backoff(*args)
