"""Hostile documents: zip bombs, entity expansion, external entities, huge parts.

A Word file is a zip of XML parts.  Its parts are read only after the zip's own
table says they fit the limits (Python's zipfile stops at the declared size, so a
part cannot inflate past it), and XML is parsed with no DTD, no entities, no
network: WordprocessingML never needs any of them, so a part that declares a DTD
is refused rather than parsed.
"""

from __future__ import annotations

import io
import zipfile
from typing import Any

from lxml import etree

from ..errors import RecordError
from ..limits import check_limit

MAX_PARTS = ("POLICY_DIFF_MAX_ZIP_PARTS", 10_000)
MAX_UNZIPPED = ("POLICY_DIFF_MAX_UNZIPPED", 200_000_000)  # all parts, bytes
MAX_RATIO = 200  # a 100:1 ratio is already rare for XML; a zip bomb's is 1000:1 or more


def open_zip(data: bytes, name: str) -> zipfile.ZipFile:
    """The document's zip, its table of contents checked against the limits."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        parts = archive.infolist()
    except (zipfile.BadZipFile, ValueError, OSError) as exc:
        raise RecordError(f"not a readable Word document (broken zip: {exc})", name) from None
    check_limit(MAX_PARTS, len(parts), "parts in the zip", name)
    check_limit(MAX_UNZIPPED, sum(p.file_size for p in parts), "bytes unzipped", name)
    for part in parts:
        if part.file_size > 1_000_000 and part.file_size > MAX_RATIO * max(part.compress_size, 1):
            raise RecordError(f"part {part.filename!r} inflates {part.compress_size:,} bytes to "
                              f"{part.file_size:,}: a zip bomb, not a document", name)
    return archive


def read_part(archive: zipfile.ZipFile, part: str, name: str) -> bytes | None:
    """One part's bytes, or None when the document has no such part."""
    try:
        with archive.open(part) as stream:
            return stream.read()
    except KeyError:
        return None
    except (zipfile.BadZipFile, NotImplementedError, RuntimeError, OSError, EOFError) as exc:
        # A bad CRC, an encrypted entry, a compression method zipfile does not know.
        raise RecordError(f"cannot read part {part!r}: {exc}", name) from None


def parse_xml(data: bytes, part: str, name: str) -> Any:
    """An lxml element tree of one XML part, with DTDs and entities refused outright."""
    head = data[:4096]
    if b"<!DOCTYPE" in head or b"<!ENTITY" in data:
        raise RecordError(f"part {part!r} declares a DTD or entities, which a Word document "
                          f"never does (entity expansion or external entities); not read", name)
    parser = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False,
                             huge_tree=False, remove_comments=True)
    try:
        return etree.fromstring(data, parser)
    except etree.XMLSyntaxError as exc:
        line = getattr(exc, "lineno", None)
        where = f" line {line}" if line else ""
        raise RecordError(f"part {part!r}{where} is not well-formed XML: {exc.msg}",
                          name) from None
