"""A fast reader for the simple block YAML that front matter and manifests are written in.

Importing PyYAML and running its pure-Python loader costs ~25 ms for the first small
document and ~10 ms for each further one; `policy-diff diff` reads three.  This module reads
a strict subset of YAML to exactly what the strict loader (`yaml_strict`) would build:

    key: plain, 'single' or "double" quoted scalar, or [flow, sequence, of, plain, scalars]
    key:                      # then a nested block mapping, a block sequence (indented or
      nested: value           # at the key's own indent), or nothing (null)
    list:
      - scalar
      - title: a compact mapping as an item
        url: ...

Anything else (comments, tabs, escapes, anchors, tags, block or multi-line scalars, keys
that would resolve to true/null/yes, duplicate keys, odd characters ...) returns None and
the caller falls back to the full loader, which also words every error.  This never raises.
"""

from __future__ import annotations

import re
from typing import Any

from .yaml_types import NULL, TRUE_FALSE, YAML11_BOOL, LocatedDict, Yaml11Bool, empty_mapping

# Characters refused anywhere: controls (all but the newline), YAML's other line breaks
# (U+0085, U+2028, U+2029), the BOM, surrogates and non-characters.  A set, not a regex: a
# Unicode character class costs 1-4 ms to compile, at every start-up.
_ODD_CHARACTERS = frozenset(map(chr, (
    *range(0x0a), *range(0x0b, 0x20), *range(0x7f, 0xa0), 0x2028, 0x2029,
    *range(0xd800, 0xe000), 0xfeff, 0xfffe, 0xffff)))
# `key:` then nothing or spaces and a value; keys are simple words (PyYAML caps keys at 1024).
_KEY = re.compile(r"([A-Za-z_][A-Za-z0-9_-]{0,127}):(?: +(.*))?")
# A plain scalar may not start with one of these (they start other YAML syntax).
_INDICATORS = frozenset("-?:,[]{}#&*!|>'\"%@`")
# Inside `[...]` items are plain words: none of these, so no nesting, quoting or comments.
_FLOW_ITEM_FORBIDDEN = re.compile(r"[\[\]{}:#?'\"]")
_MAX_DEPTH = 50  # nesting far beyond any record; keeps the recursion well inside Python's limit

_Line = tuple[int, str, int]  # (indent, content without indent or trailing spaces, 1-based line)


class _Outside(Exception):
    """The text is outside the subset: the full loader must read it."""


def parse_subset(text: str) -> LocatedDict | None:
    """The strict loader's mapping for `text` (lines relative to it), or None if outside the subset.

    >>> data = parse_subset("scope: [Korea, yes]\\nsources:\\n  - title: T\\n")
    >>> data, data.key_lines, data["sources"][0].line
    ({'scope': ['Korea', 'yes'], 'sources': [{'title': 'T'}]}, {'scope': 1, 'sources': 2}, 3)
    >>> parse_subset("policy: a # a comment\\n") is None
    True
    """
    if not _ODD_CHARACTERS.isdisjoint(text):
        return None
    try:
        return _Parser(_lines(text)).document()
    except _Outside:
        return None


def _lines(text: str) -> list[_Line]:
    """The non-blank lines; comments are refused here, once, for keys and values alike."""
    lines = []
    for number, raw in enumerate(text.split("\n"), 1):
        content = raw.lstrip(" ")
        indent = len(raw) - len(content)
        content = content.rstrip(" ")  # only spaces: str.strip() would also eat U+00A0
        if not content:
            continue
        if content.startswith("#") or " #" in content:
            raise _Outside
        lines.append((indent, content, number))
    return lines


class _Parser:
    """Recursive descent over lines: each block owns the lines at its indent."""

    def __init__(self, lines: list[_Line]) -> None:
        self.lines = lines
        self.next = 0  # index of the first line not yet read

    def document(self) -> LocatedDict:
        if not self.lines:
            return empty_mapping()  # blank YAML loads as null, which load_mapping makes {}
        if self.lines[0][0] != 0:
            raise _Outside
        mapping = self.mapping(0, 0)
        if self.next != len(self.lines):  # a line less indented than the first: not ours
            raise _Outside
        return mapping

    def peek(self) -> _Line | None:
        return self.lines[self.next] if self.next < len(self.lines) else None

    def mapping(self, indent: int, depth: int) -> LocatedDict:
        """Entries `key: value` at exactly `indent`; the first line is known to be one."""
        result = LocatedDict()
        result.line, result.key_lines = self.lines[self.next][2], {}
        while (line := self.peek()) is not None and line[0] >= indent:
            match = _KEY.fullmatch(line[1])
            # Deeper lines here would be continuations; `true:` keys would become "True".
            if line[0] > indent or not match or match[1] in result \
                    or type(_resolve(match[1])) is not str:
                raise _Outside
            self.next += 1
            result[match[1]] = self.value(match[2], indent, depth)
            result.key_lines[match[1]] = line[2]
        return result

    def value(self, inline: str | None, indent: int, depth: int) -> Any:
        """The value of a key at `indent`: on its line, else the block below, else null."""
        if inline is not None:
            return _scalar(inline)
        if depth >= _MAX_DEPTH:
            raise _Outside
        line = self.peek()
        if line is not None and line[0] >= indent and _is_item(line[1]):
            return self.sequence(line[0], depth + 1)  # YAML lets it sit at the key's indent
        if line is not None and line[0] > indent:
            return self.mapping(line[0], depth + 1)
        return None

    def sequence(self, indent: int, depth: int) -> list[Any]:
        """Items `- value` at exactly `indent`."""
        items = []
        while (line := self.peek()) is not None and line[0] == indent and _is_item(line[1]):
            rest = line[1][2:]
            if not rest or rest.startswith(" "):  # `-` alone, or an item indented further
                raise _Outside
            if _KEY.fullmatch(rest):
                # `- key: v` is a mapping whose keys line up two columns in, under `key`.
                self.lines[self.next] = (indent + 2, rest, line[2])
                items.append(self.mapping(indent + 2, depth + 1))
            else:
                self.next += 1
                items.append(_scalar(rest))
        return items  # a deeper line after it is refused by the mapping that holds it


def _is_item(content: str) -> bool:
    return content == "-" or content.startswith("- ")


def _scalar(text: str) -> Any:
    """A one-line value: quoted without escapes, a flat `[...]`, or a plain scalar."""
    if text[0] == '"':
        return _quoted(text, '"\\')
    if text[0] == "'":
        return _quoted(text, "'")
    if text[0] == "[":
        return _flow_sequence(text)
    if text[0] in _INDICATORS or ": " in text or text.endswith(":"):
        raise _Outside
    return _resolve(text)


def _quoted(text: str, forbidden: str) -> str:
    """`"..."` without `"` or `\\` inside, `'...'` without `'` inside: the text between."""
    inner = text[1:-1]
    if len(text) < 2 or text[-1] != text[0] or any(char in inner for char in forbidden):
        raise _Outside
    return inner


def _flow_sequence(text: str) -> list[Any]:
    """`[a, b c]` of plain words (no nesting, quotes, colons or empty items)."""
    if not text.endswith("]"):
        raise _Outside
    inner = text[1:-1]
    if not inner.strip(" "):
        return []
    items = [item.strip(" ") for item in inner.split(",")]
    for item in items:
        if not item or item[0] in _INDICATORS or _FLOW_ITEM_FORBIDDEN.search(item):
            raise _Outside
    return [_resolve(item) for item in items]


def _resolve(plain: str) -> Any:
    """An unquoted scalar as the strict loader types it: bool, None, Yaml11Bool, else str."""
    if TRUE_FALSE.match(plain):
        return plain.lower() == "true"
    if NULL.match(plain):
        return None
    if YAML11_BOOL.match(plain):
        return Yaml11Bool(plain)
    return plain
