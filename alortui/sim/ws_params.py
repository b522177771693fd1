"""Reading and checking the fields of one WS subscription request (alor-api.md 3.2, 3.6).

Values are accepted as numbers or numeric strings (ALOR's own sample sends ``"tf": "60"``);
anything unusable raises :class:`BadParams`, which the server answers with a 400 envelope.
"""

from __future__ import annotations

from collections.abc import Mapping

from alortui.models import Format

DEFAULT_FREQUENCY_MS = 175
MIN_FREQUENCY_MS = {Format.SLIM: 10, Format.SIMPLE: 25, Format.HEAVY: 500}
"""Per-format floor of ``frequency`` (3.6); lower values, including 0, are raised to it."""


class BadParams(ValueError):
    """The request cannot be served; the message goes into the 400 envelope."""

    status = 400


class Forbidden(BadParams):
    """The token may not use what the request names (a portfolio not in its claim): 403."""

    status = 403


class WsRequest:
    """Typed access to the fields of a request object."""

    def __init__(self, raw: Mapping[str, object],
                 claims: Mapping[str, object] | None = None) -> None:
        self.raw = raw
        self.claims = claims
        """The verified token's claims (portfolio subscriptions check ``portfolios``)."""

    @property
    def fmt(self) -> Format:
        """``format``: Simple by default, case-insensitive."""
        value = self.raw.get("format")
        if value is None or value == "":
            return Format.SIMPLE
        try:
            return Format.parse(str(value))
        except ValueError:
            raise BadParams(f"Unknown format '{value}'") from None

    def text(self, name: str, *, required: bool = False) -> str | None:
        """A string field."""
        value = self.raw.get(name)
        if value is None or value == "":
            if required:
                raise BadParams(f"The {name} field is required")
            return None
        if not isinstance(value, str | int):
            raise BadParams(f"Invalid value of {name}")
        return str(value)

    def integer(self, name: str, default: int, *, lo: int | None = None,
                hi: int | None = None) -> int:
        """An integer field within [lo, hi]."""
        value = self.raw.get(name)
        if value is None or value == "":
            return default
        number: int | None = None
        if isinstance(value, int) and not isinstance(value, bool):
            number = value
        elif isinstance(value, str | float):
            try:
                number = int(value)
            except ValueError:
                number = None
        if number is None:
            raise BadParams(f"Invalid value of {name}: {value!r}")
        if (lo is not None and number < lo) or (hi is not None and number > hi):
            raise BadParams(f"{name} must be between {lo} and {hi}")
        return number

    def flag(self, name: str, default: bool = False) -> bool:
        """A boolean field (JSON bool or ``"true"``/``"false"``)."""
        value = self.raw.get(name)
        if value is None:
            return default
        if isinstance(value, bool):
            return value
        if isinstance(value, str) and value.lower() in ("true", "false"):
            return value.lower() == "true"
        raise BadParams(f"Invalid value of {name}: {value!r}")

    def frequency(self) -> float:
        """``frequency`` in seconds, defaulted and clamped to the format's minimum (3.6)."""
        wanted = self.integer("frequency", DEFAULT_FREQUENCY_MS, lo=0)
        return max(wanted, MIN_FREQUENCY_MS[self.fmt]) / 1000
