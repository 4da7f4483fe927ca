"""`policy-diff matrix`: key provisions across every version of a policy."""

from __future__ import annotations

from enum import Enum
from typing import Annotated, Optional

import typer

from .options import (Color, ColorOption, ForceOption, OutputOption, PagerOption, StoreOption,
                      WidthOption, chosen)
from .output import out, output_format, view


class MatrixFormat(str, Enum):
    term = "term"
    json = "json"
    markdown = "markdown"
    html = "html"


def matrix(
    policy: Annotated[str, typer.Argument(metavar="POLICY", help="A policy in the store.")],
    provisions: Annotated[Optional[list[str]], typer.Option(
        "--provision", metavar="ID",
        help="Only this provision (repeat for more; shown in the order given).")] = None,
    full: Annotated[bool, typer.Option(
        "--full", help="Unchanged text too (default: shown as =).")] = False,
    compact: Annotated[bool, typer.Option(
        "--compact", help="Cut each wording to one line, marked … (terminal only).")] = False,
    fmt: Annotated[Optional[MatrixFormat], typer.Option(
        "--format", "-f", help="term, markdown, html or json (default: from -o's extension, "
                               "else term).")] = None,
    store: StoreOption = None, color: ColorOption = Color.auto, width: WidthOption = None,
    pager: PagerOption = True, output: OutputOption = None, force: ForceOption = False,
) -> int:
    """Key provisions across every version of a policy, oldest first, each change marked."""
    # The engine and the views are imported when the command runs: the CLI imports every
    # command to build itself, and the other commands' start-up would pay for them.
    from ..diff.matrix import build_matrix
    from ..source.store import find_store
    from ..views import matrix as views

    form = output_format(chosen(fmt), output, MatrixFormat, "matrix")
    result = build_matrix(find_store(store), policy, provisions)
    if form == "json":
        out(views.matrix_json(result), output, force)
    elif form == "markdown":
        out(views.matrix_markdown(result, full), output, force)
    elif form == "html":
        out(views.matrix_html(result, full), output, force)
    else:
        view(views.matrix_view(result, full, 1 if compact else None), output, force,
             color.value, width, pager)
    return 0
