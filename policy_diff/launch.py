"""The console entry point: one error handler for every command, and a fast lane for `diff`.

Exit codes follow diff(1): 0 no differences / valid, 1 differences / invalid
records, 2 error (one `policy-diff: error: ...` line on stderr, nothing on
stdout), 130 on Ctrl-C.
"""

from __future__ import annotations

import sys
from typing import Callable

from .errors import PolicyDiffError
from .process import short_lived_process

HELP = {"-h", "--help"}


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else list(argv)
    return handle_errors(lambda: _dispatch(args))


def run() -> int:
    """The `policy-diff` command: `main` in a process that ends when it returns."""
    with short_lived_process():
        return main()


def _dispatch(args: list[str]) -> int:
    # The commands that run in hooks and scripts skip the CLI framework; their help, and
    # every other command, go through it.
    if args[:1] == ["diff"] and not HELP.intersection(args):
        from .commands.diff import parse_diff_args, run_diff

        return run_diff(parse_diff_args(args[1:]))
    if args[:1] == ["history"] and not HELP.intersection(args):
        from .commands.history import parse_history_args, run_history

        return run_history(parse_history_args(args[1:]))
    if args[:1] == ["changes"] and not HELP.intersection(args):
        from .commands.history import parse_changes_args, run_changes

        return run_changes(parse_changes_args(args[1:]))
    if args[:1] == ["check"] and not HELP.intersection(args):
        from .hooks.check import parse_check_args, run_check

        return run_check(parse_check_args(args[1:]))
    from .cli import run_cli

    return run_cli(args)


def handle_errors(command: Callable[[], int]) -> int:
    """Run a command; a user error becomes one sanitized line on stderr and exit code 2."""
    try:
        return command()
    except PolicyDiffError as exc:
        from .text.safe import sanitize

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
        from .text.safe import sanitize

        where = f"{exc.filename}: " if exc.filename else ""
        print(f"policy-diff: error: {sanitize(where + (exc.strerror or str(exc)))}",
              file=sys.stderr)
        return 2
