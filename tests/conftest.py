"""Fixtures for every test: no test reads the real user's config, token or environment."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from pathlib import Path

import pytest


@pytest.fixture(autouse=True)
def _isolated_user_files(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Point XDG_CONFIG_HOME at an empty temporary directory and drop ALOR_REFRESH_TOKEN."""
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "xdg-config"))
    monkeypatch.delenv("ALOR_REFRESH_TOKEN", raising=False)


@pytest.fixture
def restore_logging() -> Iterator[None]:
    """Undo a test's changes to the root logger (``setup_logging`` replaces its handlers)."""
    root = logging.getLogger()
    handlers, level = root.handlers[:], root.level
    yield
    for handler in root.handlers:
        if handler not in handlers:
            handler.close()
    root.handlers[:] = handlers
    root.setLevel(level)
