"""Terminal text without rich: styled runs, word wrap, grids, two-column tables, SGR codes.

rich costs about 40 ms to import, most of a small diff's run, and its table layout
took 36 s to print a diff of 99,000 blocks.  The diff and history views need only
this: text in runs with named styles, greedy word wrap that folds words longer than
a line (as rich does), grids whose last column wraps, and colour as SGR codes.
Record text must already be `sanitize`d: nothing here interprets it.

>>> print(render([Styled("A long sentence, wrapped.")], width=10, colour=False), end="")
A long
sentence,
wrapped.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache
from typing import Iterable, Union

from .theme import STYLES

Span = tuple[str, str]  # (text, style): a style is a theme name, plain words, or ""


class Styled:
    """A run of text made of styled spans (rich's Text, the part the views use)."""

    __slots__ = ("spans", "style", "no_wrap")

    def __init__(self, text: str = "", style: str = "", no_wrap: bool = False) -> None:
        self.spans: list[Span] = [(text, "")] if text else []
        self.style = style  # under every span, like a rich Text's own style
        self.no_wrap = no_wrap

    def append(self, text: str, style: str = "") -> Styled:
        if text:
            self.spans.append((text, style))
        return self

    def extend(self, other: Styled) -> Styled:
        """Append OTHER's spans, each keeping OTHER's own style under its own."""
        for text, style in other.spans:
            self.append(text, _join(other.style, style))
        return self

    @property
    def plain(self) -> str:
        return "".join(text for text, _ in self.spans)


class Grid:
    """Rows of cells: every column but the last as wide as its widest cell, the last wraps."""

    def __init__(self, styles: Iterable[str], padding: int = 1) -> None:
        self.styles = list(styles)  # one style per column, under the cells' own
        self.padding = padding
        self.rows: list[list[Styled]] = []

    def add_row(self, *cells: Styled | str) -> None:
        self.rows.append([cell if isinstance(cell, Styled) else Styled(cell) for cell in cells])


class SideBySide:
    """Four columns — gutter, old, gutter, new — the two texts sharing the width equally."""

    def __init__(self) -> None:
        self.rows: list[tuple[Styled, Styled, Styled, Styled]] = []

    def add_row(self, old_mark: Styled, old: Styled, new_mark: Styled, new: Styled) -> None:
        self.rows.append((old_mark, old, new_mark, new))


Part = Union[Styled, Grid, SideBySide]


def render(parts: Iterable[Part], width: int, colour: bool) -> str:
    """Every part laid out at WIDTH, one per line or more, each line ending in a newline."""
    lines: list[str] = []
    for part in parts:
        if isinstance(part, Styled):
            lines += [text for text, _ in _cell_text(part, width, colour)]
        elif isinstance(part, Grid):
            lines += _grid_lines(part, width, colour)
        else:
            lines += _side_by_side_lines(part, width, colour)
    return "".join(line + "\n" for line in lines)


# Widths ---------------------------------------------------------------------------

def cell_width(text: str) -> int:
    """Columns the text takes: East Asian wide characters two, combining marks none."""
    if text.isascii():
        return len(text)
    return sum(_char_width(char) for char in text)


@lru_cache(maxsize=4096)
def _char_width(char: str) -> int:
    if unicodedata.combining(char) or unicodedata.category(char) in ("Mn", "Me", "Cf"):
        return 0
    return 2 if unicodedata.east_asian_width(char) in ("W", "F") else 1


def _chop(word: str, width: int) -> list[str]:
    """Pieces of WORD of at most WIDTH columns each (a wide character never split)."""
    if word.isascii():
        return [word[i:i + width] for i in range(0, len(word), width)]
    pieces, piece, used = [], "", 0
    for char in word:
        size = _char_width(char)
        if used + size > width and piece:
            pieces.append(piece)
            piece, used = "", 0
        piece += char
        used += size
    return pieces + [piece] if piece else pieces


# Wrapping -------------------------------------------------------------------------

_WORD = re.compile(r"\s*\S+(\s*)")  # a word with the spaces before (at the start) and after


def _breaks(text: str, width: int) -> list[int]:
    """Offsets to start new lines at so TEXT (no newlines) fits WIDTH: rich's divide_line."""
    if cell_width(text) <= width:
        return []
    if text.isascii():
        return _ascii_breaks(text, width)
    breaks: list[int] = []
    offset = 0  # columns used on the current line
    for match in _WORD.finditer(text):
        start, word = match.start(), match.group()
        size = cell_width(word.rstrip())
        if width - offset >= size:
            offset += cell_width(word)
        elif size > width:  # longer than a line: fold it, starting on a line of its own
            pieces = _chop(word, width)
            for piece in pieces[:-1]:
                if start:
                    breaks.append(start)
                start += len(piece)
            if start:
                breaks.append(start)
            offset = cell_width(pieces[-1])
        elif offset and start:
            breaks.append(start)
            offset = cell_width(word)
    return breaks


def _ascii_breaks(text: str, width: int) -> list[int]:
    """`_breaks` where a character is a column: the same decisions, five times faster on a
    10 MB paragraph."""
    breaks: list[int] = []
    offset = 0
    for match in _WORD.finditer(text):
        start, end = match.span()
        size = match.start(1) - start  # the word without its trailing spaces
        if width - offset >= size:
            offset += end - start
        elif size > width:  # fold: pieces of WIDTH columns, the first on a line of its own
            if start:
                breaks.append(start)
            folds = range(start + width, end, width)  # the word's trailing spaces included
            breaks += folds
            offset = end - (folds[-1] if folds else start)
        elif offset and start:
            breaks.append(start)
            offset = end - start
    return breaks


def _line_ranges(text: str, width: int | None) -> list[tuple[int, int]]:
    """(start, end) of each line of TEXT: at its newlines, and wrapped unless WIDTH is None;
    trailing spaces dropped, as a terminal would not show them."""
    ranges = []
    position = 0
    for paragraph in text.split("\n"):
        starts = [0, *(_breaks(paragraph, width) if width is not None else ())]
        ends = starts[1:] + [len(paragraph)]
        for start, end in zip(starts, ends):
            while end > start and paragraph[end - 1] == " ":
                end -= 1
            ranges.append((position + start, position + end))
        position += len(paragraph) + 1
    return ranges


def _cell_text(cell: Styled, width: int | None, colour: bool) -> list[tuple[str, int]]:
    """The cell's lines, wrapped at WIDTH (None: only at newlines) and drawn with SGR codes
    when COLOUR, each with the columns it takes."""
    wrap = None if cell.no_wrap or width is None else max(width, 1)
    if not colour:  # styles draw nothing: cut the plain text, no spans needed
        plain = cell.plain
        lines = [plain[start:end] for start, end in _line_ranges(plain, wrap)]
        return [(line, cell_width(line)) for line in lines]
    return [("".join(_styled(piece, style) for piece, style in spans),
             sum(cell_width(piece) for piece, _ in spans)) for spans in _cell_lines(cell, wrap)]


def _cell_lines(cell: Styled, wrap: int | None) -> list[list[Span]]:
    """The cell's lines as spans, each span's style joined with the cell's."""
    spans = cell.spans
    offsets = []  # where each span starts in the cell's text
    position = 0
    for text, _ in spans:
        offsets.append(position)
        position += len(text)
    lines: list[list[Span]] = []
    first = 0  # the first span that does not end before the current line
    for start, end in _line_ranges(cell.plain, wrap):
        while first < len(spans) and offsets[first] + len(spans[first][0]) <= start:
            first += 1
        line: list[Span] = []
        k = first
        while k < len(spans) and offsets[k] < end:
            text, style = spans[k]
            piece = text[max(start - offsets[k], 0):end - offsets[k]]
            if piece:
                line.append((piece, _join(cell.style, style)))
            k += 1
        lines.append(line)
    return lines


def _join(base: str, style: str) -> str:
    return f"{base} {style}" if base and style else base or style


# Drawing --------------------------------------------------------------------------

def _row_lines(cells: list[list[tuple[str, int]]], widths: list[int], gap: str,
               lead: str = "") -> list[str]:
    """A row of drawn cells side by side, each padded to its column's width (0: not padded)."""
    out = []
    for i in range(max(map(len, cells))):
        pieces = []
        for lines, size in zip(cells, widths):
            text, used = lines[i] if i < len(lines) else ("", 0)
            pieces.append(text + " " * (size - used) if size > used else text)
        out.append((lead + gap.join(pieces)).rstrip(" "))
    return out


def _styled(text: str, style: str) -> str:
    codes = sgr_codes(style) if style else ""
    return f"\x1b[{codes}m{text}\x1b[0m" if codes else text


_SGR = {"bold": 1, "dim": 2, "italic": 3, "underline": 4, "strike": 9, "red": 31, "green": 32,
        "yellow": 33, "blue": 34, "magenta": 35, "cyan": 36}


@lru_cache(maxsize=256)
def sgr_codes(style: str) -> str:
    """`pd.deleted` -> `9;31`: theme names expanded, attributes first, then the colour."""
    words = []
    for name in style.split():
        words += STYLES.get(name, name).split()
    codes = sorted({_SGR[word] for word in words if word in _SGR})
    return ";".join(map(str, codes))


def _grid_lines(grid: Grid, width: int, colour: bool) -> list[str]:
    if not grid.rows:
        return []
    columns = len(grid.styles)
    fixed = [max((cell_width(line) for row in grid.rows for line in row[k].plain.split("\n")),
                 default=0) for k in range(columns - 1)]
    last = max(width - sum(fixed) - grid.padding * (columns - 1), 1)
    wraps = [None] * (columns - 1) + [last]  # the fixed columns break only at newlines
    out = []
    for row in grid.rows:
        cells = [_cell_text(_restyled(cell, style), wrap, colour)
                 for cell, style, wrap in zip(row, grid.styles, wraps)]
        out += _row_lines(cells, [*fixed, 0], " " * grid.padding)
    return out


def _restyled(cell: Styled, style: str) -> Styled:
    """CELL with the column's style under its own."""
    if not style:
        return cell
    copy = Styled(style=_join(style, cell.style), no_wrap=cell.no_wrap)
    copy.spans = cell.spans
    return copy


def _side_by_side_lines(table: SideBySide, width: int, colour: bool) -> list[str]:
    # As rich's expanded table with padding 1: gutters take 3 columns each with their
    # padding, the two texts share the rest (the old side gets the odd column).
    shared = max(width - 6, 4)
    old_width = -(-shared // 2) - 2
    new_width = shared - (old_width + 2) - 2
    widths = [1, old_width, 1, new_width]
    out = []
    for row in table.rows:
        cells = [_cell_text(cell, size, colour) for cell, size in zip(row, widths)]
        out += _row_lines(cells, widths, "  ", lead=" ")
    return out
