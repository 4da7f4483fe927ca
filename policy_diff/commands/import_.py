"""`policy-diff import`: a draft record made of a Word, PDF or web-page document."""

from __future__ import annotations

from enum import Enum
from typing import Annotated, Optional

import typer

from .options import StoreOption


class Changes(str, Enum):
    accept = "accept"
    reject = "reject"


def import_(
    file: Annotated[str, typer.Argument(metavar="FILE", help="A .docx, .pdf, .html/.htm (.doc, .odt, .rtf "
                                             "with LibreOffice installed).")],
    policy: Annotated[Optional[str], typer.Option("--policy", help="The policy it is a "
                                                  "version of.")] = None,
    version: Annotated[Optional[str], typer.Option("--version", help="The version's name.")] = None,
    output: Annotated[Optional[str], typer.Option(
        "--output", "-o", metavar="PATH", help="Write the record here instead of the store.")] = None,
    effective: Annotated[Optional[str], typer.Option(
        "--effective", help="Effective date, YYYY-MM-DD (default: the document's date).")] = None,
    changes: Annotated[Changes, typer.Option(
        "--changes", help="Word tracked changes: read them accepted or rejected.")] = Changes.accept,
    store: StoreOption = None,
) -> int:
    """Make a draft record of a Word, PDF or web-page document, then validate it.

    The front matter comes from the document (title, date, and a source naming the file and
    its SHA-256); the body keeps its headings, lists, tables and footnotes.  Never written over
    an existing file.  Exit 1 if the new record is not valid.
    """
    # The converters are imported when the command runs: the CLI imports every command to
    # build itself, and the other commands' start-up would pay for them.
    from ..rules.schema import check_file
    from ..source.files import display_path
    from ..source.newversion import import_document
    from ..source.store import find_store
    from ..text.safe import sanitize

    root = None if output is not None else find_store(store)
    path = import_document(file, policy, version, output, effective, changes.value, root)
    typer.echo(f"created {sanitize(display_path(path))} (status draft)")
    problems = check_file(path)
    for problem in problems:
        typer.echo(sanitize(str(problem)), err=True)
    return 1 if any(p.severity == "error" for p in problems) else 0
