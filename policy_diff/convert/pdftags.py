"""A tagged PDF's own structure: headings, paragraphs, lists and tables from its tags.

Word 365, LibreOffice's tagged export and Chromium's print write a structure tree
(`/StructTreeRoot`) whose elements (H1, P, L/LI, Table/TR/TD, ...) point at marked
content on the pages by MCID.  The page reader notes each glyph's MCID; this module walks
the tree, in its order, into items whose text is looked up by (page, MCID).  Content
outside the tree (running headers, page numbers: artifacts) belongs to no item.
"""

from __future__ import annotations

import re
from typing import Any, Iterator

from pdfminer.pdftypes import PDFObjRef, resolve1

Key = tuple[int, int]  # (page number, MCID)
# (kind, level or depth, keys, rows): heading / paragraph / item / table
Item = tuple[str, int, list[Key], list[list[list[Key]]]]

MAX_ELEMENTS = 500_000  # a structure tree is walked at most this far (a cycle, a bomb)
_GROUPS = {"Document", "Part", "Art", "Sect", "Div", "NonStruct", "Private", "BlockQuote",
           "TOC", "TOCI", "Index", "Form", "Link", "Annot", "Reference", "Span"}
_HEADING = re.compile(r"H([1-6])?")
_STANDARD = _GROUPS | {"Title", "P", "L", "LI", "Lbl", "LBody", "Table", "TR", "TH", "TD",
                       "THead", "TBody", "TFoot", "Caption", "Quote", "Note", "Code",
                       "Figure", "Formula", "Artifact"}


def structure(document: Any, page_numbers: dict[object, int]) -> list[Item]:
    """The items of a tagged PDF in reading order; [] when it has no structure tree."""
    root = resolve1(document.catalog.get("StructTreeRoot"))
    if not isinstance(root, dict):
        return []
    role_map = resolve1(root.get("RoleMap"))
    walker = _Walker(role_map if isinstance(role_map, dict) else {}, page_numbers)
    walker.visit(root.get("K"), None, 0)
    return walker.items


class _Walker:
    def __init__(self, role_map: dict[str, Any], page_numbers: dict[object, int]) -> None:
        self.role_map, self.page_numbers = role_map, page_numbers
        self.items: list[Item] = []
        self.seen: set[int] = set()
        self.count = 0

    def role(self, element: dict[str, Any]) -> str:
        """The standard structure type: its own when standard, else what RoleMap maps it to
        (LibreOffice maps even standard names such as Title onto others)."""
        name = _name(element.get("S"))
        if name in _STANDARD or _HEADING.fullmatch(name):
            return name
        for _ in range(8):  # custom names map onto standard ones, maybe through others
            mapped = _name(self.role_map.get(name))
            if not mapped or mapped == name:
                break
            name = mapped
        return name

    def children(self, kids: Any) -> list[Any]:
        kids = resolve1(kids)
        return list(kids) if isinstance(kids, list) else [] if kids is None else [kids]

    def element(self, reference: Any) -> dict[str, Any] | None:
        if isinstance(reference, PDFObjRef):
            if reference.objid in self.seen:
                return None  # a cycle
            self.seen.add(reference.objid)
        self.count += 1
        if self.count > MAX_ELEMENTS:
            return None
        value = resolve1(reference)
        return value if isinstance(value, dict) else None

    def elements(self, kids: Any, page: int | None) -> Iterator[tuple[dict[str, Any], int | None]]:
        """The structure elements among KIDS (marked-content numbers left out), each with
        its page (PAGE when it names none)."""
        for kid in self.children(kids):
            element = None if isinstance(kid, int) else self.element(kid)
            if element is not None:
                yield element, self.page_of(element, page)

    def page_of(self, element: dict[str, Any], page: int | None) -> int | None:
        reference = element.get("Pg")
        objid = getattr(reference, "objid", None)
        return self.page_numbers.get(objid, page) if objid is not None else page

    def keys(self, kids: Any, page: int | None, depth: int, skip: str = "") -> list[Key]:
        """Every (page, MCID) below, in order; SKIP names a role whose content is left out."""
        found: list[Key] = []
        if depth > 100:
            return found
        for kid in self.children(kids):
            if isinstance(kid, int):
                if page is not None:
                    found.append((page, kid))
                continue
            element = self.element(kid)
            if element is None:
                continue
            if _name(element.get("Type")) == "MCR":
                mcid = element.get("MCID")
                where = self.page_of(element, page)
                if isinstance(mcid, int) and where is not None:
                    found.append((where, mcid))
                continue
            if _name(element.get("Type")) == "OBJR" or (skip and self.role(element) == skip):
                continue
            found += self.keys(element.get("K"), self.page_of(element, page), depth + 1, skip)
        return found

    def visit(self, kids: Any, page: int | None, depth: int, list_depth: int = 0) -> None:
        if depth > 100:
            return
        for element, where in self.elements(kids, page):
            if _name(element.get("Type")) in ("MCR", "OBJR"):
                continue
            role = self.role(element)
            inner = element.get("K")
            heading = _HEADING.fullmatch(role)
            if role == "Title":
                self.items.append(("heading", 1, self.keys(inner, where, depth), []))
            elif heading:
                level = int(heading.group(1) or 1) + 1
                self.items.append(("heading", level, self.keys(inner, where, depth), []))
            elif role == "L":
                self.list_items(inner, where, depth, list_depth)
            elif role == "Table":
                self.items.append(("table", 0, [], self.rows(inner, where, depth)))
            elif role in _GROUPS and self.has_elements(inner):
                self.visit(inner, where, depth + 1, list_depth)
            elif role not in ("Artifact", "Figure", "Formula"):
                self.items.append(("paragraph", 0, self.keys(inner, where, depth), []))

    def has_elements(self, kids: Any) -> bool:
        for kid in self.children(kids):
            value = resolve1(kid)
            if isinstance(value, dict) and _name(value.get("Type")) not in ("MCR", "OBJR"):
                return True
        return False

    def list_items(self, kids: Any, page: int | None, depth: int, list_depth: int) -> None:
        for element, where in self.elements(kids, page):
            if self.role(element) == "L":
                self.list_items(element.get("K"), where, depth + 1, list_depth + 1)
                continue
            self.items.append(("item", list_depth, self.keys(element.get("K"), where, depth,
                                                             skip="L"), []))
            self.nested_lists(element.get("K"), where, depth + 1, list_depth + 1)

    def nested_lists(self, kids: Any, page: int | None, depth: int, list_depth: int) -> None:
        """A list inside a list item (LI > LBody > L) follows the item, one level deeper."""
        if depth > 100:
            return
        for element, where in self.elements(kids, page):
            if self.role(element) == "L":
                self.list_items(element.get("K"), where, depth, list_depth)
            else:
                self.nested_lists(element.get("K"), where, depth + 1, list_depth)

    def rows(self, kids: Any, page: int | None, depth: int) -> list[list[list[Key]]]:
        rows: list[list[list[Key]]] = []
        for element, where in self.elements(kids, page):
            if self.role(element) == "TR":
                rows.append([self.keys(cell.get("K"), at, depth + 1)
                             for cell, at in self.elements(element.get("K"), where)])
            elif depth < 100:  # THead, TBody, TFoot
                rows += self.rows(element.get("K"), where, depth + 1)
        return rows


def _name(value: Any) -> str:
    """A PDF name (or string) as text: /H1 -> 'H1'."""
    name = getattr(value, "name", value)
    if isinstance(name, bytes):
        name = name.decode("latin-1")
    return name if isinstance(name, str) else ""


def mcid_of(props: Any) -> int | None:
    """The MCID of a BDC operator's properties, if it has one."""
    mcid = props.get("MCID") if isinstance(props, dict) else None
    return mcid if isinstance(mcid, int) else None
