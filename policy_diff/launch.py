"""The console entry point: one error handler for every command, and a fast lane for `diff`.

Exit codes follow diff(1): 0 no differences / valid, 1 differences / invalid
records, 2 error (one `policy-diff: error: ...` line on stderr, nothing on
stdout), 130 on Ctrl-C.
"""

from __future__ import annotations

import gc
import sys
from contextlib import contextmanager
from typing import Callable, Iterator

from .errors import PolicyDiffError

HELP = {"-h", "--help"}


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else list(argv)
    return handle_errors(lambda: _dispatch(args))


def run() -> int:
    """The `policy-diff` command: `main` in a process that ends when it returns."""
    with short_lived_process():
        return main()


@contextmanager
def short_lived_process() -> Iterator[None]:
    """No cyclic garbage collection: the process ends right after, which frees everything.

    The collector would walk every object a diff builds, during the run and once more at
    exit: 6 ms of a 55 ms small diff, 0.17 s of a 10 MB one, and the peak memory the same.
    """
    gc.disable()
    try:
        yield
    finally:
        gc.freeze()  # nothing left for the collector to walk at exit


def _dispatch(args: list[str]) -> int:
    # The commands that run in hooks and scripts skip the CLI framework; their help, and
    # every other command, go through it.
    if args[:1] == ["diff"] and not HELP.intersection(args):
        from .diffcmd import parse_diff_args, run_diff

        return run_diff(parse_diff_args(args[1:]))
    if args[:1] == ["history"] and not HELP.intersection(args):
        from .historycmd import parse_history_args, run_history

        return run_history(parse_history_args(args[1:]))
    if args[:1] == ["check"] and not HELP.intersection(args):
        from .check import parse_check_args, run_check

        return run_check(parse_check_args(args[1:]))
    from .cli import run_cli

    return run_cli(args)


def handle_errors(command: Callable[[], int]) -> int:
    """Run a command; a user error becomes one sanitized line on stderr and exit code 2."""
    try:
        return command()
    except PolicyDiffError as exc:
        from .render.safe import sanitize

        message = sanitize(str(exc)).replace("\n", " ")
        print(f"policy-diff: error: {message}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        # The reader went away (`| head`): stop quietly, as git does.
        sys.stderr.close()
        return 141
    except OSError as exc:
        # The system refused (a name too long for the file system, no permission, disk
        # full): a problem with the request or the machine, said in one line, not a bug.
        from .render.safe import sanitize

        where = f"{exc.filename}: " if exc.filename else ""
        print(f"policy-diff: error: {sanitize(where + (exc.strerror or str(exc)))}",
              file=sys.stderr)
        return 2
