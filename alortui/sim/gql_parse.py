"""A small GraphQL query parser: enough of the language for ALOR's ``/hyperion`` queries.

Handles operations with variable definitions (and defaults), fields with aliases and arguments,
nested selection sets, inline fragments (``... on Bond { ... }``), named fragments and spreads,
``@include``/``@skip``, and every literal kind (strings, block strings, numbers, booleans, null,
enums, lists, objects, ``$variables``). It does not type-check beyond what the executor in
``graphql.py`` needs; that is what keeps it small.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

import orjson

_TOKEN = re.compile(
    r'(?P<skip>[\s,\ufeff]+|#[^\n\r]*)'
    r'|(?P<block>"""(?:\\"""|[^"]|"(?!""))*""")'
    r'|(?P<string>"(?:\\.|[^"\\\n\r])*")'
    r'|(?P<number>-?(?:0|[1-9][0-9]*)(?:\.[0-9]+)?(?:[eE][+-]?[0-9]+)?)'
    r'|(?P<name>[_A-Za-z][_0-9A-Za-z]*)'
    r'|(?P<punct>\.\.\.|[!$&():=@\[\]{|}])'
)


class GraphQLSyntaxError(ValueError):
    """The query text is not valid GraphQL; ``line``/``column`` are 1-based."""

    def __init__(self, message: str, line: int, column: int) -> None:
        super().__init__(message)
        self.line, self.column = line, column


@dataclass(frozen=True, slots=True)
class Variable:
    """A ``$name`` reference inside an argument value."""

    name: str


@dataclass(frozen=True, slots=True)
class EnumValue:
    """A bare enum literal such as ``MOEX`` or ``ASC``."""

    name: str


@dataclass(slots=True)
class Field:
    """One selected field; ``response_name`` is the alias when given."""

    name: str
    alias: str | None
    arguments: dict[str, object]
    selections: list[Selection] | None
    directives: dict[str, dict[str, object]]
    line: int
    column: int

    @property
    def response_name(self) -> str:
        """The key of this field in the response object."""
        return self.alias or self.name


@dataclass(slots=True)
class Fragment:
    """An inline fragment (``name`` None) or a spread of a named fragment."""

    type_condition: str | None
    selections: list[Selection] | None
    directives: dict[str, dict[str, object]]
    spread: str | None = None


Selection = Field | Fragment


@dataclass(slots=True)
class Operation:
    """One operation: its variable definitions ``name -> (non_null, default)`` and selections."""

    kind: str
    name: str | None
    variables: dict[str, tuple[bool, object]]
    selections: list[Selection]


@dataclass(slots=True)
class Document:
    """A parsed document: its operations and named fragments."""

    operations: list[Operation] = field(default_factory=list)
    fragments: dict[str, Fragment] = field(default_factory=dict)


class _Parser:
    def __init__(self, text: str) -> None:
        self.tokens: list[tuple[str, str, int, int]] = []
        pos, line, line_start = 0, 1, 0
        while pos < len(text):
            match = _TOKEN.match(text, pos)
            if match is None:
                raise GraphQLSyntaxError(f"Unexpected character `{text[pos]}`.",
                                         line, pos - line_start + 1)
            kind, value = match.lastgroup or "", match.group()
            if kind != "skip":
                self.tokens.append((kind, value, line, pos - line_start + 1))
            for offset, char in enumerate(value):
                if char == "\n":
                    line, line_start = line + 1, pos + offset + 1
            pos = match.end()
        self.index = 0

    def peek(self, value: str | None = None) -> bool:
        if self.index >= len(self.tokens):
            return False
        kind, text, _, _ = self.tokens[self.index]
        return value is None or (text == value and kind in ("punct", "name"))

    def where(self) -> tuple[int, int]:
        if self.index < len(self.tokens):
            return self.tokens[self.index][2], self.tokens[self.index][3]
        return (self.tokens[-1][2], self.tokens[-1][3]) if self.tokens else (1, 1)

    def next(self, kind: str | None = None, value: str | None = None) -> str:
        if self.index >= len(self.tokens):
            raise GraphQLSyntaxError("Unexpected end of document.", *self.where())
        token_kind, text, line, column = self.tokens[self.index]
        if (kind and token_kind != kind) or (value and text != value):
            raise GraphQLSyntaxError(f"Expected `{value or kind}`, found `{text}`.", line, column)
        self.index += 1
        return text

    def skip(self, value: str) -> bool:
        if self.peek(value):
            self.index += 1
            return True
        return False

    def document(self) -> Document:
        doc = Document()
        while self.index < len(self.tokens):
            if self.peek("{"):
                doc.operations.append(Operation("query", None, {}, self.selection_set()))
            elif self.skip("fragment"):
                name = self.next("name")
                self.next("name", "on")
                condition = self.next("name")
                doc.fragments[name] = Fragment(condition, None, self.directives())
                doc.fragments[name].selections = self.selection_set()
            else:
                doc.operations.append(self.operation())
        if not doc.operations:
            raise GraphQLSyntaxError("The document contains no operation.", 1, 1)
        return doc

    def operation(self) -> Operation:
        kind = self.next("name")
        if kind not in ("query", "mutation", "subscription"):
            raise GraphQLSyntaxError(f"Unexpected token `{kind}`.", *self.where())
        name = self.next("name") if self.peek() and self.tokens[self.index][0] == "name" else None
        variables: dict[str, tuple[bool, object]] = {}
        if self.skip("("):
            while not self.skip(")"):
                self.next("punct", "$")
                var = self.next("name")
                self.next("punct", ":")
                non_null = self.type_ref()
                default = self.value() if self.skip("=") else None
                variables[var] = (non_null, default)
        self.directives()
        return Operation(kind, name, variables, self.selection_set())

    def type_ref(self) -> bool:
        """Skip a type reference; True when it is non-null (``!``)."""
        if self.skip("["):
            self.type_ref()
            self.next("punct", "]")
        else:
            self.next("name")
        return self.skip("!")

    def selection_set(self) -> list[Selection]:
        self.next("punct", "{")
        selections: list[Selection] = []
        while not self.skip("}"):
            selections.append(self.fragment() if self.skip("...") else self.field())
        if not selections:
            raise GraphQLSyntaxError("A selection set must not be empty.", *self.where())
        return selections

    def fragment(self) -> Fragment:
        if self.peek() and self.tokens[self.index][0] == "name" and not self.peek("on"):
            name = self.next("name")
            return Fragment(None, None, self.directives(), spread=name)
        condition = self.next("name") if self.skip("on") else None
        directives = self.directives()
        return Fragment(condition, self.selection_set(), directives)

    def field(self) -> Field:
        line, column = self.where()
        name, alias = self.next("name"), None
        if self.skip(":"):
            alias, name = name, self.next("name")
        arguments = self.arguments()
        directives = self.directives()
        selections = self.selection_set() if self.peek("{") else None
        return Field(name, alias, arguments, selections, directives, line, column)

    def arguments(self) -> dict[str, object]:
        args: dict[str, object] = {}
        if self.skip("("):
            while not self.skip(")"):
                name = self.next("name")
                self.next("punct", ":")
                args[name] = self.value()
        return args

    def directives(self) -> dict[str, dict[str, object]]:
        found: dict[str, dict[str, object]] = {}
        while self.skip("@"):
            name = self.next("name")
            found[name] = self.arguments()
        return found

    def value(self) -> object:
        line, column = self.where()
        kind, text = self.tokens[self.index][:2] if self.index < len(self.tokens) else ("", "")
        if self.skip("$"):
            return Variable(self.next("name"))
        if self.skip("["):
            items = []
            while not self.skip("]"):
                items.append(self.value())
            return items
        if self.skip("{"):
            obj = {}
            while not self.skip("}"):
                key = self.next("name")
                self.next("punct", ":")
                obj[key] = self.value()
            return obj
        self.next()
        if kind == "string":
            try:
                return orjson.loads(text)
            except orjson.JSONDecodeError:
                raise GraphQLSyntaxError("Invalid string escape.", line, column) from None
        if kind == "block":
            return text[3:-3].replace('\\"""', '"""')
        if kind == "number":
            return float(text) if any(c in text for c in ".eE") else int(text)
        if kind == "name":
            return {"true": True, "false": False, "null": None}.get(text, EnumValue(text))
        raise GraphQLSyntaxError(f"Unexpected token `{text}`.", line, column)


def parse(text: str) -> Document:
    """Parse a GraphQL document.

    Raises:
        GraphQLSyntaxError: the text is not valid GraphQL (as far as this parser knows it).
    """
    return _Parser(text).document()
