"""The terminal: a Console built per command (so --color, --width and env apply) and a pager.

Colour follows git: automatic on a terminal, also under git's pager
(GIT_PAGER_IN_USE), `--color always|never`, NO_COLOR and FORCE_COLOR honoured.
"""

from __future__ import annotations

import os
import re
import sys
from typing import IO

from rich.console import Console, ConsoleOptions, RenderableType, RenderResult
from rich.padding import Padding
from rich.pager import Pager
from rich.segment import Segment
from rich.text import Text

from .theme import THEME


def make_console(color: str = "auto", width: int | None = None,
                 file: IO[str] | None = None, stderr: bool = False) -> Console:
    """A Console for one command's output; record text must reach it only as rich Text."""
    force_terminal: bool | None = None
    if color == "always":
        force_terminal = True
    elif color == "auto" and os.environ.get("GIT_PAGER_IN_USE") == "true":
        force_terminal = not os.environ.get("NO_COLOR")
    never = color == "never"
    return _Console(file=file, stderr=stderr, width=width, theme=THEME, highlight=False,
                    markup=False, emoji=False, force_terminal=False if never else force_terminal,
                    color_system=None if never else "auto", no_color=True if never else None,
                    soft_wrap=False)


_SHORT = 2000  # characters: below this, rich's own splitting costs less than ours


class _Console(Console):
    """A Console whose tables and grids get each wrapped line as its own segment.

    rich's line splitter (Segment.split_and_crop_lines, behind every table cell) peels
    the lines off a multi-line segment with str.partition, copying the rest each time:
    quadratic in one long block, so a 10 MB paragraph took a minute to print.  Splitting
    at the newlines first gives the same lines in linear time.
    """

    def render_lines(self, renderable, options=None,  # type: ignore[no-untyped-def, override]
                     **kwargs):
        # Table cells come wrapped in Padding, which renders its content through here
        # again and yields one line at a time; short texts cost rich little.
        short = isinstance(renderable, Text) and len(renderable) < _SHORT
        if not (short or isinstance(renderable, Padding)):
            renderable = _LineSegments(renderable)
        return super().render_lines(renderable, options, **kwargs)


class _LineSegments:
    """A renderable's segments, cut at newlines: no segment spans two lines."""

    def __init__(self, renderable: RenderableType) -> None:
        self.renderable = renderable

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        for segment in console.render(self.renderable, options):
            if segment.control or "\n" not in segment.text:
                yield segment
                continue
            for index, line in enumerate(segment.text.split("\n")):
                if index:
                    yield Segment("\n", segment.style)
                if line:
                    yield Segment(line, segment.style)


_TRAILING_PAD = re.compile(r" +((?:\x1b\[[0-9;]*m)+)$")  # padding inside a closing style


def render_text(console: Console, renderable: RenderableType) -> str:
    """Render to a string, without the padding rich leaves at the end of table lines."""
    with console.capture() as captured:
        console.print(renderable)
    return "\n".join(_TRAILING_PAD.sub(r"\1", line).rstrip(" ")
                     for line in captured.get().split("\n"))


def emit(renderable: RenderableType, color: str = "auto", width: int | None = None,
         pager: bool = False) -> None:
    """Print to stdout, through a git-style pager when interactive and asked for."""
    console = make_console(color, width)
    text = render_text(console, renderable)
    command = pager_command(pager)
    if command:
        GitStylePager(command).show(text)
    else:
        sys.stdout.write(text)


def is_plain(console: Console) -> bool:
    """True when styles cannot show (piped, NO_COLOR, --color never): use text markers instead."""
    return console.color_system is None or console.no_color


class GitStylePager(Pager):
    """Run the pager as git does: through the shell, with LESS=FRX so short output just prints."""

    def __init__(self, command: str) -> None:
        self.command = command

    def show(self, content: str) -> None:
        import subprocess  # only when paging: it is not on the start-up path

        env = dict(os.environ)
        env.setdefault("LESS", "FRX")
        env.setdefault("LV", "-c")
        try:
            subprocess.run(self.command, shell=True, input=content, text=True, env=env,  # noqa: S602
                           encoding="utf-8", errors="replace", check=False)
        except BrokenPipeError:
            pass


def pager_command(enabled: bool) -> str | None:
    """The pager to use, or None when output is not an interactive terminal."""
    if not enabled or not (sys.stdin.isatty() and sys.stdout.isatty()):
        return None
    command = os.environ.get("POLICY_DIFF_PAGER") or os.environ.get("PAGER") or "less"
    return None if command.strip() in ("", "cat") else command
