"""Converted documents as records: `import` writes one; `diff` reads one in memory."""

from __future__ import annotations

import sys
from pathlib import Path

from .pick import ReadOptions, compared_text, convert, record_text, sha256
from ..errors import RecordError, UsageError
from ..limits import MAX_BYTES, check_limit

SELECTION_KEY = "web_page"


def read_document(path: Path, label: str) -> bytes:
    """A document's bytes within the size limit; a folder or unreadable file is one line."""
    try:
        with path.open("rb") as handle:
            data = handle.read(_allowed() + 1) if _allowed() else handle.read()
    except OSError as exc:
        raise RecordError(f"cannot read: {exc.strerror or exc}", label) from None
    check_limit(MAX_BYTES, len(data), "bytes", label, exact=False)
    return data


def _allowed() -> int | None:
    from ..limits import limit

    return limit(MAX_BYTES)


def page_selection(folder: Path | None) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """The CSS selectors to keep and remove that a policy's policy.yaml gives its web page."""
    if folder is None or not (folder / "policy.yaml").is_file():
        return (), ()
    from ..source.store import display_path, read_text
    from ..parse.yaml_load import load_mapping

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
    from ..text.safe import sanitize

    for note in notes:
        print(f"policy-diff: note: {sanitize(note)}", file=sys.stderr)


def import_document(file: str, policy: str | None, version: str | None, output: str | None,
                    effective: str | None, changes: str, store_root: Path | None) -> Path:
    """Convert FILE and write it as a new record (never over a file); return its path."""
    from ..source.files import write_file
    from ..source.newversion import _check_date, _check_version
    from ..rules.schema import SLUG

    source = Path(file)
    if not source.is_file():
        raise UsageError(f"{file}: no such file")
    if policy is not None and not SLUG.fullmatch(policy):
        raise UsageError(f"--policy {policy!r} must be a slug like us-apl ([a-z0-9-])")
    if version is not None:
        _check_version(version)
    if effective is not None:
        _check_date(effective)
    target = _target(output, policy, version, store_root)
    if target.exists():
        raise UsageError(f"{target} already exists; nothing was written")
    keep, remove = page_selection(target.parent)
    data = read_document(source, file)
    converted = convert(data, file, ReadOptions(changes, keep, remove))
    dated = converted.dates.get("modified") or converted.dates.get("created")
    if effective is None and dated is None:
        raise UsageError(f"{file} gives no date; give --effective YYYY-MM-DD")
    notes = list(converted.notes)
    if effective is None:
        notes.append(f"effective date {dated} taken from the document's properties; check it")
    text = record_text(converted, source.name, sha256(data), policy or _policy_of(target),
                       version or _version_of(target), effective)
    if not target.parent.is_dir() and output is None:
        target.parent.mkdir()  # a new policy's folder in the store
    write_file(target, text)
    print_notes(notes)
    return target


def _target(output: str | None, policy: str | None, version: str | None,
            store_root: Path | None) -> Path:
    if output is not None:
        return Path(output)
    if policy is None or version is None:
        raise UsageError("give --policy and --version (the record goes in the store), or -o PATH")
    if store_root is None:
        raise UsageError("no policies/ store found (use --store, $POLICY_DIFF_STORE or -o PATH)")
    return store_root / policy / f"{version}.md"


def _policy_of(target: Path) -> str | None:
    """With -o and no --policy: the folder's name when it can be one (validation says if not)."""
    from ..rules.schema import SLUG

    name = target.parent.resolve().name
    return name if SLUG.fullmatch(name) else None


def _version_of(target: Path) -> str | None:
    from ..rules.schema import VERSION

    return target.stem if VERSION.fullmatch(target.stem) else None
