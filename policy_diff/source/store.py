"""The policies/ folder: find it, list its policies and their versions (record-format §4)."""

from __future__ import annotations

import difflib
import os
import re
from functools import cached_property
from pathlib import Path
from typing import Any

from ..errors import RecordError, RefError, UsageError
from .files import check_inside, display_path, read_text, relative_path
from .manifests import MANIFEST, load_manifest
from ..model import Manifest, Source, VersionEntry
from ..parse.document import read_front_matter
from ..parse.yaml_types import LocatedDict

STORE_ENV = "POLICY_DIFF_STORE"


def find_store(explicit: str | None = None, cwd: Path | None = None) -> Path | None:
    """`--store`, else $POLICY_DIFF_STORE, else policies/ at the git top level or here."""
    chosen = explicit or os.environ.get(STORE_ENV)
    if chosen:
        root = Path(chosen)
        if not root.is_dir():
            source = "--store" if explicit else STORE_ENV
            raise UsageError(f"{source} names {chosen!r}, which is not a folder")
        return root
    cwd = cwd or Path.cwd()
    top = git_top_level(cwd)
    for base in ([top] if top else []) + [cwd]:
        if (base / "policies").is_dir():
            return relative_path(base / "policies")
    return None


def git_top_level(start: Path) -> Path | None:
    """The enclosing work tree's top, found without running git (this is on the start-up path)."""
    for folder in [start, *start.resolve().parents]:
        if (folder / ".git").exists():
            return folder
    return None


class Store:
    """One store folder: `<root>/<policy>/policy.yaml` and `<root>/<policy>/<version>.md`."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self._versions: dict[str, list[VersionEntry]] = {}
        self._manifests: dict[str, Manifest | None] = {}

    @cached_property
    def policies(self) -> list[str]:
        return sorted(p.name for p in self.root.iterdir()
                      if p.is_dir() and not p.name.startswith("."))

    def manifest(self, policy: str) -> Manifest | None:
        if policy not in self._manifests:
            path = self.root / policy / MANIFEST
            if path.is_file():
                check_inside(path, self.root)
            self._manifests[policy] = load_manifest(path) if path.is_file() else None
        return self._manifests[policy]

    def versions(self, policy: str) -> list[VersionEntry]:
        """The policy's versions ordered by effective date, then version string; a record
        that cannot be read stands at its file name's place (record-format §4)."""
        if policy not in self._versions:
            folder = self.root / policy
            paths = sorted(folder.glob("*.md"))
            for path in [folder, *paths]:
                check_inside(path, self.root)
            entries = [_entry(path) for path in paths]
            ordered = sorted((e for e in entries if not e.unreadable),
                             key=lambda e: (e.effective, e.version))
            for bad in (e for e in entries if e.unreadable):  # in file name order
                at = next((i for i, e in enumerate(ordered) if e.version > bad.version),
                          len(ordered))
                ordered.insert(at, bad)
            self._versions[policy] = ordered
        return self._versions[policy]

    def find_version(self, policy: str, wanted: str, ref: str) -> VersionEntry:
        """Resolve `latest`, `first`, an exact version or a unique prefix of one."""
        entries = self.versions(policy)
        if not entries:
            raise RefError(f"{ref!r}: policy {policy!r} has no versions in {self.root}")
        if wanted in ("latest", "first"):  # an unreadable record is never skipped over
            return readable(entries[-1 if wanted == "latest" else 0])
        exact = [e for e in entries if e.version == wanted]
        matches = exact or [e for e in entries if e.version.startswith(wanted)]
        if len(matches) == 1:
            return readable(matches[0])
        names = [e.version for e in entries]
        if matches:
            listed = ", ".join(e.version for e in matches)
            raise RefError(f"{ref!r} is ambiguous: {policy} has versions {listed}")
        raise RefError(f"unknown ref {ref!r}: policy {policy!r} has no version {wanted!r}; "
                       f"nearest: {', '.join(nearest(wanted, names))}")

    def source(self, policy: str, entry: VersionEntry, ref: str) -> Source:
        path = Path(entry.path)
        return Source(ref=ref, path=display_path(path), text=read_text(path, display_path(path)),
                      policy=policy, version=entry.version, home=str(path.parent))


def readable(entry: VersionEntry) -> VersionEntry:
    """ENTRY, or the error that it cannot be read: never read as a plain document."""
    if entry.unreadable:
        raise RecordError(entry.unreadable)
    return entry


def version_front(entry: VersionEntry) -> LocatedDict:
    """A store version's front matter; one that cannot be read stops the command."""
    path = Path(readable(entry).path)
    return read_front_matter(read_text(path, display_path(path)), display_path(path))


def _entry(path: Path) -> VersionEntry:
    """Read what ordering and listing need.  A record that cannot be read (its front matter,
    or the `effective` date that places it) is kept with its located error (record-format §4)."""
    label = display_path(path)
    try:
        front: dict[str, Any] = read_front_matter(read_text(path, label), label, required=True)
        if not isinstance(front.get("effective"), str) or not front["effective"]:
            line = front.key_lines.get("effective", front.line) if isinstance(
                front, LocatedDict) else None
            raise RecordError("no `effective` date, so its place among the versions is unknown",
                              label, line)
    except RecordError as exc:
        return VersionEntry(version=path.stem, path=str(path), unreadable=str(exc))

    def text(key: str) -> str:
        value = front.get(key)
        return value if isinstance(value, str) else ""

    return VersionEntry(version=path.stem, path=str(path), effective=text("effective"),
                        status=text("status"), issued_by=text("issued_by"),
                        supersedes=text("supersedes") or None)


def nearest(word: str, candidates: list[str], count: int = 3) -> list[str]:
    """The candidates most like `word`: dates by their distance from a date (`2099-01-01`
    offers the latest first), else the longest shared prefix, then overall likeness."""
    day = _day(word)
    dated = [(c, d) for c in candidates if (d := _day(c)) is not None]
    if day is not None and len(dated) == len(candidates):
        return [c for c, d in sorted(dated, key=lambda cd: (abs(cd[1] - day), cd[0]))][:count]

    def score(candidate: str) -> tuple[int, float]:
        prefix = len(os.path.commonprefix([word.casefold(), candidate.casefold()]))
        return prefix, difflib.SequenceMatcher(None, word, candidate).ratio()

    return sorted(candidates, key=score, reverse=True)[:count]


def _day(text: str) -> int | None:
    """A version named by a date (`2014-09-23`, `2014-09-23-draft`) as a day number; a year
    or a month asked for (`1999`, `2014-07`) as its middle."""
    import datetime  # 1.5 ms: only to suggest versions for one that is not there

    match = re.match(r"(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?(?!\d)", text)
    if match is None:
        return None
    year, month, day = match.groups()
    try:
        return datetime.date(int(year), int(month or 7), int(day or (15 if month else 1))) \
            .toordinal()
    except ValueError:
        return None
