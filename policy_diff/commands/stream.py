"""Print a long command's pieces in order as soon as each is ready, worked on by all cores.

`history` and `changes` compare many independent pairs.  The main process reads git
and hands out tasks; `Workers` (a process pool, or this process for `-j 1`) compare
and render them; `stream_pieces` prints each result as soon as it and every earlier
one are done, so the output is the same, byte for byte, whatever the number of
processes.  At most a few tasks per process are in flight: memory stays bounded
however long the span.  A progress bar is drawn on stderr for long jobs at a terminal.
"""

from __future__ import annotations

import gc
import os
import sys
import time
from collections import deque
from typing import Any, Callable, Iterable, Iterator

from ..views.text.screen import is_tty, pager_command, progress_console, start_pager


# Small tasks adding up to less than SMALL_JOB are about a second's work on one core (a
# history of 500 versions of a 26 KB record is 26 MB: faster without a pool on 2 cores, whose
# start and traffic cost more than the second core saves on tasks that small).  A task of
# BIG_TASK or more (4 versions of a 315 KB record, a 1 MB record's two versions) is worth a
# second process from the start.
SMALL_JOB = 64_000_000  # bytes of input run here before the pool starts
BIG_TASK = 512_000


def default_jobs() -> int:
    """The cores this process may run on."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not Linux
        return os.cpu_count() or 1


class Workers:
    """Run `function(task)` for each task, results in task order, on up to JOBS processes.

    Tasks run here until the job proves big enough for a pool: SIZE (a task's bytes of
    input) of the tasks run so far reaches SMALL_JOB, or one task alone is BIG_TASK.  A
    short history or a few records then cost no process (the pool's start and its traffic
    would cost more than the second core saves); without SIZE, the pool starts with the
    second task.  Its processes are forked then, with the pipes to git and to a pager open:
    close the Workers before those (innermost `with`), so that no worker is left holding
    them.  INITIALIZER runs in each worker first (to forget what must not be shared, such
    as a git process of the parent's).
    """

    def __init__(self, function: Callable[[Any], Any], jobs: int,
                 initializer: Callable[[], None] | None = None,
                 size: Callable[[Any], int] | None = None) -> None:
        self.function = function
        self.jobs = jobs
        self.initializer = initializer
        self.size = size
        self.pool: Any = None

    def map(self, tasks: Iterable[Any]) -> Iterator[Any]:
        iterator = iter(tasks)
        done_here = 0
        for task in iterator:
            yield self.function(task)
            if self.jobs == 1:
                continue
            if self.size is None:
                break
            size = self.size(task)
            done_here += size
            if done_here >= SMALL_JOB or size >= BIG_TASK:
                break
        else:
            return
        pending: deque[Any] = deque()
        window = 2 * self.jobs + 2  # enough to keep every process busy, few enough to bound memory
        for task in iterator:
            pending.append(self._pool().apply_async(self.function, (task,)))
            while len(pending) >= window or (pending and pending[0].ready()):
                yield pending.popleft().get()
        while pending:
            yield pending.popleft().get()

    def _pool(self) -> Any:
        if self.pool is None:
            import multiprocessing

            sys.stdout.flush()  # nothing left in the buffer for a worker to print again
            self.pool = multiprocessing.get_context("fork").Pool(
                self.jobs, initializer=_worker_start, initargs=(self.initializer,))
        return self.pool

    def close(self) -> None:
        if self.pool is not None:
            self.pool.terminate()
            self.pool.join()
            self.pool = None

    def __enter__(self) -> Workers:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def _worker_start(initializer: Callable[[], None] | None) -> None:
    import signal

    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the main process's to handle
    gc.enable()  # a worker lives for the whole job: its cyclic garbage must be collected
    if initializer is not None:
        initializer()


class Output:
    """Standard output, or a pager (as git runs it) fed as the text comes."""

    def __init__(self, pager: bool = False, collect: bool = False) -> None:
        self.process: Any = None
        self.stopped = False  # the reader went away (the pager was quit)
        self.chunks: list[str] | None = [] if collect else None  # kept for a file, not printed
        command = None if collect else pager_command(pager)
        if command:
            self.process = start_pager(command)

    @property
    def paged(self) -> bool:
        return self.process is not None

    def write(self, text: str) -> None:
        if self.stopped or not text:
            return
        if self.chunks is not None:
            self.chunks.append(text)
            return
        stream = self.process.stdin if self.process is not None else sys.stdout
        try:
            stream.write(text)
            stream.flush()
        except BrokenPipeError:
            if self.process is None:
                raise
            self.stopped = True

    def close(self) -> None:
        if self.process is not None:
            try:
                self.process.stdin.close()
            except BrokenPipeError:
                pass
            self.process.wait()
            self.process = None

    def __enter__(self) -> Output:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


class Progress:
    """A rich progress bar on stderr (done of total, rate, time left), only for a long job
    at an interactive terminal (views/text/screen.py decides): it appears once the job has run
    for DELAY seconds.

    Not when the output goes into a pipe: the program reading it (`| less`) may draw on
    the same terminal.  Into a file (`> out.jsonl`) or to the screen, it is drawn.
    """

    DELAY = 0.5

    def __init__(self, label: str, total: int | None, enabled: bool) -> None:
        self.label = label
        self.total = total
        self.console = progress_console() if enabled and not _is_pipe(sys.stdout) else None
        self.enabled = self.console is not None
        self.shared_screen = is_tty(sys.stdout)
        self.started = time.monotonic()
        self.done = 0
        self.bar: Any = None
        self.task: Any = None
        self.drawn = 0.0

    def set_total(self, total: int) -> None:
        self.total = total
        if self.bar is not None:
            self.bar.update(self.task, total=total)

    def advance(self, count: int = 1) -> None:
        self.done += count
        if not self.enabled:
            return
        now = time.monotonic()
        if self.bar is None:
            if now - self.started < self.DELAY or self.done == self.total:
                return
            self._start()
        rate = self.done / max(now - self.started, 1e-6)
        self.bar.update(self.task, completed=self.done, rate=f"{rate:,.1f}/s")
        if now - self.drawn >= 0.1:  # a few redraws a second are enough to read
            self.bar.refresh()
            self.drawn = now

    def clear(self) -> None:
        """Before output to the same screen: erase the bar's line (it is drawn again after)."""
        if self.bar is not None and self.console is not None and self.shared_screen:
            from rich.control import Control
            from rich.segment import ControlType

            erase = Control(ControlType.CARRIAGE_RETURN, (ControlType.ERASE_IN_LINE, 2))
            self.console.control(erase)  # the bar's line, through the bar's own Console
            self.drawn = 0.0

    def _start(self) -> None:
        from rich.progress import (BarColumn, MofNCompleteColumn, Progress as Bar, TextColumn,
                                   TimeRemainingColumn)

        self.bar = Bar(TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(),
                       TextColumn("{task.fields[rate]}"),
                       TimeRemainingColumn(),
                       console=self.console,
                       transient=True, auto_refresh=False, redirect_stdout=False,
                       redirect_stderr=False)
        self.task = self.bar.add_task(self.label, total=self.total, rate="")
        self.bar.start()

    def close(self) -> None:
        if self.bar is not None:
            self.bar.stop()
            self.bar = None


def _is_pipe(stream: object) -> bool:
    import stat

    try:
        return stat.S_ISFIFO(os.fstat(stream.fileno()).st_mode)  # type: ignore[attr-defined]
    except (AttributeError, OSError, ValueError):  # no descriptor (a test's capture)
        return False


def stream_pieces(pieces: Iterable[Any], output: Output, head: str, separator: str,
                  progress: Progress) -> tuple[int, int]:
    """Print each piece's text as it comes, with HEAD before the first and SEPARATOR between;
    return (pieces, unreadable versions)."""
    count = unreadable = 0
    for piece in pieces:
        progress.clear()
        output.write((head if count == 0 else separator) + piece.text)
        count += 1
        unreadable += piece.unreadable
        progress.advance()
        if output.stopped:
            break
    return count, unreadable
