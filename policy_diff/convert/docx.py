"""Word (.docx) -> Markdown, walking the WordprocessingML itself (lxml, from the docx extra).

Headings come from paragraph styles: Title, `heading N`, any style with an outline level,
and custom styles based on them (the `basedOn` chain), or an outline level set on the
paragraph itself, as Word's navigation pane reads them.  Lists come from the numbering
definitions, tables from `w:tbl`, footnotes become Markdown notes.  Tracked changes are read
as accepted (or, asked, rejected), since python-docx's own text drops inserted runs.
Style look-ups are cached per style id: resolving them per paragraph is the slow part.
"""

from __future__ import annotations

import posixpath
import re
from typing import Any, Iterator

from ..errors import RecordError
from .converted import Converted
from .markdown import clean, heading, join_blocks, list_item, literal, table
from .safety import open_zip, parse_xml, read_part

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
R = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}"
REL = "{http://schemas.openxmlformats.org/package/2006/relationships}"
MAIN = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument"
_HEADING_NAME = re.compile(r"heading\s*([1-9])", re.IGNORECASE)
_CHANGES = {f"{W}ins", f"{W}del", f"{W}moveFrom", f"{W}moveTo"}
_SKIPPED = {f"{W}pPr", f"{W}rPr", f"{W}drawing", f"{W}pict", f"{W}object", f"{W}instrText",
            f"{W}delInstrText", f"{W}fldData", f"{W}commentReference"}


def read_docx(data: bytes, name: str, changes: str = "accept") -> Converted:
    archive = open_zip(data, name)
    package = _Package(archive, name)
    body = package.main.find(f"{W}body")
    if body is None:
        raise RecordError("the Word document has no body", name)
    reader = _Reader(package, changes)
    blocks = list(reader.blocks(body))
    blocks += reader.notes()
    notes = []
    if reader.tracked:
        what = "accepted" if changes == "accept" else "rejected"
        notes.append(f"{name} carries tracked changes; read with all of them {what}"
                     + (" (--changes reject reads the original)" if changes == "accept" else ""))
    props = package.properties()
    title = reader.title or props.get("title")
    return Converted(join_blocks(blocks), title, "the Word reader",
                     {k: v for k, v in props.items() if k in ("created", "modified")}, notes)


class _Package:
    """The parts of a .docx that matter: the main document, styles, numbering, notes."""

    def __init__(self, archive: Any, name: str) -> None:
        self.archive, self.name = archive, name
        main_path = self._main_path()
        self.main = self._xml(main_path)
        if self.main is None:
            raise RecordError("not a Word document: no main document part", name)
        targets = self._targets(main_path)
        self.styles = self._xml(targets.get("styles", "word/styles.xml"))
        self.numbering = self._xml(targets.get("numbering", "word/numbering.xml"))
        self.footnotes = self._xml(targets.get("footnotes", "word/footnotes.xml"))

    def _xml(self, part: str) -> Any:
        data = read_part(self.archive, part, self.name)
        return None if data is None else parse_xml(data, part, self.name)

    def _main_path(self) -> str:
        rels = self._xml("_rels/.rels")
        for rel in rels if rels is not None else []:
            if rel.get("Type") == MAIN:
                return rel.get("Target", "").lstrip("/")
        return "word/document.xml"

    def _targets(self, part: str) -> dict[str, str]:
        """Relationship kind (its last word) -> part path, from the main part's relationships."""
        folder, base = posixpath.split(part)
        rels = self._xml(posixpath.join(folder, "_rels", base + ".rels"))
        found = {}
        for rel in rels if rels is not None else []:
            kind = rel.get("Type", "").rsplit("/", 1)[-1]
            target = rel.get("Target", "")
            if rel.get("TargetMode") != "External" and target:
                found[kind] = posixpath.normpath(posixpath.join(folder, target)).lstrip("/")
        return found

    def properties(self) -> dict[str, str]:
        """Title and dates from docProps/core.xml (Dublin Core)."""
        core = self._xml("docProps/core.xml")
        found: dict[str, str] = {}
        for element in core if core is not None else []:
            local = element.tag.rsplit("}", 1)[-1]
            text = clean(element.text or "")
            if local == "title" and text:
                found["title"] = text
            elif local in ("created", "modified") and re.match(r"\d{4}-\d\d-\d\d", text):
                found[local] = text[:10]
        return found


class _Reader:
    def __init__(self, package: _Package, changes: str) -> None:
        self.package = package
        self.accept = changes == "accept"
        self.tracked = False
        self.title: str | None = None
        self.note_order: list[str] = []
        self._levels: dict[str, int | None] = {}
        self._style_numbering: dict[str, tuple[str, int] | None] = {}
        self._formats: dict[tuple[str, int], bool] = {}
        self._styles = {s.get(f"{W}styleId"): s for s in (package.styles if package.styles
                                                          is not None else [])
                        if s.tag == f"{W}style"}

    def blocks(self, body: Any) -> Iterator[str]:
        for child in body:
            if child.tag == f"{W}p":
                yield self.paragraph(child)
            elif child.tag == f"{W}tbl":
                yield table([[cell for cell in row] for row in self.rows(child)])
            elif child.tag == f"{W}sdt":  # a content control around paragraphs (e.g. a TOC)
                content = child.find(f"{W}sdtContent")
                if content is not None:
                    yield from self.blocks(content)
            elif child.tag in _CHANGES:  # a whole block inside a tracked change
                self.tracked = True
                if self._kept(child.tag):
                    yield from self.blocks(child)

    def _kept(self, tag: str) -> bool:
        inserted = tag in (f"{W}ins", f"{W}moveTo")
        return inserted == self.accept

    def paragraph(self, p: Any) -> str:
        text = clean(self.text(p))
        if not text or self._mark_dropped(p):
            return ""
        style = _val(p.find(f"{W}pPr/{W}pStyle")) or self._default_style()
        level = _outline(p.find(f"{W}pPr/{W}outlineLvl"))
        if level is None:
            level = self.style_level(style)
        if level == 0:
            if self.title is None:
                self.title = text
            return heading(1, text)
        if level is not None:
            return heading(level + 1, text)
        numbering = self.numbering(p, style)
        if numbering is not None:
            num_id, depth = numbering
            return list_item(depth, self.ordered(num_id, depth), text)
        return literal(text)

    def _mark_dropped(self, p: Any) -> bool:
        """A paragraph whose mark is tracked as inserted (rejecting) or deleted (accepting)
        and whose kept text is empty disappears, as Word shows it."""
        mark = p.find(f"{W}pPr/{W}rPr")
        if mark is None:
            return False
        for change in mark:
            if change.tag in _CHANGES:
                self.tracked = True
                return not self._kept(change.tag)
        return False

    def text(self, element: Any) -> str:
        parts: list[str] = []
        self._collect(element, parts)
        return "".join(parts)

    def _collect(self, element: Any, parts: list[str]) -> None:
        for child in element:
            tag = child.tag
            if tag in _SKIPPED or not isinstance(tag, str):
                continue
            if tag in _CHANGES:
                self.tracked = True
                if not self._kept(tag):
                    continue
            if tag == f"{W}t" or (tag == f"{W}delText" and not self.accept):
                parts.append(child.text or "")
            elif tag in (f"{W}tab", f"{W}br", f"{W}cr"):
                parts.append(" ")
            elif tag == f"{W}noBreakHyphen":
                parts.append("-")
            elif tag == f"{W}footnoteReference":
                parts.append(self._note_mark(child.get(f"{W}id", "")))
            else:
                self._collect(child, parts)

    def _note_mark(self, note_id: str) -> str:
        if note_id not in self.note_order:
            self.note_order.append(note_id)
        return f"[^{self.note_order.index(note_id) + 1}]"

    def notes(self) -> list[str]:
        """The footnotes referred to, in the order of their marks, as Markdown notes."""
        notes = self.package.footnotes
        if notes is None or not self.note_order:
            return []
        by_id = {n.get(f"{W}id"): n for n in notes}
        out = []
        for number, note_id in enumerate(self.note_order, 1):
            note = by_id.get(note_id)
            text = clean(" ".join(self.text(p) for p in note.iter(f"{W}p"))) if note is not None \
                else "(missing from the document)"
            out.append(f"[^{number}]: {literal(text)}")
        return ["\n".join(out)]

    def rows(self, tbl: Any) -> Iterator[list[str]]:
        for row in tbl.iter(f"{W}tr"):
            if row.getparent() is not tbl and row.getparent().tag != f"{W}sdtContent":
                continue  # a nested table's rows are read as its cell's text
            cells = []
            for cell in row.iter(f"{W}tc"):
                if cell.getparent() is not row:
                    continue
                merged = cell.find(f"{W}tcPr/{W}vMerge")
                text = "" if merged is not None and _val(merged) in (None, "continue") \
                    else clean(" ".join(self.text(p) for p in cell.iter(f"{W}p")))
                cells.append(text)
                span = _int(_val(cell.find(f"{W}tcPr/{W}gridSpan"))) or 1
                cells += [""] * (min(span, 64) - 1)
            yield cells

    # Styles --------------------------------------------------------------------------

    def _default_style(self) -> str | None:
        for style_id, style in self._styles.items():
            if style.get(f"{W}type") == "paragraph" and style.get(f"{W}default") in ("1", "true"):
                return style_id
        return None

    def style_level(self, style_id: str | None, seen: frozenset[str] = frozenset()) -> int | None:
        """0 for Title, N-1 for `heading N` and outline level N-1, through `basedOn`; None
        for body text."""
        if style_id is None or style_id in seen:
            return None
        if style_id not in self._levels:
            self._levels[style_id] = self._level_of(style_id, seen | {style_id})
        return self._levels[style_id]

    def _level_of(self, style_id: str, seen: frozenset[str]) -> int | None:
        style = self._styles.get(style_id)
        if style is None:
            match = _HEADING_NAME.fullmatch(style_id)
            return int(match.group(1)) if match else None
        name = _val(style.find(f"{W}name")) or ""
        if name.lower() == "title":
            return 0
        match = _HEADING_NAME.fullmatch(name.strip())
        if match:
            return int(match.group(1))
        outline = _outline(style.find(f"{W}pPr/{W}outlineLvl"))
        if outline is not None:
            return outline
        return self.style_level(_val(style.find(f"{W}basedOn")), seen)

    def numbering(self, p: Any, style: str | None) -> tuple[str, int] | None:
        """(numbering id, depth) of a list paragraph, from the paragraph or its style."""
        num = p.find(f"{W}pPr/{W}numPr")
        if num is not None:
            num_id = _val(num.find(f"{W}numId"))
            depth = _int(_val(num.find(f"{W}ilvl"))) or 0
            return (num_id, min(depth, 8)) if num_id is not None and num_id != "0" else None
        if style is None:
            return None
        if style not in self._style_numbering:
            found = None
            element = self._styles.get(style)
            num = element.find(f"{W}pPr/{W}numPr") if element is not None else None
            num_id = _val(num.find(f"{W}numId")) if num is not None else None
            if num is not None and num_id is not None and num_id != "0":
                found = (num_id, min(_int(_val(num.find(f"{W}ilvl"))) or 0, 8))
            self._style_numbering[style] = found
        return self._style_numbering[style]

    def ordered(self, num_id: str, depth: int) -> bool:
        """Whether a numbering level counts (1. a. i.) rather than bullets."""
        key = (num_id, depth)
        if key not in self._formats:
            self._formats[key] = _number_format(self.package.numbering, num_id, depth) \
                not in ("bullet", "none", None)
        return self._formats[key]


def _number_format(numbering: Any, num_id: str, depth: int) -> str | None:
    if numbering is None:
        return None
    abstract_id = None
    for num in numbering.iter(f"{W}num"):
        if num.get(f"{W}numId") == num_id:
            abstract_id = _val(num.find(f"{W}abstractNumId"))
    for abstract in numbering.iter(f"{W}abstractNum"):
        if abstract.get(f"{W}abstractNumId") == abstract_id:
            for level in abstract.iter(f"{W}lvl"):
                if level.get(f"{W}ilvl") == str(depth):
                    return _val(level.find(f"{W}numFmt"))
    return None


def _val(element: Any) -> str | None:
    return None if element is None else element.get(f"{W}val")


def _int(text: str | None) -> int | None:
    return int(text) if text is not None and text.isdigit() and len(text) < 6 else None


def _outline(element: Any) -> int | None:
    """A paragraph's outline level as a heading depth (0-based); 9 means body text."""
    level = _int(_val(element))
    return level + 1 if level is not None and level < 9 else None
