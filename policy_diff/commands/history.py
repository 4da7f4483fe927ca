"""The `history` and `changes` commands, streamed (stream.py) and shared by both CLIs.

Like `diff`, `history` and `changes` are read by scripts and hooks as well as by people,
and importing the CLI framework (typer and pydantic, about 90 ms) was a third of a
500-version record's history: each has an argparse parser of its own.  Both parsers
fill the same options and call `run_history` / `run_changes`; tests hold their option
lists equal.
"""

from __future__ import annotations

import argparse
from functools import partial
from pathlib import Path
from typing import Iterable, Iterator

from .diff import COLORS, WIDTH, CommandParser, at_least
from ..diff.revisions import Pending, Piece, View
from ..errors import RefError, UsageError
from ..frozen import frozen

FORMATS = ("term", "json", "jsonl")
CHANGES_FORMATS = ("term", "json", "jsonl", "markdown")
JOBS = at_least(1, "number of processes (1 or more)")


@frozen
class HistoryOptions:
    target: str
    limit: int | None = None
    since: str | None = None
    patch: bool = False
    output_format: str | None = None  # None: from -o's extension, else term
    store: str | None = None
    color: str = "auto"
    width: int | None = None
    pager: bool = True
    jobs: int | None = None
    quiet: bool = False
    output: str | None = None
    force: bool = False


@frozen
class ChangesOptions:
    rev1: str
    rev2: str | None = None
    output_format: str | None = None  # None: from -o's extension, else term
    store: str | None = None
    color: str = "auto"
    width: int | None = None
    jobs: int | None = None
    quiet: bool = False
    output: str | None = None
    force: bool = False


def run_history(options: HistoryOptions) -> int:
    """Print the commits that changed a record or a policy folder, newest first, each as soon
    as it is summarised; exit 1 when a version could not be read (it is listed, marked)."""
    from ..source.git import blob_stream, top_level
    from ..diff.revisions import history_target, history_tasks

    from .output import output_format

    chosen = output_format(options.output_format, options.output, FORMATS, "history")
    path, rev, follow = history_target(options.target, options.store)
    top = top_level()
    view = _view("history", chosen, options.color if options.output is None else "never",
                 options.width, options.patch)

    def tasks(stream):  # type: ignore[no-untyped-def]
        return history_tasks(path, rev, follow, options.limit, options.since, top, stream)

    count, unreadable = _run(view, "", top, tasks, None, options.jobs, options.quiet,
                             options.pager and view.output_format == "term",
                             lambda: _no_history(options.target, path, rev, top),
                             options.output, options.force)
    return 1 if unreadable else 0


def _no_history(target: str, path: str, rev: str, top: Path) -> None:
    """A history with no commit is an answer for a file of the work tree, an error otherwise."""
    if rev != "HEAD":
        raise RefError(f"no commit up to {target.partition(':')[0]!r} changed {path!r} (was it "
                       f"named differently then?)")
    if not (top / path).exists() and not Path(path).exists():
        raise RefError(f"unknown ref {target!r}: no such file, and no commit changed it")


def run_changes(options: ChangesOptions) -> int:
    """Print every record that differs between two revisions as soon as it is summarised;
    exit 1 when any differs, as diff(1) does."""
    from ..source.git import top_level
    from ..diff.revisions import changes_tasks, record_entries
    from ..source.store import find_store

    root = find_store(options.store)
    if root is None:
        raise UsageError("no policies/ store found (use --store or $POLICY_DIFF_STORE)")
    from .output import output_format

    chosen = output_format(options.output_format, options.output, CHANGES_FORMATS, "changes")
    top = top_level()
    entries = record_entries(options.rev1, options.rev2, str(root))
    view = _view("changes", chosen, options.color if options.output is None else "never",
                 options.width)
    title = f"Policy changes {options.rev1}..{options.rev2 or 'working tree'}"

    def tasks(stream):  # type: ignore[no-untyped-def]
        return changes_tasks(options.rev1, options.rev2, str(root), top, stream, entries)

    count, _ = _run(view, title, top, tasks, len(entries),
                    min(options.jobs or _default_jobs(), max(len(entries), 1)), options.quiet,
                    False, None, options.output, options.force)
    return 1 if count else 0


def _view(command: str, output_format: str, color: str, width: int | None, patch: bool = False):  # type: ignore[no-untyped-def]
    from ..views.text.screen import has_colour, make_console

    console = make_console(color, width)  # its decisions travel to the worker processes
    plain = output_format != "term" or not has_colour(console)
    return View(command, output_format, patch, plain, console.width)


def _default_jobs() -> int:
    from .stream import default_jobs

    return default_jobs()


def _run(view, title: str, top: Path, make_tasks, total: int | None, jobs: int | None,  # type: ignore[no-untyped-def]
         quiet: bool, pager: bool, when_empty, to_file: str | None = None,
         force: bool = False) -> tuple[int, int]:
    """Work on the tasks in order on JOBS processes and print each piece as it is ready
    (with TO_FILE: write the whole text there at the end, or nothing)."""
    import gc

    from ..source.git import blob_stream
    from ..views.history import frame
    from ..diff.revisions import close_readers, forget_readers
    from .stream import Output, Progress, Workers, stream_pieces

    gc.enable()  # a long job's cyclic garbage is collected as it goes: memory stays bounded
    shape = frame(view, title)
    with blob_stream(top) as stream, Output(pager, collect=to_file is not None) as output:
        label = "commits" if view.command == "history" else "records"
        progress = Progress(label, total, not quiet and not output.paged)
        try:
            # Innermost: the workers end before the pipes to git and the pager are closed.
            with Workers(partial(work, view, top=str(top)), jobs or _default_jobs(),
                         forget_readers) as workers:
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
        from .output import write

        write(to_file, "".join(output.chunks), force)
    return count, unreadable


def _counted(tasks: Iterable[list[list[object]]], progress) -> Iterator[list[list[object]]]:  # type: ignore[no-untyped-def]
    """TASKS as they come; once git has listed them all, the progress bar knows its total."""
    groups = 0
    for task in tasks:
        groups += len(task)
        yield task
    progress.set_total(groups)


def history_parser() -> argparse.ArgumentParser:
    parser = CommandParser("history")
    parser.add_argument("target")
    parser.add_argument("--limit", "-n", type=at_least(1, "positive number"))
    parser.add_argument("--since")
    parser.add_argument("--patch", "-p", action="store_true")
    parser.add_argument("--format", "-f", dest="output_format", choices=FORMATS)
    parser.add_argument("--store")
    parser.add_argument("--color", choices=COLORS, default="auto")
    parser.add_argument("--width", type=WIDTH)
    parser.add_argument("--pager", action=argparse.BooleanOptionalAction, default=True)
    parser.add_argument("--jobs", "-j", type=JOBS)
    parser.add_argument("--quiet", "-q", action="store_true")
    parser.add_argument("--output", "-o")
    parser.add_argument("--force", action="store_true")
    return parser


def parse_history_args(argv: list[str]) -> HistoryOptions:
    return HistoryOptions(**vars(history_parser().parse_args(argv)))


def changes_parser() -> argparse.ArgumentParser:
    """`changes` skips the CLI framework too: its first line is due within a second."""
    parser = CommandParser("changes")
    parser.add_argument("rev1")
    parser.add_argument("rev2", nargs="?")
    parser.add_argument("--format", "-f", dest="output_format", choices=CHANGES_FORMATS)
    parser.add_argument("--store")
    parser.add_argument("--color", choices=COLORS, default="auto")
    parser.add_argument("--width", type=WIDTH)
    parser.add_argument("--jobs", "-j", type=JOBS)
    parser.add_argument("--quiet", "-q", action="store_true")
    parser.add_argument("--output", "-o")
    parser.add_argument("--force", action="store_true")
    return parser


def parse_changes_args(argv: list[str]) -> ChangesOptions:
    return ChangesOptions(**vars(changes_parser().parse_args(argv)))


def work(view: View, task: list[list[Pending]], top: str) -> list[Piece]:
    """Compare and render every group of TASK, in this process or in a pool's."""
    from ..diff.revisions import compare_groups
    from ..views.history import render_group

    return [Piece(render_group(view, changes), sum(c.unreadable is not None for c in changes))
            for changes in compare_groups(task, top, view.patch)]
