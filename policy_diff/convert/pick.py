"""Pick the reader of a document by its name and first bytes; make a record of what it read.

The readers (python-docx's lxml, pdfminer.six, BeautifulSoup) load only when such a file is
read.  Each is an optional extra; a missing one is a one-line error naming the extra.
"""

from __future__ import annotations

import hashlib
import importlib
import json
import re
from pathlib import Path

from . import document_kind
from ..errors import RecordError, UsageError
from .converted import Converted, ReadOptions

EXTRAS = {"docx": ("docx", "docx"), "pdf": ("pdfminer", "pdf"),
          "html": ("bs4", "html"), "markdownify": ("markdownify", "html")}


def sniff(data: bytes, name: str) -> str:
    """The kind from the name, checked against the file's first bytes (a PDF renamed .docx
    is read as a PDF; a text file named .pdf is an error, not a crash in the reader)."""
    by_name = document_kind(name)
    if data.startswith(b"%PDF-") or data[:1024].lstrip().startswith(b"%PDF-"):
        return "pdf"
    if data.startswith(b"PK\x03\x04"):
        return by_name if by_name in ("docx", "office") else "docx"  # .odt is a zip too
    if data.startswith(b"\xd0\xcf\x11\xe0") and by_name == "docx":
        raise RecordError("an OLE container, not a zip: a password-protected Word document "
                          "(or a .doc named .docx); remove the password or save it as .docx",
                          name)
    if data.startswith(b"\xd0\xcf\x11\xe0") or data.startswith(b"{\\rtf"):
        return "office"  # old binary Word (or an encrypted .docx), RTF
    head = data[:2048].lstrip().lower()
    if by_name == "html" or head.startswith((b"<!doctype html", b"<html")):
        return "html"
    expected = {"docx": "a Word (.docx) document: no zip signature",
                "pdf": "a PDF: it does not start with %PDF-",
                "office": "a document LibreOffice reads"}.get(by_name or "", "a known document")
    raise RecordError(f"not {expected}", name)


def convert(data: bytes, name: str, options: ReadOptions = ReadOptions()) -> Converted:
    """Read a document's bytes (NAME is for messages and the extension) into Markdown."""
    kind = sniff(data, name)
    if kind == "office":
        from .office import to_docx  # subprocess, tempfile: 9 ms, only for LibreOffice

        data, kind = to_docx(data, name), "docx"
        converted = _read(kind, data, name, options)
        converted.converter = f"LibreOffice, then {converted.converter}"
        return converted
    return _read(kind, data, name, options)


def _read(kind: str, data: bytes, name: str, options: ReadOptions) -> Converted:
    if kind == "docx":
        require("docx")
        from .docx import read_docx  # optional extra, 13 ms: only for a .docx

        return read_docx(data, name, options.changes)
    if kind == "pdf":
        require("pdf")
        from .pdf import read_pdf  # optional extra, 73 ms: only for a PDF

        return read_pdf(data, name)
    require("html")
    require("markdownify")
    from .html import read_html  # optional extra, 83 ms: only for a web page

    return read_html(data, name, options.keep, options.remove)


def require(kind: str) -> None:
    """Fail in one line, naming the extra to install, when a reader's library is missing."""
    module, extra = EXTRAS[kind]
    try:
        importlib.import_module(module)
    except ImportError:
        library = {"docx": "python-docx", "pdfminer": "pdfminer.six", "bs4": "beautifulsoup4"}
        raise UsageError(f"this needs the optional {library.get(module, module)} library: "
                         f"pip install 'policy-diff[{extra}]'") from None


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


_PLAIN = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]*")
_YAML_WORDS = {"y", "n", "yes", "no", "on", "off", "true", "false", "null"}


def _scalar(value: str) -> str:
    """A YAML scalar: plain when it is a slug, a date or a hash, else a JSON string.

    >>> _scalar("2022-06-21"), _scalar("no"), _scalar("Memo: scope")
    ('2022-06-21', '"no"', '"Memo: scope"')
    """
    if _PLAIN.fullmatch(value) and value.lower() not in _YAML_WORDS:
        return value
    return json.dumps(value, ensure_ascii=False)


def record_text(converted: Converted, file_name: str, digest: str, policy: str | None,
                version: str | None, effective: str | None) -> str:
    """A record: front matter from what the document says, then its Markdown body.

    Strings are written as JSON strings, which YAML reads as the same double-quoted strings
    (a title such as `no` or `2022-06-21: memo` stays a string, whatever it holds).
    """
    title = converted.title or Path(file_name).stem
    source = {"title": title, "file": Path(file_name).name, "sha256": digest}
    date = converted.dates.get("modified") or converted.dates.get("created")
    if date:
        source["date"] = date
    source["note"] = f"imported by policy-diff ({converted.converter})"
    front = {"policy": policy, "version": version, "title": title,
             "effective": effective or date, "status": "draft"}
    lines = ["---"]
    lines += [f"{key}: {_scalar(value)}" for key, value in front.items() if value is not None]
    lines.append("sources:")
    lines += [("  - " if i == 0 else "    ") + f"{key}: {_scalar(value)}"
              for i, (key, value) in enumerate(source.items())]
    lines.append("---")
    return "\n".join(lines) + "\n\n" + _body(converted)


def compared_text(converted: Converted) -> str:
    """What `diff` compares of a document: its title and dates, then its body.

    Nothing the document does not say (no status, no source hash: two copies of one text
    in two files are the same version).
    """
    front = {"title": converted.title, **converted.dates}
    lines = [f"{key}: {_scalar(value)}" for key, value in front.items() if value]
    return "\n".join(["---", *lines, "---"]) + "\n\n" + _body(converted)


def _body(converted: Converted) -> str:
    body = converted.body.strip("\n")
    if converted.title and not body.startswith("# "):
        body = f"# {converted.title}\n\n{body}"
    return body + "\n"
