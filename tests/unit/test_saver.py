"""The app's ``on_save`` writes the chosen portfolio into the config file (issue 7)."""

from __future__ import annotations

from pathlib import Path

from alortui.app_runner import _saver
from alortui.config import Settings
from alortui.configfile import load_settings
from alortui.models import InstrumentKey


def test_the_chosen_portfolio_is_saved_and_kept_when_none_is_chosen(tmp_path: Path) -> None:
    path = tmp_path / "config.toml"
    settings = Settings()
    save = _saver(settings, path)
    state = {"watchlists": {"main": [InstrumentKey("MOEX", "SBER")]},
             "active_watchlist": "main", "theme": "dark", "sort": None, "columns": []}
    save(**state, portfolio="G39004")
    assert load_settings(path).portfolio == "G39004"
    save(**state, portfolio=None)  # no portfolio screen opened this run: keep the saved one
    assert load_settings(path).portfolio == "G39004"
