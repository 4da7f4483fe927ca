"""`policy-diff history`: the commits that changed a record, each printed as soon as it is
summarised (stream.py runs the work on several processes); `changes` streams the same way."""

from __future__ import annotations

from enum import Enum
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, Callable, Iterable, Iterator, Optional

import typer

from ..errors import RefError
from .options import (Color, ColorOption, ForceOption, JobsOption, OutputOption, PagerOption,
                      QuietOption, StoreOption, WidthOption, chosen)
from .output import output_format, write

if TYPE_CHECKING:
    from ..diff.revisions import Pending, Piece, View
    from .stream import Progress


class HistoryFormat(str, Enum):
    term = "term"
    json = "json"
    jsonl = "jsonl"


def history(
    target: Annotated[str, typer.Argument(
        metavar="TARGET", help="A record PATH (also one deleted since), REV:PATH (its history as of REV), or a "
             "POLICY of the store.")],
    limit: Annotated[Optional[int], typer.Option("--limit", "-n", min=1,
                                                 help="At most N commits.")] = None,
    since: Annotated[Optional[str], typer.Option("--since", help="Commits after DATE.")] = None,
    patch: Annotated[bool, typer.Option("--patch", "-p", help="Each commit's policy diff.")] = False,
    fmt: Annotated[Optional[HistoryFormat], typer.Option(
        "--format", "-f", help="term, json (one document) or jsonl (one object a line); "
                               "default: from -o's extension, else term.")] = None,
    store: StoreOption = None, color: ColorOption = Color.auto, width: WidthOption = None,
    pager: PagerOption = True, jobs: JobsOption = None, quiet: QuietOption = False,
    output: OutputOption = None, force: ForceOption = False,
) -> int:
    """The commits that changed a record (following renames), newest first, each summarised.

    Each commit is printed as soon as it is summarised; exit 1 when a version could not be
    read (it is listed, marked).
    """
    # The engine is imported when the command runs: the CLI imports every command to build
    # itself, and the other commands' start-up would pay for it.
    from ..diff.revisions import history_target, history_tasks
    from ..source.git import top_level

    form = output_format(chosen(fmt), output, HistoryFormat, "history")
    path, rev, follow = history_target(target, store)
    top = top_level()
    shape = view_of("history", form, color.value if output is None else "never", width, patch)

    def tasks(stream: Any) -> Iterator[Any]:
        return history_tasks(path, rev, follow, limit, since, top, stream)

    count, unreadable = streamed(shape, "", top, tasks, None, jobs, quiet,
                                 pager and shape.output_format == "term",
                                 lambda: _no_history(target, path, rev, top), output, force)
    return 1 if unreadable else 0


def _no_history(target: str, path: str, rev: str, top: Path) -> None:
    """A history with no commit is an answer for a file of the work tree, an error otherwise."""
    if rev != "HEAD":
        raise RefError(f"no commit up to {target.partition(':')[0]!r} changed {path!r} (was it "
                       f"named differently then?)")
    if not (top / path).exists() and not Path(path).exists():
        raise RefError(f"unknown ref {target!r}: no such file, and no commit changed it")


def view_of(command: str, form: str, color: str, width: int | None,
            patch: bool = False) -> View:
    """What each worker renders: the command's view in FORM, plain unless in colour."""
    # Loaded as the commands' own imports are (see history()).
    from ..diff.revisions import View
    from ..views.text.screen import has_colour, make_console

    console = make_console(color, width)  # its decisions travel to the worker processes
    plain = form != "term" or not has_colour(console)
    return View(command, form, patch, plain, console.width)


def default_jobs() -> int:
    # stream.py (multiprocessing) is imported only by the commands that stream.
    from .stream import default_jobs as one_per_core

    return one_per_core()


def streamed(view: View, title: str, top: Path, make_tasks: Callable[[Any], Iterable[Any]],
             total: int | None, jobs: int | None, quiet: bool, pager: bool,
             when_empty: Callable[[], None] | None, to_file: str | None = None,
             force: bool = False) -> tuple[int, int]:
    """Work on the tasks in order on JOBS processes and print each piece as it is ready
    (with TO_FILE: write the whole text there at the end, or nothing)."""
    import gc

    # The streaming machinery (multiprocessing, the history views) loads only here.
    from ..diff.revisions import close_readers, forget_readers, task_bytes
    from ..source.git import blob_stream
    from ..views.history import frame
    from .stream import Output, Progress, Workers, stream_pieces

    gc.enable()  # a long job's cyclic garbage is collected as it goes: memory stays bounded
    shape = frame(view, title)
    with blob_stream(top) as stream, Output(pager, collect=to_file is not None) as output:
        label = "commits" if view.command == "history" else "records"
        progress = Progress(label, total, not quiet and not output.paged)
        try:
            # Innermost: the workers end before the pipes to git and the pager are closed.
            with Workers(partial(work, view, top=str(top)), jobs or default_jobs(),
                         forget_readers, task_bytes) as workers:
                tasks = make_tasks(stream) if total is not None else \
                    _counted(make_tasks(stream), progress)
                pieces = (piece for result in workers.map(tasks) for piece in result)
                count, unreadable = stream_pieces(pieces, output, shape.head, shape.separator,
                                                  progress)
        finally:
            progress.close()
            close_readers()
        if count:
            output.write(shape.tail)
        else:
            if when_empty is not None:
                when_empty()
            output.write(shape.empty)
    if to_file is not None:
        write(to_file, "".join(output.chunks or []), force)  # collected: a list
    return count, unreadable


def _counted(tasks: Iterable[list[list[object]]], progress: Progress) -> Iterator[list[list[object]]]:
    """TASKS as they come; once git has listed them all, the progress bar knows its total."""
    groups = 0
    for task in tasks:
        groups += len(task)
        yield task
    progress.set_total(groups)


def work(view: View, task: list[list[Pending]], top: str) -> list[Piece]:
    """Compare and render every group of TASK, in this process or in a pool's."""
    # Loaded as the commands' own imports are (see history()).
    from ..diff.revisions import Piece, compare_groups
    from ..views.history import render_group

    return [Piece(render_group(view, changes), sum(c.unreadable is not None for c in changes))
            for changes in compare_groups(task, top, view.patch)]
