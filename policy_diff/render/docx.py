"""The Word redline: the new version with every change tracked (`--format docx -o FILE`).

Word's own reviewers accept and reject changes; so the document holds both texts exactly:
"accept all" leaves the new version's paragraphs, "reject all" the old one's.  Paragraphs
(headings, blocks) of the two versions are aligned in order; a paragraph that changed a
little is marked word by word, anything else is a whole deleted paragraph at its old place
and a whole inserted one at its new place (so a moved block is a deletion plus an
insertion).  A first table, part of neither version, sums up the key provision and
metadata changes.  Built on python-docx's template (its Title, Heading and List styles)
with WordprocessingML written directly, ECMA-376 §17.13.5: `w:ins` holds runs, `w:del`
holds runs of `w:delText`, each with a unique `w:id`, `w:author` and `w:date`; a wholly
inserted or deleted paragraph marks its paragraph mark too, else accepting or rejecting
would leave an empty paragraph behind.
"""

from __future__ import annotations

import datetime
import difflib
import io
import re
from typing import Any, Iterator

from ..model import Document, PolicyDiff
from ..textdiff import word_ops
from .markdown import value_text

W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
W = "{%s}" % W_NS
XML_SPACE = "{http://www.w3.org/XML/1998/namespace}space"
_LIST_ITEM = re.compile(r"^\s*(?:([-+*])|(\d{1,9})[.)])\s+")
_ALIKE = 0.5  # paragraphs at least this alike are marked word by word

Paragraph = tuple[str, str]  # (style id, text)
TABLE_ROW = "table row"  # not a style: consecutive rows make one Word table
CELL_SEPARATOR = " | "  # a row's text is its cells' texts joined by this
SUMMARY = "policy-diff: key provision changes"  # the caption of the first table
_DELIMITER_ROW = re.compile(r"^\s*\|?\s*:?-{1,}:?\s*(\|\s*:?-{1,}:?\s*)*\|?\s*$")


def cells(row: str) -> list[str]:
    r"""A Markdown table row's cell texts (the header's delimiter line left out).

    >>> cells("| a | b \\| c |\n|---|---|")
    ['a', 'b | c']
    """
    line = next((l for l in row.split("\n") if not _DELIMITER_ROW.match(l)), "")
    line = line.strip()
    line = line[1:] if line.startswith("|") else line
    line = line[:-1] if line.endswith("|") and not line.endswith("\\|") else line
    return [cell.strip().replace("\\|", "|") for cell in re.split(r"(?<!\\)\|", line)]


def paragraphs(document: Document) -> list[Paragraph]:
    """A version as the redline lays it out: its title, headings and blocks, in order."""
    found: list[Paragraph] = []
    if document.title:
        found.append(("Title", _one_line(document.title)))
    for section in document.sections:
        if section.heading:
            heading = section.heading.rsplit(" › ", 1)[-1]
            found.append((f"Heading{min(max(section.level - 1, 1), 9)}", _one_line(heading)))
        for block in section.blocks:
            found.append(_block_paragraph(block.kind, block.text))
    return found


def _block_paragraph(kind: str, text: str) -> Paragraph:
    if kind == "table_row":
        return TABLE_ROW, CELL_SEPARATOR.join(cells(text))
    marker = _LIST_ITEM.match(text)
    if kind in ("item", "list_item", "list") or marker:
        if marker:
            style = "ListNumber" if marker.group(2) else "ListBullet"
            return style, _one_line(text[marker.end():])
    return "Normal", _one_line(text)


_LINK = re.compile(r"\[([^\]\n]*)\]\([^)\s]*\)")


def _one_line(text: str) -> str:
    """Markdown source as Word text: one line, links as their text, no `**` emphasis or
    backtick code marks."""
    text = _LINK.sub(r"\1", text).replace("**", "").replace("__", "").replace("`", "")
    return re.sub(r"\s*\n\s*", " ", text).strip()


def to_docx(diff: PolicyDiff, author: str = "policy-diff") -> bytes:
    import docx
    from lxml import etree

    document = docx.Document()
    body = document.element.body
    for child in list(body):
        if child.tag != f"{W}sectPr":
            body.remove(child)
    marks = _Marks(author, change_date(diff))
    elements = [*_summary(diff), *_elements(_aligned(paragraphs(diff.old.document),
                                                     paragraphs(diff.new.document)), marks)]
    end = body.find(f"{W}sectPr")
    for element in elements:
        node = etree.fromstring(element)
        if end is not None:
            end.addprevious(node)
        else:
            body.append(node)
    core = document.core_properties
    core.title = _one_line(diff.new.document.title or diff.new.ref)[:250]
    core.author = author
    core.comments = f"Redline by policy-diff: {diff.old.ref} -> {diff.new.ref}"[:250]
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def change_date(diff: PolicyDiff) -> str:
    """The date the changes carry: the new version's effective date, else today."""
    effective = diff.new.document.front.get("effective")
    if isinstance(effective, str) and re.fullmatch(r"\d{4}-\d\d-\d\d", effective):
        return f"{effective}T00:00:00Z"
    return datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


# Alignment ---------------------------------------------------------------------------------

Piece = tuple[str, Paragraph, Paragraph | None]  # (equal|modified|deleted|inserted, old/new, new)


def _aligned(old: list[Paragraph], new: list[Paragraph]) -> Iterator[Piece]:
    """The two versions merged: reading only the old pieces gives OLD, only the new gives NEW."""
    matcher = difflib.SequenceMatcher(None, old, new, autojunk=False)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            yield from (("equal", p, p) for p in new[j1:j2])
            continue
        olds, news = old[i1:i2], new[j1:j2]
        deleted: list[Piece] = []
        inserted: list[Piece] = []
        for index in range(max(len(olds), len(news))):
            before = olds[index] if index < len(olds) else None
            after = news[index] if index < len(news) else None
            if before and after and _alike(before[1], after[1]):
                yield from deleted + inserted  # a run of deletions, then of insertions
                deleted, inserted = [], []
                yield "modified", before, after
                continue
            if before:
                deleted.append(("deleted", before, None))
            if after:
                inserted.append(("inserted", after, after))
        yield from deleted + inserted


def _alike(old: str, new: str) -> bool:
    from rapidfuzz.fuzz import ratio

    return ratio(old, new) / 100 >= _ALIKE


# WordprocessingML -------------------------------------------------------------------------

class _Marks:
    """The attributes of each tracked change; ids are unique across the document."""

    def __init__(self, author: str, date: str) -> None:
        self.author, self.date, self.next_id = author, date, 0

    def attrs(self) -> str:
        self.next_id += 1
        return f'w:id="{self.next_id}" w:author="{_attr(self.author)}" w:date="{self.date}"'


def _elements(pieces: Iterator[Piece], marks: _Marks) -> Iterator[str]:
    """Paragraphs, and a Word table for each run of table rows."""
    rows: list[Piece] = []
    for piece in pieces:
        if (piece[2] or piece[1])[0] == TABLE_ROW:
            rows.append(piece)
            continue
        if rows:
            yield _table(rows, marks)
            rows = []
        yield _paragraph(piece, marks)
    if rows:
        yield _table(rows, marks)


def _table(rows: list[Piece], marks: _Marks) -> str:
    """Rows with their changes: a whole row inserted or deleted is marked on the row too."""
    width = max(len(piece[1][1].split(CELL_SEPARATOR)) for piece in rows)
    width = max([width] + [len(p[2][1].split(CELL_SEPARATOR)) for p in rows if p[2]])
    out = [f'<w:tbl xmlns:w="{W_NS}"><w:tblPr><w:tblStyle w:val="TableGrid"/>'
           f'<w:tblW w:w="5000" w:type="pct"/></w:tblPr>'
           f'<w:tblGrid>{"<w:gridCol/>" * width}</w:tblGrid>']
    for kind, first, second in rows:
        old_cells = first[1].split(CELL_SEPARATOR)
        new_cells = second[1].split(CELL_SEPARATOR) if second else []
        if kind == "modified" and len(old_cells) != len(new_cells):
            out.append(_table_row("deleted", old_cells, [], marks))
            out.append(_table_row("inserted", new_cells, new_cells, marks))
        else:
            out.append(_table_row(kind, old_cells, new_cells, marks))
    return "".join(out) + "</w:tbl>"


def _table_row(kind: str, old: list[str], new: list[str], marks: _Marks) -> str:
    """One row; rows keep their own number of cells, so that each version's text is exact."""
    mark = {"inserted": f"<w:trPr><w:ins {marks.attrs()}/></w:trPr>",
            "deleted": f"<w:trPr><w:del {marks.attrs()}/></w:trPr>"}.get(kind, "")
    texts = old if kind == "deleted" else new
    out = ["<w:tr>" + mark]
    for index, text in enumerate(texts):
        if kind == "modified":
            piece: Piece = ("modified", ("Normal", old[index]), ("Normal", new[index]))
            if old[index] == new[index]:
                piece = ("equal", ("Normal", text), ("Normal", text))
        else:
            piece = (kind, ("Normal", text), ("Normal", text) if kind != "deleted" else None)
        out.append(f"<w:tc>{_paragraph(piece, marks, inside_table=True)}</w:tc>")
    return "".join(out) + "</w:tr>"


def _paragraph(piece: Piece, marks: _Marks, inside_table: bool = False) -> str:
    kind, first, second = piece
    style = (second or first)[0]
    if inside_table and kind in ("inserted", "deleted") and not first[1]:
        # An empty cell of an inserted or deleted row: the row's mark carries the change.
        change = "w:ins" if kind == "inserted" else "w:del"
        return _p(style, "", f"<{change} {marks.attrs()}/>")
    if kind == "equal":
        return _p(style, _run(first[1]))
    if kind == "inserted":
        return _p(style, f"<w:ins {marks.attrs()}>{_run(first[1])}</w:ins>",
                  f"<w:ins {marks.attrs()}/>")
    if kind == "deleted":
        return _p(style, f"<w:del {marks.attrs()}>{_run(first[1], deleted=True)}</w:del>",
                  f"<w:del {marks.attrs()}/>")
    assert second is not None
    runs = []
    for tag, old_text, new_text in word_ops(first[1], second[1]):
        # word_ops counts any two runs of spaces as equal; here each side's own text counts.
        if tag == "equal" and old_text == new_text:
            runs.append(_run(new_text))
            continue
        if old_text:
            runs.append(f"<w:del {marks.attrs()}>{_run(old_text, deleted=True)}</w:del>")
        if new_text:
            runs.append(f"<w:ins {marks.attrs()}>{_run(new_text)}</w:ins>")
    return _p(style, "".join(runs))


def _p(style: str, content: str, mark: str = "") -> str:
    mark_props = f"<w:rPr>{mark}</w:rPr>" if mark else ""
    return (f'<w:p xmlns:w="{W_NS}"><w:pPr><w:pStyle w:val="{style}"/>{mark_props}</w:pPr>'
            f"{content}</w:p>")


def _run(text: str, deleted: bool = False) -> str:
    tag = "w:delText" if deleted else "w:t"
    return f'<w:r><{tag} xml:space="preserve">{_text(text)}</{tag}></w:r>' if text else ""


def _summary(diff: PolicyDiff) -> list[str]:
    """The key provision changes as a first table (none when no key provision changed)."""
    rows = [(p.label, p.change, value_text(p.old), value_text(p.new))
            for p in diff.provisions if p.change != "unchanged"]
    if not rows:
        return []
    header = ("Key provision", "Change", f"Old ({diff.old.ref})", f"New ({diff.new.ref})")
    cells = "".join(_row(row, bold=index == 0) for index, row in enumerate([header, *rows]))
    return [f'<w:tbl xmlns:w="{W_NS}"><w:tblPr><w:tblStyle w:val="TableGrid"/>'
            f'<w:tblW w:w="5000" w:type="pct"/><w:tblCaption w:val="{SUMMARY}"/></w:tblPr>'
            f'<w:tblGrid>{"".join(f"<w:gridCol w:w={chr(34)}{w}{chr(34)}/>" for w in _WIDTHS)}'
            f'</w:tblGrid>{cells}</w:tbl>']


_WIDTHS = (1800, 1500, 3100, 3100)  # twentieths of a point: label, change, old, new


def _row(cells: tuple[str, ...], bold: bool) -> str:
    props = "<w:rPr><w:b/></w:rPr>" if bold else ""
    return "<w:tr>" + "".join(
        f'<w:tc><w:tcPr><w:tcW w:w="{width}" w:type="dxa"/></w:tcPr><w:p><w:r>{props}'
        f'<w:t xml:space="preserve">{_text(c)}</w:t></w:r></w:p></w:tc>'
        for c, width in zip(cells, _WIDTHS)) + "</w:tr>"


_XML_BAD = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def _text(text: str) -> str:
    """Text as XML character data; characters XML cannot hold become U+FFFD."""
    text = _XML_BAD.sub("\ufffd", text)
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _attr(text: str) -> str:
    return _text(text).replace('"', "&quot;")


def apply_all(xml: Any, accept: bool) -> list[str]:
    """The paragraph texts a reviewer gets by accepting (or rejecting) every change.

    What Word's "accept all" / "reject all" do, for the changes this module writes; the
    tests use it to check that the redline rebuilds both versions.
    """
    body = xml.find(f"{W}body")
    dropped = f"{W}del" if accept else f"{W}ins"

    def text(element: Any) -> str:
        return "".join(node.text or "" for node in element.iter(f"{W}t", f"{W}delText")
                       if not any(a.tag == dropped for a in node.iterancestors()))

    texts: list[str] = []
    for element in body:
        if element.tag == f"{W}p":
            if element.find(f"{W}pPr/{W}rPr/{dropped}") is not None and not text(element):
                continue  # the paragraph's mark goes with its content
            texts.append(text(element))
        elif element.tag == f"{W}tbl":
            if element.find(f"{W}tblPr/{W}tblCaption[@{W}val='{SUMMARY}']") is not None:
                continue  # the summary, part of neither version
            for row in element.iter(f"{W}tr"):
                if row.find(f"{W}trPr/{dropped}") is None:
                    texts.append(CELL_SEPARATOR.join(text(cell) for cell in row.iter(f"{W}tc")))
    return texts
