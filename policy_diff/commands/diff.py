"""The `diff` command itself, shared by the typer CLI and the fast entry point.

`diff` runs in hooks, CI and editors on every change, so it has a parser of
its own (argparse, a few milliseconds) that skips importing the CLI framework
(typer and pydantic, about 90 ms); `history` has one too (historycmd.py).  Both parsers fill the same DiffOptions and
call `run_diff`; a test holds their option lists equal.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from ..errors import UsageError
from ..frozen import frozen

FORMATS = ("term", "json", "markdown", "html", "docx")
COLORS = ("auto", "always", "never")


@frozen
class DiffOptions:
    old: str
    new: str | None = None
    output_format: str | None = None  # None: from -o's extension, else term
    context: int = 1
    full: bool = False
    side_by_side: bool = False
    staged: bool = False
    ignore_editorial: bool = False
    output: str | None = None
    force: bool = False
    store: str | None = None
    color: str = "auto"
    width: int | None = None
    pager: bool = True
    author: str = "policy-diff"


def run_diff(options: DiffOptions) -> int:
    """Compare, render once in the asked format, and return diff(1)'s exit code."""
    from ..diff.compare import compare
    from ..diff.lineage import with_last_stated
    from ..source.store import find_store
    from ..source.manifests import manifest_for
    from ..source.refs import default_pair, load_pair

    root = find_store(options.store)
    old, new = options.old, options.new
    if old == new == "-":  # standard input is read once: the second `-` would be empty
        raise UsageError("`-` (standard input) can be only one side of a diff; give a file or "
                         "a ref for the other")
    if new is None:
        old, new = default_pair(old, options.staged, root)
    elif options.staged:
        raise UsageError("--staged takes one PATH")
    from .output import output_format
    from ..frozen import replace

    options = replace(options, output_format=output_format(
        options.output_format, options.output, FORMATS, "diff"))
    if options.output is None and options.output_format == "docx":
        raise UsageError("--format docx writes a Word file: give -o FILE.docx")
    old_side, new_side = load_pair(old, new, root)
    manifest = manifest_for(old_side, new_side)
    result = with_last_stated(compare(old_side, new_side, manifest), root, manifest)
    _emit(result, options)
    same = result.identical or (options.ignore_editorial and not result.substantive)
    return 0 if same else 1


def _emit(result, options: DiffOptions) -> None:  # type: ignore[no-untyped-def]
    context = None if options.full else options.context
    if options.output_format == "term" and options.output is not None:  # as read, no colour
        from ..views.text.layout import render
        from ..views.text.screen import screen_width
        from ..views.terminal import render_diff

        text = render(render_diff(result, True, options.context, options.full,
                                  options.side_by_side, options.ignore_editorial),
                      screen_width(options.width), False)
    elif options.output_format == "term":
        from ..views.text.screen import emit_parts, wants_colour
        from ..views.terminal import render_diff

        plain = not wants_colour(options.color)
        emit_parts(render_diff(result, plain, options.context, options.full,
                               options.side_by_side, options.ignore_editorial),
                   options.color, options.width, options.pager)
        return
    elif options.output_format == "json":
        from ..views.json import to_json

        text = to_json(result)
    elif options.output_format == "markdown":
        from ..views.markdown import to_markdown

        text = to_markdown(result, context, options.ignore_editorial)
    elif options.output_format == "docx":
        from ..convert.pick import require
        from ..views.docx import to_docx

        require("docx")
        text = to_docx(result, options.author, options.ignore_editorial)  # bytes
    else:
        from ..views.html import to_html

        text = to_html(result, context, options.ignore_editorial)
    if options.output is not None:
        from .output import write

        write(options.output, text, options.force)
    else:
        sys.stdout.write(text)


class CommandParser(argparse.ArgumentParser):
    """A fast lane's parser: usage errors are the project's one-line errors; help, and the
    help formatter's look at the terminal, are left to the typer CLI."""

    def __init__(self, command: str) -> None:
        # argparse builds a help formatter for every add_argument; given a width, it does
        # not import shutil to ask the terminal (2 ms).
        super().__init__(prog=f"policy-diff {command}", add_help=False,
                         formatter_class=lambda prog: argparse.HelpFormatter(prog, width=80))

    def error(self, message: str) -> None:  # type: ignore[override]
        raise UsageError(f"{message} (see '{self.prog} --help')")


def diff_parser() -> argparse.ArgumentParser:
    parser = CommandParser("diff")
    parser.add_argument("old")
    parser.add_argument("new", nargs="?")
    parser.add_argument("--format", "-f", dest="output_format", choices=FORMATS)
    parser.add_argument("--context", "-C", type=at_least(0, "whole number"), default=1)
    parser.add_argument("--full", action="store_true")
    parser.add_argument("--side-by-side", "-y", action="store_true")
    parser.add_argument("--staged", "--cached", action="store_true")
    parser.add_argument("--ignore-editorial", action="store_true")
    parser.add_argument("--output", "-o")
    parser.add_argument("--force", action="store_true")
    parser.add_argument("--store")
    parser.add_argument("--color", choices=COLORS, default="auto")
    parser.add_argument("--width", type=WIDTH)
    parser.add_argument("--pager", action=argparse.BooleanOptionalAction, default=True)
    parser.add_argument("--author", default="policy-diff")
    return parser


def parse_diff_args(argv: list[str]) -> DiffOptions:
    return DiffOptions(**vars(diff_parser().parse_args(argv)))


def at_least(minimum: int, name: str):  # type: ignore[no-untyped-def]
    """An argparse type: an integer of at least MINIMUM.  argparse names the function in its
    error, so it is called NAME: "invalid whole number value: '-3'"."""
    def check(text: str) -> int:
        value = int(text)
        if value < minimum:
            raise ValueError(text)
        return value

    check.__name__ = name
    return check


WIDTH = at_least(20, "width (20 or more)")
