"""`policy-diff diff`: compare two versions, render once in the asked format, exit as diff(1)."""

from __future__ import annotations

from enum import Enum
from typing import TYPE_CHECKING, Annotated, Iterator, Optional

import typer

from ..errors import UsageError
from ..process import keep_until_exit
from .options import Color, ColorOption, ForceOption, PagerOption, StoreOption, WidthOption, chosen
from .output import out, output_format, view, write

if TYPE_CHECKING:
    from ..model import PolicyDiff


class DiffOutput(str, Enum):
    term = "term"
    json = "json"
    markdown = "markdown"
    html = "html"
    docx = "docx"


def diff(
    old: Annotated[str, typer.Argument(metavar="OLD", help="The older version: PATH, POLICY@VERSION, POLICY or -.")],
    new: Annotated[Optional[str], typer.Argument(
        metavar="NEW", help="The newer version (default: with OLD as POLICY@VERSION, the version it supersedes "
             "is compared with OLD).")] = None,
    fmt: Annotated[Optional[DiffOutput], typer.Option(
        "--format", "-f", help="term, json, markdown, html or docx (a Word redline: the new "
                               "version with every change tracked; needs -o).  Default: "
                               "from -o's extension (.json .md .html .txt .docx), else term."
    )] = None,
    context: Annotated[int, typer.Option("--context", "-C", min=0,
                                         help="Unchanged blocks shown around changes.")] = 1,
    full: Annotated[bool, typer.Option("--full", help="Show every section and block.")] = False,
    side_by_side: Annotated[bool, typer.Option("--side-by-side", "-y",
                                               help="Old and new in two columns.")] = False,
    staged: Annotated[bool, typer.Option("--staged", "--cached",
                                         help="With one PATH: the index against HEAD.")] = False,
    ignore_editorial: Annotated[bool, typer.Option(
        "--ignore-editorial", help="Hide changes of spacing, punctuation, case and numbering; "
                                   "exit 0 when nothing else changed.")] = False,
    output: Annotated[Optional[str], typer.Option(
        "--output", "-o", metavar="FILE",
        help="Write to FILE (.txt: the terminal view as plain text).")] = None,
    force: ForceOption = False,
    store: StoreOption = None, color: ColorOption = Color.auto, width: WidthOption = None,
    pager: PagerOption = True,
    author: Annotated[str, typer.Option(
        "--author", help="The author of the Word redline's tracked changes.")] = "policy-diff",
) -> int:
    """Show what changed between two versions; exit 0 if identical, 1 if they differ.

    With one ref: a file compares HEAD with the working tree (--staged: with the index),
    like `git diff PATH`; POLICY@VERSION compares the version it supersedes with it.
    """
    # The engine is imported when the command runs: the CLI imports every command to build
    # itself, and the other commands' start-up would pay for it.
    from ..diff.compare import compare
    from ..diff.lineage import with_last_stated
    from ..source.manifests import manifest_for
    from ..source.refs import default_pair, load_pair
    from ..source.store import find_store

    root = find_store(store)
    if old == new == "-":  # standard input is read once: the second `-` would be empty
        raise UsageError("`-` (standard input) can be only one side of a diff; give a file or "
                         "a ref for the other")
    if new is None:
        old, new = default_pair(old, staged, root)
    elif staged:
        raise UsageError("--staged takes one PATH")
    form = output_format(chosen(fmt), output, DiffOutput, "diff")
    if output is None and form == "docx":
        raise UsageError("--format docx writes a Word file: give -o FILE.docx")
    old_side, new_side = load_pair(old, new, root)
    manifest = manifest_for(old_side, new_side)
    result = with_last_stated(compare(old_side, new_side, manifest), root, manifest)
    keep_until_exit(result)  # the process ends after the output: the OS frees it at once
    if form == "term":
        _show(result, context, full, side_by_side, ignore_editorial, output, force,
              color.value, width, pager)
    elif form == "docx":
        assert output is not None  # checked before the records were read
        write(output, _redline(result, author, ignore_editorial), force)
    else:
        out(_document(result, form, None if full else context, ignore_editorial), output, force)
    same = result.identical or (ignore_editorial and not result.substantive)
    return 0 if same else 1


def _show(result: PolicyDiff, context: int, full: bool, side_by_side: bool,
          ignore_editorial: bool, output: str | None, force: bool, color: str,
          width: int | None, pager: bool) -> None:
    """The terminal view: printed, or saved as read (no colour) to -o FILE."""
    # Only the terminal format loads the terminal view.
    from ..views.terminal import DiffView

    view(DiffView(result, context, full, side_by_side, ignore_editorial), output, force, color,
         width, pager)


def _document(result: PolicyDiff, form: str, context: int | None,
              ignore_editorial: bool) -> str | Iterator[str]:
    """The diff as a JSON (in pieces, as encoded), Markdown or HTML document."""
    # Each format's module is imported only when it is asked for.
    if form == "json":
        from ..views.json import json_chunks

        return json_chunks(result)
    if form == "markdown":
        from ..views.markdown import to_markdown

        return to_markdown(result, context, ignore_editorial)
    from ..views.html import to_html

    return to_html(result, context, ignore_editorial)


def _redline(result: PolicyDiff, author: str, ignore_editorial: bool) -> bytes:
    """The new version as a Word file with every change tracked."""
    # python-docx is optional and slow to import: only a redline loads it.
    from ..convert.pick import require
    from ..views.docx import to_docx

    require("docx")
    return to_docx(result, author, ignore_editorial)
