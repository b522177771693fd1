"""Snapshots of the depth-of-book screen: a seeded market on a frozen clock, 80x24 and 160x50."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from fake_service import FakeService
from test_depth import AnonymousService
from textual.pilot import Pilot
from ui_helpers import SBER

from alortui.service.api import Mode
from alortui.ui.app import AlorTUI


async def open_depth(pilot: Pilot[None]) -> None:
    await pilot.press("enter")
    await pilot.pause()
    await pilot.pause()


class TestDepthScreen:
    @pytest.mark.parametrize("size", [(80, 24), (160, 50)])
    def test_live_book_and_tape(
        self, snap_compare: Callable[..., bool], size: tuple[int, int]
    ) -> None:
        service = FakeService()
        for _ in range(30):  # half a minute of the seeded market: a tape and moved prices
            service.step(1.0)
        app = AlorTUI(service, watchlists={"Test": [SBER]}, clock=service.clock.now)
        assert snap_compare(app, terminal_size=size, run_before=open_depth)

    def test_anonymous_explanation(self, snap_compare: Callable[..., bool]) -> None:
        service = AnonymousService(Mode.DELAYED)
        app = AlorTUI(service, watchlists={"Test": [SBER]}, clock=service.clock.now)
        assert snap_compare(app, terminal_size=(80, 24), run_before=open_depth)
