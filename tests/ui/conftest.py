"""UI test fixtures: a scripted service over the seeded simulator and the app bound to it."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

import pytest
from textual.app import App

from alortui.models import InstrumentKey
from alortui.service.api import Mode
from alortui.ui.app import AlorTUI

if TYPE_CHECKING:
    from fake_service import FakeService

SBER = InstrumentKey("MOEX", "SBER", "TQBR")
GAZP = InstrumentKey("MOEX", "GAZP", "TQBR")
LKOH = InstrumentKey("MOEX", "LKOH", "TQBR")
YDEX = InstrumentKey("MOEX", "YDEX", "TQBR")
VTBR = InstrumentKey("MOEX", "VTBR", "TQBR")
OFZ = InstrumentKey("MOEX", "SU26238RMFS4", "TQOB")
SI = InstrumentKey("MOEX", "SiZ6", "RFUD")
BR = InstrumentKey("MOEX", "BRF7", "RFUD")

WATCHLISTS = {
    "Shares": [SBER, GAZP, LKOH, YDEX, VTBR],
    "Bonds": [OFZ],
    "Futures": [SI, BR],
}


def screen_text(app: App[Any]) -> str:
    """What the terminal shows right now, as plain text lines."""
    return "\n".join(strip.text for strip in app.screen._compositor.render_strips())


@pytest.fixture
def fake() -> FakeService:
    """A demo-mode service over the seeded market with a frozen clock."""
    from fake_service import FakeService  # imported here: only tests that use it need the sim

    return FakeService(Mode.DEMO)


@pytest.fixture
def make_app(fake: FakeService) -> Callable[..., AlorTUI]:
    """Build the app bound to ``fake`` with the test watchlists and its frozen clock."""

    def make(**kwargs: Any) -> AlorTUI:
        kwargs.setdefault("theme", "dark")
        kwargs.setdefault("watchlists", {name: list(keys) for name, keys in WATCHLISTS.items()})
        return AlorTUI(fake, clock=fake.clock.now, **kwargs)

    return make
