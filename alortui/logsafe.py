"""Logging set-up with a redaction filter, so no token reaches a log file.

Every record (message, traceback and stack) goes through :func:`alortui.alor.redact.redact`,
which masks anything shaped like a JWT and ``Bearer`` values (ALOR's access token travels in every
WebSocket message body and HTTP ``Authorization`` header, alor-api.md 1.4), plus the configured
refresh token once registered with :meth:`RedactingFilter.add_secret` (ALOR refresh tokens have no
recognisable shape) and any ``token=`` query value (the ``/refresh`` query form, alor-api.md 1.2).

While the TUI runs nothing may go to stderr (it would draw over the screen): without
``--log-file`` records are dropped, not sent to Python's last-resort stderr handler.
"""

from __future__ import annotations

import logging
import os
import re
from collections.abc import Iterable
from pathlib import Path

from alortui.alor.redact import REDACTED
from alortui.alor.redact import redact as redact_tokens

TOKEN_PARAM_PATTERN = re.compile(r"(?i)([?&]token=)[^&\s\"']+")
LOG_FORMAT = "%(asctime)s %(levelname)-7s %(name)s: %(message)s"


def redact(text: str, secrets: Iterable[str] = ()) -> str:
    """``text`` with JWTs, ``Bearer`` values, ``token=`` query values and ``secrets`` masked."""
    return redact_tokens(TOKEN_PARAM_PATTERN.sub(rf"\1{REDACTED}", text), *secrets)


class RedactingFilter(logging.Filter):
    """A handler filter that rewrites records so they carry no token.

    Attach it to a *handler* (not a logger): handler filters see records from every logger that
    propagates to it.
    """

    def __init__(self, secrets: Iterable[str] = ()) -> None:
        super().__init__()
        self._secrets: list[str] = []
        for secret in secrets:
            self.add_secret(secret)

    def add_secret(self, secret: str) -> None:
        """Mask ``secret`` from now on (empty strings are ignored)."""
        if secret and secret not in self._secrets:
            self._secrets.append(secret)

    def filter(self, record: logging.LogRecord) -> bool:
        """Redact ``record`` in place; always lets it through."""
        try:
            message = record.getMessage()
        except Exception:  # a bad format call: logging reports it when formatting
            return True
        clean = redact(message, self._secrets)
        if clean != message:
            record.msg, record.args = clean, None
        if record.exc_info and not record.exc_text:
            # Render the traceback now so the handler's formatter reuses the redacted text.
            record.exc_text = logging.Formatter().formatException(record.exc_info)
        if record.exc_text:
            record.exc_text = redact(record.exc_text, self._secrets)
        if record.stack_info:
            record.stack_info = redact(record.stack_info, self._secrets)
        return True


def setup_logging(
    log_file: Path | None, verbosity: int, *, stderr: bool = False
) -> RedactingFilter:
    """Route the root logger to one redacting handler.

    Args:
        log_file: Append to this file (created owner-only); takes precedence over ``stderr``.
        verbosity: 0 for INFO, 1 or more for DEBUG.
        stderr: Log to stderr when there is no ``log_file`` (for commands without a TUI);
            otherwise records are dropped.

    Returns:
        The filter, so the caller can register the refresh token once it is known.

    Raises:
        OSError: the log file cannot be created or opened.
    """
    handler: logging.Handler
    if log_file is not None:
        log_file.parent.mkdir(parents=True, exist_ok=True)
        os.close(os.open(log_file, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o600))
        handler = logging.FileHandler(log_file, encoding="utf-8")
    elif stderr:
        handler = logging.StreamHandler()
    else:
        handler = logging.NullHandler()
    redactor = RedactingFilter()
    handler.addFilter(redactor)
    handler.setFormatter(logging.Formatter(LOG_FORMAT))
    level = logging.DEBUG if verbosity > 0 else logging.INFO
    logging.basicConfig(handlers=[handler], level=level, force=True)
    return redactor
