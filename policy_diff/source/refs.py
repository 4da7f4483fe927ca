"""Refs: what the user types to name a version, resolved to its text and read as a Side.

A ref (record-format §5) is a file path, `-` for standard input, `REV:PATH` (`:PATH` for
the index), `POLICY@VERSION` (unique prefix, `latest`, `first`), or `POLICY` alone for its
latest version.
"""

from __future__ import annotations

import sys
from pathlib import Path

from ..convert import document_kind
from ..errors import RecordError, RefError, UsageError
from ..limits import MAX_BYTES, check_limit
from ..model import Document, Side, Source, side_of
from ..parse.document import front_matter_as_text, is_text_front_matter, parse
from .files import decode, display_path, read_limited, read_text
from .store import STORE_ENV, Store, nearest


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
    from .git import read_at, repo_path, top_level  # subprocess, 10 ms: only for REV:PATH

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
    # the readers' front (12 ms): only for a Word, PDF or web-page document
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
    sources = resolve(old, store_root), resolve(new, store_root)
    documents = [_parse_source(s) for s in sources]
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
    return parse(source.text, source.path, lenient=source.version is None)


def _side(ref: str, source: Source, document: Document) -> Side:
    return side_of(document, ref, source.path, source.policy, source.version, source.home,
                   source.converter)


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
