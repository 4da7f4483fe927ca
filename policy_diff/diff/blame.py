"""Where each block's wording comes from: the version, or the git commit, it first appeared in.

A store version is walked back along its `supersedes` chain (else the version before it); a
file in git along its history, renames followed.  A block's origin is the oldest step back
where the identical text stands anywhere in the document, so moved text keeps its origin and
a sentence dropped and later restored is traced to where it was first written; `restored`
then names the step where its current, unbroken run begins.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from ..errors import UsageError
from ..frozen import frozen
from .matrix import VersionColumn, build_matrix
from ..model import Block, Document, ProvisionSpec, VersionEntry
from ..parse.document import parse
from ..source.store import Store, readable
from ..source.refs import resolve
from ..source.files import decode, display_path, read_text

NEEDS_HISTORY = "blame needs a version with a past: POLICY@VERSION, REV:PATH or a file in git"


@frozen
class Origin:
    """A version of the store, a commit, or uncommitted text, in which a wording stood."""

    kind: str  # version | commit | uncommitted
    id: str  # the version, the full commit id, or "" for uncommitted text
    date: str  # the effective date, or the commit's author date (YYYY-MM-DD)
    title: str | None  # the version's title, or the commit's subject
    author: str | None = None

    @property
    def label(self) -> str:
        return {"commit": self.id[:8], "uncommitted": "uncommitted"}.get(self.kind, self.id)


UNCOMMITTED = Origin("uncommitted", "", "", "not committed yet")


@frozen
class BlockOrigin:
    """A block of the blamed version and where its wording comes from."""

    section: str
    block: Block
    origin: Origin
    restored: Origin | None = None  # set when the wording was dropped on the way and came back


Step = tuple[Origin, frozenset[str]]  # a version or commit, and the block texts it holds


def blame(ref: str, store_root: Path | None) -> list[BlockOrigin]:
    """Each block of REF with the version or commit its current wording first appeared in."""
    # source.git (subprocess, 10 ms): blame needs it, a provision's history does not
    from ..source.git import is_revision_ref

    if ref == "-":
        raise UsageError(NEEDS_HISTORY)
    if is_revision_ref(ref):
        rev, _, path = ref.partition(":")
        return git_blame(path, rev)
    if Path(ref).is_file():
        return git_blame(ref if Path(ref).is_absolute() else f"./{ref}", None)
    return store_blame(ref, store_root)


def attribute(document: Document, steps: list[Step]) -> list[BlockOrigin]:
    """Walk each block back through the steps (newest first; the first holds the document)."""
    origins = []
    for section in document.sections:
        for block in section.blocks:
            present = [i for i, (_, texts) in enumerate(steps) if block.text in texts]
            run = 0
            while run + 1 < len(steps) and block.text in steps[run + 1][1]:
                run += 1
            oldest = present[-1]
            restored = steps[run][0] if run != oldest else None
            origins.append(BlockOrigin(section.heading, block, steps[oldest][0], restored))
    return origins


def _texts(document: Document) -> frozenset[str]:
    return frozenset(block.text for block in document.blocks)


# The store -----------------------------------------------------------------------------------

def store_blame(ref: str, store_root: Path | None) -> list[BlockOrigin]:
    """Blame POLICY@VERSION through the versions it supersedes."""
    source = resolve(ref, store_root)
    if source.policy is None or store_root is None:
        raise UsageError(NEEDS_HISTORY)
    chain = version_chain(Store(store_root).versions(source.policy), source.version or "")
    documents = [_read(entry) for entry in chain]
    steps = [(_version_origin(entry, doc), _texts(doc)) for entry, doc in zip(chain, documents)]
    return attribute(documents[0], steps)


def version_chain(entries: list[VersionEntry], version: str) -> list[VersionEntry]:
    """The version, then the one it supersedes (else the one before it), and so on back."""
    by_name = {entry.version: entry for entry in entries}
    chain: list[VersionEntry] = []
    current = by_name.get(version)
    while current is not None and current not in chain:  # a supersedes cycle ends the walk
        chain.append(current)
        index = entries.index(current)
        before = entries[index - 1] if index else None
        current = by_name.get(current.supersedes or "", before)
    return chain


def _read(entry: VersionEntry) -> Document:
    label = display_path(Path(readable(entry).path))  # a store's record, never a plain document
    return parse(read_text(Path(entry.path), label), label)


def _version_origin(entry: VersionEntry, document: Document) -> Origin:
    """A version named by its own title (one source's headline is not the version's name)."""
    title = document.front.get("title") or document.title
    return Origin("version", entry.version, entry.effective,
                  str(title) if isinstance(title, str) else None)


# Git -----------------------------------------------------------------------------------------

def git_blame(path: str, rev: str | None) -> list[BlockOrigin]:
    """Blame PATH in the work tree (rev None), the index (rev "") or at REV, through git."""
    # source.git (subprocess, 10 ms): blame needs it, a provision's history does not
    from ..source.git import GitError, blob_reader, file_history, read_at

    label = path if rev is None else f"{rev}:{path}"
    text = read_text(Path(path), path) if rev is None else decode(read_at(rev, path), label)
    document = parse(text, label, lenient=True)
    try:
        commits = file_history(path, follow=True, rev=rev or "HEAD")
    except GitError as exc:
        raise GitError(f"{exc}; to blame a version of the store, name it POLICY@VERSION") \
            from None
    parsed: dict[str, frozenset[str]] = {}
    with blob_reader() as reader:
        steps = [] if rev else [(UNCOMMITTED, _texts(document))]
        steps += [(_commit_origin(c), _blob_texts(reader, c.sha, c.path, parsed)) for c in commits]
    if not steps or not _texts(document) <= steps[0][1]:
        raise GitError(f"cannot follow the history of {label!r} back from {rev!r}")
    return attribute(document, steps)


def _blob_texts(reader: Any, sha: str, path: str,
                parsed: dict[str, frozenset[str]]) -> frozenset[str]:
    """The block texts of PATH at a commit, parsed once per blob (nothing where it is gone)."""
    found = reader.read(sha, path)
    if found is None:
        return frozenset()
    blob_id, data = found
    if blob_id not in parsed:
        label = f"{sha[:12]}:{path}"
        parsed[blob_id] = _texts(parse(decode(data, label), label, lenient=True))
    return parsed[blob_id]


def _commit_origin(commit: Any) -> Origin:
    return Origin("commit", commit.sha, commit.date[:10], commit.subject, commit.author)


# One provision -------------------------------------------------------------------------------

@frozen
class Wording:
    """One value a provision has had, and the versions that carried it, oldest first."""

    value: Any  # a string, a list of strings, or None where the versions do not state it
    versions: tuple[VersionColumn, ...]


@frozen
class ProvisionHistory:
    """A provision's distinct wordings across a policy's versions, in order of first use."""

    policy: str
    spec: ProvisionSpec
    wordings: tuple[Wording, ...]


def blame_provision(store_root: Path | None, policy: str, provision_id: str) -> ProvisionHistory:
    """Each distinct value of one provision with the versions that carried it."""
    matrix = build_matrix(store_root, policy, [provision_id])
    row = matrix.rows[0]
    groups: dict[str, list[VersionColumn]] = {}
    values: dict[str, Any] = {}
    for column, cell in zip(matrix.versions, row.cells):
        key = _key(row.spec, cell.value)
        groups.setdefault(key, []).append(column)
        values.setdefault(key, cell.value)
    wordings = tuple(Wording(values[key], tuple(columns)) for key, columns in groups.items())
    return ProvisionHistory(policy, row.spec, wordings)


def _key(spec: ProvisionSpec, value: Any) -> str:
    """Equal wordings, equal keys: a set's members in any order are the same set."""
    if spec.kind == "set" and isinstance(value, list):
        value = sorted(set(value))
    return json.dumps(value)
