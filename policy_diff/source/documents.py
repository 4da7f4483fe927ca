"""Word, PDF and web-page documents read as record text, for `diff` and `import`."""

from __future__ import annotations

import sys
from pathlib import Path

from ..convert.pick import compared_text, convert
from ..convert.converted import ReadOptions
from ..errors import RecordError
from ..limits import MAX_BYTES, check_limit, limit
from ..parse.yaml_load import load_mapping
from ..text.safe import sanitize
from .files import display_path, read_text

SELECTION_KEY = "web_page"


def read_document(path: Path, label: str) -> bytes:
    """A document's bytes within the size limit; a folder or unreadable file is one line."""
    try:
        allowed = _allowed()
        with path.open("rb") as handle:
            data = handle.read(allowed + 1) if allowed else handle.read()
    except OSError as exc:
        raise RecordError(f"cannot read: {exc.strerror or exc}", label) from None
    check_limit(MAX_BYTES, len(data), "bytes", label, exact=False)
    return data


def _allowed() -> int | None:
    return limit(MAX_BYTES)


def page_selection(folder: Path | None) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """The CSS selectors to keep and remove that a policy's policy.yaml gives its web page."""
    if folder is None or not (folder / "policy.yaml").is_file():
        return (), ()
    path = folder / "policy.yaml"
    data = load_mapping(read_text(path), display_path(path))
    spec = data.get(SELECTION_KEY)
    if spec is None:
        return (), ()
    line = getattr(data, "key_lines", {}).get(SELECTION_KEY)

    def selectors(key: str) -> tuple[str, ...]:
        value = spec.get(key, []) if isinstance(spec, dict) else None
        value = [value] if isinstance(value, str) else value
        if not isinstance(value, list) or not all(isinstance(v, str) and v for v in value):
            raise RecordError(f"{SELECTION_KEY}.{key} must be a CSS selector or a list of them",
                              display_path(path), line)
        return tuple(value)

    return selectors("select"), selectors("remove")


def converted_text(data: bytes, name: str, options: ReadOptions, warn: bool = True) -> tuple[str, str]:
    """(record text, converter) of a document read for a diff; its notes go to stderr."""
    converted = convert(data, name, options)
    if warn:
        print_notes(converted.notes)
    return compared_text(converted), converted.converter


def print_notes(notes: list[str]) -> None:
    for note in notes:
        print(f"policy-diff: note: {sanitize(note)}", file=sys.stderr)
