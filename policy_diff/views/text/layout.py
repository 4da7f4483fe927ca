"""The diff and history views' own layout: styled runs, word wrap, grids, two-column tables.

rich's table layout took 36 s to print a diff of 99,000 blocks, and its line splitter is
quadratic in a long cell.  These views need only this: text in runs with named styles,
greedy word wrap that folds words longer than a line (as rich does), grids whose last
column wraps, and two columns side by side.  `Layout` is the rich renderable that draws
them, in linear time: segments styled from the theme, printed by the one Console of the
command (views/text/screen.py), which decides colour and width.  Record text must already be
`sanitize`d: nothing here interprets it.

>>> print(render([Styled("A long sentence, wrapped.")], width=10, colour=False), end="")
A long
sentence,
wrapped.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache
from typing import Any, Iterable, Iterator, Union

from rich.console import Console, ConsoleOptions, RenderableType, RenderResult
from rich.measure import Measurement
from rich.segment import Segment
from rich.style import Style

from .screen import LaidOut, fixed_console, has_colour, render_text

Span = tuple[str, str]  # (text, style): a style is a theme name, plain words, or ""
Line = list[Span]  # a drawn line with colour, without its newline (without: a str)


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


class Layout(LaidOut):
    """PARTS laid out at the width of the console that prints them, with its colour decision
    (views/text/screen.py): a rich renderable yielding segments, styled from the theme."""

    def __init__(self, parts: Iterable[Part] = ()) -> None:
        self._parts = parts

    def parts(self, console: Console) -> Iterable[Part]:
        """What to lay out on CONSOLE (a view may draw markers where it has no colour)."""
        return self._parts

    def segments(self, console: Console, width: int) -> Iterator[Segment]:
        if not has_colour(console):  # no style to carry: a part's text is one segment
            for part in self.parts(console):
                yield Segment("".join(line + "\n" for line in _lines(part, width, False)))
            return
        styles: dict[str, Style] = {}
        plain = ""  # unstyled text waiting: padding, gaps and newlines go out as one segment
        for part in self.parts(console):
            for line in _lines(part, width, True):
                for text, name in line:
                    if not name:
                        plain += text
                        continue
                    if plain:
                        yield Segment(plain)
                        plain = ""
                    style = styles.get(name)
                    if style is None:
                        style = styles[name] = Style.combine(map(console.get_style, name.split()))
                    yield Segment(text, style)
                plain += "\n"
        if plain:
            yield Segment(plain)


class Split:
    """A rich renderable's segments cut at newlines, so that no segment spans two lines.

    rich's line splitter (Segment.split_and_crop_lines, behind every table cell and padding)
    peels the lines off a multi-line segment with str.partition, copying the rest each time:
    quadratic in one long block of wrapped record text (a 10 MB paragraph took a minute).
    The views that hand record text to rich wrap it in this; the same lines, linear time.
    """

    def __init__(self, renderable: RenderableType) -> None:
        self.renderable = renderable

    def __rich_measure__(self, console: Console, options: ConsoleOptions) -> Measurement:
        return Measurement.get(console, options, self.renderable)

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        for segment in console.render(self.renderable, options):
            if segment.control or "\n" not in segment.text:
                yield segment
                continue
            for index, line in enumerate(segment.text.split("\n")):
                if index:
                    yield Segment("\n", segment.style)
                if line:
                    yield Segment(line, segment.style)


def _lines(part: Part, width: int, colour: bool) -> list[Any]:
    """The part's lines: text without colour, spans with."""
    if isinstance(part, Styled):
        return [line for line, _ in _drawn(part, width, colour)]
    if isinstance(part, Grid):
        return _grid_lines(part, width, colour)
    return _side_by_side_lines(part, width, colour)


def render(parts: Iterable[Part], width: int, colour: bool) -> str:
    """Every part laid out at WIDTH, one per line or more, each line ending in a newline:
    the text a console of that width, with colour or without, prints."""
    return render_text(_console(colour, width), Layout(parts))


@lru_cache(maxsize=8)
def _console(colour: bool, width: int) -> Console:  # a history renders each commit with one
    return fixed_console("standard" if colour else None, width)


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
    """`_breaks` where a character is a column: the same decisions, a line at a time.

    A line ends after the last word whose letters end within WIDTH columns of its start
    (one regular expression match, not a step per word); the next starts at the next
    word.  A word longer than a line is folded into pieces of WIDTH columns, its trailing
    spaces counted, and the line goes on after the last piece, as rich's divide_line does.
    """
    line = _ascii_line(width)
    breaks: list[int] = []
    position = 0
    while True:
        found = line.match(text, position)
        if found is not None:  # as many words as fit; the next line starts at the next word
            following = _NON_SPACE.search(text, found.end())
            if following is None:
                return breaks
            position = following.start()
            breaks.append(position)
            continue
        word = _NON_SPACE.search(text, position)
        if word is None:  # only spaces left
            return breaks
        if position and word.start() > position:  # after a fold, in its trailing spaces: the
            position = word.start()               # next word starts a line, then as above
            breaks.append(position)
            continue
        whole = _WORD.match(text, position)  # the word with its trailing spaces
        folds = range(position + width, whole.end() if whole else len(text), width)
        breaks += folds
        position = folds[-1]


@lru_cache(maxsize=64)
def _ascii_line(width: int) -> re.Pattern[str]:
    """The longest run of at most WIDTH characters that ends at the end of a word."""
    return re.compile(rf"[^\n]{{0,{width - 1}}}\S(?=\s|\Z)")


_NON_SPACE = re.compile(r"\S")


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


def _drawn(cell: Styled, width: int | None, colour: bool) -> list[tuple[Any, int]]:
    """The cell's lines, wrapped at WIDTH (None: only at newlines), each with the columns it
    takes: with COLOUR as spans, each keeping its style joined with the cell's, else text."""
    wrap = None if cell.no_wrap or width is None else max(width, 1)
    if not colour:  # styles draw nothing: cut the plain text, no spans needed
        plain = cell.plain
        lines = [plain[start:end] for start, end in _line_ranges(plain, wrap)]
        return [(line, cell_width(line)) for line in lines]
    return [(spans, sum(cell_width(piece) for piece, _ in spans))
            for spans in _cell_lines(cell, wrap)]


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

def _row_lines(cells: list[list[tuple[Any, int]]], widths: list[int], gap: str, colour: bool,
               lead: str = "") -> list[Any]:
    """A row of drawn cells side by side, each padded to its column's width (0: not padded).
    Without colour the lines are text, joined as text: a third faster than spans."""
    out: list[Any] = []
    rows = range(max(map(len, cells)))
    if not colour:
        for i in rows:
            pieces = []
            for lines, size in zip(cells, widths):
                text, used = lines[i] if i < len(lines) else ("", 0)
                pieces.append(text + " " * (size - used) if size > used else text)
            out.append((lead + gap.join(pieces)).rstrip(" "))
        return out
    for i in rows:
        line: Line = [(lead, "")]
        for k, (lines, size) in enumerate(zip(cells, widths)):
            spans, used = lines[i] if i < len(lines) else ([], 0)
            if k:
                line.append((gap, ""))
            line += spans
            if size > used:
                line.append((" " * (size - used), ""))
        out.append(_trimmed(line))
    return out


def _trimmed(line: Line) -> Line:
    """LINE without the padding at its end: a terminal would not show it."""
    while line and not line[-1][1]:
        text = line[-1][0].rstrip(" ")
        if text:
            line[-1] = (text, "")
            break
        line.pop()
    return line


def _grid_lines(grid: Grid, width: int, colour: bool) -> list[Any]:
    if not grid.rows:
        return []
    columns = len(grid.styles)
    fixed = [max((cell_width(line) for row in grid.rows for line in row[k].plain.split("\n")),
                 default=0) for k in range(columns - 1)]
    last = max(width - sum(fixed) - grid.padding * (columns - 1), 1)
    wraps = [None] * (columns - 1) + [last]  # the fixed columns break only at newlines
    out = []
    for row in grid.rows:
        cells = [_drawn(_restyled(cell, style), wrap, colour)
                 for cell, style, wrap in zip(row, grid.styles, wraps)]
        out += _row_lines(cells, [*fixed, 0], " " * grid.padding, colour)
    return out


def _restyled(cell: Styled, style: str) -> Styled:
    """CELL with the column's style under its own."""
    if not style:
        return cell
    copy = Styled(style=_join(style, cell.style), no_wrap=cell.no_wrap)
    copy.spans = cell.spans
    return copy


def _side_by_side_lines(table: SideBySide, width: int, colour: bool) -> list[Any]:
    # As rich's expanded table with padding 1: gutters take 3 columns each with their
    # padding, the two texts share the rest (the old side gets the odd column).
    shared = max(width - 6, 4)
    old_width = -(-shared // 2) - 2
    new_width = shared - (old_width + 2) - 2
    widths = [1, old_width, 1, new_width]
    out = []
    for row in table.rows:
        cells = [_drawn(cell, size, colour) for cell, size in zip(row, widths)]
        out += _row_lines(cells, widths, "  ", colour, lead=" ")
    return out
