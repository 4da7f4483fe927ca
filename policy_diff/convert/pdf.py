"""PDF -> Markdown with pdfminer.six (the pdf extra): a best-effort reading of its structure.

A PDF holds positioned glyphs, not paragraphs and headings.  pdfminer's layout analysis
gives text boxes in reading order (multi-column pages included); on top of it:
- running headers, footers and page numbers are lines near the top or bottom edge that
  repeat on many pages once digits are ignored: they are dropped;
- headings are lines larger than the body text or wholly bold; their sizes, largest first,
  give their levels (a largest size used once on the first page is the title).
Everything said about structure is a guess, and the output says so.
"""

from __future__ import annotations

import io
import os
import re
import statistics
import zlib
from collections import Counter
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any, Iterator

from pdfminer import pdftypes
from pdfminer.converter import PDFPageAggregator
from pdfminer.layout import LAParams, LTChar, LTTextBox, LTTextLine
from pdfminer.pdfdocument import PDFDocument
from pdfminer.pdfinterp import PDFPageInterpreter, PDFResourceManager
from pdfminer.pdfpage import PDFPage
from pdfminer.pdfparser import PDFParser
from pdfminer.pdftypes import resolve1
from pdfminer.psexceptions import PSException

from .converted import Converted
from .markdown import clean, heading, join_blocks, list_item, literal, table
from .pdftags import mcid_of, structure
from ..errors import RecordError
from ..limits import check_limit, limit

MAX_PAGES = ("POLICY_DIFF_MAX_PDF_PAGES", 2_000)
MAX_STREAM = ("POLICY_DIFF_MAX_PDF_STREAM", 100_000_000)  # one decompressed stream, bytes
_EDGE = 0.1  # the top and bottom tenth of a page, where running heads and folios live
_PAGE_NUMBER = re.compile(r"(?i)^[\W_]*(page\s*)?[0-9ivxlc]{1,6}(\s*(of|/)\s*\d{1,6})?[\W_]*$")
# Bullet glyphs, including the private-use ones of symbol fonts (Word's bullet in Symbol).
_BULLET = re.compile(r"^[•▪◦‣●■□\u2043\u2219·\ue000-\uf8ff]\s*")
_BOLD = re.compile(r"(?i)bold|black|heavy|semibold|demi")


@dataclass
class _Line:
    page: int
    text: str
    size: float
    bold: bool
    top: float  # 0 at the top of the page, 1 at the bottom
    box: tuple[int, int]  # (page, text box): lines of one box may join
    parts: tuple[tuple[int, str], ...] = ()  # (MCID or -1, text) runs, for tagged PDFs


def read_pdf(data: bytes, name: str) -> Converted:
    lines, info, pages, items = _lines(data, name)
    dates = {k: v for k, v in info.items() if k in ("created", "modified")}
    tagged = _tagged_blocks(items, lines) if items else None
    if tagged is not None:
        blocks, title = tagged
        note = (f"{name}: PDF structure is best effort: read from the PDF's structure tags "
                f"({sum(1 for i in items if i[0] == 'heading')} heading(s)); content outside "
                f"them (running headers, page numbers) left out")
        return Converted(join_blocks(blocks), title or info.get("title"),
                         "the PDF reader (structure tags)", dates, [note])
    lines, dropped = _without_running_lines(lines, pages)
    body_size = _body_size(lines)
    blocks, title, headings = _blocks(lines, body_size)
    note = (f"{name}: PDF structure is best effort: {headings} heading(s) guessed from font "
            f"size and weight, {dropped} running header/footer/page-number line(s) removed")
    return Converted(join_blocks(blocks), title or info.get("title"),
                     "the PDF reader (layout heuristics)", dates, [note])


def _tagged_blocks(items: list[Any], lines: list[_Line]) -> tuple[list[str], str | None] | None:
    """Blocks from the structure tree, or None when its tags cover too little of the text
    (a tree that names only some of the content is not to be trusted over the layout)."""
    texts: dict[tuple[int, int], str] = {}
    tagged = untagged = 0
    for line in lines:
        for mcid, text in line.parts:
            if mcid < 0:
                untagged += len(text)
                continue
            tagged += len(text)
            key = (line.page, mcid)
            texts[key] = f"{texts[key]} {text}" if key in texts else text
    if tagged < 0.5 * (tagged + untagged) or not texts:
        return None

    def text_of(keys: list[tuple[int, int]]) -> str:
        return clean(" ".join(texts.get(key, "") for key in keys))

    blocks: list[str] = []
    title = None
    for kind, level, keys, rows in items:
        text = text_of(keys)
        if kind == "table":
            blocks.append(table([[text_of(cell) for cell in row] for row in rows]))
        elif not text:
            continue
        elif kind == "heading":
            if level == 1 and title is None:
                title = text
            blocks.append(heading(level, text))
        elif kind == "item":
            bullet = _BULLET.match(text) or re.match(r"^\(?\w{1,3}[.)]\s+", text)
            ordered = bool(bullet and bullet.group()[:1].isalnum() or
                           bullet and bullet.group()[:1] == "(")
            blocks.append(list_item(level, ordered, text[bullet.end():] if bullet else text))
        else:
            blocks.append(literal(text))
    return blocks, title


def _lines(data: bytes, name: str) -> tuple[list[_Line], dict[str, str], int, list[Any]]:
    """Every text line of the PDF in reading order, its information dictionary, its number of
    pages and its structure tree's items (pdftags.py; none for an untagged PDF).

    Reading the pages' content is pure Python and the slow part (about 0.1 s a dense page):
    a long PDF is read by two processes at once, each taking every other page.
    """
    with _readable(name):
        document = _open(data, name)
        info = _info(document)
        numbers = _page_numbers(document, name)
        items = structure(document, numbers)
    pages = len(numbers)
    shares = 2 if pages >= 8 and (os.cpu_count() or 1) > 1 else 1
    if shares == 1:
        return _page_lines(data, name, 0, 1), info, pages, items
    # 6 ms: only a PDF of 8 pages or more is read by two processes
    from concurrent.futures import ProcessPoolExecutor
    from multiprocessing import get_context

    with ProcessPoolExecutor(shares, mp_context=get_context("fork")) as pool:
        parts = list(pool.map(_page_lines, [data] * shares, [name] * shares, range(shares),
                              [shares] * shares))
    lines = sorted((line for part in parts for line in part), key=lambda line: line.page)
    return lines, info, pages, items


def _page_lines(data: bytes, name: str, share: int, shares: int) -> list[_Line]:
    """The lines of pages SHARE, SHARE + SHARES, ... (all of them when SHARES is 1)."""
    lines: list[_Line] = []
    with _readable(name):
        document = _open(data, name)
        resources = PDFResourceManager(caching=True)
        # boxes_flow=None: no hierarchical grouping of boxes; _reading_order orders them.
        device = _Aggregator(resources, laparams=LAParams(boxes_flow=None))
        interpreter = PDFPageInterpreter(resources, device)
        for number, page in enumerate(PDFPage.create_pages(document)):
            if number % shares != share:
                continue
            interpreter.process_page(page)
            layout = device.get_result()
            height = max(float(layout.height), 1.0)
            boxes = _reading_order([b for b in layout if isinstance(b, LTTextBox)],
                                   float(layout.width))
            for index, box in enumerate(boxes):
                lines += _box_lines(box, number, height, index)
    return lines


def _open(data: bytes, name: str) -> Any:
    document = PDFDocument(PDFParser(io.BytesIO(data)))
    if not document.is_extractable:
        raise RecordError("the PDF forbids text extraction (it is protected)", name)
    return document


def _page_numbers(document: Any, name: str) -> dict[object, int]:
    """Each page object's id (pdfminer types it `object`) -> its 0-based page number."""
    numbers = {}
    for number, page in enumerate(PDFPage.create_pages(document)):
        check_limit(MAX_PAGES, number + 1, "pages", name)
        numbers[page.pageid] = number
    return numbers


@contextmanager
def _readable(name: str) -> Iterator[None]:
    """pdfminer's many failures on a broken or hostile PDF as one located error."""
    try:
        with _bounded_streams():
            yield
    except RecordError as exc:
        raise RecordError(exc.message, exc.path or name, exc.line) from None
    except (PSException, ValueError, TypeError, KeyError, IndexError, AttributeError,
            AssertionError, zlib.error, RecursionError, OverflowError) as exc:
        kind = type(exc).__name__
        if "Password" in kind or "Encrypt" in kind:
            raise RecordError("the PDF is encrypted with a password; not read", name) from None
        raise RecordError(f"not a readable PDF ({kind}: {str(exc)[:120]})", name) from None


def _reading_order(boxes: list[Any], width: float) -> list[Any]:
    """Columns left to right, each top to bottom; a box as wide as the page ends a band.

    pdfminer's own order (boxes_flow) sometimes takes a box of the next column before the
    rest of this one.
    """
    ordered: list[Any] = []
    band: list[Any] = []
    for box in sorted(boxes, key=lambda b: -b.y1):
        if box.width > 0.6 * width:
            ordered += _by_column(band) + [box]
            band = []
        else:
            band.append(box)
    return ordered + _by_column(band)


def _by_column(boxes: list[Any]) -> list[Any]:
    starts: list[float] = []
    for x0 in sorted(b.x0 for b in boxes):
        if not starts or x0 - starts[-1] > 40:  # a new column starts this far to the right
            starts.append(x0)
    column = {id(b): max(i for i, x in enumerate(starts) if x <= b.x0 + 0.01) for b in boxes}
    return sorted(boxes, key=lambda b: (column[id(b)], -b.y1))


def _box_lines(box: Any, page: int, height: float, box_index: int) -> list[_Line]:
    found = []
    for line in box:
        if not isinstance(line, LTTextLine):
            continue
        chars = [c for c in line if isinstance(c, LTChar) and c.get_text().strip()]
        text = clean(line.get_text())
        if not chars or not text or not any(c.upright for c in chars):  # margin text set sideways
            continue
        size = round(statistics.median(c.size for c in chars) * 2) / 2
        bold = sum(bool(_BOLD.search(c.fontname)) for c in chars) >= 0.95 * len(chars)
        top = 1 - float(line.y1) / height
        found.append(_Line(page, text, size, bold, top, (page, box_index), _parts(line)))
    return found


def _parts(line: Any) -> tuple[tuple[int, str], ...]:
    """A line's text cut where its marked content (MCID) changes; -1 for none."""
    parts: list[list[Any]] = []
    for item in line:
        mcid = getattr(item, "mcid", None) if isinstance(item, LTChar) else None
        mcid = -1 if mcid is None else mcid
        if isinstance(item, LTChar) and (not parts or parts[-1][0] != mcid):
            parts.append([mcid, item.get_text()])
        elif parts:
            parts[-1][1] += item.get_text()
    return tuple((mcid, clean(text)) for mcid, text in parts if clean(text))


class _Aggregator(PDFPageAggregator):
    """The layout of a page, each glyph marked with the MCID of the content around it."""

    def begin_page(self, page: Any, ctm: Any) -> None:
        self.mcids: list[int | None] = []
        super().begin_page(page, ctm)

    def begin_tag(self, tag: Any, props: Any = None) -> None:
        inherited = self.mcids[-1] if self.mcids else None
        artifact = getattr(tag, "name", "") == "Artifact"
        self.mcids.append(None if artifact else (mcid_of(props) if mcid_of(props) is not
                                                  None else inherited))

    def end_tag(self) -> None:
        if self.mcids:
            self.mcids.pop()

    def render_char(self, *args: Any, **kwargs: Any) -> float:
        width = super().render_char(*args, **kwargs)
        # Our mark on pdfminer's glyph, which declares no such attribute; read by getattr.
        glyph: Any = self.cur_item._objs[-1]
        glyph.mcid = self.mcids[-1] if self.mcids else None
        return width


def _without_running_lines(lines: list[_Line], pages: int) -> tuple[list[_Line], int]:
    """Drop page numbers at the edges, and edge lines that repeat on many pages (digits aside)."""
    def at_edge(line: _Line) -> bool:
        return line.top < _EDGE or line.top > 1 - _EDGE

    def key(line: _Line) -> str:
        return re.sub(r"\d+", "#", line.text.lower()).replace(" ", "")

    pages_with: Counter[str] = Counter()
    for page_key in {(line.page, key(line)) for line in lines if at_edge(line)}:
        pages_with[page_key[1]] += 1
    repeated = {k for k, n in pages_with.items() if pages >= 2 and n >= max(2, pages * 0.4)}
    kept = [line for line in lines if not at_edge(line) or
            (key(line) not in repeated and not _PAGE_NUMBER.match(line.text))]
    return kept, len(lines) - len(kept)


def _body_size(lines: list[_Line]) -> float:
    sizes: Counter[float] = Counter()
    for line in lines:
        sizes[line.size] += len(line.text)
    return sizes.most_common(1)[0][0] if sizes else 0.0


def _is_heading(line: _Line, body_size: float) -> bool:
    if len(line.text) > 160 or not re.search(r"[^\W\d_]", line.text):
        return False
    return line.size >= body_size * 1.15 or (line.bold and line.size >= body_size * 0.8)


def _blocks(lines: list[_Line], body_size: float) -> tuple[list[str], str | None, int]:
    """Consecutive lines of one box and one kind make a block; headings get their levels."""
    groups: list[tuple[bool, float, list[str]]] = []
    previous: tuple[tuple[int, int], bool, float] | None = None
    for line in lines:
        is_heading = _is_heading(line, body_size)
        here = (line.box, is_heading, line.size if is_heading else 0.0)
        if here == previous:
            groups[-1][2].append(line.text)
        else:
            groups.append((is_heading, here[2], [line.text]))
        previous = here
    sizes = sorted({size for is_heading, size, _ in groups if is_heading}, reverse=True)
    title = None
    first = [g for g in groups if g[0] and g[1] == sizes[0]] if sizes else []
    if len(first) == 1 and groups.index(first[0]) < 5 and len(sizes) > 1:
        title = " ".join(first[0][2])
        sizes = sizes[1:]
    level = {size: rank + 2 for rank, size in enumerate(sizes)}
    blocks = []
    for is_heading, size, texts in groups:
        if not is_heading:
            blocks.append(_paragraph(texts))
        elif title is not None and " ".join(texts) == title and not blocks:
            blocks.append(heading(1, title))
        else:
            blocks.append(heading(level.get(size, 6), " ".join(texts)))
    return blocks, title, sum(1 for g in groups if g[0])


def _paragraph(texts: list[str]) -> str:
    """Lines joined into one paragraph; a word hyphenated across a line break is rejoined."""
    text = texts[0]
    for following in texts[1:]:
        if re.search(r"[^\W\d_]-$", text) and following[:1].islower():
            text = text[:-1] + following
        else:
            text = f"{text} {following}"
    bullet = _BULLET.match(text)
    return "- " + literal(text[bullet.end():]) if bullet else literal(text)


def _info(document: Any) -> dict[str, str]:
    """Title and dates from the document information dictionary."""
    found: dict[str, str] = {}
    for info in document.info[:1]:
        for key, name in (("Title", "title"), ("CreationDate", "created"),
                          ("ModDate", "modified")):
            value = resolve1(info.get(key))
            if isinstance(value, bytes):
                value = _pdf_string(value)
            if not isinstance(value, str) or not value.strip():
                continue
            if name == "title":
                found[name] = clean(value)[:300]
            else:
                match = re.match(r"(?:D:)?(\d{4})(\d\d)(\d\d)", value)
                if match:
                    found[name] = "-".join(match.groups())
    return found


def _pdf_string(value: bytes) -> str:
    if value.startswith(b"\xfe\xff"):
        return value[2:].decode("utf-16-be", "replace")
    return value.decode("latin-1")


class _bounded_streams:
    """While a PDF is read, pdfminer inflates streams through a zlib that stops at a limit.

    pdfminer calls `zlib.decompress(data)` on each stream whole: a few megabytes of deflated
    zeros would become gigabytes.  Swapping the module's `zlib` name for this bounded one is
    the only hook it offers; it is put back when the reading ends.
    """

    def __enter__(self) -> None:
        self.module = pdftypes
        self.saved = pdftypes.zlib
        # A stand-in for the module, with the names pdfminer uses (`decompress`, `error`).
        pdftypes.zlib = _BoundedZlib()  # type: ignore[assignment]

    def __exit__(self, *exc: object) -> None:
        self.module.zlib = self.saved


class _BoundedZlib:
    error = zlib.error

    def __init__(self) -> None:
        self.allowed = limit(MAX_STREAM)

    def decompress(self, data: bytes) -> bytes:
        inflater = zlib.decompressobj()
        out = inflater.decompress(data, self.allowed + 1) if self.allowed else \
            inflater.decompress(data)
        if self.allowed and len(out) > self.allowed:
            raise RecordError(f"a stream inflates past {self.allowed:,} bytes (a compression "
                              f"bomb); set {MAX_STREAM[0]} to raise the limit (0 for none)")
        return out

    def decompressobj(self) -> Any:
        return zlib.decompressobj()
