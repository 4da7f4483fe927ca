"""Text -> Document: YAML front matter, then a Markdown body split into sections and blocks.

The body goes through markdown-it-py so that `##` inside a code fence, setext
headings and quoted headings are read the way a Markdown viewer reads them.
Blocks keep their Markdown source exactly as written, with 1-based line numbers
counted from the top of the file, front matter included.
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Any

from .errors import RecordError
from .limits import MAX_BLOCKS, MAX_FRONT_MATTER, MAX_LINES, check_limit
from .model import Block, Document, Section
from .prose import NO_HEADING, Event, is_blank, segments
from .yaml_loader import LocatedDict, load_mapping

_OPENER = re.compile(r"---[ \t]*")
_CLOSER = re.compile(r"(?:---|\.\.\.)[ \t]*")
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
    return text.removeprefix("\ufeff").replace("\r\n", "\n").replace("\r", "\n")


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
    raise RecordError("front matter opened here is never closed (no `---` line after it)", path, 1)


def read_front_matter(text: str, path: str) -> LocatedDict:
    """Parse only the front matter (cheap: the store uses it to order versions)."""
    lines = normalize_newlines(text).split("\n")
    span = split_front_matter(lines, path)
    if span is None:
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
    lines = normalize_newlines(text).split("\n")
    check_limit(MAX_LINES, len(lines), "lines", path)
    span = split_front_matter(lines, path, lenient)
    front: dict[str, Any] = {}
    body_start = 0
    if span is not None:
        first, end = span
        front = _front_matter("\n".join(lines[first:end]), path, first + 1, lenient)
        body_start = end + 1
    title, title_line, sections = _parse_body(lines, body_start, path)
    return Document(path=path, front=front, title=title, sections=sections,
                    has_front_matter=span is not None, title_line=title_line)


def _front_matter(text: str, path: str, first_line: int, lenient: bool) -> LocatedDict:
    check_limit(MAX_FRONT_MATTER, len(text), "characters of YAML", path)  # even when cached
    try:
        return _cached_front_matter(text, first_line, lenient)
    except RecordError as exc:
        raise RecordError(exc.message, path, exc.line) from None


@lru_cache(maxsize=32)
def _cached_front_matter(text: str, first_line: int, lenient: bool) -> LocatedDict:
    """Front matter read once per distinct text: a history repeats it in every version.

    The mapping is shared between documents, which treat it as read-only.
    """
    return load_mapping(text, "", first_line, any_shape=lenient)


@lru_cache(maxsize=1)
def _markdown():  # type: ignore[no-untyped-def]
    from markdown_it import MarkdownIt

    # Only the block structure is needed: skipping inline parsing halves the cost.
    return MarkdownIt("commonmark").enable("table").disable(["inline", "text_join"])


class _SectionBuilder:
    """Collect blocks under the current heading path while walking the tokens."""

    def __init__(self) -> None:
        self.sections: list[Section] = []
        self.path: list[tuple[int, str]] = []
        self.heading = ""
        self.level = 0
        self.line: int | None = None
        self.blocks: list[Block] = []

    def start(self, level: int, text: str, line: int) -> None:
        self.flush()
        while self.path and self.path[-1][0] >= level:
            self.path.pop()
        self.path.append((level, text))
        self.heading = HEADING_SEPARATOR.join(name for _, name in self.path)
        self.level, self.line = level, line

    def flush(self) -> None:
        if self.blocks or self.line is not None:
            self.sections.append(Section(self.heading, tuple(self.blocks), self.level, self.line))
        self.blocks = []


def _parse_body(lines: list[str], offset: int,
                path: str) -> tuple[str | None, int | None, tuple[Section, ...]]:
    body = lines[offset:]
    builder = _SectionBuilder()
    title: str | None = None
    title_line: int | None = None
    events = _body_events(body)
    # Checked before any Block is built: the diff's cost and memory grow with their number.
    check_limit(MAX_BLOCKS, len(events), "blocks and headings", path)
    for start, end, kind, heading in events:
        if kind != "heading":
            builder.blocks.append(_block(body, start, end, kind, offset))
            continue
        level, text = heading
        at_top = title is None and not builder.sections and builder.line is None \
            and not builder.blocks
        if level == 1 and at_top:
            title, title_line = text, offset + start + 1
        else:
            builder.start(level, text, offset + start + 1)
    builder.flush()
    return title, title_line, tuple(builder.sections)


def _body_events(body: list[str]) -> list[Event]:
    """Headings and blocks in source order, as (start, end, kind, (level, heading text))."""
    events: list[Event] = []
    for start, end, simple_events in segments(body):
        if simple_events is not None:
            events += simple_events
        else:
            events += [(s + start, e + start, kind, heading)
                       for s, e, kind, heading in _cached_markdown_events("\n".join(body[start:end]))]
    return events


@lru_cache(maxsize=256)
def _cached_markdown_events(text: str) -> tuple[Event, ...]:
    """markdown-it's reading of a run, once per distinct run (versions share most of theirs)."""
    return tuple(_markdown_events(text.split("\n")))


def _markdown_events(body: list[str]) -> list[Event]:
    """What markdown-it finds in a run of lines (block structure only)."""
    tokens = _markdown().parse("\n".join(body))
    events: list[Event] = []
    covered = [False] * (len(body) + 1)
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
    return sorted(events)


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
    return [tuple(row) for row in rows]  # type: ignore[misc]


def _block(body: list[str], start: int, end: int, kind: str, offset: int) -> Block:
    chunk = body[start:end]
    while chunk and is_blank(chunk[-1]):
        chunk.pop()
    return Block(kind, "\n".join(chunk), offset + start + 1)
