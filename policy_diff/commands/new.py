"""`policy-diff new`: the next version of a policy started as a draft."""

from __future__ import annotations

import os
import shlex
import subprocess
from pathlib import Path
from typing import Annotated, Optional

import typer

from ..errors import UsageError
from .options import StoreOption


def new(
    policy: Annotated[str, typer.Argument(metavar="POLICY", help="The policy to add a version to.")],
    version: Annotated[str, typer.Option("--version", help="The new version's name.")],
    base: Annotated[Optional[str], typer.Option(
        "--from", help="Copy this version (default: the latest).")] = None,
    effective: Annotated[Optional[str], typer.Option(
        "--effective", help="Effective date, YYYY-MM-DD (default: today).")] = None,
    edit: Annotated[bool, typer.Option("--edit", help="Open it in $VISUAL / $EDITOR.")] = False,
    store: StoreOption = None,
) -> int:
    """Start the next version: a draft with provisions and body copied, supersedes set, the
    effective date and title updated, summary and sources left for you to fill in."""
    # The store is imported when the command runs: the CLI imports every command to build
    # itself, and the other commands' start-up would pay for it.
    from ..source.newversion import start_version
    from ..source.files import display_path
    from ..source.store import Store, find_store
    from ..text.safe import sanitize

    root = find_store(store)
    if root is None:
        raise UsageError("no policies/ store found (use --store or $POLICY_DIFF_STORE)")
    draft = start_version(Store(root), policy, version, base, effective)
    shown = sanitize(display_path(draft.path))
    typer.echo(f"created {shown} (status draft)")
    for note in draft.notes:
        typer.echo(f"  {sanitize(note)}")
    typer.echo("next:\n"
               f"  1. edit {shown}: the text that changes, the provisions, and the summary and "
               "sources (marked `# Fill in`)\n"
               f"  2. policy-diff validate {shown}\n"
               f"  3. policy-diff diff {sanitize(policy)}@{sanitize(version)}   "
               "(against the version it supersedes)")
    if edit:
        _edit(draft.path)
    return 0


def _edit(path: Path) -> None:
    editor = os.environ.get("VISUAL") or os.environ.get("EDITOR") or "vi"
    subprocess.run([*shlex.split(editor), str(path)], check=False)
