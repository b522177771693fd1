"""Clocks that drive the simulated market."""

from __future__ import annotations

import time

import pytest

from alortui.sim.clock import Clock, ManualClock, SystemClock


def test_manual_clock_moves_only_when_told() -> None:
    clock = ManualClock(100.0)
    assert clock.now() == 100.0
    assert clock.advance(2.5) == 102.5
    assert clock.now() == 102.5
    clock.set(50.0)
    assert clock.now() == 50.0
    with pytest.raises(ValueError):
        clock.advance(-1)


def test_system_clock_reads_the_wall_clock() -> None:
    before = time.time()
    reading = SystemClock().now()
    assert before <= reading <= time.time()


def test_both_satisfy_the_protocol() -> None:
    clocks: list[Clock] = [SystemClock(), ManualClock(0)]
    assert all(isinstance(c.now(), float) for c in clocks)
