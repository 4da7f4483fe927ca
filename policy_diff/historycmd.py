"""The `history` command itself, shared by the typer CLI and the fast entry point.

Like `diff`, `history` is read by scripts and hooks as well as by people, and importing
the CLI framework (typer and pydantic, about 90 ms) was a third of a 500-version
record's history: it has an argparse parser of its own.  Both parsers fill the same
HistoryOptions and call `run_history`; a test holds their option lists equal.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from .diffcmd import COLORS, WIDTH, CommandParser, at_least
from .frozen import frozen

FORMATS = ("term", "json")


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
    output: str | None = None
    force: bool = False


def run_history(options: HistoryOptions) -> int:
    """Print the commits that changed a record or a policy folder, newest first."""
    from .output import output_format, write
    from .revisions import record_history

    chosen = output_format(options.output_format, options.output, FORMATS, "history")
    path, follow = options.target, True
    if not Path(path).exists():
        from .store import find_store, resolve

        root = find_store(options.store)
        source = resolve(path, root)  # a POLICY: its whole folder
        assert root is not None and source.policy is not None
        path, follow = str(root / source.policy), False
    changes = record_history(path, options.limit, options.since, follow)
    if chosen == "json":
        from .render.history import history_json

        text = history_json(changes, options.patch)
        sys.stdout.write(text) if options.output is None else write(options.output, text,
                                                                     options.force)
        return 0
    from .render.history import history_view
    from .render.screen import emit_parts, screen_width, wants_colour

    if options.output is not None:  # the terminal view as plain text
        from .render.layout import render

        write(options.output, render(history_view(changes, True, options.patch),
                                     screen_width(options.width), False), options.force)
        return 0

    plain = not wants_colour(options.color)
    emit_parts(history_view(changes, plain, options.patch), options.color, options.width,
               options.pager)
    return 0


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
    parser.add_argument("--output", "-o")
    parser.add_argument("--force", action="store_true")
    return parser


def parse_history_args(argv: list[str]) -> HistoryOptions:
    return HistoryOptions(**vars(history_parser().parse_args(argv)))
