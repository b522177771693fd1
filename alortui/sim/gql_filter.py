"""HotChocolate ``where`` filters and ``order`` sorts over instrument nodes (alor-api.md 4).

A filter mirrors the node: ``{basicInformation: {symbol: {startsWith: "SBER"}}}``, combined
with ``and: [...]`` / ``or: [...]``. String operations ``contains``/``startsWith``/``endsWith``
(and their ``n`` negations) ignore case [inferred: the server's collation is not documented;
Astras capitalises short names but users type either case]. ``eq``/``neq``/``in``/``nin``
compare exactly; enum values arrive as their names.
"""

from __future__ import annotations

import operator
from collections.abc import Callable, Mapping, Sequence
from typing import Any

from alortui.sim.gql_exec import ValidationError

_STRING_OPS: dict[str, Callable[[str, str], bool]] = {
    "contains": lambda v, a: a in v,
    "startsWith": str.startswith,
    "endsWith": str.endswith,
}
_ORDER_OPS: dict[str, Callable[[Any, Any], bool]] = {
    "gt": operator.gt, "gte": operator.ge, "lt": operator.lt, "lte": operator.le,
}


def _leaf(value: object, op: str, arg: object) -> bool:
    if op == "eq":
        return value == arg
    if op == "neq":
        return value != arg
    if op in ("in", "nin"):
        found = isinstance(arg, list) and value in arg
        return found if op == "in" else not found
    negated = op.startswith("n") and (op[1:] in _STRING_OPS or op[1:] in _ORDER_OPS)
    base = op[1:] if negated else op
    if base in _STRING_OPS:
        if not isinstance(value, str) or not isinstance(arg, str):
            return negated
        hit = _STRING_OPS[base](value.lower(), arg.lower())
        return hit != negated
    if base in _ORDER_OPS:
        try:
            hit = value is not None and _ORDER_OPS[base](value, arg)
        except TypeError:
            hit = False
        return hit != negated
    raise ValidationError(f"The specified input object field `{op}` does not exist.")


def matches(node: Mapping[str, object], where: Mapping[str, object]) -> bool:
    """Whether ``node`` satisfies the filter ``where``."""
    for key, cond in where.items():
        if key in ("and", "or"):
            parts = cond if isinstance(cond, list) else [cond]
            results = (matches(node, part) for part in parts if isinstance(part, Mapping))
            if not (all(results) if key == "and" else any(results)):
                return False
            continue
        if key not in node or key.startswith("__"):
            raise ValidationError(f"The specified input object field `{key}` does not exist.")
        if not isinstance(cond, Mapping):
            continue
        value = node[key]
        if isinstance(value, Mapping):
            if not matches(value, cond):
                return False
        elif not all(_leaf(value, op, arg) for op, arg in cond.items()):
            return False
    return True


def _sort_keys(spec: Mapping[str, object], path: tuple[str, ...] = ()
               ) -> list[tuple[tuple[str, ...], bool]]:
    keys = []
    for name, value in spec.items():
        if isinstance(value, Mapping):
            keys.extend(_sort_keys(value, (*path, name)))
        else:
            keys.append(((*path, name), str(value).upper() == "DESC"))
    return keys


def _get(node: Mapping[str, object], path: tuple[str, ...]) -> object:
    value: object = node
    for name in path:
        value = value.get(name) if isinstance(value, Mapping) else None
    return value


def sort_nodes(nodes: list[dict[str, object]],
               order: Sequence[object]) -> list[dict[str, object]]:
    """Nodes sorted by an ``order`` list such as ``[{basicInformation: {symbol: ASC}}]``."""
    keys = [k for spec in order if isinstance(spec, Mapping) for k in _sort_keys(spec)]
    result = list(nodes)
    for path, descending in reversed(keys):  # stable sorts, least significant key first

        def key(node: dict[str, object], path: tuple[str, ...] = path) -> tuple[bool, Any]:
            value = _get(node, path)
            return value is None, value if value is not None else 0

        result.sort(key=key, reverse=descending)
    return result
