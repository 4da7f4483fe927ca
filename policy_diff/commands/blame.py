"""`policy-diff blame`: where each block's wording first appeared, like git blame."""

from __future__ import annotations

from enum import Enum
from pathlib import Path
from typing import Annotated, Optional

import typer

from ..errors import UsageError
from .options import (Color, ColorOption, ForceOption, OutputOption, PagerOption, StoreOption,
                      WidthOption, chosen)
from .output import out, output_format, view


class BlameFormat(str, Enum):
    term = "term"
    json = "json"
    html = "html"


def blame(
    ref: Annotated[str, typer.Argument(
        metavar="REF", help="POLICY@VERSION (walked back through the versions it supersedes), or a file or "
             "REV:PATH (walked back through git).")],
    provision: Annotated[Optional[str], typer.Option(
        "--provision", metavar="ID",
        help="Instead: this provision's wordings across the policy's versions.")] = None,
    fmt: Annotated[Optional[BlameFormat], typer.Option(
        "--format", "-f", help="term, json or html (default: from -o's extension, else "
                               "term).")] = None,
    store: StoreOption = None, color: ColorOption = Color.auto, width: WidthOption = None,
    pager: PagerOption = True, output: OutputOption = None, force: ForceOption = False,
) -> int:
    """Where each block's wording first appeared: the version or the commit, like git blame."""
    # The engine and the views are imported when the command runs: the CLI imports every
    # command to build itself, and the other commands' start-up would pay for them.
    from ..diff.blame import blame as blame_ref
    from ..source.store import find_store
    from ..views.blame import blame_html, blame_json, blame_view

    root = find_store(store)
    form = output_format(chosen(fmt), output, BlameFormat, "blame")
    if provision is not None:
        if form == "html":
            raise UsageError("blame --provision: --format term or json")
        _provision(ref, provision, root, form, output, force, color.value, width, pager)
        return 0
    origins = blame_ref(ref, root)
    if form == "json":
        out(blame_json(ref, origins), output, force)
    elif form == "html":
        out(blame_html(ref, origins), output, force)
    else:
        view(blame_view(ref, origins), output, force, color.value, width, pager)
    return 0


def _provision(ref: str, provision: str, root: Path | None, form: str, output: str | None,
               force: bool, color: str, width: int | None, pager: bool) -> None:
    """One provision's wordings across the versions of REF's policy."""
    # Loaded as blame's own imports are (see blame()).
    from ..diff.blame import blame_provision
    from ..source.refs import resolve
    from ..views.blame import provision_history_json, provision_history_view

    source = resolve(ref, root)
    if source.policy is None:
        raise UsageError(f"--provision takes POLICY or POLICY@VERSION, not {ref!r}")
    history = blame_provision(root, source.policy, provision)
    if form == "json":
        out(provision_history_json(history), output, force)
    else:
        view(provision_history_view(history), output, force, color, width, pager)
