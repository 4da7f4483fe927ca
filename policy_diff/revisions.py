"""A record's versions through git: each commit's change, summarised with the policy diff.

`history` walks the commits that touched a record (following renames) or a
policy folder; `changes` lists the records that differ between two revisions.
Blobs are streamed through one `git cat-file --batch` and parsed once per blob id.
"""

from __future__ import annotations

from contextlib import closing
from pathlib import Path
from .compare import compare, compare_outline
from .errors import PolicyDiffError
from .history import (BlobReader, BlobStream, Commit, blob_reader, blob_stream, changed_files,
                      log_commits, read_ahead, read_at, top_level)
from .model import Document, Manifest, PolicyDiff, Side
from .parse import parse
from .render.stats import one_line_summary
from .store import decode

EMPTY = parse("", "/dev/null")


class Change:
    """One record's change in one commit (or between two revisions).

    Its policy diff is worked out when first read: the summary needs only an outline
    (compare_outline), and a history without --patch never reads the diff.
    """

    __slots__ = ("status", "old_path", "new_path", "summary", "commit", "_sides", "_diff")

    def __init__(self, status: str, old_path: str | None, new_path: str | None, summary: str,
                 sides: tuple[Side, Side, Manifest | None], commit: Commit | None = None) -> None:
        self.status = status  # added | removed | renamed | modified
        self.old_path = old_path
        self.new_path = new_path
        self.summary = summary
        self.commit = commit
        self._sides = sides
        self._diff: PolicyDiff | None = None

    @property
    def diff(self) -> PolicyDiff:
        if self._diff is None:
            self._diff = compare(*self._sides)
        return self._diff


STATUS_WORDS = {"A": "added", "D": "removed", "R": "renamed", "C": "added", "M": "modified"}


def record_history(path: str, limit: int | None = None, since: str | None = None,
                   follow: bool = True) -> list[Change]:
    """Newest first: every commit that changed PATH (a record, or a folder of records)."""
    top = top_level()
    manifests: dict[str, Manifest | None] = {}
    parsed: dict[str, Document] = {}
    # git walks the history, and reads each commit's versions, while earlier ones are compared.
    with closing(log_commits(path, limit, since, follow, top=top)) as commits, \
            blob_reader(top=top) as reader, blob_stream(top) as stream:
        records = (commit for commit in commits if commit.path.endswith(".md"))
        return [_commit_change(reader, stream, commit, parsed, manifests, top)
                for commit in read_ahead(records, stream)]


def _commit_change(reader: BlobReader, stream: BlobStream, commit: Commit,
                   parsed: dict[str, Document], manifests: dict[str, Manifest | None],
                   top: Path) -> Change:
    old = _blob_document(stream, commit.old_blob, f"{commit.sha[:12]}^:{commit.old_path}", parsed)
    new = _blob_document(stream, commit.new_blob, f"{commit.sha[:12]}:{commit.path}", parsed)
    old_ref = f"{commit.sha[:12]}^:{commit.old_path}" if old is not None else "/dev/null"
    base = _predecessor_path(commit.path, new) if old is None else None
    if base is not None:
        old = _document(reader, commit.sha, base, parsed)
        old_ref = f"{commit.sha[:12]}:{base}" if old is not None else old_ref
    return _change(STATUS_WORDS.get(commit.status, "modified"), commit.old_path,
                   None if commit.status == "D" else commit.path, old, new,
                   _manifest(commit.path, manifests, top), commit, old_ref,
                   f"{commit.sha[:12]}:{commit.path}", base if old is not None else None)


def _blob_document(stream: BlobStream, blob_id: str | None, label: str,
                   parsed: dict[str, Document]) -> Document | None:
    """A version read by its blob id: each distinct blob is read and parsed once."""
    if blob_id is None:
        return None
    if blob_id not in parsed:
        data = stream.blob(blob_id)
        if data is None:
            return None
        parsed[blob_id] = parse(decode(data, label), label)
    return parsed[blob_id]


def _predecessor_path(path: str, new: Document | None) -> str | None:
    """For a new version: the sibling record it supersedes, the natural thing to compare with."""
    target = new.front.get("supersedes") if new is not None else None
    if not isinstance(target, str) or not target or "/" in target or target.startswith("."):
        return None
    return str(Path(path).parent / f"{target}.md")


def _document(reader: BlobReader, rev: str, path: str, parsed: dict[str, Document]) -> Document | None:
    found = reader.read(rev, path)
    if found is None:
        return None
    blob_id, data = found
    if blob_id not in parsed:
        label = f"{rev[:12]}:{path}"
        parsed[blob_id] = parse(decode(data, label), label)
    return parsed[blob_id]


def _manifest(path: str, cache: dict[str, Manifest | None], top: Path) -> Manifest | None:
    """The working tree's manifest beside the record: kinds are the policy's, not a commit's."""
    folder = str(Path(path).parent)
    if folder not in cache:
        from .store import manifest_beside

        cache[folder] = manifest_beside(top / folder)  # a link out of the store: refused
    return cache[folder]


def _change(status: str, old_path: str | None, new_path: str | None, old: Document | None,
            new: Document | None, manifest: Manifest | None, commit: Commit | None,
            old_ref: str, new_ref: str, base: str | None = None) -> Change:
    sides = (_side(old_ref, old), _side(new_ref, new), manifest)
    summary = one_line_summary(compare_outline(*sides))
    if status == "added" and base is not None:
        summary = f"new version, against {Path(base).stem}: {summary}"
    elif status in ("added", "removed"):
        summary = "record removed" if status == "removed" else "new record"
    elif status == "renamed":
        summary = f"renamed from {old_path}; {summary}"
    return Change(status, old_path, new_path, summary, sides, commit)


def _side(ref: str, document: Document | None) -> Side:
    document = document or EMPTY
    front = document.front
    policy, version = front.get("policy"), front.get("version")
    return Side(ref=ref, path=ref, policy=policy if isinstance(policy, str) else None,
                version=version if isinstance(version, str) else None, document=document)


def revision_changes(rev1: str, rev2: str | None, under: str) -> list[Change]:
    """Records added, removed, renamed or modified between REV1 and REV2 (None: work tree)."""
    top = top_level()
    manifests: dict[str, Manifest | None] = {}
    changes = []
    for status, old_path, new_path in changed_files(rev1, rev2, under):
        if not (old_path or new_path or "").endswith(".md"):
            continue
        old = _read(rev1, old_path) if old_path else None
        new = _at(rev2, top, new_path, under) if new_path else None
        old_ref = f"{rev1}:{old_path}" if old_path else "/dev/null"
        base = _predecessor_path(new_path, new) if new_path and old is None else None
        if base is not None:
            try:
                old, old_ref = _at(rev2, top, base, under), (f"{rev2}:{base}" if rev2 else base)
            except PolicyDiffError:
                base = None
        changes.append(_change(STATUS_WORDS.get(status, "modified"), old_path, new_path, old, new,
                               _manifest(new_path or old_path or "", manifests, top), None, old_ref,
                               (f"{rev2}:{new_path}" if rev2 else new_path) if new_path else "/dev/null",
                               base))
    return changes


def _at(rev: str | None, top: Path, path: str, store: str) -> Document:
    """PATH at REV, or in the working tree when REV is None (read as the store reads it)."""
    return _read(rev, path) if rev else _read_file(top, path, store)


def _read(rev: str, path: str) -> Document:
    label = f"{rev}:{path}"
    return parse(decode(read_at(rev, path), label), label)


def _read_file(top: Path, path: str, store: str) -> Document:
    from .errors import RecordError
    from .store import check_inside, read_text

    try:  # a committed link to outside the store is refused, as the store commands refuse it
        check_inside(top / path, Path(store))
    except RecordError as exc:
        raise RecordError(exc.message, path) from None
    return parse(read_text(top / path, path), path)  # and a FIFO or device too

