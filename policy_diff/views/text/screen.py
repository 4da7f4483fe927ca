"""The terminal's facts, decided without rich: colour or not, how wide, whether to page.

Colour follows git and the usual conventions: automatic on a terminal, also under
git's pager (GIT_PAGER_IN_USE, whose pipe is no tty), `--color always|never`,
NO_COLOR (which wins), FORCE_COLOR and TTY_COMPATIBLE, never on a dumb terminal.
The width is `--width`, else $COLUMNS, else the terminal's, else 80; never more than
MAX_WIDTH, since layout work and memory grow with it and no screen is that wide.
"""

from __future__ import annotations

import os
import sys
from typing import Iterable

from .layout import Part, render

MAX_WIDTH = 1000  # columns: wider asks (--width 1000000000, COLUMNS=1e9) are laid out at this

def wants_colour(color: str = "auto") -> bool:
    """Whether to draw with styles (True) or with plain-text markers (False)."""
    env = os.environ
    if color == "never" or env.get("NO_COLOR", "") or \
            env.get("TERM", "").lower() in ("dumb", "unknown"):
        return False
    if color == "always" or env.get("GIT_PAGER_IN_USE") == "true":
        return True
    if env.get("TTY_COMPATIBLE") in ("0", "1"):
        return env["TTY_COMPATIBLE"] == "1"
    if env.get("FORCE_COLOR") is not None:
        return env["FORCE_COLOR"] != ""
    return _isatty(sys.stdout)


def screen_width(width: int | None = None) -> int:
    """Columns to lay out in: asked for, $COLUMNS, the terminal's (any standard stream), 80;
    at most MAX_WIDTH."""
    return min(_asked_width(width), MAX_WIDTH)


def _asked_width(width: int | None) -> int:
    if width is not None:
        return width
    columns = os.environ.get("COLUMNS", "")
    if columns.isdigit() and int(columns) > 0:
        return int(columns)
    for descriptor in (0, 1, 2):
        try:
            return os.get_terminal_size(descriptor).columns or 80
        except (OSError, ValueError):
            continue
    return 80


def emit_parts(parts: Iterable[Part], color: str = "auto", width: int | None = None,
               pager: bool = False) -> None:
    """Lay PARTS out for this terminal and print them, paged when asked and interactive."""
    emit_text(render(parts, screen_width(width), wants_colour(color)), pager)


def emit_text(text: str, pager: bool = False) -> None:
    command = pager_command(pager)
    if command:
        show_in_pager(command, text)
    else:
        sys.stdout.write(text)


def pager_command(enabled: bool) -> str | None:
    """The pager to use, or None when output is not an interactive terminal."""
    if not enabled or not (_isatty(sys.stdin) and _isatty(sys.stdout)):
        return None
    command = os.environ.get("POLICY_DIFF_PAGER") or os.environ.get("PAGER") or "less"
    return None if command.strip() in ("", "cat") else command


def show_in_pager(command: str, text: str) -> None:
    """Run the pager as git does: through the shell, with LESS=FRX so short output just prints."""
    import subprocess  # only when paging: it is not on the start-up path

    env = dict(os.environ)
    env.setdefault("LESS", "FRX")
    env.setdefault("LV", "-c")
    try:
        subprocess.run(command, shell=True, input=text, text=True, env=env,  # noqa: S602
                       encoding="utf-8", errors="replace", check=False)
    except BrokenPipeError:
        pass


def _isatty(stream: object) -> bool:
    try:
        return bool(stream.isatty())  # type: ignore[attr-defined]
    except (AttributeError, ValueError):  # no stream, or a closed one
        return False
