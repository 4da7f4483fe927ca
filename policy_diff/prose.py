"""A fast path for plain prose: find blocks without running the Markdown parser.

Most of a policy is paragraphs, `#` headings and one-line list items between
blank lines, and
markdown-it (pure Python) is the slowest stage of a large diff.  Runs of lines
that can only be paragraphs or ATX headings are split here directly; every
other run (lists, quotes, tables, code, HTML, setext headings, anything
unusual) goes to markdown-it with the blank-line-separated runs around it, so
the result is the same as parsing the whole body with markdown-it: a property
test holds the two to that.
"""

from __future__ import annotations

import re

# A line that could start or interrupt something other than paragraph text.
_SPECIAL = re.compile(r"[ \t]*(?:[>\-*+_=#<|~`\[:]|\d{1,9}[.)](?:[ \t]|$))")
_ATX = re.compile(r"#{1,6}(?=[ \t]|$)")
_FENCE = re.compile(r" {0,3}(`{3,}|~{3,})")
# HTML blocks of CommonMark types 1-5 run across blank lines; leave those bodies to markdown-it.
_LONG_HTML = re.compile(r" {0,3}<(?:script|pre|style|textarea|!--|\?|![A-Za-z]|!\[CDATA\[)",
                        re.IGNORECASE)

_LIST_ITEM = re.compile(r"(?:[-*+]|\d{1,9}[.)])[ \t]+\S")
_THEMATIC = re.compile(r" {0,3}([-*_])(?:[ \t]*\1){2,}[ \t]*$")

Event = tuple[int, int, str, tuple[int, str]]  # (start, end, kind, (heading level, text))
NO_HEADING = (0, "")


def is_blank(line: str) -> bool:
    """Blank as Markdown means it: only spaces and tabs (str.strip() also eats \\x0c, \\x1f...)."""
    return not line.strip(" \t")


def split_segments(body: list[str]) -> list[tuple[int, int, bool]]:
    """Cover the body with (start, end, simple) line ranges; simple ones are plain prose."""
    segments: list[tuple[int, int, bool]] = []
    fence: tuple[str, int] | None = None
    rest_complex = False
    chunks = _chunks(body)
    for index, (start, end) in enumerate(chunks):
        lines = body[start:end]
        # An indented run after a list continues its last item: leave that pair to markdown-it.
        next_indented = index + 1 < len(chunks) and body[chunks[index + 1][0]][:1] in (" ", "\t")
        simple = not rest_complex and fence is None and (
            _simple_run(lines) or (not next_indented and all(map(_list_line, lines))))
        if not simple:
            fence = _fence_state(lines, fence)
            rest_complex = rest_complex or any(_LONG_HTML.match(line) for line in lines)
        if segments and not simple and not segments[-1][2]:
            segments[-1] = (segments[-1][0], end, False)  # join neighbouring complex runs
        else:
            segments.append((start, end, simple))
    return segments


def _chunks(body: list[str]) -> list[tuple[int, int]]:
    """Runs of non-blank lines."""
    chunks, start = [], None
    for index, line in enumerate(body):
        if is_blank(line):
            if start is not None:
                chunks.append((start, index))
                start = None
        elif start is None:
            start = index
    if start is not None:
        chunks.append((start, len(body)))
    return chunks


def _simple_run(lines: list[str]) -> bool:
    """Only paragraphs and ATX headings, none starting indented.

    An indented line that starts a block may be indented code, or continue a list item
    above the blank line; inside a paragraph it is just more text.
    """
    starts_block = True
    for line in lines:
        if not _plain(line) or (starts_block and line[:1] in (" ", "\t")):
            return False
        starts_block = _ATX.match(line) is not None
    return True


def _list_line(line: str) -> bool:
    """A one-line list item at the margin (not a thematic break such as `* * *`)."""
    return _LIST_ITEM.match(line) is not None and _THEMATIC.match(line) is None


def _plain(line: str) -> bool:
    """Paragraph text for sure, or an ATX heading at the margin."""
    if _ATX.match(line):
        return True
    return not _SPECIAL.match(line) and not line.startswith(("    ", "\t"))


def _fence_state(lines: list[str], fence: tuple[str, int] | None) -> tuple[str, int] | None:
    """Track an open code fence across runs, since a fence may hold blank lines."""
    for line in lines:
        match = _FENCE.match(line)
        if match is None:
            continue
        marker = match.group(1)
        if fence is None:
            if marker[0] == "`" and "`" in line[match.end():]:
                continue  # backtick fences cannot have backticks in their info string
            fence = (marker[0], len(marker))
        elif marker[0] == fence[0] and len(marker) >= fence[1] \
                and not line[match.end():].strip(" \t"):
            fence = None
    return fence


def simple_events(body: list[str], start: int, end: int) -> list[Event]:
    """Paragraphs and ATX headings of a plain-prose run, or the items of a one-line list."""
    if all(_list_line(body[index]) for index in range(start, end)):
        return [(index, index + 1, "list_item", NO_HEADING) for index in range(start, end)]
    events: list[Event] = []
    paragraph = None
    for index in range(start, end):
        line = body[index]
        if _ATX.match(line):
            if paragraph is not None:
                events.append((paragraph, index, "paragraph", NO_HEADING))
                paragraph = None
            events.append((index, index + 1, "heading", heading_of(line)))
        elif paragraph is None:
            paragraph = index
    if paragraph is not None:
        events.append((paragraph, end, "paragraph", NO_HEADING))
    return events


def heading_of(line: str) -> tuple[int, str]:
    """Level and text of an ATX heading line, closing `#`s removed as CommonMark says.

    >>> heading_of("## Data Retention ##")
    (2, 'Data Retention')
    """
    level = len(line) - len(line.lstrip("#"))
    text = line[level:].strip(" \t")
    without_close = text.rstrip("#")
    if not without_close:
        text = ""
    elif without_close != text and without_close[-1] in " \t":
        text = without_close.rstrip(" \t")
    return level, text
