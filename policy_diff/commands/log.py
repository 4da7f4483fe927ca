"""`policy-diff log`: a policy's versions, newest first, each with its change."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from ..errors import PolicyDiffError, UsageError
from .options import (Color, ColorOption, ForceOption, OutputOption, PagerOption, StoreOption,
                      WidthOption)
from .output import output_format, view

if TYPE_CHECKING:
    from ..model import VersionEntry


def log(
    policy: Annotated[str, typer.Argument(metavar="POLICY", help="A policy in the store.")],
    store: StoreOption = None, color: ColorOption = Color.auto, width: WidthOption = None,
    pager: PagerOption = True, output: OutputOption = None, force: ForceOption = False,
) -> int:
    """List a policy's versions, newest first, each with its change from the one before."""
    # The store and the view are imported when the command runs: the CLI imports every
    # command to build itself, and the other commands' start-up would pay for them.
    from ..source.refs import resolve
    from ..source.store import Store, find_store
    from ..views.record import log_table

    root = find_store(store)
    if root is None or Path(policy).is_file() or policy not in Store(root).policies:
        resolve(policy, root)  # names what is wrong, with suggestions
        raise UsageError(f"{policy!r} is a file, not a policy of the store; `log` takes POLICY")
    output_format(None, output, ("term",), "log")
    entries = Store(root).versions(policy)  # read only here: an unreadable one is listed
    view(log_table(policy, entries, _change_summaries(policy, entries, root)),
         output, force, color.value, width, pager)
    # An unreadable version is listed in its place, marked (record-format §4).
    return 1 if any(entry.unreadable for entry in entries) else 0


def _change_summaries(policy: str, entries: list[VersionEntry], root: Path) -> dict[str, str]:
    """Each version's one-line summary against the version before it."""
    # The engine, loaded as log's own imports are (see log()).
    from ..diff.compare import compare
    from ..diff.lineage import with_last_stated
    from ..source.manifests import manifest_for
    from ..source.refs import load_side
    from ..diff.summary import one_line_summary

    sides = [None if entry.unreadable else load_side(f"{policy}@{entry.version}", root)
             for entry in entries]
    manifest = next((manifest_for(s) for s in sides if s is not None), None)
    summaries = {}
    for index, (entry, after) in enumerate(zip(entries, sides)):
        before = sides[index - 1] if index else None
        if after is None:
            summaries[entry.version] = f"unreadable: {entry.unreadable}"
        elif not index:
            summaries[entry.version] = "(first version)"
        elif before is None:
            summaries[entry.version] = "(the version before cannot be read)"
        else:
            result = compare(before, after, manifest)
            try:
                result = with_last_stated(result, root, manifest)
            except PolicyDiffError:  # an earlier record cannot be read: it is listed as such
                pass
            summaries[entry.version] = one_line_summary(result, kinds=False)
    return summaries
