"""The refresh-token source: precedence, owner-only file, and a value that never shows itself."""

from __future__ import annotations

from pathlib import Path

import pytest

from alortui.alor.redact import Secret
from alortui.tokens import (
    ENV_VAR,
    RefreshToken,
    TokenError,
    default_token_path,
    load_refresh_token,
)

TOKEN = "0c9f3e1a-refresh-token-value"


def _token_file(path: Path, mode: int, text: str = TOKEN + "\n") -> Path:
    path.write_text(text)
    path.chmod(mode)
    return path


def test_default_token_file_lives_next_to_the_config(tmp_path: Path) -> None:
    assert default_token_path() == tmp_path / "xdg-config" / "alortui" / "token"


def test_no_env_and_no_default_file_means_anonymous() -> None:
    assert load_refresh_token() is None


def test_owner_only_file_is_read_and_stripped(tmp_path: Path) -> None:
    path = _token_file(tmp_path / "token", 0o600)
    token = load_refresh_token(path, environ={})
    assert token is not None
    assert token.secret.reveal() == TOKEN
    assert token.origin == f"token file {path}"


def test_default_file_is_used_when_present() -> None:
    path = default_token_path()
    path.parent.mkdir(parents=True)
    _token_file(path, 0o400)
    token = load_refresh_token()
    assert token is not None
    assert token.secret.reveal() == TOKEN


@pytest.mark.parametrize("mode", [0o644, 0o640, 0o604, 0o620])
def test_file_open_to_group_or_others_is_refused_with_chmod_hint(tmp_path: Path, mode: int) -> None:
    path = _token_file(tmp_path / "token", mode)
    with pytest.raises(TokenError) as caught:
        load_refresh_token(path, environ={})
    message = str(caught.value)
    assert f"chmod 600 {path}" in message
    assert f"{mode:04o}" in message
    assert TOKEN not in message


def test_chmod_hint_quotes_a_path_with_spaces(tmp_path: Path) -> None:
    path = _token_file(tmp_path / "my token", 0o644)
    with pytest.raises(TokenError, match=r"chmod 600 '.*my token'"):
        load_refresh_token(path, environ={})


def test_environment_variable_wins_over_the_file(tmp_path: Path) -> None:
    path = _token_file(tmp_path / "token", 0o600, "file-token\n")
    token = load_refresh_token(path, environ={ENV_VAR: " env-token \n"})
    assert token is not None
    assert token.secret.reveal() == "env-token"
    assert token.origin == "$ALOR_REFRESH_TOKEN"


def test_environment_variable_wins_even_over_a_badly_protected_file(tmp_path: Path) -> None:
    path = _token_file(tmp_path / "token", 0o644)
    token = load_refresh_token(path, environ={ENV_VAR: "env-token"})
    assert token is not None and token.secret.reveal() == "env-token"


def test_empty_environment_variable_falls_back_to_the_file(tmp_path: Path) -> None:
    path = _token_file(tmp_path / "token", 0o600)
    token = load_refresh_token(path, environ={ENV_VAR: "  "})
    assert token is not None and token.secret.reveal() == TOKEN


def test_explicit_missing_file_is_an_error(tmp_path: Path) -> None:
    with pytest.raises(TokenError, match="does not exist"):
        load_refresh_token(tmp_path / "absent", environ={})


@pytest.mark.parametrize(
    ("text", "fragment"),
    [("\n  \n", "is empty"), (f"{TOKEN}\nsecond line\n", "only the refresh token")],
)
def test_malformed_file_is_refused_without_echoing_it(
    tmp_path: Path, text: str, fragment: str
) -> None:
    path = _token_file(tmp_path / "token", 0o600, text)
    with pytest.raises(TokenError, match=fragment) as caught:
        load_refresh_token(path, environ={})
    assert TOKEN not in str(caught.value)


def test_directory_is_not_a_token_file(tmp_path: Path) -> None:
    with pytest.raises(TokenError, match="not a regular file"):
        load_refresh_token(tmp_path, environ={})


def test_refresh_token_never_shows_its_value() -> None:
    token = RefreshToken(Secret(TOKEN), "$ALOR_REFRESH_TOKEN")
    shown = [repr(token), str(token), f"{token}", f"{token.secret}", repr([token])]
    assert all(TOKEN not in text for text in shown)
    assert "$ALOR_REFRESH_TOKEN" in repr(token)
    assert token.secret.reveal() == TOKEN
