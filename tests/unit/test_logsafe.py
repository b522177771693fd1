"""The logging set-up: tokens are masked in messages, tracebacks and stacks; nothing hits stderr."""

from __future__ import annotations

import logging
import stat
from pathlib import Path

import pytest

from alortui.alor.redact import REDACTED as MASK
from alortui.logsafe import RedactingFilter, redact, setup_logging

# Shaped like ALOR's sample JWT (alor-api.md 1.3), not a real token.
JWT = "eyJhbGciOiJFUzI1NiJ9.eyJzdWIiOiJMb2dpblNhbXBsZSJ9.MEUCIQDx-_abc123"
REFRESH = "7d3c0ffe-1234-4bcd-9876-refresh"


def test_redact_masks_jwts_token_params_and_registered_secrets() -> None:
    text = f'send {{"token": "{JWT}"}} to /refresh?token={REFRESH}&x=1 using {REFRESH}'
    clean = redact(text, [REFRESH])
    assert JWT not in clean
    assert REFRESH not in clean
    assert clean == f'send {{"token": "{MASK}"}} to /refresh?token={MASK}&x=1 using {MASK}'


def test_redact_leaves_ordinary_text_alone() -> None:
    text = "quote MOEX:SBER last=312.5 e.g. eyJ-less text"
    assert redact(text) == text


def _record(msg: str, *args: object, exc: BaseException | None = None) -> logging.LogRecord:
    exc_info = (type(exc), exc, exc.__traceback__) if exc else None
    return logging.LogRecord("t", logging.INFO, __file__, 1, msg, args, exc_info)


def test_filter_redacts_interpolated_arguments() -> None:
    record = _record("jwt %s refresh %s", JWT, REFRESH)
    assert RedactingFilter([REFRESH]).filter(record)
    assert record.getMessage() == f"jwt {MASK} refresh {MASK}"


def test_filter_redacts_the_traceback_and_stack() -> None:
    try:
        raise RuntimeError(f"server said: bad token {REFRESH}")
    except RuntimeError as exc:
        record = _record("failed", exc=exc)
    record.stack_info = f"Stack: {JWT}"
    redactor = RedactingFilter()
    redactor.add_secret(REFRESH)
    redactor.filter(record)
    formatted = logging.Formatter().format(record)
    assert "RuntimeError" in formatted
    assert REFRESH not in formatted
    assert JWT not in formatted


def test_filter_lets_a_bad_format_call_through_for_logging_to_report() -> None:
    record = _record("%s %s", "only one")
    assert RedactingFilter().filter(record)


def test_log_file_is_owner_only_and_redacted(tmp_path: Path, restore_logging: None) -> None:
    path = tmp_path / "logs" / "alortui.log"
    redactor = setup_logging(path, 1)
    redactor.add_secret(REFRESH)
    logging.getLogger("alortui.some.module").debug("token %s jwt %s", REFRESH, JWT)
    logging.getLogger().handlers[0].flush()
    text = path.read_text()
    assert "DEBUG" in text and "alortui.some.module" in text
    assert REFRESH not in text and JWT not in text
    assert stat.S_IMODE(path.stat().st_mode) == 0o600


def test_no_log_file_means_nothing_on_stderr(
    capsys: pytest.CaptureFixture[str], restore_logging: None
) -> None:
    setup_logging(None, 0)
    logging.getLogger("alortui").error("this would draw over the TUI")
    assert capsys.readouterr().err == ""


def test_stderr_logging_for_commands_without_a_tui(
    capsys: pytest.CaptureFixture[str], restore_logging: None
) -> None:
    setup_logging(None, 0, stderr=True).add_secret(REFRESH)
    logging.getLogger("alortui.sim").info("accepting %s", REFRESH)
    logging.getLogger("alortui.sim").debug("hidden at INFO")
    err = capsys.readouterr().err
    assert f"accepting {MASK}" in err
    assert "hidden" not in err
