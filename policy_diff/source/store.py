"""The policies/ folder: find it, list policies and versions, resolve refs to sources.

A ref is what the user types to name a version (record-format §5): a file path,
`-` for standard input, `POLICY@VERSION` (unique prefix, `latest`, `first`),
or `POLICY` alone for its latest version.
"""

from __future__ import annotations

import difflib
import os
import re
import sys
from functools import cached_property
from pathlib import Path
from typing import Any

from ..errors import RecordError, RefError, UsageError
from .files import decode, display_path, read_limited, read_text, relative_path
from ..limits import MAX_BYTES, check_limit
from ..model import Document, Manifest, ProvisionSpec, Side, Source, VersionEntry, side_of
from ..convert import document_kind
from ..parse.document import read_front_matter
from ..parse.yaml_load import load_mapping
from ..parse.yaml_types import LocatedDict

STORE_ENV = "POLICY_DIFF_STORE"
MANIFEST = "policy.yaml"


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


def check_inside(path: Path, root: Path) -> None:
    """Refuse a store file or folder that is a symbolic link to somewhere outside the store.

    A repository can commit such links: `diff` or `validate` in CI would then print a
    file of the machine running it (`/proc/self/environ`, credentials) into a report.
    """
    try:
        path.resolve().relative_to(root.resolve())
    except (ValueError, OSError, RuntimeError):  # RuntimeError: a symlink loop (Python < 3.13)
        raise RecordError("is a symbolic link to outside the store; refusing to follow it",
                          str(relative_path(path.parent) / path.name)) from None  # the link, not its target


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


def load_manifest(path: Path) -> Manifest:
    """Build the manifest from policy.yaml, skipping malformed entries (validate reports them)."""
    data = load_mapping(read_text(path), display_path(path))
    raw = data.get("provisions")
    specs = []
    for provision_id, spec in (raw.items() if isinstance(raw, dict) else []):
        if isinstance(spec, dict):
            specs.append(provision_spec(provision_id, spec))
    title = data.get("title")
    return Manifest(policy=str(data.get("policy", path.parent.name)),
                    title=title if isinstance(title, str) else None, provisions=tuple(specs))


def provision_spec(provision_id: str, spec: dict[str, Any]) -> ProvisionSpec:
    def text(key: str, default: str | None) -> str | None:
        value = spec.get(key)
        return value if isinstance(value, str) else default

    scale = spec.get("scale")
    return ProvisionSpec(
        id=provision_id, label=text("label", None) or label_from_id(provision_id),
        kind=text("kind", "text") or "text", section=text("section", None), all=text("all", None),
        scale=tuple(str(s) for s in scale) if isinstance(scale, list) else (),
        toward_start=text("toward_start", "up") or "up",
        toward_end=text("toward_end", "down") or "down")


def label_from_id(provision_id: str) -> str:
    """`approval_authority` -> `Approval authority`."""
    words = provision_id.replace("_", " ").replace("-", " ").strip()
    return words[:1].upper() + words[1:]


def nearest(word: str, candidates: list[str], count: int = 3) -> list[str]:
    """The candidates most like `word`: dates by their distance from a date (`2099-01-01`
    offers the latest first), else the longest shared prefix, then overall likeness."""
    day = _day(word)
    dated = [(c, _day(c)) for c in candidates]
    if day is not None and all(d is not None for _, d in dated):
        return [c for c, d in sorted(dated, key=lambda cd: (abs(cd[1] - day), cd[0]))][:count]

    def score(candidate: str) -> tuple[int, float]:
        prefix = len(os.path.commonprefix([word.casefold(), candidate.casefold()]))
        return prefix, difflib.SequenceMatcher(None, word, candidate).ratio()

    return sorted(candidates, key=score, reverse=True)[:count]


def _day(text: str) -> int | None:
    """A version named by a date (`2014-09-23`, `2014-09-23-draft`) as a day number; a year
    or a month asked for (`1999`, `2014-07`) as its middle."""
    import datetime

    match = re.match(r"(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?(?!\d)", text)
    if match is None:
        return None
    year, month, day = match.groups()
    try:
        return datetime.date(int(year), int(month or 7), int(day or (15 if month else 1))) \
            .toordinal()
    except ValueError:
        return None


def resolve(ref: str, store_root: Path | None) -> Source:
    """Turn a ref into its text and identity; an existing file always wins."""
    if ref == "-":
        return Source(ref="-", path="-", text=decode(read_limited(sys.stdin.buffer), "<stdin>"))
    path = Path(ref)
    if path.is_file() and document_kind(ref):
        return _document_source(ref, None, path)
    if path.is_file() or (path.exists() and not path.is_dir()):  # a FIFO: read_text refuses it
        return Source(ref=ref, path=display_path(path), text=read_text(path, ref),
                      home=str(path.parent))
    if path.is_dir():
        raise RefError(f"{ref!r} is a folder; name a record file or POLICY@VERSION")
    if ":" in ref:
        return _revision_source(ref)
    policy, _, wanted = ref.partition("@")
    if store_root is None:
        raise RefError(f"unknown ref {ref!r}: no such file, and no policies/ store was found "
                       f"here or at the git top level (use --store or ${STORE_ENV})")
    store = Store(store_root)
    if policy not in store.policies:
        near = nearest(policy, store.policies)
        hint = f"; nearest policies: {', '.join(near)}" if near else ""
        raise RefError(f"unknown ref {ref!r}: no such file, and no policy {policy!r} "
                       f"in {display_path(store_root)}{hint}")
    entry = store.find_version(policy, wanted or "latest", ref)
    return store.source(policy, entry, ref)


def _revision_source(ref: str) -> Source:
    """`REV:PATH` (or `:PATH` for the index), read from git."""
    from .git import read_at, repo_path, top_level

    rev, _, inside = ref.partition(":")
    top = top_level()
    home = top / repo_path(inside, top)
    if document_kind(inside):
        return _document_source(ref, read_at(rev, inside), home)
    text = decode(read_at(rev, inside), ref)
    return Source(ref=ref, path=ref, text=text, home=str(home.parent))


def _document_source(ref: str, data: bytes | None, path: Path) -> Source:
    """A Word, PDF or web-page document, converted in memory into a record: the file at PATH,
    or DATA read from git for `REV:PATH` (PATH then places it in the work tree)."""
    from ..convert.converted import ReadOptions
    from .documents import converted_text, page_selection, read_document

    keep, remove = page_selection(path.parent if path.parent.is_dir() else None)
    shown = ref if data is not None else display_path(path)
    if data is None:
        data = read_document(path, ref)
    check_limit(MAX_BYTES, len(data), "bytes", ref, exact=False)
    text, converter = converted_text(data, ref, ReadOptions("accept", keep, remove))
    return Source(ref=ref, path=shown, text=text, home=str(path.parent), converter=converter)


def load_pair(old: str, new: str, store_root: Path | None) -> tuple[Side, Side]:
    """Both sides of a comparison.  When one side's front matter could only be read as text
    (record-format §6), the other's is compared as text too, not key by key with nothing."""
    from ..parse.document import front_matter_as_text, is_text_front_matter

    sources = resolve(old, store_root), resolve(new, store_root)
    documents = [_parse_source(source) for source in sources]
    if any(is_text_front_matter(d.front) for d in documents):
        documents = [front_matter_as_text(d, s.text) for d, s in zip(documents, sources)]
    old_side, new_side = (_side(ref, s, d) for ref, s, d in zip((old, new), sources, documents))
    return old_side, new_side


def load_side(ref: str, store_root: Path | None) -> Side:
    """Resolve and parse one side of a comparison."""
    source = resolve(ref, store_root)
    return _side(ref, source, _parse_source(source))


def _parse_source(source: Source) -> Document:
    """A store's version is a record and must read as one (record-format §4); a file named by
    path or REV:PATH may be any document (§6)."""
    from ..parse.document import parse

    return parse(source.text, source.path, lenient=source.version is None)


def _side(ref: str, source: Source, document: Document) -> Side:
    return side_of(document, ref, source.path, source.policy, source.version, source.home,
                   source.converter)


def _string(value: Any) -> str | None:
    return value if isinstance(value, str) else None


def manifest_for(*sides: Side) -> Manifest | None:
    """The manifest beside the newer record, else beside the older one."""
    for side in reversed(sides):
        if side.home is not None and (Path(side.home) / MANIFEST).is_file():
            return manifest_beside(Path(side.home))
    return None


def manifest_beside(folder: Path) -> Manifest | None:
    """FOLDER's policy.yaml read as the store reads it: a link out of the folder's store (the
    folder's parent) is refused, and a FIFO is never opened."""
    path = folder / MANIFEST
    if not path.is_file():  # absent, or a FIFO: none, as Store.manifest has it
        return None
    check_inside(path, folder.parent)
    return load_manifest(path)


def default_pair(ref: str, staged: bool, store_root: Path | None) -> tuple[str, str]:
    """The two refs `diff REF` means: HEAD and the file (or the index), or a version and its predecessor."""
    if staged or Path(ref).is_file():
        inside = ref if Path(ref).is_absolute() else f"./{ref}"
        return f"HEAD:{inside}", (f":{inside}" if staged else ref)
    return previous_ref(ref, store_root), ref


def previous_ref(ref: str, store_root: Path | None) -> str:
    """For `diff POLICY@VERSION`: the version it supersedes, else the one before it."""
    source = resolve(ref, store_root)
    if source.policy is None or store_root is None:
        raise UsageError(f"diff with one ref needs POLICY@VERSION, not {ref!r}; "
                         f"give two refs to compare")
    store = Store(store_root)
    entries = store.versions(source.policy)
    current = next(e for e in entries if e.version == source.version)
    index = entries.index(current)
    earlier = {e.version for e in entries[:index]}
    if current.supersedes and current.supersedes in earlier:
        return f"{source.policy}@{current.supersedes}"
    if current.supersedes and current.supersedes in {e.version for e in entries}:
        raise RecordError(f"supersedes {current.supersedes!r}, which is not an earlier version "
                          f"(run validate)", display_path(Path(current.path)))
    if index == 0:
        raise RefError(f"{ref!r} is the first version of {source.policy}; nothing to compare "
                       f"it with")
    return f"{source.policy}@{entries[index - 1].version}"
