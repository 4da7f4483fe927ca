"""A record's versions through git: each commit's change, summarised with the policy diff.

`history` walks the commits that touched a record (following renames) or a policy
folder; `changes` lists the records that differ between two revisions.  The main
process asks git (one `git log` or `git diff --raw`, one `git cat-file --batch`) and
hands each commit's or record's blobs, as `Pending` changes, to the command's workers:
in this process, or in a pool's processes (commands/stream.py).  `compare_groups` parses
and compares there, the command renders; its text is printed in git's order as soon as
it and everything before it is ready.
"""

from __future__ import annotations

import os
from contextlib import closing
from pathlib import Path
from typing import Iterable, Iterator

from .compare import compare, compare_outline
from ..errors import PolicyDiffError, RecordError, UsageError
from ..frozen import frozen, replace
from ..source.git import (BlobReader, BlobStream, Commit, RawEntry, blob_stream, changed_files,
                      check_revision, log_commits, read_ahead, top_level)
from ..model import Document, Manifest, PolicyDiff, Side, side_of
from ..parse.document import clear_caches, parse
from .summary import one_line_summary
from ..source.files import check_inside, decode, open_regular, read_limited
from ..source.manifests import manifest_beside
from ..source.refs import resolve
from ..source.store import find_store

EMPTY = parse("", "/dev/null")
NULL = "/dev/null"


@frozen
class Version:
    """One side of a change as `work` receives it."""

    ref: str             # how summaries and errors name it: `abc123^:path`, `rev:path`, a path
    blob: str | None     # git's object id: each distinct blob is parsed once per task
    data: bytes | None   # None: the record does not exist on this side
    error: str | None = None  # why it exists but could not be read


ABSENT = Version(NULL, None, None)


@frozen
class Pending:
    """A record's change before it is compared: its paths, its two versions' bytes."""

    status: str                 # added | removed | renamed | modified
    old_path: str | None
    new_path: str | None
    old: Version
    new: Version
    base_rev: str | None        # where a new version's predecessor is read: a commit, "" for
    commit: Commit | None = None  # the work tree, None for nowhere
    store: str | None = None    # the store the work tree's files are read within


@frozen
class View:
    """What `work` renders, the same in every process."""

    command: str        # history | changes
    output_format: str  # term | json | jsonl | markdown
    patch: bool = False
    plain: bool = True
    width: int = 80


@frozen
class Piece:
    """The rendered text of one commit (history) or one record (changes)."""

    text: str
    unreadable: int  # how many of its versions could not be read


class Change:
    """One record's change in one commit (or between two revisions).

    The summary needs only an outline (compare_outline); the full diff is worked out
    when first read (`--patch`), never for a history without it.
    """

    __slots__ = ("status", "old_path", "new_path", "summary", "commit", "outline", "unreadable",
                 "_sides", "_diff")

    def __init__(self, status: str, old_path: str | None, new_path: str | None, summary: str,
                 sides: tuple[Side, Side, Manifest | None] | None, commit: Commit | None = None,
                 outline: PolicyDiff | None = None, unreadable: str | None = None,
                 diff: PolicyDiff | None = None) -> None:
        self.status = status  # added | removed | renamed | modified
        self.old_path = old_path
        self.new_path = new_path
        self.summary = summary
        self.commit = commit
        self.outline = outline
        self.unreadable = unreadable  # why a version could not be read; None when both could
        self._sides = sides
        self._diff = diff

    @property
    def diff(self) -> PolicyDiff | None:
        """The whole policy diff; None when a version could not be read."""
        if self._diff is None and self._sides is not None:
            self._diff = compare(*self._sides)
        return self._diff


STATUS_WORDS = {"A": "added", "D": "removed", "R": "renamed", "C": "added", "M": "modified"}


# ------------------------------------------------------------------ history (main process)

def history_target(target: str, store: str | None) -> tuple[str, str, bool]:
    """(path, revision, follow) of what `history TARGET` names.

    A file or folder of the work tree; `REV:PATH`, the history of PATH as of REV; a
    POLICY of the store (its folder); else a path git's history knows (a deleted record).
    """
    rev, sep, inside = target.partition(":")
    if sep and inside and not Path(target).exists():
        if not rev:
            raise UsageError(f"{target!r} names the index; history takes REV:PATH, such as "
                             f"HEAD:{inside}")
        return inside, check_revision(rev), True
    path = Path(target)
    if path.exists():
        return target, "HEAD", not path.is_dir()
    if "/" not in target and not target.endswith(".md"):
        root = find_store(store)
        source = resolve(target, root)  # a POLICY: its whole folder (or a clear error)
        if root is None or source.policy is None:
            raise UsageError(f"{target!r} is neither a record path nor a policy of the store")
        return str(root / source.policy), "HEAD", False
    return target, "HEAD", True  # not in the work tree: git's history may still know it


def history_tasks(path: str, rev: str, follow: bool, limit: int | None, since: str | None,
                  top: Path, stream: BlobStream, batch: int = 4) -> Iterator[list[list[Pending]]]:
    """Each commit that changed PATH as a group of Pending changes, newest first, in tasks of
    up to BATCH consecutive commits (a version is both the new side of one commit and the
    old side of the next: one task parses it once)."""
    with closing(log_commits(path, limit, since, follow, rev, top)) as commits:
        records = (commit for commit in commits if commit.path.endswith(".md"))
        task: list[list[Pending]] = []
        group: list[Pending] = []
        for commit in read_ahead(records, stream):
            if group and group[0].commit is not None and group[0].commit.sha != commit.sha:
                task.append(group)
                group = []
                if len(task) == batch:
                    yield task
                    task = []
            group.append(_commit_pending(commit, stream))
        if group:
            task.append(group)
        if task:
            yield task


def _commit_pending(commit: Commit, stream: BlobStream) -> Pending:
    short = commit.sha[:12]
    old_data, new_data = _blobs(stream, commit.old_blob, commit.new_blob)
    old = Version(f"{short}^:{commit.old_path}", commit.old_blob, old_data) \
        if commit.old_blob else ABSENT
    new = Version(f"{short}:{commit.path}", commit.new_blob, new_data) \
        if commit.new_blob else ABSENT
    return Pending(STATUS_WORDS.get(commit.status, "modified"), commit.old_path,
                   None if commit.status == "D" else commit.path, old, new, commit.sha, commit)


def _blobs(stream: BlobStream, old: str | None, new: str | None) -> tuple[bytes | None, bytes | None]:
    """The two blobs of a change as read_ahead asked for them (one read when they are one)."""
    old_data = stream.blob(old) if old else None
    return old_data, (old_data if new == old else stream.blob(new) if new else None)


# ------------------------------------------------------------------ changes (main process)

def changes_tasks(rev1: str, rev2: str | None, under: str, top: Path,
                  stream: BlobStream, entries: list[RawEntry] | None = None) -> Iterator[list[list[Pending]]]:
    """Each record added, removed, renamed or modified between REV1 and REV2 (None: the work
    tree), one task each, in git's order."""
    if entries is None:
        entries = record_entries(rev1, rev2, under)
    if rev2 is None:  # the new side is read from the work tree, not from git
        entries = [replace(entry, new_blob=None) for entry in entries]
        _check_work_tree(top, entries, under)
    for entry in read_ahead(entries, stream):
        old_data, new_data = _blobs(stream, entry.old_blob, entry.new_blob)
        old = Version(f"{rev1}:{entry.old_path}", entry.old_blob, old_data) \
            if entry.old_path and entry.old_blob else ABSENT
        if entry.status == "D":
            new = ABSENT
        elif rev2 is not None:
            new = Version(f"{rev2}:{entry.path}", entry.new_blob, new_data)
        else:
            new = _work_tree_version(top, entry.path, under)
        yield [[Pending(STATUS_WORDS.get(entry.status, "modified"), entry.old_path,
                        None if entry.status == "D" else entry.path, old, new,
                        rev2 if rev2 is not None else "", store=under)]]


def record_entries(rev1: str, rev2: str | None, under: str) -> list[RawEntry]:
    """The records (`*.md`) that differ between REV1 and REV2, as git lists them."""
    return [entry for entry in changed_files(rev1, rev2, under)
            if (entry.path or entry.old_path or "").endswith(".md")]


def _check_work_tree(top: Path, entries: list[RawEntry], store: str) -> None:
    """Before anything is printed: a record of the work tree that links out of the STORE, or
    is a FIFO or a device, stops `changes` with its located error (nothing is read from it)."""
    for entry in entries:
        file = top / entry.path
        if entry.status != "D" and os.path.lexists(file):
            check_inside(file, Path(store))
            open_regular(file, entry.path).close()


def _work_tree_version(top: Path, path: str, store: str | None) -> Version:
    """PATH as the work tree has it, read as the store reads files: absent; or unreadable,
    with the reason (a link out of the STORE, a FIFO or device, no permission)."""
    file = top / path
    if not os.path.lexists(file):
        return Version(path, None, None)
    try:
        if store is not None:
            check_inside(file, Path(store))
        with open_regular(file, path) as handle:
            return Version(path, None, read_limited(handle))
    except RecordError as exc:
        return Version(path, None, None, exc.message)
    except OSError as exc:  # an I/O error while reading
        return Version(path, None, None, f"cannot read: {exc.strerror or exc}")


# ------------------------------------------------------------------ work (any process)

def compare_groups(task: list[list[Pending]], top: str, patch: bool) -> list[list[Change]]:
    """Compare every group of TASK; each distinct blob is parsed once."""
    parsed: dict[str, Document | PolicyDiffError] = {}
    groups = [[_change(pending, parsed, Path(top), patch) for pending in group] for group in task]
    _bound_parse_caches(task_bytes(task))
    return groups


def task_bytes(task: list[list[Pending]]) -> int:
    """The bytes of input a task parses (its versions' blobs)."""
    return sum(len(v.data or b"") for group in task for p in group for v in (p.old, p.new))


PARSED_BYTES = 8_000_000  # of input between two clearings of the parser's caches
_parsed_since_clear = 0


def _bound_parse_caches(size: int) -> None:
    """The parser keeps pieces it has seen (versions of a record share most of theirs); after
    PARSED_BYTES of input they are forgotten, so a long job's memory stays bounded."""
    global _parsed_since_clear
    _parsed_since_clear += size
    if _parsed_since_clear > PARSED_BYTES:
        clear_caches()
        _parsed_since_clear = 0


def _change(pending: Pending, parsed: dict[str, Document | PolicyDiffError], top: Path,
            full: bool = False) -> Change:
    """The change, summarised from an outline; with FULL, from the whole diff, worked out once
    (both give the same summary: tests/diff/test_history_outline.py)."""
    status, old_path, new_path = pending.status, pending.old_path, pending.new_path
    try:
        old, new = _load(pending.old, parsed), _load(pending.new, parsed)
    except PolicyDiffError as exc:  # one unreadable version: listed and marked, never fatal
        return Change(status, old_path, new_path, f"cannot read {exc}", None, pending.commit,
                      unreadable=str(exc))
    old_ref = pending.old.ref if old is not None else NULL
    base = None
    if old is None and pending.base_rev is not None and new_path is not None:
        base = _predecessor_path(new_path, new)
        found = _base(pending.base_rev, base, top, parsed, pending.store) \
            if base is not None else None
        if found is None:
            base = None
        else:
            old_ref, old = found
    manifest = _manifest(new_path or old_path or "", top)
    sides = (_side(old_ref, old), _side(pending.new.ref if new is not None else NULL, new),
             manifest)
    outline = compare(*sides) if full else compare_outline(*sides)
    summary = one_line_summary(outline)
    if status == "added" and base is not None:
        summary = f"new version, against {Path(base).stem}: {summary}"
    elif status in ("added", "removed"):
        summary = "record removed" if status == "removed" else "new record"
    elif status == "renamed":
        summary = f"renamed from {old_path}; {summary}"
    return Change(status, old_path, new_path, summary, sides, pending.commit, outline,
                  diff=outline if full else None)


def _load(version: Version, parsed: dict[str, Document | PolicyDiffError]) -> Document | None:
    if version.error is not None:
        raise RecordError(version.error, version.ref)
    if version.data is None:
        return None
    key = version.blob or version.ref
    if key not in parsed:
        try:
            parsed[key] = parse(decode(version.data, version.ref), version.ref, lenient=True)
        except PolicyDiffError as exc:
            parsed[key] = exc
    found = parsed[key]
    if isinstance(found, PolicyDiffError):  # named as this version, not as the first reader
        raise type(found)(found.message, version.ref if found.path else None, found.line)
    return found


def _predecessor_path(path: str, new: Document | None) -> str | None:
    """For a new version: the sibling record it supersedes, the natural thing to compare with."""
    target = new.front.get("supersedes") if new is not None else None
    if not isinstance(target, str) or not target or "/" in target or target.startswith("."):
        return None
    return str(Path(path).parent / f"{target}.md")


def _base(rev: str, path: str, top: Path, parsed: dict[str, Document | PolicyDiffError],
          store: str | None = None) -> tuple[str, Document] | None:
    """(ref, document) of the predecessor PATH at REV ("" : the work tree), or None when it is
    absent or cannot be read (the new version is then summarised as a new record)."""
    if rev:
        found = _reader(top).read(rev, path)
        version = Version(f"{rev[:12]}:{path}", found[0], found[1]) if found else None
    else:
        version = _work_tree_version(top, path, store)
    try:
        document = _load(version, parsed) if version is not None else None
    except PolicyDiffError:
        return None
    return (version.ref, document) if version is not None and document is not None else None


_READERS: dict[Path, BlobReader] = {}  # one `git cat-file --batch` per process, for predecessors
_MANIFESTS: dict[str, Manifest | None] = {}


def _reader(top: Path) -> BlobReader:
    if top not in _READERS:
        _READERS[top] = BlobReader(top)
    return _READERS[top]


def close_readers() -> None:
    while _READERS:
        _READERS.popitem()[1].close()


def forget_readers() -> None:
    """In a worker forked from a process that had readers: they are the parent's, not ours."""
    _READERS.clear()


def _manifest(path: str, top: Path) -> Manifest | None:
    """The working tree's manifest beside the record: kinds are the policy's, not a commit's."""
    folder = str(Path(path).parent)
    if folder not in _MANIFESTS:
        _MANIFESTS[folder] = manifest_beside(top / folder)  # a link out of the store: refused
    return _MANIFESTS[folder]


def _side(ref: str, document: Document | None) -> Side:
    return side_of(document or EMPTY, ref)


# ------------------------------------------------------------------ whole lists (library use)

def record_history(path: str, limit: int | None = None, since: str | None = None,
                   follow: bool = True, rev: str = "HEAD") -> list[Change]:
    """Newest first: every commit up to REV that changed PATH (a record, or a folder)."""
    top = top_level()
    with blob_stream(top) as stream:
        return _changes(history_tasks(path, rev, follow, limit, since, top, stream), top)


def revision_changes(rev1: str, rev2: str | None, under: str) -> list[Change]:
    """Records added, removed, renamed or modified between REV1 and REV2 (None: work tree)."""
    top = top_level()
    with blob_stream(top) as stream:
        return _changes(changes_tasks(rev1, rev2, under, top, stream), top)


def _changes(tasks: Iterable[list[list[Pending]]], top: Path) -> list[Change]:
    parsed: dict[str, Document | PolicyDiffError] = {}
    try:
        return [_change(pending, parsed, top) for task in tasks for group in task
                for pending in group]
    finally:
        close_readers()
