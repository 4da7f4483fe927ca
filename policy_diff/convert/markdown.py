"""Markdown pieces the readers share: headings, list items, tables, text that stays text."""

from __future__ import annotations

import re

_SPACES = re.compile(r"[ \t\r\n\u00a0\u2028\u2029]+")
# What at the start of a line would make Markdown read text as structure.
_BLOCK_START = re.compile(r"^(#{1,6}(?=\s|$)|>|[-+*](?=\s)|\d{1,9}[.)](?=\s)|[=-]{3,}\s*$|"
                          r"```|~~~|\|)")


def clean(text: str) -> str:
    """One line of text: runs of spaces, tabs and line breaks become one space."""
    return _SPACES.sub(" ", text).strip()


def literal(text: str) -> str:
    """Text that Markdown reads back as the same text, not as a heading, list or quote.

    >>> literal("1. Scope"), literal("# not a heading"), literal("Use <b> & *stars*")
    ('1\\\\. Scope', '\\\\# not a heading', 'Use &lt;b> & \\\\*stars\\\\*')
    """
    text = clean(text)
    text = text.replace("\\", "\\\\").replace("<", "&lt;").replace("*", "\\*")
    text = text.replace("_", "\\_") if re.search(r"(^|\W)_|_($|\W)", text) else text
    match = _BLOCK_START.match(text)
    if match:
        text = re.sub(r"^(\d+)([.)])", r"\1\\\2", text) if text[0].isdigit() else "\\" + text
    return text


def heading(level: int, text: str) -> str:
    """`#` for the title, `##` for a document's first heading level, and so on (at most 6)."""
    return "#" * max(1, min(level, 6)) + " " + literal(text)


def list_item(depth: int, ordered: bool, text: str) -> str:
    return "   " * depth + ("1. " if ordered else "- ") + literal(text)


def table(rows: list[list[str]]) -> str:
    """A GitHub table; the first row is its header; short rows are padded."""
    rows = [row for row in rows if any(cell.strip() for cell in row)]
    if not rows:
        return ""
    width = max(len(row) for row in rows)
    lines = []
    for index, row in enumerate(rows):
        cells = [literal(cell).replace("|", "\\|") for cell in row] + [""] * (width - len(row))
        lines.append("| " + " | ".join(cells) + " |")
        if index == 0:
            lines.append("|" + "---|" * width)
    return "\n".join(lines)


def join_blocks(blocks: list[str]) -> str:
    """Blocks separated by a blank line, except list items of one list (a tight list)."""
    out: list[str] = []
    for block in blocks:
        if not block:
            continue
        if out and _item_kind(block) and _item_kind(block) == _item_kind(out[-1]):
            out[-1] += "\n" + block
        else:
            out.append(block)
    return "\n\n".join(out) + "\n"


def _item_kind(block: str) -> str | None:
    """'-' or '1.' for a list item block (a change of kind starts a new list), else None."""
    first = block.split("\n", 1)[0].lstrip()
    return "-" if first.startswith("- ") else "1." if first.startswith("1. ") else None
