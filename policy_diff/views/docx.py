"""The Word redline: the new version with every change tracked (`--format docx -o FILE`).

Word's own reviewers accept and reject changes; so the document holds both texts exactly:
"accept all" leaves the new version's paragraphs, "reject all" the old one's.  What is a
change comes from the display plan (plan.py), as in every other view: its sections, blocks
and their fates, the `# Title` line, and what `--ignore-editorial` hides, which is drawn as
the plain new text (so "reject all" keeps those edits) and said in the first table.  The
redline is the whole document: every block is drawn, none folded or cut.  Where each
paragraph stands comes from the two documents themselves: a block or section the plan
calls moved is a deletion at its old place and an insertion at its new one.  A changed
paragraph is marked word by word, over the text Word shows (Markdown marks left out);
one whose change Word cannot show (spacing, a list marker) is deleted and inserted whole.
A changed heading level is a tracked change of its style.  A first table, part of neither
version, sums up the key provisions, metadata and notes.  Built on python-docx's template
(its Title, Heading and List styles) with WordprocessingML written directly, ECMA-376
§17.13.5: `w:ins` holds runs, `w:del` holds runs of `w:delText`, each with a unique `w:id`,
`w:author` and `w:date`; a wholly inserted or deleted paragraph marks its paragraph mark
too, else accepting or rejecting would leave an empty paragraph behind.
"""

from __future__ import annotations

import datetime
import io
import re
from bisect import bisect_left
from collections import defaultdict, deque
from typing import Any, Iterator

import docx
from lxml import etree

from ..frozen import frozen
from ..model import Block, Document, PolicyDiff, Section
from ..diff.align import longest_increasing
from ..diff.textdiff import word_ops
from .plan import LAYOUT_NOTE, FieldPlan, Plan, Row, make_plan, shows_title
from ..diff.words import change_text, stated_text, value_text

W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
W = "{%s}" % W_NS
XML_SPACE = "{http://www.w3.org/XML/1998/namespace}space"
_LIST_ITEM = re.compile(r"^\s*(?:([-+*])|(\d{1,9})[.)])\s+")

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
    return [paragraph for _, paragraph in _laid_out(document)]


def _laid_out(document: Document) -> Iterator[tuple[Any, Paragraph]]:
    """Each paragraph with what it shows: the title, a Section's heading, or a Block."""
    if document.title:
        yield document.title, _title_paragraph(document.title)
    for section in document.sections:
        if section.heading:
            yield section, _heading_paragraph(section)
        for block in section.blocks:
            yield block, _block_paragraph(block.kind, block.text)


def _paragraph_for(thing: Any) -> Paragraph:
    """The paragraph of a title (str), Section or Block that is not in its document."""
    if isinstance(thing, str):
        return _title_paragraph(thing)
    if isinstance(thing, Section):
        return _heading_paragraph(thing)
    return _block_paragraph(thing.kind, thing.text)


def _title_paragraph(title: str) -> Paragraph:
    return "Title", _one_line(title)


def _heading_paragraph(section: Section) -> Paragraph:
    heading = section.heading.rsplit(" › ", 1)[-1]
    return f"Heading{min(max(section.level - 1, 1), 9)}", _one_line(heading)


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


def to_docx(diff: PolicyDiff, author: str = "policy-diff", ignore_editorial: bool = False,
            plan: Plan | None = None) -> bytes:
    plan = plan or make_plan(diff, None, ignore_editorial)  # the whole document, uncut
    document = docx.Document()
    body = document.element.body
    for child in list(body):
        if child.tag != f"{W}sectPr":
            body.remove(child)
    marks = _Marks(author, change_date(diff))
    laid = _Redline(plan)
    elements = [*_summary(plan, laid), *_elements(iter(laid.pieces), marks)]
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


# The plan laid out -------------------------------------------------------------------------

# (equal|modified|replaced|deleted|inserted, old or new, new); `replaced`: deleted and
# inserted whole within the paragraph, for a change Word's text does not show.
Piece = tuple[str, Paragraph, Paragraph | None]


@frozen
class _Para:
    """One title, heading or block of the plan: its paragraph on each side and where each
    side stands in its version (None where the version does not hold that object)."""

    old: Paragraph | None
    new: Paragraph | None
    old_at: int | None = None
    new_at: int | None = None
    shown: bool = False  # a change the plan shows; else drawn as the new text
    moved: bool = False  # deleted at its old place, inserted at its new one
    block: bool = False  # a block, not the title or a heading


class _Places:
    """Where each paragraph of a version stands, by the object it shows."""

    def __init__(self, document: Document) -> None:
        self.paragraphs: list[Paragraph] = []
        self.spots: dict[int | str, deque[int]] = defaultdict(deque)
        for key, paragraph in _laid_out(document):
            self.spots[_key(key)].append(len(self.paragraphs))
            self.paragraphs.append(paragraph)
        self.taken: set[int] = set()

    def take(self, key: Any) -> int | None:
        spots = self.spots.get(_key(key))
        if not spots:
            return None
        self.taken.add(spots[0])
        return spots.popleft()

    def left(self) -> list[int]:
        return [at for at in range(len(self.paragraphs)) if at not in self.taken]


def _key(thing: Any) -> int | str:
    """Sections and blocks by identity (the diff holds the documents' own objects), the
    title by its text."""
    return thing if isinstance(thing, str) else id(thing)


class _Redline:
    """The plan's paragraphs in one order whose old sides read as the old version and whose
    new sides read as the new one, as Pieces; and the counts the first table states."""

    def __init__(self, plan: Plan) -> None:
        self.plan = plan
        self.olds = _Places(plan.diff.old.document)
        self.news = _Places(plan.diff.new.document)
        self.hidden = 0  # editorial changes drawn as the new text (--ignore-editorial)
        self.unseen = 0  # changes in what Word does not show: deleted and inserted whole
        paras = [para for para in self._paras() if para.old or para.new]
        self.pieces = [piece for para in self._ordered(paras) for piece in self._piece(para)]

    def _paras(self) -> Iterator[_Para]:
        diff, hide = self.plan.diff, self.plan.ignore_editorial
        yield self._para(diff.old.document.title or None, diff.new.document.title or None,
                         shows_title(diff, hide))
        for section in self.plan.sections:
            was, now = section.section.old, section.section.new
            moved = section.section.moved
            yield self._para(was if was and was.heading else None,
                             now if now and now.heading else None,
                             any(note != "moved" for note in section.notes), moved)
            for item in section.items:
                rows = (item,) if isinstance(item, Row) else (Row(b, False) for b in item.blocks)
                for row in rows:
                    block = row.block
                    yield self._para(block.old, block.new, row.change,
                                     moved or block.status == "moved")

    def _para(self, was: Any, now: Any, shown: bool, moved: bool = False) -> _Para:
        """WAS and NOW: the title (str), Section or Block on each side, or None."""
        old_at = self.olds.take(was) if was is not None else None
        new_at = self.news.take(now) if now is not None else None
        old = None if was is None else \
            self.olds.paragraphs[old_at] if old_at is not None else _paragraph_for(was)
        new = None if now is None else \
            self.news.paragraphs[new_at] if new_at is not None else _paragraph_for(now)
        if old and new and (old[0] == TABLE_ROW) != (new[0] == TABLE_ROW):
            moved = True  # a table row and a paragraph do not mix: one goes, the other comes
        return _Para(old, new, old_at, new_at, shown, moved, isinstance(was or now, Block))

    def _ordered(self, paras: list[_Para]) -> list[_Para]:
        """PARAS in the plan's (the new version's) order; each old side that does not stand
        in the old version's order (moved, or anything else out of place) is split off as a
        deletion put back after its old predecessor.  Paragraphs of a version that the plan
        does not hold are put back too, so that both versions are always whole."""
        kept = _in_order(paras)
        stay: list[_Para] = []
        gone: list[_Para] = []
        for index, para in enumerate(paras):
            if para.old is not None and para.old_at is not None and index not in kept:
                gone.append(_Para(para.old, None, para.old_at, shown=True))
                if para.new is None:
                    continue
                para = _Para(None, para.new, None, para.new_at, shown=True)
            stay.append(para)
        gone += [_Para(self.olds.paragraphs[at], None, at, shown=True) for at in self.olds.left()]
        came = [_Para(None, self.news.paragraphs[at], None, at, shown=True)
                for at in self.news.left()]
        stay = _put_back(stay, came, "new_at")
        return _put_back(stay, gone, "old_at")

    def _piece(self, para: _Para) -> Iterator[Piece]:
        old, new = para.old, para.new
        if new is None:
            yield "deleted", old, None  # type: ignore[misc]  # a paragraph has a side: old is set
        elif old is None:
            yield "inserted", new, new
        elif old == new and not para.shown:
            yield "equal", new, new
        elif not para.shown and self.plan.ignore_editorial:
            self.hidden += 1  # an editorial change, hidden: the new text, unmarked
            yield "equal", new, new
        elif old == new:
            self.unseen += 1  # the source changed where Word shows nothing: say it is replaced
            yield "replaced", old, new
        else:
            yield "modified", old, new


def _in_order(paras: list[_Para]) -> set[int]:
    """The indexes of PARAS whose old sides stay where the plan has them: the longest run
    of blocks on both sides in the old order (not moved), then each heading or deletion
    that falls between its kept neighbours.  Where the two orders cross, a heading or a
    deletion is put back by its old place rather than a block split in two: a heading may
    now stand after text that stood under it, and the plan lists a removed section after
    its old predecessor's new place while its old blocks may stand before that."""
    both = [(k, p.old_at) for k, p in enumerate(paras)
            if p.old_at is not None and p.new is not None and p.block and not p.moved]
    kept = {k for k, _ in longest_increasing(both)}
    following: list[int | None] = [None] * len(paras)  # the next kept block's old place
    upcoming = None
    for index in range(len(paras) - 1, -1, -1):
        following[index] = upcoming
        if index in kept:
            upcoming = paras[index].old_at
    last = -1
    for index, para in enumerate(paras):
        at, next_kept = para.old_at, following[index]
        if index in kept:
            last = at  # type: ignore[assignment]  # a kept paragraph has an old place (`both`)
        elif at is not None and not para.moved and last < at \
                and (next_kept is None or at < next_kept):
            kept.add(index)
            last = at
    return kept


def _put_back(paras: list[_Para], extra: list[_Para], side: str) -> list[_Para]:
    """EXTRA (paragraphs of one side only) each placed just after the paragraph of PARAS that
    stands before it on that SIDE, in order; PARAS' own places on that side increase."""
    if not extra:
        return paras
    spots = [(getattr(p, side), k) for k, p in enumerate(paras) if getattr(p, side) is not None]
    after: dict[int, list[_Para]] = defaultdict(list)
    for para in sorted(extra, key=lambda p: getattr(p, side)):
        before = bisect_left(spots, (getattr(para, side), -1)) - 1
        after[spots[before][1] if before >= 0 else -1].append(para)
    out = after[-1]
    for index, para in enumerate(paras):
        out += [para, *after[index]]
    return out


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
        if kind in ("modified", "replaced"):
            piece: Piece = (kind, ("Normal", old[index]), ("Normal", new[index]))
            if old[index] == new[index] and kind == "modified":
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
    runs = [_style_change(first[0], marks)] if first[0] != style else []
    whole = [("replace", first[1], second[1])]
    ops = whole if kind == "replaced" else word_ops(first[1], second[1])
    for tag, old_text, new_text in ops:
        # word_ops counts any two runs of spaces as equal; here each side's own text counts.
        if tag == "equal" and old_text == new_text:
            runs.append(_run(new_text))
            continue
        if old_text:
            runs.append(f"<w:del {marks.attrs()}>{_run(old_text, deleted=True)}</w:del>")
        if new_text:
            runs.append(f"<w:ins {marks.attrs()}>{_run(new_text)}</w:ins>")
    return _p(style, "".join(runs))


def _style_change(old_style: str, marks: _Marks) -> str:
    """A tracked change of the paragraph's style (a heading's level): the old one kept."""
    return (f'<w:pPrChange {marks.attrs()}><w:pPr><w:pStyle w:val="{old_style}"/></w:pPr>'
            "</w:pPrChange>")


def _p(style: str, content: str, mark: str = "") -> str:
    """A paragraph; a leading `w:pPrChange` in CONTENT goes last in its properties."""
    change = ""
    if content.startswith("<w:pPrChange"):
        cut = content.index("</w:pPrChange>") + len("</w:pPrChange>")
        change, content = content[:cut], content[cut:]
    mark_props = f"<w:rPr>{mark}</w:rPr>" if mark else ""
    return (f'<w:p xmlns:w="{W_NS}"><w:pPr><w:pStyle w:val="{style}"/>{mark_props}{change}'
            f"</w:pPr>{content}</w:p>")


def _run(text: str, deleted: bool = False) -> str:
    tag = "w:delText" if deleted else "w:t"
    return f'<w:r><{tag} xml:space="preserve">{_text(text)}</{tag}></w:r>' if text else ""


def _summary(plan: Plan, laid: _Redline) -> list[str]:
    """The first table, part of neither version: the key provision and metadata changes the
    plan shows, then what the marks do not say themselves (no table when nothing is to say)."""
    diff = plan.diff
    rows = [(p.label, change_text(p), stated_text(p.old), stated_text(p.new))
            for p in plan.provisions]
    rows += [_field_row(field) for field in plan.metadata]
    notes = _notes(plan, laid)
    if not rows and not notes:
        return []
    header = ("Key provision", "Change", f"Old ({diff.old.ref})", f"New ({diff.new.ref})")
    cells = "".join(_row(row, bold=index == 0) for index, row in enumerate([header, *rows]))
    cells += "".join(_note_row(note) for note in notes)
    return [f'<w:tbl xmlns:w="{W_NS}"><w:tblPr><w:tblStyle w:val="TableGrid"/>'
            f'<w:tblW w:w="5000" w:type="pct"/><w:tblCaption w:val="{SUMMARY}"/></w:tblPr>'
            f'<w:tblGrid>{"".join(f"<w:gridCol w:w={chr(34)}{w}{chr(34)}/>" for w in _WIDTHS)}'
            f'</w:tblGrid>{cells}</w:tbl>']


def _field_row(field: FieldPlan) -> tuple[str, str, str, str]:
    """A changed front matter field: its two values; of a list, the members gone and come."""
    label = f"Field: {field.field}"
    if field.ops is not None:
        return label, "changed", value_text(field.old), value_text(field.new)
    if not field.gone and not field.came:
        return label, "reordered", "", ""
    return (label, "members changed", "; ".join(f"− {value_text(v)}" for v in field.gone),
            "; ".join(f"+ {value_text(v)}" for v in field.came))


def _notes(plan: Plan, laid: _Redline) -> list[str]:
    """What a reader of the marks alone would not know."""
    notes = []
    if plan.quiet and not plan.diff.identical:
        notes.append(f"{plan.diff.old.ref} and {plan.diff.new.ref} are {plan.quiet}.")
    if plan.layout:
        notes.append(LAYOUT_NOTE)
    if laid.hidden:
        notes.append(f"Editorial changes left unmarked (--ignore-editorial): "
                     f"{_count(laid.hidden)}, shown as the new version's text; rejecting "
                     "every change keeps them.")
    if plan.editorial_provisions:
        notes.append("Key provisions with editorial changes only: "
                     f"{', '.join(p.label for p in plan.editorial_provisions)}.")
    moved = [s for s in plan.sections if s.section.moved]
    blocks = sum(1 for s in plan.sections for b in s.section.blocks if b.status == "moved")
    if moved or blocks:
        what = " and ".join(filter(None, [_count(len(moved), "section") if moved else "",
                                          _count(blocks, "block") if blocks else ""]))
        notes.append(f"Moved: {what}, each deleted at its old place and inserted at its new one.")
    if laid.unseen:
        notes.append(f"Changed where Word shows no difference (spacing, list markers, Markdown "
                     f"marks): {_count(laid.unseen)}, each deleted and inserted whole.")
    return notes


def _count(number: int, noun: str = "paragraph") -> str:
    return f"{number} {noun}{'s' if number != 1 else ''}"


def _note_row(note: str) -> str:
    return (f'<w:tr><w:tc><w:tcPr><w:gridSpan w:val="{len(_WIDTHS)}"/></w:tcPr><w:p><w:r>'
            f'<w:t xml:space="preserve">{_text(note)}</w:t></w:r></w:p></w:tc></w:tr>')


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
