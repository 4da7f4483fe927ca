"""A fast path for plain prose: find blocks without running the Markdown parser.

Most of a policy is paragraphs, `#` headings and one-line list items between
blank lines, and markdown-it (pure Python) is the slowest stage of a large
diff.  Runs of lines that can only be those are split here directly, with a
few regular-expression passes over the whole body rather than a Python loop
per line; every other run (lists with continuations, quotes, tables, code,
HTML, setext headings, anything unusual) goes to markdown-it together with its
neighbouring runs, so the result is the same as parsing the whole body with
markdown-it: a property test holds the two to that.
"""

from __future__ import annotations

import re

# A line that could start or interrupt something other than paragraph text (an ATX
# heading at the margin excepted), or that is indented like code.
_SPECIAL_LINE = re.compile(
    r"^(?!#{1,6}(?:[ \t]|$))(?:[ \t]*(?:[>\-*+_=#<|~`\[:]|\d{1,9}[.)](?:[ \t]|$))| {4}|\t)",
    re.MULTILINE)
_ATX_LINE = re.compile(r"^#{1,6}(?=[ \t]|$)", re.MULTILINE)
# Anything but plain paragraph text: one search tells most chunks apart at C speed.
_NOT_PLAIN = re.compile(r"^(?:[ \t]*(?:[>\-*+_=#<|~`\[:]|\d{1,9}[.)](?:[ \t]|$))| {4}|\t)",
                        re.MULTILINE)
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


def segments(body: list[str]) -> list[Segment]:
    """Cover the body with line ranges, each with its events, or None for markdown-it."""
    text = "\n".join(body)
    chunks = _chunks(text)
    result: list[Segment] = []
    fence: tuple[str, int] | None = None
    rest_complex = False
    for index, (start, end, first, last) in enumerate(chunks):
        # An indented run after a list continues its last item: leave that pair to markdown-it.
        next_indented = index + 1 < len(chunks) and text[chunks[index + 1][2]] in " \t"
        events = None if rest_complex or fence is not None else \
            _simple_events(text, start, first, last, next_indented)
        if events is None:
            lines = text[first:last].split("\n")
            fence = _fence_state(lines, fence)
            rest_complex = rest_complex or any(_LONG_HTML.match(line) for line in lines) \
                or _fence_after_html(lines)
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


def _simple_events(text: str, start: int, first: int, last: int,
                   next_indented: bool) -> list[Event] | None:
    """Paragraphs and ATX headings, or the items of a one-line list; None for anything else."""
    if text[first] not in " \t" and _one_paragraph(text, first, last):  # the usual case
        return [(start, start + text.count("\n", first, last) + 1, "paragraph", NO_HEADING)]
    if _SPECIAL_LINE.search(text, first, last):
        lines = text[first:last].split("\n")
        if not next_indented and all(map(_list_line, lines)):
            return [(start + i, start + i + 1, "list_item", NO_HEADING) for i in range(len(lines))]
        return None
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


def _one_paragraph(text: str, first: int, last: int) -> bool:
    """Whether no line of a chunk but the first could start anything but paragraph text."""
    for special in _NOT_PLAIN.finditer(text, first, last):
        if special.start() == first or not _CONTINUES.match(text, special.start()):
            return False
    return True


def _list_line(line: str) -> bool:
    """A one-line list item at the margin (not a thematic break such as `* * *`)."""
    return _LIST_ITEM.match(line) is not None and _THEMATIC.match(line) is None


def _fence_after_html(lines: list[str]) -> bool:
    """Whether a fence marker follows the start of an HTML block in one run of lines."""
    html = next((i for i, line in enumerate(lines) if _HTML_START.match(line)), None)
    return html is not None and any(_FENCE.match(line) for line in lines[html + 1:])


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
