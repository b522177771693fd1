"""Executes a parsed GraphQL query against plain nested dicts, HotChocolate style.

The schema is a table ``type name -> {field name -> child type}`` where the child type is
another object type, ``None`` for a scalar leaf, or ``ANY`` for a value whose shape is taken from
the data itself (type-specific extras). Root fields are resolved by callables supplied by
``graphql.py``. Errors follow the GraphQL spec as HotChocolate implements it (alor-api.md 4):
a *validation* error (unknown field, missing argument or variable) stops the request and the
response has only ``errors``; a *resolver* error nulls its field and joins ``errors`` next to
``data``.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from alortui.sim.gql_parse import Document, EnumValue, Field, Fragment, Selection, Variable

ANY = "*"
Schema = Mapping[str, Mapping[str, str | None]]


@dataclass(frozen=True, slots=True)
class Resolved:
    """What a root resolver returns: the value, its static and runtime type names, and an
    optional error message (the value is then None)."""

    value: object
    static_type: str
    error: str | None = None


RootResolver = Callable[[dict[str, object]], Resolved]


class ValidationError(Exception):
    """A request error: the query asks for something the schema does not have."""

    def __init__(self, message: str, node: Field | None = None, **extensions: object) -> None:
        super().__init__(message)
        self.node, self.extensions = node, extensions


def error_object(message: str, node: Field | None = None, path: list[object] | None = None,
                 extensions: Mapping[str, object] | None = None) -> dict[str, object]:
    """A GraphQL error object with locations/path/extensions where known."""
    err: dict[str, object] = {"message": message}
    if node is not None:
        err["locations"] = [{"line": node.line, "column": node.column}]
    if path:
        err["path"] = path
    if extensions:
        err["extensions"] = dict(extensions)
    return err


class Executor:
    """Runs one operation of a document.

    Args:
        schema: object types and their fields.
        roots: resolvers of the root ``Query`` fields, each with its required argument names.
        runtime_type: the concrete type name of an object value (for fragments, ``__typename``).
        implements: concrete type -> interface it implements (for ``... on Instrument``).
    """

    def __init__(self, schema: Schema, roots: Mapping[str, tuple[RootResolver, tuple[str, ...]]],
                 runtime_type: Callable[[Mapping[str, object], str], str],
                 implements: Mapping[str, str]) -> None:
        self._schema, self._roots = schema, roots
        self._runtime_type, self._implements = runtime_type, implements

    def run(self, doc: Document, variables: Mapping[str, object],
            operation_name: str | None = None) -> dict[str, object]:
        """The response body for ``doc``."""
        self._doc = doc
        self._errors: list[dict[str, object]] = []
        try:
            operation = self._pick(doc, operation_name)
            self._vars = self._variables(operation.variables, variables)
            data = {}
            for sel, _ in self._flatten(operation.selections, "Query", "Query"):
                data[sel.response_name] = self._root(sel)
        except ValidationError as exc:
            return {"errors": [error_object(str(exc), exc.node, None, exc.extensions)]}
        return {"errors": self._errors, "data": data} if self._errors else {"data": data}

    @staticmethod
    def _pick(doc: Document, name: str | None) -> Any:
        for operation in doc.operations:
            if name is None or operation.name == name:
                if operation.kind != "query":
                    raise ValidationError(f"This server does not support {operation.kind}s.")
                return operation
        raise ValidationError(f"The operation `{name}` does not exist.")

    @staticmethod
    def _variables(defined: Mapping[str, tuple[bool, object]],
                   given: Mapping[str, object]) -> dict[str, object]:
        values = {}
        for name, (non_null, default) in defined.items():
            value = given.get(name, default)
            if value is None and non_null:
                raise ValidationError(f"Variable `{name}` is required.")
            values[name] = value
        return values

    def _value(self, raw: object) -> object:
        if isinstance(raw, Variable):
            if raw.name not in self._vars:
                raise ValidationError(f"The variable `${raw.name}` is not declared.")
            return self._vars[raw.name]
        if isinstance(raw, EnumValue):
            return raw.name
        if isinstance(raw, list):
            return [self._value(item) for item in raw]
        if isinstance(raw, dict):
            return {k: self._value(v) for k, v in raw.items()}
        return raw

    def _included(self, directives: Mapping[str, Mapping[str, object]]) -> bool:
        if "skip" in directives and self._value(directives["skip"].get("if")) is True:
            return False
        return not ("include" in directives
                    and self._value(directives["include"].get("if")) is False)

    def _flatten(self, selections: list[Selection], static: str,
                 runtime: str) -> list[tuple[Field, str]]:
        """Fields to answer on an object, each with the type it is selected on, fragments
        applied for the object's runtime type."""
        fields: list[tuple[Field, str]] = []
        for sel in selections:
            if not self._included(sel.directives):
                continue
            if isinstance(sel, Field):
                fields.append((sel, static))
                continue
            fragment: Fragment = sel
            if sel.spread is not None:
                if sel.spread not in self._doc.fragments:
                    raise ValidationError(f"The fragment `{sel.spread}` does not exist.")
                fragment = self._doc.fragments[sel.spread]
            condition = fragment.type_condition or static
            if condition not in self._schema:
                raise ValidationError(f"Unknown type `{condition}`.")
            if condition in (runtime, static, self._implements.get(runtime)):
                fields.extend(self._flatten(fragment.selections or [], condition, runtime))
        return fields

    def _root(self, node: Field) -> object:
        if node.name == "__typename":
            return "Query"
        if node.name not in self._roots:
            raise ValidationError(f"The field `{node.name}` does not exist on the type `Query`.",
                                  node, type="Query", field=node.name)
        resolver, required = self._roots[node.name]
        args = {k: self._value(v) for k, v in node.arguments.items()}
        for name in required:
            if args.get(name) is None:
                raise ValidationError(f"The argument `{name}` is required.", node,
                                      type="Query", field=node.name, argument=name)
        result = resolver(args)
        if result.error is not None:
            self._errors.append(error_object(result.error, node, [node.response_name]))
        return self._complete(result.static_type, result.value, node)

    def _complete(self, type_name: str | None, value: object, node: Field) -> object:
        if type_name == ANY:  # shaped by the data: objects need a selection, scalars none
            shaped = isinstance(value, Mapping) or (
                isinstance(value, list) and any(isinstance(v, Mapping) for v in value))
            type_name = ANY if shaped or node.selections is not None else None
        if type_name is None:
            if node.selections is not None:
                raise ValidationError(f"Field `{node.name}` must not have a selection since its "
                                      "type has no subfields.", node)
            return value
        if node.selections is None:
            raise ValidationError(f"Field `{node.name}` of type `{type_name}` must have a "
                                  "selection of subfields.", node)
        if isinstance(value, list):
            return [self._complete(type_name, item, node) for item in value]
        if not isinstance(value, Mapping):
            return None
        if type_name == ANY:
            return self._select_any(value, node.selections)
        return self._select(type_name, value, node.selections)

    def _select(self, static: str, value: Mapping[str, object],
                selections: list[Selection]) -> dict[str, object]:
        runtime = self._runtime_type(value, static)
        out: dict[str, object] = {}
        for field_node, on_type in self._flatten(selections, static, runtime):
            if field_node.name == "__typename":
                out[field_node.response_name] = runtime
                continue
            fields = self._schema[on_type]
            if field_node.name not in fields:
                raise ValidationError(
                    f"The field `{field_node.name}` does not exist on the type `{on_type}`.",
                    field_node, type=on_type, field=field_node.name,
                    responseName=field_node.response_name)
            child = value.get(field_node.name)
            out[field_node.response_name] = self._complete(fields[field_node.name], child,
                                                           field_node)
        return out

    def _select_any(self, value: Mapping[str, object],
                    selections: list[Selection]) -> dict[str, object]:
        out: dict[str, object] = {}
        for field_node, _ in self._flatten(selections, ANY, ANY):
            child = value.get(field_node.name)
            out[field_node.response_name] = self._complete(ANY, child, field_node)
        return out
