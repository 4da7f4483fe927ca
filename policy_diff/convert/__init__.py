"""Word, PDF and web-page documents in: `import` makes records of them, `diff` reads them.

This package's top imports nothing: `store` asks it, on every run, whether a file is such
a document.  pick.py chooses the reader (docx.py, pdf.py, html.py, or LibreOffice through
office.py) and makes the record text; source/documents.py hands it to the diff and
source/newversion.py writes it as a new record.
"""

from __future__ import annotations

# extension -> kind; .doc/.odt/.rtf go through LibreOffice to .docx first
EXTENSIONS = {".docx": "docx", ".docm": "docx", ".pdf": "pdf", ".html": "html",
              ".htm": "html", ".xhtml": "html", ".doc": "office", ".odt": "office",
              ".rtf": "office"}


def document_kind(name: str) -> str | None:
    """The kind of document a file name says it is; None for Markdown, text and the rest.

    >>> document_kind("Policy v2.DOCX"), document_kind("a.md")
    ('docx', None)
    """
    dot = name.rfind(".")
    return EXTENSIONS.get(name[dot:].lower()) if dot > max(name.rfind("/"), 0) else None
