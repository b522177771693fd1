"""Snapshots of the instrument information screen: a share and an OFZ, 80x24 and 160x50."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from fake_service import FakeService
from textual.pilot import Pilot
from ui_helpers import OFZ, SBER

from alortui.models import InstrumentKey
from alortui.ui.app import AlorTUI


async def open_info(pilot: Pilot[None]) -> None:
    await pilot.press("i")
    await pilot.pause()
    await pilot.pause()


class TestInfoScreen:
    @pytest.mark.parametrize("size", [(80, 24), (160, 50)])
    @pytest.mark.parametrize("key", [SBER, OFZ], ids=["share", "ofz"])
    def test_info(
        self, snap_compare: Callable[..., bool], key: InstrumentKey, size: tuple[int, int]
    ) -> None:
        service = FakeService()
        for _ in range(30):  # half a minute of the seeded market: a tape and moved prices
            service.step(1.0)
        app = AlorTUI(service, watchlists={"Test": [key]}, clock=service.clock.now)
        assert snap_compare(app, terminal_size=size, run_before=open_info)
