"""Where a command's output goes: the terminal (through one emit function), stdout, or
`-o FILE`, with the format read from the file's extension unless `--format` says otherwise,
and the file written whole or not at all (never over a file, unless --force).

`.txt` is the terminal view as plain text (no colour, markers for every change), so a
view can be saved as it reads.
"""

from __future__ import annotations

import sys
from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING

from ..errors import UsageError
from ..source.files import write_file

if TYPE_CHECKING:
    from rich.console import RenderableType

EXTENSIONS = {".json": "json", ".md": "markdown", ".markdown": "markdown", ".html": "html",
              ".htm": "html", ".txt": "term", ".docx": "docx"}


def output_format(given: str | None, output: str | None, allowed: Iterable[str],
                  command: str) -> str:
    """The format: GIVEN (--format) if any, else the extension of OUTPUT, else term."""
    if given is not None:
        return given
    if output is None:
        return "term"
    suffix = Path(output).suffix.lower()
    found = EXTENSIONS.get(suffix)
    if found is None or found not in set(allowed):
        names = ", ".join(ext for ext, name in EXTENSIONS.items() if name in set(allowed))
        raise UsageError(f"{command} -o: cannot tell the format of {output!r} from its "
                         f"extension (use {names}, or --format)")
    return found


def write(output: str, content: str | bytes, force: bool) -> None:
    write_file(Path(output), content, overwrite=force)


def out(text: str | Iterable[str], output: str | None, force: bool) -> None:
    """Text to -o FILE (written whole or not at all), or to stdout as its pieces come."""
    if output is None:
        sys.stdout.writelines([text] if isinstance(text, str) else text)
    else:
        write(output, text if isinstance(text, str) else "".join(text), force)


def show(renderable: RenderableType, color: str, width: int | None, pager: bool = False,
         crop: bool = True) -> None:
    """A terminal view printed on the terminal (through the pager when asked and interactive),
    colour, width and paging decided by rich's Console (views/text/screen.py)."""
    # rich loads only for a terminal view: the documents (JSON, Markdown, HTML) never import
    # it, and importing it costs about two thirds of the CLI's own start-up (measured).
    from ..views.text.screen import emit

    emit(renderable, color, width, pager, crop)


def view(renderable: RenderableType, output: str | None, force: bool, color: str,
         width: int | None, pager: bool) -> None:
    """A terminal view (a rich renderable: diff's own layout or rich's tables): printed, or
    saved as plain text to -o FILE."""
    if output is None:
        show(renderable, color, width, pager)
    else:
        out(plain_text(renderable, width), output, force)


def plain_text(renderable: RenderableType, width: int | None) -> str:
    """A rich view as the plain text a terminal without colour shows."""
    # rich, as in show().
    from ..views.text.screen import make_console, render_text

    return render_text(make_console("never", width), renderable)
