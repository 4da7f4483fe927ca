"""A record's Markdown laid out for reading in the terminal (`show`), by rich's Markdown.

Three things rich does not do on its own:
- a URL is never cut across lines (copying or clicking it would break): each URL is
  swapped for a stand-in that rich wraps as one short word, and put back in the output,
  so a URL longer than the screen runs on (the terminal wraps it softly, copy still works);
- raw HTML in the record is shown as text (rich would drop it: the reader must see all);
- headings are left-aligned, like the rest of the views.
Record text is `sanitize`d first and rich gets no markup, no hyperlink escapes.
"""

from __future__ import annotations

import re
from typing import Iterator

from markdown_it import MarkdownIt
from rich.console import Console, ConsoleOptions, RenderResult
from rich.default_styles import DEFAULT_STYLES
from rich.markdown import Heading, Markdown
from rich.segment import Segment
from rich.theme import Theme

from ..text.safe import sanitize
from .text.layout import Split

URL = re.compile(r"\b(?:https?|ftp)://[^\s<>()\[\]`\"'\\]+|\bmailto:[^\s<>()\[\]`\"'\\]+")
_STAND_IN = 0xE000  # private-use characters stand in for URLs while rich wraps the text
_STAND_INS = 0x1800
_RUN = re.compile("([\ue000-\uf7ff])\\1*")
_MARKDOWN_PUNCTUATION = re.compile(r"([\\`*_\[\]{}()#+\-.!<>|~])")


class _LeftHeading(Heading):
    LEVEL_ALIGN = dict.fromkeys(("h1", "h2", "h3", "h4", "h5", "h6"), "left")


class _LeftMarkdown(Markdown):
    elements = {**Markdown.elements, "heading_open": _LeftHeading}


def escape(text: str) -> str:
    """Record text that must read as written, never as Markdown (a source's title)."""
    return _MARKDOWN_PUNCTUATION.sub(r"\\\1", text)


class Reading:
    """Markdown TEXT (record text, untrusted) rendered for reading."""

    def __init__(self, text: str) -> None:
        self.text = sanitize(text)

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        urls: list[str] = []
        text = self.text
        if not re.search("[\ue000-\uf7ff]", text):  # else stand-ins could not be told apart
            short = max(1, options.max_width // 3)  # no indentation makes a stand-in fold

            def stand_in(match: re.Match[str]) -> str:
                if len(urls) >= _STAND_INS:
                    return match.group()
                urls.append(match.group())
                return chr(_STAND_IN + len(urls) - 1) * min(len(match.group()), short)

            text = URL.sub(stand_in, text)
        shown: set[int] = set()
        with console.use_theme(_theme()):  # the project's theme has no Markdown styles
            lines = console.render_lines(Split(_markdown(text)), options, pad=False)
        for line in lines:
            yield from _put_back(line, urls, shown)
            yield Segment.line()


def _theme() -> Theme:
    return Theme({name: style for name, style in DEFAULT_STYLES.items()
                  if name.startswith(("markdown.", "table."))})


def _markdown(text: str) -> Markdown:
    markdown = _LeftMarkdown("", hyperlinks=False)
    parser = MarkdownIt("commonmark", {"html": False}).enable("strikethrough").enable("table")
    markdown.parsed = parser.parse(text)
    return markdown


def _put_back(line: list[Segment], urls: list[str], shown: set[int]) -> Iterator[Segment]:
    """The line's segments with each URL in place of its stand-in: whole where the stand-in
    begins, nothing where a folded stand-in goes on."""
    for segment in line:
        if segment.control or not _RUN.search(segment.text):
            yield segment
            continue

        def url(match: re.Match[str]) -> str:
            index = ord(match.group(1)) - _STAND_IN
            if index in shown:
                return ""
            shown.add(index)
            return urls[index]

        yield Segment(_RUN.sub(url, segment.text), segment.style)
