"""`policy-diff changes`: every record that differs between two revisions, each printed as
soon as it is summarised (streamed as history is)."""

from __future__ import annotations

from enum import Enum
from typing import Annotated, Any, Iterator, Optional

import typer

from ..errors import UsageError
from .history import default_jobs, streamed, view_of
from .options import (Color, ColorOption, ForceOption, JobsOption, OutputOption, QuietOption,
                      StoreOption, WidthOption, chosen)
from .output import output_format


class ChangesFormat(str, Enum):
    term = "term"
    json = "json"
    jsonl = "jsonl"
    markdown = "markdown"


def changes(
    rev1: Annotated[str, typer.Argument(metavar="REV1", help="The older revision.")],
    rev2: Annotated[Optional[str], typer.Argument(
        metavar="REV2", help="The newer revision (default: the working tree).")] = None,
    fmt: Annotated[Optional[ChangesFormat], typer.Option(
        "--format", "-f", help="term, json, jsonl or markdown; default: from -o's extension, "
                               "else term.")] = None,
    store: StoreOption = None, color: ColorOption = Color.auto, width: WidthOption = None,
    jobs: JobsOption = None, quiet: QuietOption = False, output: OutputOption = None,
    force: ForceOption = False,
) -> int:
    """Every record added, removed, renamed or modified between two revisions, summarised;
    exit 1 if any differs."""
    # The engine is imported when the command runs: the CLI imports every command to build
    # itself, and the other commands' start-up would pay for it.
    from ..diff.revisions import changes_tasks, record_entries
    from ..source.git import top_level
    from ..source.store import find_store

    root = find_store(store)
    if root is None:
        raise UsageError("no policies/ store found (use --store or $POLICY_DIFF_STORE)")
    form = output_format(chosen(fmt), output, ChangesFormat, "changes")
    top = top_level()
    entries = record_entries(rev1, rev2, str(root))
    shape = view_of("changes", form, color.value if output is None else "never", width)
    title = f"Policy changes {rev1}..{rev2 or 'working tree'}"

    def tasks(stream: Any) -> Iterator[Any]:
        return changes_tasks(rev1, rev2, str(root), top, stream, entries)

    count, _ = streamed(shape, title, top, tasks, len(entries),
                        min(jobs or default_jobs(), max(len(entries), 1)), quiet, False, None,
                        output, force)
    return 1 if count else 0
