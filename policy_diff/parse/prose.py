"""A fast path for plain prose: find blocks without running the Markdown parser.

Most of a policy or a rule book is paragraphs, `#` headings, list items at the
margin (with lines indented under them: nested items, continuations) and
tables whose lines all start with `|`, between blank lines; markdown-it (pure
Python) is the slowest stage of a large diff.  Runs of lines that can only be
those are split here directly, with a few regular-expression passes over the
whole body rather than a Python loop per line; every other run (quotes, code,
HTML, setext headings, lazy continuations, anything unusual) goes to markdown-it
together with its neighbouring runs, so the result is the same as parsing the
whole body with markdown-it: property tests hold the two to that.
"""

from __future__ import annotations

import re
from bisect import bisect_right

# A line that could start or interrupt something other than paragraph text (an ATX
# heading at the margin excepted), or that is indented like code.
_SPECIAL_LINE = re.compile(
    r"^(?!#{1,6}(?:[ \t]|$))(?:[ \t]*(?:[>\-*+_=#<|~`\[:]|\d{1,9}[.)](?:[ \t]|$))| {4}|\t)",
    re.MULTILINE)
_ATX_LINE = re.compile(r"^#{1,6}(?=[ \t]|$)", re.MULTILINE)
# Anything but plain paragraph text: one search tells most chunks apart at C speed.
_NOT_PLAIN = re.compile(r"^(?:[ \t]*(?:[>\-*+_=#<|~`\[:]|\d{1,9}[.)](?:[ \t]|$))| {4}|\t)",
                        re.MULTILINE)
# The same after a newline: a search for a literal first character is several times faster.
_NOT_PLAIN_AFTER_NEWLINE = re.compile("\n" + _NOT_PLAIN.pattern[1:], re.MULTILINE)
# A line that cannot interrupt a paragraph, so continues it whatever it starts with: an
# ordered item not numbered 1, or a tag that opens no HTML block of CommonMark types 1-6
# (`<name of author>`, `<https://...>`).  At the start of a block, both would be special.
_BLOCK_TAGS = (
    "script|pre|style|textarea|address|article|aside|base|basefont|blockquote|body|caption|"
    "center|col|colgroup|dd|details|dialog|dir|div|dl|dt|fieldset|figcaption|figure|footer|"
    "form|frame|frameset|h1|h2|h3|h4|h5|h6|head|header|hr|html|iframe|legend|li|link|main|"
    "menu|menuitem|nav|noframes|ol|optgroup|option|p|param|search|section|summary|table|"
    "tbody|td|tfoot|th|thead|title|tr|track|ul")
_CONTINUES = re.compile(r"(?!0*1[.)])\d{1,9}[.)](?:[ \t]|$)|<(?![!?]|/?(?ai:" + _BLOCK_TAGS
                        + r")(?=\s|/?>|$))", re.MULTILINE)
_FENCE = re.compile(r" {0,3}(`{3,}|~{3,})")
# HTML blocks of CommonMark types 1-5 run across blank lines; leave those bodies to markdown-it.
_LONG_HTML = re.compile(r" {0,3}<(?:script|pre|style|textarea|!--|\?|![A-Za-z]|!\[CDATA\[)",
                        re.IGNORECASE)
# Other HTML blocks (types 6 and 7) run to the next blank line: a fence marker after one's
# start may be its text, not a fence, which the fence tracking cannot tell.
_HTML_START = re.compile(r" {0,3}</?[A-Za-z]")
_LIST_ITEM = re.compile(r"(?:[-*+]|\d{1,9}[.)])[ \t]+\S")
_THEMATIC = re.compile(r" {0,3}([-*_])(?:[ \t]*\1){2,}[ \t]*$")

Event = tuple[int, int, str, tuple[int, str]]  # (start, end, kind, (heading level, text))
Segment = tuple[int, int, "list[Event] | None"]  # events None: leave it to markdown-it
NO_HEADING = (0, "")


def is_blank(line: str) -> bool:
    """Blank as Markdown means it: only spaces and tabs (str.strip() also eats \\x0c, \\x1f...)."""
    return not line.strip(" \t")


_CHUNK = re.compile(r"^[ \t]*[^ \t\n][^\n]*(?:\n[ \t]*[^ \t\n][^\n]*)*", re.MULTILINE)


def segments(text: str) -> list[Segment]:
    """Cover the lines of TEXT with ranges, each with its events, or None for markdown-it."""
    chunks = _chunks(text)
    special = _special_chunks(text, chunks)
    result: list[Segment] = []
    fence: tuple[str, int] | None = None
    rest_complex = False
    for index, (start, end, first, last) in enumerate(chunks):
        if rest_complex or fence is not None:
            events = None
        elif index not in special and text[first] not in " \t":  # one paragraph: the usual case
            result.append((start, end, [(start, end, "paragraph", NO_HEADING)]))
            continue
        else:
            # An indented run after a list continues its last item: leave that pair to markdown-it.
            next_indented = index + 1 < len(chunks) and text[chunks[index + 1][2]] in " \t"
            events = _simple_events(text, start, first, last, next_indented)
        if events is None:
            lines = text[first:last].split("\n")
            fence, sure = _fence_state(lines, fence)
            rest_complex = rest_complex or not sure or _fence_after_html(lines) \
                or any(_LONG_HTML.match(line) for line in lines)
        if result and events is None and result[-1][2] is None:
            result[-1] = (result[-1][0], end, None)  # join neighbouring complex runs
        else:
            result.append((start, end, events))
    return result


def _chunks(text: str) -> list[tuple[int, int, int, int]]:
    """Runs of non-blank lines as (first line, end line, first offset, end offset)."""
    chunks = []
    line, position = 0, 0
    for match in _CHUNK.finditer(text):
        first, last = match.span()
        line += text.count("\n", position, first)
        end = line + text.count("\n", first, last) + 1
        chunks.append((line, end, first, last))
        line, position = end - 1, last
    return chunks


def _special_chunks(text: str, chunks: list[tuple[int, int, int, int]]) -> set[int]:
    """The chunks that may be more than one paragraph: a line of theirs may start something
    else (their first line, or another that could interrupt a paragraph).  One search of
    the whole text finds those lines; few chunks have one."""
    firsts = [chunk[2] for chunk in chunks]
    special = set()
    starts = [0] if _NOT_PLAIN.match(text) else []
    starts += [found.start() + 1 for found in _NOT_PLAIN_AFTER_NEWLINE.finditer(text)]
    for position in starts:
        index = bisect_right(firsts, position) - 1
        if index >= 0 and position < chunks[index][3] and \
                (position == firsts[index] or not _CONTINUES.match(text, position)):
            special.add(index)
    return special


def _simple_events(text: str, start: int, first: int, last: int,
                   next_indented: bool) -> list[Event] | None:
    """ATX headings and paragraphs, list items or table rows; None for anything else."""
    if _SPECIAL_LINE.search(text, first, last):
        lines = text[first:last].split("\n")
        found = _table_rows(lines) if lines[0][0] == "|" else \
            None if next_indented else _list_items(lines)
        if found is None:
            return None
        return [(start + s, start + e, kind, NO_HEADING) for s, e, kind in found]
    if text[first] in " \t":
        return None  # indented code, or the continuation of a list item above the blank line
    end = start + text.count("\n", first, last) + 1
    events: list[Event] = []
    paragraph = start
    for match in _ATX_LINE.finditer(text, first, last):
        heading = start + text.count("\n", first, match.start())
        line_end = text.find("\n", match.start(), last)
        if line_end != -1 and text[line_end + 1] in " \t":
            return None  # a block starting indented after a heading: code, not text
        if heading > paragraph:
            events.append((paragraph, heading, "paragraph", NO_HEADING))
        line = text[match.start():last if line_end == -1 else line_end]
        events.append((heading, heading + 1, "heading", heading_of(line)))
        paragraph = heading + 1
    if paragraph < end:
        events.append((paragraph, end, "paragraph", NO_HEADING))
    return events


Found = list[tuple[int, int, str]]  # (start, end, kind) of blocks, lines counted in a run


def _list_items(lines: list[str]) -> Found | None:
    """The items of a list at the margin, each with the lines indented under it (nested
    items, continuations), or None when the run is anything else or might be.

    A line indented at least to its item's content belongs to the item, whatever it
    says; any other line must start an item.  Not too deep: markdown-it stops reading
    (to the end of the text) past 20 levels of nesting.
    """
    items: list[list[int]] = []
    content = 0  # the current item's content column: lines indented so far belong to it
    for index, line in enumerate(lines):
        indent = len(line) - len(line.lstrip(" "))
        if _DEEP.match(line, indent) is not None or line[indent] == "\t":
            return None
        if indent == 0:
            if not _list_line(line):
                return None
            width = _ITEM_CONTENT.match(line)
            content = width.end() if width is not None else _NEVER  # a tab, or code: unread
            items.append([index, index + 1, "list_item"])  # type: ignore[list-item]
        elif not items or indent < content or indent > _MOST_INDENT:
            return None
        else:
            items[-1][1] = index + 1
    return [tuple(item) for item in items]  # type: ignore[misc]


_ITEM_CONTENT = re.compile(r"(?:[-*+]|\d{1,9}[.)]) {1,4}(?=[^ \t])")
_NEVER = 1 << 30
_MOST_INDENT = 8
# Four container markers (`>`, `-`, `1.`) at the start of one line: deep enough to leave
# to markdown-it, whose nesting limit changes what it reads.
_DEEP = re.compile(r"(?:[ \t]*(?:>|(?:[-*+]|\d{1,9}[.)])(?=[ \t]|$))){4}")


def _table_rows(lines: list[str]) -> Found | None:
    """The rows of a table whose every line starts with `|` (GFM, as markdown-it reads it:
    a header row, whose block holds the delimiter row, then one block per row), or None."""
    if len(lines) < 2 or not all(line[0] == "|" for line in lines):
        return None
    header = lines[0].rstrip(" \t")
    delimiter = lines[1]
    if not header.endswith("|") or header.endswith("\\|") or not _DELIMITER.fullmatch(delimiter):
        return None
    cells = delimiter.split("|")[1:]
    if not cells[-1].strip(" \t"):
        cells.pop()
    columns = header.count("|") - header.count("\\|") - 1  # unescaped pipes, both ends
    if not cells or columns != len(cells) or not all(_ALIGN.fullmatch(c.strip(" \t")) for c in cells):
        return None
    if (len(lines) - 2) * columns > _MOST_CELLS:
        return None  # markdown-it may stop the table early to bound its empty cells
    return [(0, 2, "table_row")] + [(k, k + 1, "table_row") for k in range(2, len(lines))]


_DELIMITER = re.compile(r"\|[-:| \t]*")
_ALIGN = re.compile(r":?-+:?")
_MOST_CELLS = 0x10000


def _list_line(line: str) -> bool:
    """A one-line list item at the margin (not a thematic break such as `* * *`)."""
    return _LIST_ITEM.match(line) is not None and _THEMATIC.match(line) is None


def _fence_after_html(lines: list[str]) -> bool:
    """Whether a fence marker follows the start of an HTML block in one run of lines."""
    html = next((i for i, line in enumerate(lines) if _HTML_START.match(line)), None)
    return html is not None and any(_FENCE.match(line) for line in lines[html + 1:])


def _fence_state(lines: list[str], fence: tuple[str, int] | None
                 ) -> tuple[tuple[str, int] | None, bool]:
    """Track an open code fence across runs, since a fence may hold blank lines; and whether
    that is sure.  A fence opened at the margin is one; an indented one may be inside a
    list item, which closes it when the item ends: not sure."""
    for line in lines:
        match = _FENCE.match(line)
        if match is None:
            continue
        marker = match.group(1)
        if fence is None:
            if marker[0] == "`" and "`" in line[match.end():]:
                continue  # backtick fences cannot have backticks in their info string
            if match.start(1) > 0:
                return None, False
            fence = (marker[0], len(marker))
        elif marker[0] == fence[0] and len(marker) >= fence[1] \
                and not line[match.end():].strip(" \t"):
            fence = None
    return fence, True


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
