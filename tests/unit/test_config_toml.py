"""The small TOML writer: whatever it writes, tomllib reads back unchanged."""

from __future__ import annotations

import tomllib

import pytest
from hypothesis import given
from hypothesis import strategies as st

from alortui.tomlwrite import dump_toml

_scalars = st.text() | st.integers(min_value=-(2**63), max_value=2**63 - 1) | st.booleans()
_values = _scalars | st.lists(st.text(), max_size=4)


@given(st.dictionaries(st.text(), _values | st.dictionaries(st.text(), _values, max_size=4)))
def test_dump_round_trips_through_tomllib(data: dict[str, object]) -> None:
    assert tomllib.loads(dump_toml(data)) == data


def test_layout_puts_plain_keys_before_tables_and_drops_none() -> None:
    text = dump_toml({"a": "x", "t": {"b": [1, True], "n": None}, "c": None, "d": 2})
    assert text == 'a = "x"\nd = 2\n\n[t]\nb = [1, true]\n'


def test_control_characters_are_escaped() -> None:
    text = dump_toml({"s": 'tab\tesc\x1bdel\x7f"q"\\'})
    assert text == 's = "tab\\tesc\\u001Bdel\\u007F\\"q\\"\\\\"\n'


def test_unsupported_types_are_refused() -> None:
    with pytest.raises(TypeError, match="float"):
        dump_toml({"x": 1.5})
