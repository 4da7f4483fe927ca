"""The options several commands share, each defined once: its names, default, bounds and help.

A command's signature is its whole definition: typer reads the parsing, the checks and
`--help` from these annotations, and the command runs with the values they give.
"""

from __future__ import annotations

from enum import Enum
from typing import Annotated, Optional

import typer


class Color(str, Enum):
    auto = "auto"
    always = "always"
    never = "never"


StoreOption = Annotated[Optional[str], typer.Option(
    "--store", metavar="PATH", help="The policies/ folder (default: $POLICY_DIFF_STORE, "
                                    "else policies/ at the git top level or here).")]
ColorOption = Annotated[Color, typer.Option("--color", help="Colour: auto, always or never.")]
WidthOption = Annotated[Optional[int], typer.Option(
    "--width", min=20, help="Output width (default: the terminal, or $COLUMNS).")]
PagerOption = Annotated[bool, typer.Option("--pager/--no-pager",
                                           help="Page long output in a terminal, like git.")]
OutputOption = Annotated[Optional[str], typer.Option(
    "--output", "-o", metavar="FILE", help="Write to FILE, in the format its extension names "
    "(.txt: the terminal view as plain text) unless --format says.")]
ForceOption = Annotated[bool, typer.Option("--force", help="Let -o replace an existing file.")]
JobsOption = Annotated[Optional[int], typer.Option(
    "--jobs", "-j", min=1, help="Processes to compare with (default: one per core; -j 1 gives "
                                "the same output).")]
QuietOption = Annotated[bool, typer.Option("--quiet", "-q", help="No progress bar on stderr.")]


def chosen(given: Enum | None) -> str | None:
    """An optional choice's value: None when the option was not given."""
    return None if given is None else str(given.value)
