"""rich's Console for the views still drawn with rich (matrix, blame, show, log, validate).

The diff and history views lay themselves out (views/text/layout.py); every view
takes its colour, width and pager decisions from views/text/screen.py.
"""

from __future__ import annotations

import re

from rich.console import Console, ConsoleOptions, RenderableType, RenderResult
from rich.padding import Padding
from rich.segment import Segment
from rich.text import Text
from rich.theme import Theme

from .screen import emit_text, screen_width, wants_colour
from .theme import STYLES

THEME = Theme(STYLES, inherit=False)


def make_console(color: str = "auto", width: int | None = None) -> Console:
    """A Console for one command's output; record text must reach it only as rich Text."""
    colour = wants_colour(color)
    return _Console(width=screen_width(width), theme=THEME, highlight=False, markup=False,
                    emoji=False, force_terminal=colour, color_system="auto" if colour else None,
                    no_color=not colour, soft_wrap=False)


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


def render_text(console: Console, renderable: RenderableType, crop: bool = True) -> str:
    """Render to a string, without the padding rich leaves at the end of table lines.
    Without CROP a line may run past the width (a URL kept whole: views/reading.py)."""
    with console.capture() as captured:
        console.print(renderable, crop=crop)
    return "\n".join(_TRAILING_PAD.sub(r"\1", line).rstrip(" ")
                     for line in captured.get().split("\n"))


def emit(renderable: RenderableType, color: str = "auto", width: int | None = None,
         pager: bool = False, crop: bool = True) -> None:
    """Print to stdout, through a git-style pager when interactive and asked for."""
    emit_text(render_text(make_console(color, width), renderable, crop), pager)
