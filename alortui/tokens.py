"""Where the ALOR refresh token comes from, and the wrapper that keeps it out of sight.

The refresh token is the one long-lived credential (up to a year when self-issued, alor-api.md
1.2): whoever holds it can mint JWTs for the account. So it is never accepted on the command
line (shell history, ``ps``), never written to the config file, and never shown by ``repr``,
``str`` or a log line.

Precedence: the ``ALOR_REFRESH_TOKEN`` environment variable first (an explicit, per-shell
choice), then the token file (``--token-file``, config key ``token_file``, default
``$XDG_CONFIG_HOME/alortui/token``). No token at all is not an error: the app then runs in
anonymous, 15-minutes-delayed mode (alor-api.md 5).
"""

from __future__ import annotations

import os
import shlex
import stat
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from alortui.alor.redact import Secret
from alortui.config import config_dir

ENV_VAR = "ALOR_REFRESH_TOKEN"
"""Environment variable holding the refresh token."""

TOKEN_FILE_NAME = "token"


class TokenError(Exception):
    """The token source is unusable. The message says why and never contains the token."""


@dataclass(frozen=True, slots=True)
class RefreshToken:
    """A refresh token and where it was read from (safe to show: ``origin`` is no secret)."""

    secret: Secret
    """The token; pass it as is to ``TokenManager`` (its repr is masked)."""
    origin: str
    """Human-readable source, e.g. ``$ALOR_REFRESH_TOKEN`` or ``token file /home/me/...``."""


def default_token_path(environ: Mapping[str, str] = os.environ) -> Path:
    """The token file used when neither ``--token-file`` nor the config names one."""
    return config_dir(environ) / TOKEN_FILE_NAME


def load_refresh_token(
    token_file: Path | None = None, *, environ: Mapping[str, str] = os.environ
) -> RefreshToken | None:
    """Find the refresh token: the environment variable first, then the token file.

    Args:
        token_file: An explicitly configured token file; ``None`` means the default path,
            which may simply not exist.
        environ: The environment to read (tests pass their own).

    Returns:
        The token, or ``None`` when there is none (anonymous mode).

    Raises:
        TokenError: an explicitly named file is missing, or the file is readable by group or
            others, empty, or not a single line.
    """
    value = environ.get(ENV_VAR, "").strip()
    if value:
        return RefreshToken(Secret(value), f"${ENV_VAR}")
    path = token_file if token_file is not None else default_token_path(environ)
    try:
        info = path.stat()
    except FileNotFoundError:
        if token_file is None:
            return None
        raise TokenError(f"token file {path} does not exist") from None
    except OSError as exc:
        raise TokenError(f"cannot read token file {path}: {exc.strerror}") from None
    _check_private(path, info)
    return RefreshToken(Secret(_read_token(path)), f"token file {path}")


def _check_private(path: Path, info: os.stat_result) -> None:
    """Refuse a token file other users could read or replace."""
    if not stat.S_ISREG(info.st_mode):
        raise TokenError(f"token file {path} is not a regular file")
    # Windows has no POSIX permission bits to check; everywhere else owner-only is required.
    if os.name == "posix" and info.st_mode & 0o077:
        mode = stat.S_IMODE(info.st_mode)
        raise TokenError(
            f"token file {path} is accessible by other users (mode {mode:04o}); "
            f"make it owner-only with: chmod 600 {shlex.quote(str(path))}"
        )


def _read_token(path: Path) -> str:
    try:
        value = path.read_text(encoding="utf-8").strip()
    except (OSError, UnicodeDecodeError) as exc:
        reason = exc.strerror if isinstance(exc, OSError) else "not UTF-8 text"
        raise TokenError(f"cannot read token file {path}: {reason}") from None
    if not value:
        raise TokenError(f"token file {path} is empty")
    if len(value.split()) != 1:
        raise TokenError(f"token file {path} must hold only the refresh token, on one line")
    return value
