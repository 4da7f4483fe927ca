"""`-o FILE` for every view: the format read from the file's extension unless `--format`
says otherwise, and the file written whole or not at all (never over a file, unless --force).

`.txt` is the terminal view as plain text (no colour, markers for every change), so a
view can be saved as it reads.
"""

from __future__ import annotations

from pathlib import Path

from ..errors import UsageError

EXTENSIONS = {".json": "json", ".md": "markdown", ".markdown": "markdown", ".html": "html",
              ".htm": "html", ".txt": "term", ".docx": "docx"}


def output_format(given: str | None, output: str | None, allowed: tuple[str, ...],
                  command: str) -> str:
    """The format: GIVEN (--format) if any, else the extension of OUTPUT, else term."""
    if given is not None:
        return given
    if output is None:
        return "term"
    suffix = Path(output).suffix.lower()
    found = EXTENSIONS.get(suffix)
    if found is None or found not in allowed:
        names = ", ".join(ext for ext, name in EXTENSIONS.items() if name in allowed)
        raise UsageError(f"{command} -o: cannot tell the format of {output!r} from its "
                         f"extension (use {names}, or --format)")
    return found


def write(output: str, content: str | bytes, force: bool) -> None:
    from ..source.files import write_file

    write_file(Path(output), content, overwrite=force)


def plain_text(renderable, width: int | None) -> str:  # type: ignore[no-untyped-def]
    """A rich view as the plain text a terminal without colour shows."""
    from ..views.text.screen import make_console, render_text

    return render_text(make_console("never", width), renderable)
