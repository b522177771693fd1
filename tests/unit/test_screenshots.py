"""``alortui screenshots``: real SVGs of the demo, byte-identical between runs."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from alortui.cli import main
from alortui.models import InstrumentKey
from alortui.screenshots import render, svg_text
from alortui.screenshots_scenes import SCENES, WATCHLISTS, Scene

ROOT = Path(__file__).resolve().parents[2]
SBER = InstrumentKey("MOEX", "SBER", "TQBR")
GAZP = InstrumentKey("MOEX", "GAZP", "TQBR")

TINY = Scene("tiny", "two shares", size=(80, 24), watchlist="Test", expect=("SBER", "GAZP"))
"""A scene over a two-row list: the app's paced reference requests make a long list slow."""


def test_a_scene_is_the_same_svg_on_every_run(tmp_path: Path) -> None:
    watchlists = {"Test": [SBER, GAZP]}
    (first,) = render(tmp_path / "first", [TINY], watchlists=watchlists)
    (second,) = render(tmp_path / "second", [TINY], watchlists=watchlists)

    assert first == tmp_path / "first" / "tiny.svg"
    data = first.read_bytes()
    assert data == second.read_bytes()
    assert ET.fromstring(data).tag == "{http://www.w3.org/2000/svg}svg"
    lines = svg_text(data.decode()).splitlines()
    assert len(lines) <= 24 and max(len(line) for line in lines) <= 80
    text = "\n".join(lines)
    # The demo's status line on the frozen clock, and both rows filled in with prices.
    assert re.search(r"DEMO .*connected .*MSK 13:30:45", text)
    assert re.search(r"^SBER +Сбербанк +\d+\.\d\d", text, re.MULTILINE)
    assert re.search(r"^GAZP +ГАЗПРОМ ао +\d+\.\d\d", text, re.MULTILINE)


@pytest.mark.usefixtures("restore_logging")
def test_the_command_writes_a_named_scene_and_lists_it(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["screenshots", "--out", str(tmp_path / "new"), "--scene", "delayed-depth"]) == 0
    path = tmp_path / "new" / "delayed-depth.svg"
    assert capsys.readouterr().out == f"{path}\n"
    assert [p.name for p in path.parent.iterdir()] == ["delayed-depth.svg"]
    text = svg_text(path.read_text(encoding="utf-8"))
    assert "DELAYED 15 MIN" in text
    assert "Depth of book needs authorization: MOEX:SBER" in text


@pytest.mark.usefixtures("restore_logging")
def test_an_unknown_scene_is_refused_with_the_list(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["screenshots", "--out", str(tmp_path), "--scene", "nope"]) == 1
    err = capsys.readouterr().err
    assert err.startswith("alortui: screenshots: unknown scene nope;")
    assert "depth-dark" in err
    assert list(tmp_path.iterdir()) == []


def test_every_screen_has_a_dark_and_a_light_scene_and_the_small_and_delayed_views() -> None:
    names = [scene.name for scene in SCENES]
    assert len(set(names)) == len(names)
    for screen in ("watchlist", "depth", "info-share", "info-bond"):
        assert {f"{screen}-dark", f"{screen}-light"} <= set(names)
    assert any(scene.size == (80, 24) for scene in SCENES)
    assert any(scene.anonymous and scene.keys == ("enter",) for scene in SCENES)
    assert all(scene.watchlist in WATCHLISTS for scene in SCENES)


def test_the_readme_shows_every_screenshot_and_each_one_exists() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    for scene in SCENES:
        assert f"](screenshots/{scene.filename})" in readme
        assert (ROOT / "screenshots" / scene.filename).is_file()
