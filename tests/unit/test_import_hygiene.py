"""The core never imports Textual (style.md section 1; harlequin's test_import_hygiene)."""

from __future__ import annotations

import subprocess
import sys
import textwrap


def test_core_modules_do_not_import_textual() -> None:
    script = textwrap.dedent("""
        import importlib, pkgutil, sys
        import alortui.models
        for package in ("alortui.alor", "alortui.service"):
            module = importlib.import_module(package)
            for info in pkgutil.walk_packages(module.__path__, package + "."):
                importlib.import_module(info.name)
        try:
            import alortui.config
        except ModuleNotFoundError as exc:
            if exc.name != "alortui.config":
                raise
        loaded = sorted(name for name in sys.modules if name.startswith("alortui."))
        print(" ".join(loaded))
        assert "textual" not in sys.modules, "textual was imported by the core"
    """)
    result = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True,
                            timeout=60, check=False)
    assert result.returncode == 0, result.stderr
    loaded = result.stdout.split()
    assert "alortui.alor.stream" in loaded  # the walk really imported the client
    assert "alortui.alor.rest" in loaded
