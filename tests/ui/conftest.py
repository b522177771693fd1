"""UI test fixtures: a scripted service over the seeded simulator and the app bound to it."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

import pytest
from ui_helpers import WATCHLISTS

from alortui.service.api import Mode
from alortui.ui.app import AlorTUI

if TYPE_CHECKING:
    from fake_service import FakeService


@pytest.fixture(autouse=True)
def _quick_background_fetches(monkeypatch: pytest.MonkeyPatch) -> None:
    """The watchlist's background requests without their real-world pauses (ALOR's pacing)."""
    from alortui.ui.screens import watchlist_feeds, watchlist_sparks

    monkeypatch.setattr(watchlist_feeds, "REQUEST_GAP", 0.0)
    monkeypatch.setattr(watchlist_feeds, "INFO_CHECK", 0.01)
    monkeypatch.setattr(watchlist_sparks, "SPARK_GAP", 0.0)
    monkeypatch.setattr(watchlist_sparks, "SPARK_QUIET", 0.01)
    monkeypatch.setattr(watchlist_sparks, "SPARK_CHECK", 0.01)


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
