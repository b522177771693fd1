"""The running app freezes what its start-up built out of garbage collection, once."""

from __future__ import annotations

import asyncio
import gc

import pytest

from alortui import app_runner


async def test_start_up_objects_are_frozen_once_start_up_is_over(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(app_runner, "START_UP_SECONDS", 0.05)
    gc.unfreeze()
    kept = [[n] for n in range(1000)]  # what a start-up builds and keeps
    try:
        app_runner._freeze_after_start_up()
        assert gc.get_freeze_count() == 0
        await asyncio.sleep(0.2)
        assert gc.get_freeze_count() >= len(kept)
    finally:
        gc.unfreeze()


async def test_quitting_during_start_up_freezes_nothing(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(app_runner, "START_UP_SECONDS", 0.05)
    gc.unfreeze()
    app_runner._freeze_after_start_up().cancel()
    await asyncio.sleep(0.2)
    assert gc.get_freeze_count() == 0
