"""The command line: the typer app that holds every command, and the one error handler.

Exit codes follow diff(1): 0 no differences / valid, 1 differences / invalid records,
2 error (one `policy-diff: error: ...` line on stderr, nothing on stdout), 130 on Ctrl-C,
141 when the reader of the output went away.  Each command is defined once, in its
module of commands/: typer reads its options, defaults, bounds and help from its
signature, and what it returns is the exit code.
"""

from __future__ import annotations

import sys
from typing import Callable, NoReturn

import typer
from typer._click.exceptions import NoArgsIsHelpError
from typer.main import get_command

from .commands import (blame, changes, check, diff, history, hooks, import_, log, matrix, new,
                       show, validate)
from .errors import PolicyDiffError, UsageError
from .process import end, short_lived_process
from .text.safe import sanitize

PROG = "policy-diff"

app = typer.Typer(
    name=PROG, no_args_is_help=True, pretty_exceptions_enable=False, rich_markup_mode=None,
    # Help laid out at 80 columns whatever the terminal: the same text everywhere.
    context_settings={"help_option_names": ["-h", "--help"], "terminal_width": 80,
                      "max_content_width": 80},
    help="Keep every version of a policy as a Markdown record; see what changed between them.")
COMMANDS: dict[str, Callable[..., int]] = {
    "diff": diff.diff, "validate": validate.validate, "show": show.show, "log": log.log,
    "new": new.new, "import": import_.import_, "history": history.history,
    "changes": changes.changes, "matrix": matrix.matrix, "blame": blame.blame,
    "check": check.check}
HOOKS: dict[str, Callable[..., int]] = {
    "install": hooks.install, "uninstall": hooks.uninstall, "status": hooks.status}

for name, command in COMMANDS.items():
    app.command(name)(command)
hooks_app = typer.Typer(no_args_is_help=True,
                        help="Guard this repository's records with git hooks and a diff driver.")
for name, command in HOOKS.items():
    hooks_app.command(name)(command)
app.add_typer(hooks_app, name="hooks")


def run() -> NoReturn:
    """The `policy-diff` command: `main` in a process that ends when it returns."""
    with short_lived_process():
        code = main()
    end(code)


def main(argv: list[str] | None = None) -> int:
    """Run `policy-diff ARGS` and return its exit code."""
    args = sys.argv[1:] if argv is None else list(argv)
    return handle_errors(lambda: invoke(args))


def invoke(args: list[str]) -> int:
    """Parse ARGS with the app and run the command they name; a usage error is a UsageError."""
    group = get_command(app)
    # A shell asking for completions (its _POLICY_DIFF_COMPLETE variable set) gets them, and
    # the process exits.
    group._main_shell_completion({}, PROG)
    try:
        # Not click's `main`: it would turn a closed pipe into exit 1, and print errors its way.
        with group.make_context(PROG, args) as context:
            return int(group.invoke(context) or 0)
    except typer.Exit as exc:  # --help, --show-completion, --install-completion
        return exc.exit_code
    except typer.Abort:  # click's own Ctrl-C at a prompt
        return 130
    except NoArgsIsHelpError as exc:  # `policy-diff` (or `policy-diff hooks`) alone: the help
        print(exc.format_message(), file=sys.stderr)
        return 2
    except typer.TyperException as exc:  # click's usage errors, said in the project's voice
        where = getattr(exc, "ctx", None)
        hint = f" (see '{where.command_path} --help')" if where is not None else ""
        raise UsageError(f"{exc.format_message()}{hint}") from None


def handle_errors(command: Callable[[], int]) -> int:
    """Run a command; a user error becomes one sanitized line on stderr and exit code 2."""
    try:
        return command()
    except PolicyDiffError as exc:
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
        where = f"{exc.filename}: " if exc.filename else ""
        print(f"policy-diff: error: {sanitize(where + (exc.strerror or str(exc)))}",
              file=sys.stderr)
        return 2
