"""The terminal, for every view: rich's Console decides colour, width and paging, here only.

Colour: an explicit `--color always|never` wins over everything else.  Otherwise NO_COLOR
turns it off; then rich reads the terminal (TTY_COMPATIBLE, FORCE_COLOR, whether standard
output is a terminal); under git's pager (GIT_PAGER_IN_USE, whose pipe is no tty) it is on,
as git's own colour is; never on a dumb terminal.  Without colour the Console writes no
escape code at all (not even bold: NO_COLOR included) and the views mark every change in
the text instead (`views/text/layout.py` asks `has_colour`).
Width: `--width`, else rich's: $COLUMNS, the terminal's (any standard stream), 80; never more
than MAX_WIDTH, since layout work and memory grow with it and no screen is that wide.
Paging: when asked (`--pager`, the default) and both standard input and output are
terminals, through $POLICY_DIFF_PAGER, $PAGER or less, run as git runs it.
"""

from __future__ import annotations

import os
import re
import sys
from typing import IO, Any, Iterator

from rich.console import COLOR_SYSTEMS, Console, ConsoleOptions, RenderableType, RenderResult
from rich.segment import Segment
from rich.theme import Theme

from .theme import STYLES

THEME = Theme(STYLES, inherit=False)
MAX_WIDTH = 1000  # columns: wider asks (--width 1000000000, COLUMNS=1e9) are laid out at this


def make_console(color: str = "auto", width: int | None = None,
                 file: IO[str] | None = None) -> Console:
    """The Console for one command's output to FILE (standard output), its decisions made:
    colour per `--color` (auto, always, never), width per `--width` (None: the terminal's).
    Record text must reach it only as segments or rich Text: it reads no markup."""
    options: dict[str, Any] = {"file": file, "width": width}
    if color == "always":
        options.update(force_terminal=True, no_color=False)  # over NO_COLOR
    elif color == "auto" and os.environ.get("GIT_PAGER_IN_USE") == "true":
        options.update(force_terminal=True)
    probe = _console(**options)  # rich's reading of the terminal and the environment
    system = None if color == "never" or probe.no_color else probe.color_system
    return fixed_console(system, probe.width, probe.height, file)


def fixed_console(color_system: str | None, width: int, height: int = 25,
                  file: IO[str] | None = None) -> Console:
    """A Console whose decisions are already made (a worker process of a long job draws with
    the ones its parent made): COLOR_SYSTEM (None: no escape codes), WIDTH, HEIGHT."""
    width = min(width if width > 0 else 80, MAX_WIDTH)  # COLUMNS=0 gives rich 0
    return _console(file=file, color_system=color_system, force_terminal=color_system is not None,
                    no_color=False, width=width, height=height)


def _console(**options: Any) -> Console:
    return Console(theme=THEME, highlight=False, markup=False, emoji=False, soft_wrap=False,
                   **options)


def has_colour(console: Console) -> bool:
    """Whether the views draw with styles (True) or with plain-text markers (False)."""
    return console.color_system is not None


_TRAILING_PAD = re.compile(r" +((?:\x1b\[[0-9;]*m)+)$")  # padding inside a closing style


class LaidOut:
    """A renderable that lays itself out at the console's width (views/text/layout.py): its
    lines fit, or are meant to run on, and end where their text does, so nothing is cropped
    or trimmed, and its segments are drawn directly (each style by rich, in the console's
    colour system), without print's buffering: a history renders a piece per commit."""

    def segments(self, console: Console, width: int) -> Iterator[Segment]:
        raise NotImplementedError

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        yield from self.segments(console, options.max_width)

    def text(self, console: Console) -> str:
        segments = self.segments(console, console.width)
        if console.color_system is None:
            return "".join(segment.text for segment in segments)
        system = COLOR_SYSTEMS[console.color_system]
        return "".join(style.render(text, color_system=system) if style else text
                       for text, style, _ in segments)


def render_text(console: Console, renderable: RenderableType, crop: bool = True) -> str:
    """The text CONSOLE prints for RENDERABLE.  rich's tables pad their lines: the padding
    at line ends is dropped.  Without CROP a line may run past the width (a URL kept whole:
    views/reading.py)."""
    if isinstance(renderable, LaidOut):
        return renderable.text(console)
    with console.capture() as captured:
        console.print(renderable, crop=crop)
    return "\n".join(_TRAILING_PAD.sub(r"\1", line).rstrip(" ")
                     for line in captured.get().split("\n"))


def emit(renderable: RenderableType, color: str = "auto", width: int | None = None,
         pager: bool = False, crop: bool = True) -> None:
    """Print a whole view to standard output, through the pager when asked and interactive:
    the one call a command makes for its terminal output."""
    emit_text(render_text(make_console(color, width), renderable, crop), pager)


def emit_text(text: str, pager: bool = False) -> None:
    command = pager_command(pager)
    if command is None:
        sys.stdout.write(text)
        return
    process = start_pager(command)
    try:
        process.stdin.write(text)
        process.stdin.close()
    except BrokenPipeError:  # the pager was quit before reading everything
        pass
    process.wait()


def pager_command(enabled: bool) -> str | None:
    """The pager to use, or None when output is not an interactive terminal."""
    if not enabled or not (is_tty(sys.stdin) and is_tty(sys.stdout)):
        return None
    command = os.environ.get("POLICY_DIFF_PAGER") or os.environ.get("PAGER") or "less"
    return None if command.strip() in ("", "cat") else command


def start_pager(command: str) -> Any:
    """Run the pager as git does: through the shell, with LESS=FRX so short output just
    prints; the caller writes to its standard input, then closes it and waits."""
    import subprocess  # only when paging: it is not on the start-up path

    env = dict(os.environ)
    env.setdefault("LESS", "FRX")
    env.setdefault("LV", "-c")
    sys.stdout.flush()
    return subprocess.Popen(command, shell=True, stdin=subprocess.PIPE, env=env,  # noqa: S602
                            text=True, encoding="utf-8", errors="replace")


def progress_console() -> Console | None:
    """A Console on standard error for a progress bar, or None when none should be drawn:
    standard error is no interactive terminal (rich: a dumb one, TTY_INTERACTIVE=0)."""
    if not is_tty(sys.stderr):  # FORCE_COLOR asks for colour, not for animations in a log
        return None
    console = make_console(file=sys.stderr)
    console.push_theme(Theme())  # the bar is drawn in rich's own styles
    return console if console.is_interactive else None


def is_tty(stream: object) -> bool:
    try:
        return bool(stream.isatty())  # type: ignore[attr-defined]
    except (AttributeError, ValueError):  # no stream, or a closed one
        return False
