"""The records' inline Markdown in the reports, with every deletion and insertion kept.

A redline's pieces cut across Markdown freely (a deletion may hold the closing `**` of an
emphasis, or half a code span), so the pieces are never handed to a Markdown renderer.
Each side's text is read on its own, character by character: which characters are markup
(`**`, backticks, `[`, `](url)`, a backslash, a list marker) and which styles the others
carry.  A piece then takes its styles from its own side (a deletion from the old text, an
insertion and unchanged text from the new) and is drawn as runs, each run closing every
tag it opens: the tags always nest, whatever the pieces.  Markup that a piece holds alone
(an emphasis removed: only `**` deleted) is kept as written, so no change goes unseen.

Only this reading of Markdown is done: emphasis, strong, strike-through, code spans,
links (drawn `text (url)`: the reports link to nothing, and the address still prints),
backslash escapes, list markers (drawn as bullets) and table cells.  Raw HTML stays text.
"""

from __future__ import annotations

import re
from typing import Callable, Iterable, TypeVar

Segment = tuple[str, str]  # (mark: "" | "del" | "ins" | "cut", raw record text)
Run = tuple[str, tuple[str, ...], str]  # (mark, styles, text)
Piece = TypeVar("Piece", Segment, Run)

_CODE = re.compile(r"(`+)(?!`)(.+?)(?<!`)\1(?!`)", re.DOTALL)
_ESCAPE = re.compile(r"\\([!-/:-@\[-`{-~])")
_LINK = re.compile(r"\[([^\[\]\n]+)\]\(<?([^()\s<>]+)>?(?:\s+\"[^\"\n]*\")?\)")
_AUTOLINK = re.compile(r"<((?:https?://|mailto:)[^\s<>]+)>")
_STRONG = re.compile(r"(\*\*|__)(?=\S)(.+?)(?<=\S)\1", re.DOTALL)
_EM = re.compile(r"(?<![\w*])(\*|_)(?=[^\s*_])(.+?)(?<=[^\s*_])\1(?![\w*])", re.DOTALL)
_STRIKE = re.compile(r"~~(?=\S)(.+?)(?<=\S)~~", re.DOTALL)
_MARKER = re.compile(r"^([ \t>]*)([-*+]|\d{1,9}[.)])(?=[ \t]|$)", re.MULTILINE)
_HIDDEN = "hidden"
_MARKUP = re.compile(r"[*_`\[\\~<]")
BULLET = "•"
CELL = "cell"


class _Side:
    """One side's text: for each character, the styles it carries, or markup (hidden)."""

    def __init__(self, text: str, kind: str) -> None:
        self.text = text
        self.styles: list[set[str]] = [set() for _ in text]
        self.free = [True] * len(text)  # not yet inside code or markup
        if kind == "code":
            return
        for match in _CODE.finditer(text):
            self._hide(match.start(), match.start(2))
            self._hide(match.end(2), match.end())
            self._style(match.start(2), match.end(2), "code", close=True)
        for match in _ESCAPE.finditer(text):
            if self._all_free(match.start(), match.end()):
                self._hide(match.start(), match.start() + 1)
                self.free[match.start() + 1] = False
        if kind == "list_item":  # a bullet drawn as one; a number (`1.`) is kept as written
            for match in _MARKER.finditer(text):
                if match.group(2) in "-*+" and self._all_free(match.start(2), match.end(2)):
                    self._hide(match.start(2), match.end(2), bullet=True)
        if kind == "table_row":  # a `|` outside code and escapes divides cells
            for i, char in enumerate(text):
                if char == "|" and self.free[i]:
                    self.styles[i] = {_HIDDEN, CELL}
                    self.free[i] = False
        for match in _AUTOLINK.finditer(text):  # <url>: the URL, shown as one
            if self._all_free(match.start(), match.end()):
                self._hide(match.start(), match.start(1))
                self._hide(match.end(1), match.end())
                self._style(match.start(1), match.end(1), "url", close=True)
        for match in _LINK.finditer(text):  # [text](url): the text, then (url) muted
            if self._all_free(match.start(), match.end()):
                self._hide(match.start(), match.start(1))
                self._hide(match.end(1), match.end(1) + 1, replace=" ")
                self._style(match.end(1) + 1, match.end(), "url", close=True)
        for pattern, name in ((_STRONG, "strong"), (_STRIKE, "s"), (_EM, "em")):
            for match in pattern.finditer(self._masked()):
                inner = match.lastindex or 1
                start, end = match.start(inner), match.end(inner)
                if self._all_free(match.start(), start) and self._all_free(end, match.end()):
                    self._hide(match.start(), start)
                    self._hide(end, match.end())
                    self._style(start, end, name)

    def _masked(self) -> str:
        """The text with markup and code blanked out, so no pattern matches inside them."""
        return "".join(c if free else "\0" for c, free in zip(self.text, self.free))

    def _all_free(self, start: int, end: int) -> bool:
        return all(self.free[start:end])

    def _hide(self, start: int, end: int, bullet: bool = False, replace: str = "") -> None:
        """Markup: left out, or drawn as a bullet or as REPLACE."""
        for i in range(start, end):
            self.styles[i] = {_HIDDEN, BULLET} if bullet else {_HIDDEN, "=" + replace} \
                if replace else {_HIDDEN}
            self.free[i] = False

    def _style(self, start: int, end: int, name: str, close: bool = False) -> None:
        for i in range(start, end):
            if _HIDDEN not in self.styles[i]:
                self.styles[i].add(name)
            if close:
                self.free[i] = False


def styled_runs(segments: Iterable[Segment], kind: str) -> list[Run]:
    """SEGMENTS (one side, or both: deletions then insertions) as runs of text with the
    styles of the Markdown they stand in; markup left out, list markers as bullets."""
    segments = [(mark, text) for mark, text in segments if text]
    if not any(_MARKUP.search(text) for _, text in segments) \
            and kind not in ("list_item", "table_row"):  # no markup: no need to read it
        return _merge([(mark, (), text) for mark, text in segments])
    old = _Side("".join(t for m, t in segments if m in ("", "del", "cut")), kind)
    new = _Side("".join(t for m, t in segments if m in ("", "ins", "cut")), kind)
    at_old = at_new = 0
    runs: list[Run] = []
    marks = {mark for mark, _ in segments}
    old_only = "del" in marks and "ins" not in marks  # the old column of a split view
    for mark, text in segments:
        side, at = (old, at_old) if mark == "del" or old_only else (new, at_new)
        if mark == "cut":
            runs.append((mark, (), text))
        else:
            styles = side.styles[at:at + len(text)]
            alone = mark in ("del", "ins") and all(_HIDDEN in s for s in styles)
            runs += _runs(mark, text, [set() for _ in text] if alone else styles)
        at_old += len(text) if mark in ("", "del", "cut") else 0
        at_new += len(text) if mark in ("", "ins", "cut") else 0
    return _merge(runs)


def _runs(mark: str, text: str, styles: list[set[str]]) -> list[Run]:
    out: list[Run] = []
    for char, style in zip(text, styles):
        if BULLET in style:
            out.append((mark, (), BULLET))
        elif CELL in style:
            out.append((mark, (CELL,), "|"))
        elif _HIDDEN in style:
            out += [(mark, (), s[1:]) for s in style if s.startswith("=")]
        else:
            out.append((mark, tuple(sorted(style)), char))
    return out


def _merge(runs: list[Run]) -> list[Run]:
    merged: list[Run] = []
    for mark, styles, text in runs:
        if merged and merged[-1][:2] == (mark, styles):
            merged[-1] = (mark, styles, merged[-1][2] + text)
        else:
            merged.append((mark, styles, text))
    return merged


_ORDER = {"strong": 1, "em": 2, "s": 3, "code": 4}


def runs_html(runs: Iterable[Run], escape: Callable[[str], str], cut: Callable[[str], str],
              url: Callable[[str], str] = lambda text: text,
              first: Callable[[str], str] | None = None) -> str:
    """Runs as HTML: each stretch of one mark in one `<del>` or `<ins>`, the styles inside it
    as tags that open and close in their run, so every tag nests whatever the pieces.
    FIRST escapes the first run's text instead of ESCAPE (a line's start, in Markdown)."""
    out: list[str] = []
    open_mark = ""
    last = ""  # the text of the run before
    for index, (mark, styles, text) in enumerate(runs):
        if mark == "ins" and open_mark == "del" and last[-1:].strip() and text[:1].strip():
            out.append("</del> ")  # deleted and inserted words never read as one word
            open_mark = ""
        last = text
        if mark != open_mark:
            out.append(f"</{open_mark}>" if open_mark else "")
            open_mark = mark if mark in ("del", "ins") else ""
            out.append(f"<{open_mark}>" if open_mark else "")
        if mark == "cut":
            out.append(cut(text))
            continue
        inner = (first if first and index == 0 else escape)(text)
        for style in sorted(styles, key=lambda s: -_ORDER.get(s, 0)):
            inner = url(inner) if style == "url" else f"<{style}>{inner}</{style}>"
        out.append(inner)
    out.append(f"</{open_mark}>" if open_mark else "")
    return "".join(out)


def cells(runs: list[Run]) -> list[list[Run]]:
    r"""A table row's runs split into cells at its dividing `|` (of either side, so an added
    or removed column is a cell of its own); the row's outer pipes dropped.

    >>> [["".join(r[2] for r in cell)] for cell in cells([("", (), " a "), ("", ("cell",), "|"),
    ...                                                  ("ins", (), " b ")])]
    [['a'], ['b']]
    """
    out: list[list[Run]] = [[]]
    for run in runs:
        if run[1] == (CELL,):
            out.append([])
        else:
            out[-1].append(run)
    if out and not "".join(r[2] for r in out[0]).strip():
        out = out[1:]
    if out and not "".join(r[2] for r in out[-1]).strip():
        out = out[:-1]
    return [_strip(cell) for cell in out]


def _strip(cell: list[Run]) -> list[Run]:
    """A cell without the spaces around its text (they only pad the source's columns)."""
    if cell:
        cell[0] = (*cell[0][:2], cell[0][2].lstrip())
        cell[-1] = (*cell[-1][:2], cell[-1][2].rstrip())
    return [run for run in cell if run[2]]


_RULE = re.compile(r"^[\s|:\-]+$")


def split_lines(pieces: Iterable[Piece]) -> list[list[Piece]]:
    """PIECES (segments or runs, their text last) cut at the line breaks of their text: one
    list of pieces a line, empty parts dropped."""
    lines: list[list[Piece]] = [[]]
    for piece in pieces:
        for index, part in enumerate(piece[-1].split("\n")):
            if index:
                lines.append([])
            if part:
                lines[-1].append(piece[:-1] + (part,))
    return lines


def table_lines(runs: list[Run]) -> list[tuple[bool, list[list[Run]]]]:
    """A table row block's lines as (is the header, cells); the `|---|` rule line, which is
    markup, dropped: a block whose second line is the rule is the header row."""
    lines = split_lines(runs)
    texts = ["".join(r[2] for r in line) for line in lines]
    rules = [bool(_RULE.match(text)) and "-" in text for text in texts]
    header = len(lines) > 1 and rules[1]
    return [(header, cells(line)) for line, rule in zip(lines, rules) if not rule]
