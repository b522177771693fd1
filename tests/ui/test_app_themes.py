"""Themes as data: the bundled TOML themes, user theme directories, broken files."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from alortui.ui.app import AlorTUI
from alortui.ui.themes import (
    BUNDLED_THEMES_DIR,
    VARIABLE_DEFAULTS,
    ThemeError,
    load_theme,
    load_themes,
)


def test_bundled_themes_define_every_variable_of_ours() -> None:
    themes = {theme.name: theme for theme in load_themes([BUNDLED_THEMES_DIR])}
    assert {"dark", "light", "high-contrast"} <= set(themes)
    assert themes["light"].dark is False
    for theme in themes.values():
        assert set(VARIABLE_DEFAULTS) <= set(theme.variables), theme.name


def test_a_broken_theme_file_names_the_file_and_the_problem(tmp_path: Path) -> None:
    bad_toml = tmp_path / "bad.toml"
    bad_toml.write_text('primary = "#fff\n')
    with pytest.raises(ThemeError, match=r"bad\.toml"):
        load_theme(bad_toml)
    unknown = tmp_path / "unknown.toml"
    unknown.write_text('primary = "#ffffff"\ncolour = "red"\n')
    with pytest.raises(ThemeError, match="unknown keys colour"):
        load_theme(unknown)
    no_primary = tmp_path / "none.toml"
    no_primary.write_text("dark = true\n")
    with pytest.raises(ThemeError, match="'primary'"):
        load_theme(no_primary)


async def test_a_user_theme_directory_adds_themes_and_skips_broken_ones(
    tmp_path: Path, make_app: Callable[..., AlorTUI], caplog: pytest.LogCaptureFixture
) -> None:
    (tmp_path / "mine.toml").write_text(
        'primary = "#884488"\ndark = true\n[variables]\nprice-up = "#00ff88"\n'
    )
    (tmp_path / "broken.toml").write_text("primary = \n")
    app = make_app(theme="mine", theme_dirs=[tmp_path])
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        assert app.theme == "mine"
        up = app.watchlist_screen.table.painter.roles["up"].color
        assert up is not None and up.triplet.hex == "#00ff88"
    assert "broken.toml" in caplog.text


async def test_an_unknown_theme_falls_back_to_the_default(
    make_app: Callable[..., AlorTUI],
) -> None:
    app = make_app(theme="no-such-theme")
    async with app.run_test(size=(80, 24)):
        assert app.theme == "dark"
