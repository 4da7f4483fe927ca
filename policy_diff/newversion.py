"""Start the next version of a policy: copy a version, set its identity, write it safely.

The new record is written atomically and never over an existing file
(files.write_file): an interruption leaves no partial record.
"""

from __future__ import annotations

import datetime
import re
from pathlib import Path

from .errors import PolicyDiffError, RecordError, UsageError
from .files import guard_target, write_file
from .parse import normalize_newlines, split_front_matter
from .schema import DATE, VERSION
from .store import Store, display_path, git_top_level, read_text

RESERVED = {"latest", "first"}


def new_version(store: Store, policy: str, version: str, base: str | None = None,
                effective: str | None = None) -> Path:
    """Write `<store>/<policy>/<version>.md` from `base` (default: the latest); return its path."""
    _check_version(version)
    effective = effective or datetime.date.today().isoformat()
    _check_date(effective)
    if policy not in store.policies:
        raise UsageError(f"no policy {policy!r} in {display_path(store.root)}")
    latest = store.versions(policy)[-1:]
    if latest and latest[0].unreadable:  # its place, content and successor are unknown
        raise RecordError(f"{latest[0].unreadable} (the latest version of {policy} cannot be "
                          f"read: fix it before starting a new one)")
    source = store.find_version(policy, base or "latest", f"{policy}@{base or 'latest'}")
    target = store.root / policy / f"{version}.md"
    if target.exists():
        raise UsageError(f"{display_path(target)} already exists; choose another --version")
    guard_target(target, git_top_level(store.root))  # a store linked into .git: refused
    base_path = Path(source.path)
    text = normalize_newlines(read_text(base_path, display_path(base_path)))  # limits, UTF-8
    updated = set_front_matter(text, source.path, {
        "version": version, "effective": effective, "status": "draft",
        "supersedes": source.version})
    write_file(target, updated)
    return target


def _check_version(version: str) -> None:
    if not VERSION.fullmatch(version) or version in RESERVED:
        raise UsageError(f"--version {version!r} must be letters, digits, `.`, `_` or `-`, "
                         f"start with a letter or digit, and not be latest or first")


def _check_date(value: str) -> None:
    try:
        if not DATE.fullmatch(value):
            raise ValueError
        datetime.date.fromisoformat(value)
    except ValueError:
        raise UsageError(f"--effective {value!r} is not a real date in the form YYYY-MM-DD") from None


def set_front_matter(text: str, path: str, values: dict[str, str]) -> str:
    """Set top-level scalar keys in the front matter, keeping every other line as written."""
    lines = text.split("\n")
    span = split_front_matter(lines, path)
    if span is None:
        raise PolicyDiffError("the base version has no front matter", path, 1)
    first, end = span
    head = lines[first:end]
    for key, value in values.items():
        line = f"{key}: {value}"
        at = next((i for i, text_line in enumerate(head) if re.match(rf"{key}\s*:", text_line)),
                  None)
        if at is None:
            after = next((i for i, text_line in enumerate(head) if text_line.startswith("version:")),
                         len(head) - 1)
            head.insert(after + 1, line)
        else:
            head[at] = line
    return "\n".join(lines[:first] + head + lines[end:])
