"""Text -> Document: YAML front matter, then a Markdown body split into sections and blocks.

The body goes through markdown-it-py so that `##` inside a code fence, setext
headings and quoted headings are read the way a Markdown viewer reads them.
Blocks keep their Markdown source exactly as written, with 1-based line numbers
counted from the top of the file, front matter included.

The body is cut into pieces before headings that nothing can reach across, and each
distinct piece is parsed once (the last 1024 are kept): the versions of a record share
most of their pieces, and a history parses every version.
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import TYPE_CHECKING, Any

from ..errors import RecordError
from ..text.safe import warn
from ..frozen import replace
from ..limits import MAX_BLOCKS, MAX_FRONT_MATTER, MAX_LINES, check_limit, limit
from ..model import Block, Document, Section
from .prose import NO_HEADING, Event, is_blank, segments
from .yaml_load import load_mapping
from .yaml_types import LocatedDict

if TYPE_CHECKING:  # markdown_it is imported when the first record is parsed
    from markdown_it import MarkdownIt

_OPENER = re.compile(r"---[ \t]*")
_CLOSER = re.compile(r"(?:---|\.\.\.)[ \t]*")
_NEAR_CLOSER = re.compile(r"(?:-{1,2}|-{4,}|[\u2013\u2014]{1,3}|\.{2,4})[ \t]*")
_CLOSER_LINE = re.compile(r"^(?:---|\.\.\.)[ \t]*$", re.MULTILINE)
_BLOCK_KINDS = {
    "paragraph_open": "paragraph",
    "blockquote_open": "quote",
    "fence": "code",
    "code_block": "code",
    "html_block": "html",
    "hr": "rule",
}
HEADING_SEPARATOR = " › "


def normalize_newlines(text: str) -> str:
    """Drop a UTF-8 BOM and turn CRLF / CR line ends into LF."""
    text = text.removeprefix("\ufeff")
    return text.replace("\r\n", "\n").replace("\r", "\n") if "\r" in text else text


def split_front_matter(lines: list[str], path: str,
                       lenient: bool = False) -> tuple[int, int] | None:
    """Return (first, end) line indexes of the YAML between the fences, or None without any.

    Unclosed front matter is an error, except for a plain document (`lenient`), where a
    lone `---` on the first line is just a thematic break.
    """
    if not lines or not _OPENER.fullmatch(lines[0]):
        return None
    for index in range(1, len(lines)):
        if _CLOSER.fullmatch(lines[index]):
            return 1, index
    if lenient:
        return None
    near = next((i for i in range(1, len(lines)) if _NEAR_CLOSER.fullmatch(lines[i])), None)
    if near is not None:  # say where the typo is, not only where the front matter began
        raise RecordError(f"front matter is never closed: {lines[near].strip()!r} here looks like "
                          f"its closing `---` line mistyped", path, near + 1)
    raise RecordError("front matter opened here is never closed (no `---` line after it)", path, 1)


def read_front_matter(text: str, path: str, required: bool = False) -> LocatedDict:
    """Parse only the front matter (cheap: the store uses it to order versions).

    `required` (a store's record) makes a file without front matter an error."""
    lines = normalize_newlines(text).split("\n")
    span = split_front_matter(lines, path)
    if span is None:
        if required:
            raise RecordError("no front matter: a record starts with a `---` line, its YAML "
                              "and another `---` line", path, 1)
        return load_mapping("", path)
    first, end = span
    return load_mapping("\n".join(lines[first:end]), path, first_line=first + 1)


def parse(text: str, path: str = "<string>", lenient: bool = False) -> Document:
    """Parse a record or any Markdown / plain-text document.

    `lenient` (for `diff`, record-format §6) accepts front matter of any shape as metadata.

    >>> doc = parse("---\\nversion: '1'\\n---\\n# T\\n\\n## Scope\\nAll staff.\\n")
    >>> doc.title, doc.sections[0].heading, doc.sections[0].blocks[0].line
    ('T', 'Scope', 7)
    """
    digest = hash(text)
    text = normalize_newlines(text)
    most_lines = limit(MAX_LINES)
    if most_lines is not None and len(text) >= most_lines:  # else too short to have too many
        check_limit(MAX_LINES, text.count("\n") + 1, "lines", path)
    lines, span, body_start, body = _split_body(text, path, lenient)
    front: dict[str, Any] = {}
    if span is not None:
        first, end = span
        front = _front_matter("\n".join(lines[first:end]), path, first + 1, lenient)
    title, title_line, sections = _parse_body(body, body_start, path)
    return Document(path=path, front=front, title=title, sections=sections,
                    has_front_matter=span is not None, title_line=title_line,
                    source_digest=digest)


def _split_body(text: str, path: str,
                lenient: bool) -> tuple[list[str], tuple[int, int] | None, int, str]:
    """TEXT's head lines, its front matter's span (or None), the line where its body starts
    (0-based) and the body."""
    lines = _head_lines(text)
    span = split_front_matter(lines, path, lenient)
    body_start = 0 if span is None else span[1] + 1
    return lines, span, body_start, text[sum(len(line) + 1 for line in lines[:body_start]):]


def _head_lines(text: str) -> list[str]:
    """The lines split_front_matter needs: the first, or up to the closing fence when it
    opens front matter.  The body is not cut into lines (for a long record, that would
    cost more than all the rest of a parse that reuses its pieces)."""
    first = text.split("\n", 1)[0]
    if not _OPENER.fullmatch(first):
        return [first]
    closer = _CLOSER_LINE.search(text, len(first) + 1)
    return text[:closer.end()].split("\n") if closer else text.split("\n")


FRONT_MATTER_TEXT = "front matter"  # the one metadata field of front matter kept as text


def _front_matter(text: str, path: str, first_line: int, lenient: bool) -> LocatedDict:
    check_limit(MAX_FRONT_MATTER, len(text), "characters of YAML", path)  # even when cached
    try:
        return _cached_front_matter(text, first_line, lenient)
    except RecordError as exc:
        if not lenient:
            raise RecordError(exc.message, path, exc.line) from None
        # A plain document's front matter that is not strict YAML (duplicate keys, python
        # tags): real histories have it, and git shows it; so do we (record-format §6).
        warn(f"front matter compared as text: {exc.message}", path, exc.line)
        return _as_text(text, first_line)


def front_matter_as_text(document: Document, text: str) -> Document:
    """DOCUMENT (parsed from TEXT) with its front matter as one field of text: to compare it
    with a version whose front matter could only be read so, text with text."""
    if is_text_front_matter(document.front):
        return document
    lines = _head_lines(normalize_newlines(text))
    span = split_front_matter(lines, document.path, lenient=True)
    if span is None:
        return document
    first, end = span
    return replace(document, front=_as_text("\n".join(lines[first:end]), first + 1))


def is_text_front_matter(front: dict[str, Any]) -> bool:
    return list(front) == [FRONT_MATTER_TEXT] and isinstance(front[FRONT_MATTER_TEXT], str)


def _as_text(text: str, first_line: int) -> LocatedDict:
    """Front matter as one metadata field holding its text as written."""
    front = LocatedDict({FRONT_MATTER_TEXT: text})
    front.line, front.key_lines = first_line, {FRONT_MATTER_TEXT: first_line}
    return front


@lru_cache(maxsize=32)
def _cached_front_matter(text: str, first_line: int, lenient: bool) -> LocatedDict:
    """Front matter read once per distinct text: a history repeats it in every version.

    The mapping is shared between documents, which treat it as read-only.
    """
    return load_mapping(text, "", first_line, any_shape=lenient)


@lru_cache(maxsize=1)
def _markdown() -> MarkdownIt:
    from markdown_it import MarkdownIt  # 39 ms: only a body the fast prose path cannot read

    # Only the block structure is needed: skipping inline parsing halves the cost.
    return MarkdownIt("commonmark").enable("table").disable(["inline", "text_join"])


class _SectionBuilder:
    """Collect blocks under the current heading path while walking the tokens."""

    def __init__(self, path: tuple[tuple[int, str], ...] = (), at_top: bool = True) -> None:
        self.sections: list[Section] = []
        self.path = list(path)
        self.at_top = at_top  # nothing read yet: a `#` heading here is the title
        self.heading = ""
        self.level = 0
        self.line: int | None = None
        self.source = ""
        self.blocks: list[Block] = []

    def start(self, level: int, text: str, line: int, source: str) -> None:
        self.flush()
        while self.path and self.path[-1][0] >= level:
            self.path.pop()
        self.path.append((level, text))
        self.heading = HEADING_SEPARATOR.join([name for _, name in self.path])
        self.level, self.line, self.source = level, line, source

    def flush(self) -> None:
        if self.blocks or self.line is not None:
            self.sections.append(Section(self.heading, tuple(self.blocks), self.level, self.line,
                                         self.source))
        self.blocks = []


Context = tuple[tuple[tuple[int, str], ...], bool]  # (heading path, at the top)
Piece = tuple[tuple[Section, ...], str | None, int | None, Context]  # + title, its line


def _parse_body(body: str, offset: int,
                path: str) -> tuple[str | None, int | None, tuple[Section, ...]]:
    """The title and sections of BODY, which starts at line OFFSET (0-based) of the file."""
    pieces = _pieces(body)
    readings = [_piece_events(text) for _, text in pieces]
    deep = next((k for k, (_, stops) in enumerate(readings) if stops), len(pieces) - 1)
    if deep < len(pieces) - 1:  # markdown-it stopped reading there: the rest is one piece
        pieces[deep:] = [(pieces[deep][0], "\n".join(text for _, text in pieces[deep:]))]
        readings[deep:] = [_piece_events(pieces[deep][1])]
    # Checked before any Block is built: the diff's cost and memory grow with their number.
    check_limit(MAX_BLOCKS, sum(len(events) for events, _ in readings), "blocks and headings",
                path)
    title: str | None = None
    title_line: int | None = None
    context: Context = ((), True)
    sections: list[Section] = []
    for first, text in pieces:
        built, piece_title, piece_title_line, context = _built_piece(text, offset + first, context)
        sections += built
        if piece_title is not None:
            title, title_line = piece_title, piece_title_line
    return title, title_line, tuple(sections)


# An ATX heading at the margin after a blank line: whatever was open before it (paragraph,
# list, quote, table, indented code) has ended, so the text from it on parses on its own...
_ATX_START = re.compile(r"#{1,6}(?:[ \t\n]|\Z)")
# ...unless a code fence or an HTML block that only its end marker closes (CommonMark types
# 1-5: <script, <pre, <style, <textarea, <!, <?) may be open.  A generous test: anywhere in
# a line, in any case (Unicode folding matches more than markdown-it's ASCII), but the tag
# name whole, as markdown-it reads it: `<program>` or `<p>` ends at a blank line.
_MAY_SPAN = re.compile(r"```|~~~|<!|<\?|<(?:script|pre|style|textarea)(?![^\s>])", re.IGNORECASE)
_NEWLINE_HASH = re.compile(r"\n#")  # a regular expression finds it faster than str.find


def _pieces(body: str) -> list[tuple[int, str]]:
    """The body cut before headings that nothing can reach across, as (first line, text).

    Versions of a record share most of their pieces, which are then parsed once.  After
    a piece that may open a fence or a long HTML block, the rest is one piece.
    """
    pieces = []
    start = line = 0
    for match in _NEWLINE_HASH.finditer(body):
        newline = match.start()
        before = body.rfind("\n", start, newline) + 1 or start  # the line before the heading
        if newline > start and not body[before:newline].strip(" \t") \
                and _ATX_START.match(body, newline + 1):
            text = body[start:newline]  # up to the newline before the heading
            lines, may_span = _piece_facts(text)
            if may_span:
                break
            pieces.append((line, text))
            line += lines
            start = newline + 1
    pieces.append((line, body[start:]))
    return pieces


def clear_caches() -> None:
    """Forget the pieces parsed so far.  The caches count pieces, not bytes: a long-running
    caller (a history, thousands of records) clears them now and then to bound memory."""
    for cached in (_piece_facts, _piece_events, _piece_parts, _built_piece, _cached_markdown_events):
        cached.cache_clear()


@lru_cache(maxsize=8192)
def _piece_facts(text: str) -> tuple[int, bool]:
    """How many lines a piece has, and whether it may open a fence or a long HTML block."""
    # The regular expression runs only on the rare piece that has one of its first characters.
    rare = "`" in text or "~" in text or "<" in text
    return text.count("\n") + 1, rare and _MAY_SPAN.search(text) is not None


@lru_cache(maxsize=8192)
def _piece_events(text: str) -> tuple[tuple[Event, ...], bool]:
    """A piece's events, and whether markdown-it stopped reading in it (see _text_events)."""
    events, stops = _text_events(text)
    return tuple(events), stops


Part = tuple[int, str, str, tuple[int, str]]


@lru_cache(maxsize=8192)
def _piece_parts(text: str) -> tuple[Part, ...]:
    """A piece's events with their text, as (start, kind, text, heading), lines counted from
    the piece's start: what its sections are made of, wherever the piece stands.  A block's
    text is its lines without trailing blank ones; a heading's, its source lines."""
    body = text.split("\n")
    parts = []
    for start, end, kind, heading in _piece_events(text)[0]:
        chunk = body[start:end]
        while kind != "heading" and chunk and is_blank(chunk[-1]):
            chunk.pop()
        parts.append((start, kind, "\n".join(chunk), heading))
    return tuple(parts)


@lru_cache(maxsize=8192)
def _built_piece(text: str, offset: int, context: Context) -> Piece:
    """A piece's sections, with line numbers for a piece starting at line OFFSET (0-based).

    Kept per (text, place, context), so an unchanged section is the same object in every
    version that has it at the same place: comparing it with itself is then free.
    """
    builder = _SectionBuilder(*context)
    title: str | None = None
    title_line: int | None = None
    for start, kind, source, heading in _piece_parts(text):
        at_top, builder.at_top = builder.at_top, False
        if kind != "heading":
            builder.blocks.append(Block(kind, source, offset + start + 1))
        elif heading[0] == 1 and at_top:
            title, title_line = heading[1], offset + start + 1
        else:
            builder.start(heading[0], heading[1], offset + start + 1, source)
    builder.flush()
    return tuple(builder.sections), title, title_line, (tuple(builder.path), builder.at_top)


def _body_events(body: list[str]) -> list[Event]:
    """Headings and blocks in source order, as (start, end, kind, (level, heading text))."""
    return _text_events("\n".join(body))[0]


def _text_events(text: str) -> tuple[list[Event], bool]:
    """The events of TEXT: plain runs from the prose fast path, the others from markdown-it.

    Past its nesting limit, markdown-it stops reading: the block open there runs to the
    end of the text.  A run that nests that deep is read again with the rest of the text,
    and the second value says so (the caller's later pieces belong to it too).
    """
    events: list[Event] = []
    lines: list[str] | None = None  # cut only for the runs left to markdown-it
    for start, end, simple_events in segments(text):
        if simple_events is not None:
            events += simple_events
            continue
        if lines is None:
            lines = text.split("\n")
        found, stops = _cached_markdown_events("\n".join(lines[start:end]))
        if stops:
            found = tuple(_markdown_reading(lines[start:])[0])
        events += [(s + start, e + start, kind, heading) for s, e, kind, heading in found]
        if stops:
            return events, True
    return events, False


@lru_cache(maxsize=2048)
def _cached_markdown_events(text: str) -> tuple[tuple[Event, ...], bool]:
    """markdown-it's reading of a run, once per distinct run (versions share most of theirs)."""
    events, stops = _markdown_reading(text.split("\n"))
    return tuple(events), stops


def _markdown_events(body: list[str]) -> list[Event]:
    return _markdown_reading(body)[0]


def _markdown_reading(body: list[str]) -> tuple[list[Event], bool]:
    """What markdown-it finds in a run of lines (block structure only)."""
    tokens = _markdown().parse("\n".join(body))
    events: list[Event] = []
    covered = [False] * (len(body) + 1)
    # An opening token at the last level below the limit: markdown-it may have stopped there.
    deepest = _markdown().options.maxNesting - 1
    stops = any(token.level >= deepest for token in tokens)
    for index, token in enumerate(tokens):
        if token.level != 0 or token.map is None:
            continue
        start, end = token.map
        covered[start:end] = [True] * (end - start)
        if token.type == "heading_open":
            heading = (int(token.tag[1]), tokens[index + 1].content.strip())
            events.append((start, end, "heading", heading))
        elif token.type in ("bullet_list_open", "ordered_list_open"):
            events.extend((s, e, kind, NO_HEADING) for s, e, kind in _list_items(tokens, index))
        elif token.type == "table_open":
            events.extend((s, e, kind, NO_HEADING) for s, e, kind in _table_rows(tokens, index))
        elif token.type in _BLOCK_KINDS:
            events.append((start, end, _BLOCK_KINDS[token.type], NO_HEADING))
    events.extend((s, e, "definition", NO_HEADING) for s, e in _loose_runs(body, covered))
    return sorted(events), stops


def _loose_runs(body: list[str], covered: list[bool]) -> list[tuple[int, int]]:
    """Runs of text markdown-it consumed without a token (link definitions): kept, not lost."""
    runs = []
    run_start = None
    for i, line in enumerate(body + [""]):
        free = not covered[i] and not is_blank(line)
        if free and run_start is None:
            run_start = i
        elif not free and run_start is not None:
            runs.append((run_start, i))
            run_start = None
    return runs


def _list_items(tokens: list[Any], index: int) -> list[tuple[int, int, str]]:
    """Each top-level list item, nested content included, is one block."""
    items = []
    depth_level = tokens[index].level + 1
    for token in tokens[index + 1:]:
        if token.type in ("bullet_list_close", "ordered_list_close") and token.level == depth_level - 1:
            break
        if token.type == "list_item_open" and token.level == depth_level:
            items.append((token.map[0], token.map[1], "list_item"))
    return items


def _table_rows(tokens: list[Any], index: int) -> list[tuple[int, int, str]]:
    """Each table row is one block; the header row carries the `|---|` line under it."""
    table_end = tokens[index].map[1]
    rows = []
    for token in tokens[index + 1:]:
        if token.type == "table_close":
            break
        if token.type == "tr_open":
            rows.append([token.map[0], token.map[1], "table_row"])
    if rows:
        rows[0][1] = rows[1][0] if len(rows) > 1 else table_end
    return [tuple(row) for row in rows]
