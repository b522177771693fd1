"""Themes as data: TOML files holding a Textual palette plus alortui's own variables.

Bundled themes live in the repository's ``themes/`` directory; a user theme directory can add
more (a later file with the same ``name`` wins). Our variables (``$price-up``, ``$bid``, ...)
also get defaults through :data:`VARIABLE_DEFAULTS`, which the app returns from
``App.get_theme_variable_defaults()``, so Textual's built-in themes keep working.
"""

from __future__ import annotations

import dataclasses
import logging
import tomllib
from collections.abc import Iterable
from pathlib import Path

from textual.theme import Theme

log = logging.getLogger(__name__)

def _bundled_themes_dir() -> Path:
    """``themes/``: inside the package in a wheel, beside it in a checkout or editable install."""
    packaged = Path(__file__).resolve().parents[1] / "bundled_themes"
    return packaged if packaged.is_dir() else Path(__file__).resolve().parents[2] / "themes"


BUNDLED_THEMES_DIR = _bundled_themes_dir()

DEFAULT_THEME = "dark"

VARIABLE_DEFAULTS: dict[str, str] = {
    "price-up": "#3FB950",
    "price-down": "#F06A62",
    "bid": "#58A6FF",
    "ask": "#F0883E",
    "flash-up": "#2EA04366",
    "flash-down": "#F8514966",
    "stale": "#8B949E",
    "banner-delayed": "#9A6700A0",
    "banner-offline": "#B62324A0",
    "banner-demo": "#1F6FEB80",
    "cursor": "#58A6FF40",
}
"""Our theme variables and their values for themes that do not define them."""

_THEME_FIELDS = frozenset(field.name for field in dataclasses.fields(Theme))


class ThemeError(ValueError):
    """A theme file that cannot be used; the message names the file and the problem."""


def load_theme(path: Path) -> Theme:
    """Read one theme file.

    Raises:
        ThemeError: the file is not valid TOML or does not describe a theme.
    """
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as error:
        raise ThemeError(f"{path}: {error}") from error
    unknown = sorted(set(data) - _THEME_FIELDS)
    if unknown:
        raise ThemeError(f"{path}: unknown keys {', '.join(unknown)}")
    if not isinstance(data.get("primary"), str):
        raise ThemeError(f"{path}: 'primary' colour is required")
    variables = data.get("variables", {})
    if not isinstance(variables, dict) or not all(isinstance(v, str) for v in variables.values()):
        raise ThemeError(f"{path}: [variables] must map names to colour strings")
    data.setdefault("name", path.stem)
    try:
        return Theme(**data)
    except TypeError as error:
        raise ThemeError(f"{path}: {error}") from error


def load_themes(directories: Iterable[Path]) -> list[Theme]:
    """Every readable ``*.toml`` theme in ``directories``; broken files are logged and skipped."""
    themes: dict[str, Theme] = {}
    for directory in directories:
        if not directory.is_dir():
            continue
        for path in sorted(directory.glob("*.toml")):
            try:
                theme = load_theme(path)
            except ThemeError as error:
                log.warning("skipping theme %s", error)
                continue
            themes[theme.name] = theme
    return list(themes.values())
