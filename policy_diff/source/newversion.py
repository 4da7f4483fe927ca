"""Start the next version of a policy: copy a version, set its identity, write it safely.

The new record is written atomically and never over an existing file
(files.write_file): an interruption leaves no partial record.
"""

from __future__ import annotations

import datetime
import re
from pathlib import Path

from ..errors import PolicyDiffError, RecordError, UsageError
from ..convert.pick import convert, record_text, sha256
from ..convert.converted import ReadOptions
from ..frozen import frozen
from ..model import DATE, SLUG, VERSION
from ..parse.document import normalize_newlines, split_front_matter
from .documents import page_selection, print_notes, read_document
from .files import display_path, guard_target, read_text, write_file
from .store import Store, git_top_level

RESERVED = {"latest", "first"}


MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August",
          "September", "October", "November", "December")
SUMMARY_NOTE = "# Fill in: what this version changes, in a sentence or two."
SOURCES_NOTE = ("# Fill in: the sources this version rests on, each as `- title:` with "
                "`publisher:`, `date:` and `url:` under it.")
TITLE_NOTE = "# Check: the title and the `# heading` are copied from {base}; say what this version is."


@frozen
class Draft:
    path: Path
    notes: tuple[str, ...]  # what was set and what the author must still do, one line each


def new_version(store: Store, policy: str, version: str, base: str | None = None,
                effective: str | None = None) -> Path:
    """Write `<store>/<policy>/<version>.md` from `base` (default: the latest); return its path."""
    return start_version(store, policy, version, base, effective).path


def start_version(store: Store, policy: str, version: str, base: str | None = None,
                  effective: str | None = None) -> Draft:
    """Write a clean draft of the next version: identity set, `effective` from a date-like
    version name (else today), the title and `# heading` moved to the new date or marked for
    the author, summary and sources emptied with a comment saying what goes there."""
    _check_version(version)
    notes = []
    if effective is None:
        named = re.match(r"\d{4}-\d{2}-\d{2}", version)
        if named and _is_date(named.group()):
            effective = named.group()
            notes.append(f"effective {effective}, read from the version's name")
        else:
            effective = datetime.date.today().isoformat()
            notes.append(f"effective {effective}: today, as the version's name is no date "
                         "(--effective sets another)")
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
    updated, title_note = _retitle(updated, source.path, source.effective, effective,
                                   source.version)
    updated = _empty_key(updated, source.path, "summary", '""', SUMMARY_NOTE)
    updated = _empty_key(updated, source.path, "sources", "[]", SOURCES_NOTE)
    write_file(target, updated)
    return Draft(target, (*notes, title_note))


def _is_date(text: str) -> bool:
    try:
        datetime.date.fromisoformat(text)
        return True
    except ValueError:
        return False


def _date_forms(day: str) -> list[str]:
    """How a title may give a date: `2025-12-02`, `2 December 2025`, `December 2, 2025`,
    `December 2025`; the longest first, so the month alone never cuts a full date."""
    if not _is_date(day):
        return []
    date = datetime.date.fromisoformat(day)
    month = MONTHS[date.month - 1]
    return [day, f"{date.day} {month} {date.year}", f"{month} {date.day}, {date.year}",
            f"{month} {date.year}"]


def _retitle(text: str, path: str, old_day: str, new_day: str, base: str) -> tuple[str, str]:
    """The title and the `# heading` that repeats it, with the base's date replaced by the new
    one; else a comment over the title for the author."""
    lines = text.split("\n")
    first, end = split_front_matter(lines, path)  # type: ignore[misc]  # set_front_matter made one
    at = next((i for i in range(first, end) if re.match(r"title\s*:", lines[i])), None)
    if at is None:
        return text, "no title to update"
    old_title = lines[at].split(":", 1)[1].strip()
    for old, new in zip(_date_forms(old_day), _date_forms(new_day)):
        if old in old_title:
            new_title = old_title.replace(old, new)
            lines[at] = f"title: {new_title}"
            bare_old, bare_new = old_title.strip("\"'"), new_title.strip("\"'")
            heading = next((i for i in range(end + 1, len(lines))
                            if lines[i].strip() == f"# {bare_old}"), None)
            if heading is not None:
                lines[heading] = f"# {bare_new}"
            return "\n".join(lines), f"title: {bare_new} (was {bare_old})" + \
                ("" if heading is not None else "; the `# heading` is as it was")
    lines.insert(at, TITLE_NOTE.format(base=base))
    return "\n".join(lines), (f"the title and `# heading` are copied from {base}: "
                              "update them (a comment marks the title)")


_TOP_KEY = re.compile(r"[A-Za-z_][\w-]*\s*:")


def _empty_key(text: str, path: str, key: str, empty: str, note: str) -> str:
    """KEY's value (every line of it) replaced by EMPTY, with NOTE as a comment above it."""
    lines = text.split("\n")
    first, end = split_front_matter(lines, path)  # type: ignore[misc]  # set_front_matter made one
    at = next((i for i in range(first, end) if re.match(rf"{key}\s*:", lines[i])), None)
    if at is None:
        return text
    stop = next((i for i in range(at + 1, end) if _TOP_KEY.match(lines[i])), end)
    return "\n".join(lines[:at] + [note, f"{key}: {empty}"] + lines[stop:])


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


# ------------------------------------------------------------------ import


def import_document(file: str, policy: str | None, version: str | None, output: str | None,
                    effective: str | None, changes: str, store_root: Path | None) -> Path:
    """Convert FILE and write it as a new record (never over a file); return its path."""
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
    name = target.parent.resolve().name
    return name if SLUG.fullmatch(name) else None


def _version_of(target: Path) -> str | None:
    return target.stem if VERSION.fullmatch(target.stem) else None
