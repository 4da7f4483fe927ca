"""Everything that talks to git: revisions, blobs, the index, history, config.

This is the only module that runs git.  User input never
reaches git as an option: revisions are checked and come after
`--end-of-options`, paths after `--`; no shell is used; every Repo is closed.
"""

from __future__ import annotations

import re
import subprocess
import tempfile
from collections import deque
from contextlib import closing, contextmanager
from pathlib import Path, PurePosixPath
from typing import IO, Any, Generator, Iterable, Iterator

from ..errors import PolicyDiffError, RefError
from ..frozen import frozen


class GitError(PolicyDiffError):
    """git is missing, this is not a repository, or git refused a request."""


@frozen
class Commit:
    sha: str
    author: str
    email: str
    date: str     # ISO 8601, author date
    subject: str
    path: str     # the record's path at this commit (it may have been renamed since)
    old_path: str | None  # its path in the parent, None when the commit added it
    status: str   # A, M, R, D, C
    old_blob: str | None = None  # the file's blob before and after the commit (None: absent)
    new_blob: str | None = None


NO_GIT = "git is not installed (needed for revisions, history and hooks)"


def git(*args: str, cwd: Path | None = None, input: bytes | None = None,
        check: bool = True) -> bytes:
    """Run git with list arguments (never a shell) and return its standard output."""
    try:
        result = subprocess.run(["git", *args], cwd=cwd, input=input, capture_output=True,
                                check=False)
    except FileNotFoundError:
        raise GitError(NO_GIT) from None
    if check and result.returncode != 0:
        raise _failure(args[0], result.stderr)
    return result.stdout


def _failure(command: str, stderr: bytes) -> GitError:
    message = stderr.decode("utf-8", "replace").strip().splitlines()
    return GitError(f"git {command}: {message[-1] if message else 'failed'}")


def top_level(start: Path | None = None) -> Path:
    try:
        result = subprocess.run(["git", "rev-parse", "--show-toplevel"], cwd=start,
                                capture_output=True, check=False)
    except FileNotFoundError:
        raise GitError(NO_GIT) from None
    out = result.stdout.decode().strip()
    if not out:
        raise GitError(_no_work_tree(result.stderr.decode("utf-8", "replace"), start))
    return Path(out)


def _no_work_tree(stderr: str, start: Path | None) -> str:
    """Why git found no work tree, in its own words where they help (a bare repository,
    a repository another user owns: git's safe.directory hint)."""
    here = start or Path.cwd()
    if "dubious ownership" in stderr:
        hint = next((row.strip() for row in stderr.splitlines() if "safe.directory" in row), "")
        return (f"git refuses the repository at {here}: another user owns it (\"dubious "
                f"ownership\")" + (f"; hint: if you trust it, `{hint}`" if hint else ""))
    if "must be run in a work tree" in stderr:
        return (f"{here} is a bare repository (no work tree): this command needs a checkout; "
                f"`policy-diff check BASE..HEAD` runs in a bare repository")
    return f"not in a git repository: {here}"


def check_revision(rev: str) -> str:
    """Refuse revisions that git could read as options; return the commit id."""
    if not rev or rev.startswith("-"):
        raise RefError(f"revision {rev!r} looks like an option; refusing it")
    out = git("rev-parse", "--verify", "--quiet", "--end-of-options", f"{rev}^{{commit}}",
              check=False).decode().strip()
    if not out:
        raise RefError(f"unknown revision {rev!r}")
    return out


def repo_path(path: str, top: Path) -> str:
    """A path as git names it inside the repository (POSIX, relative to the top level)."""
    if path.startswith("./") or path.startswith("../"):
        absolute = (Path.cwd() / path).resolve()
    else:
        absolute = (top / path).resolve() if not Path(path).is_absolute() else Path(path)
    try:
        return PurePosixPath(absolute.relative_to(top.resolve())).as_posix()
    except ValueError:
        raise RefError(f"{path!r} is outside the repository at {top}") from None


def read_at(rev: str, path: str) -> bytes:
    """The bytes of PATH at REV; REV "" means the index (what `git commit` would record)."""
    top = top_level()
    inside = repo_path(path, top)
    if rev:
        commit = check_revision(rev)
        spec = f"{commit}:{inside}"
    else:
        spec = f":{inside}"
    result = subprocess.run(["git", "cat-file", "blob", spec], cwd=top, capture_output=True,
                            check=False)
    if result.returncode != 0:
        where = f"revision {rev}" if rev else "the index"
        raise RefError(f"{path!r} does not exist in {where}")
    return result.stdout


def is_revision_ref(ref: str) -> bool:
    """`REV:PATH` or `:PATH` (git's own syntax), as opposed to a file name or POLICY@VERSION."""
    rev, sep, path = ref.partition(":")
    return bool(sep and path) and "@" not in path and not Path(ref).exists()


def file_history(path: str, limit: int | None = None, since: str | None = None,
                 follow: bool = True, rev: str = "HEAD", top: Path | None = None) -> list[Commit]:
    """Commits up to REV that changed PATH (a file, or a folder without --follow), newest first."""
    with closing(log_commits(path, limit, since, follow, rev, top)) as commits:
        return list(commits)


def log_commits(path: str, limit: int | None = None, since: str | None = None, follow: bool = True,
                rev: str = "HEAD", top: Path | None = None) -> Generator[Commit, None, None]:
    """file_history's commits one at a time, as git finds them: the first can be worked
    on while git walks further back (close the iterator if you stop early)."""
    top = top or top_level()
    inside = repo_path(path, top)
    # Every field ends with NUL, a byte no name, subject or path can hold: an author
    # called "a\x1fb" or a file name with a newline cannot forge a field.
    args = ["log", "-M", f"--format=%x00{LOG_FIELDS}", "--raw", "--no-abbrev", "-z"]
    if follow:
        args.append("--follow")
    if limit is not None:
        args.append(f"--max-count={int(limit)}")
    if since:
        if since.startswith("-"):
            raise RefError(f"--since {since!r} looks like an option; refusing it")
        args.append(f"--since={since}")
    start = "HEAD" if rev == "HEAD" else check_revision(rev)
    with tempfile.TemporaryFile() as errors:  # a file, not a pipe: it can never fill and block git
        try:
            process = subprocess.Popen(["git", *args, "--end-of-options", start, "--", inside],
                                       cwd=top, stdout=subprocess.PIPE, stderr=errors)
        except FileNotFoundError:
            raise GitError(NO_GIT) from None
        if process.stdout is None:
            raise GitError("git log: no output stream")
        try:
            for header, entry in raw_entries(_fields(process.stdout), header_size=5):
                sha, author, email, date, subject = header
                yield Commit(sha, author, email, date, subject, entry.path, entry.old_path,
                             entry.status, entry.old_blob, entry.new_blob)
        finally:
            process.stdout.close()
            process.wait()
        if process.returncode not in (0, -13):  # -13: SIGPIPE after we stopped reading early
            errors.seek(0)
            raise _failure("log", errors.read())


LOG_FIELDS = "%H%x00%an%x00%ae%x00%aI%x00%s%x00"  # commit, author, email, date, subject


def _fields(out: IO[bytes]) -> Iterator[str]:
    """The NUL-separated fields of a stream as it comes; a NUL never splits a character."""
    rest = b""
    # Popen's pipe is a BufferedReader (typed IO[bytes]): read1 returns what has come, at once.
    for data in iter(lambda: out.read1(65536), b""):  # type: ignore[attr-defined]
        *done, rest = (rest + data).split(b"\x00")
        for field in done:
            yield field.decode("utf-8", "surrogateescape")
    yield rest.decode("utf-8", "surrogateescape")


@frozen
class RawEntry:
    """One file of git's `--raw` output: how it changed and its blobs on either side."""

    status: str           # A, M, D, R, C, T
    old_path: str | None  # None when added
    path: str             # the new path (a removed file's own path)
    old_blob: str | None  # None: absent on that side (or, for the work tree, not in git)
    new_blob: str | None


def raw_output(out: bytes, header_size: int = 0) -> Iterator[tuple[tuple[str, ...], RawEntry]]:
    """The entries of a whole `--raw -z` output, read by `raw_entries`."""
    return raw_entries(iter(out.decode("utf-8", "surrogateescape").split("\x00")), header_size)


def raw_entries(fields: Iterator[str], header_size: int = 0) -> Iterator[tuple[tuple[str, ...], RawEntry]]:
    """The one reader of git's `--raw -z` output (of `git log` and of `git diff`).

    Every field ends with NUL.  An entry is `:MODE MODE OLD NEW STATUS`, then its path
    (two for a rename or copy); with HEADER_SIZE, each commit's entries follow a header
    of that many fields, the first its id.  Paths and header fields are read by position,
    so no content of theirs can pass for a field of another kind.
    """
    header: tuple[str, ...] = ()
    for field in fields:
        if not field.strip("\n"):
            continue  # the empty field between a header and its entries, or the stream's end
        if field.lstrip("\n").startswith(":"):
            yield header, _entry(field, fields)
        elif header_size and _OBJECT_ID.fullmatch(field.lstrip("\n")):
            header = (field.lstrip("\n"), *(_next(fields) for _ in range(header_size - 1)))
        else:
            raise GitError(f"git: unexpected output {field[:40]!r}")


_OBJECT_ID = re.compile(r"[0-9a-f]{40}(?:[0-9a-f]{24})?")


def _entry(field: str, fields: Iterator[str]) -> RawEntry:
    parts = field.lstrip("\n").split()
    if len(parts) != 5:
        raise GitError(f"git: unexpected raw entry {field[:80]!r}")
    old_blob, new_blob, status = parts[2], parts[3], parts[4][:1]
    old_path: str | None
    if status in ("R", "C"):
        old_path, path = _next(fields), _next(fields)
    else:
        path = _next(fields)
        old_path = None if status == "A" else path
    return RawEntry(status, old_path, path, _blob(old_blob), _blob(new_blob))


def _next(fields: Iterator[str]) -> str:
    field = next(fields, None)
    if field is None:
        raise GitError("git: output ended in the middle of an entry")
    return field


def _blob(object_id: str) -> str | None:
    return None if object_id.strip("0") == "" else object_id


# git keeps up to 96 MB of inflated delta bases by default: on a span of thousands of large
# records, half of all the memory the job used.  16 MB still holds the bases that
# consecutive versions of one record share, and reads no slower here.
CAT_FILE = ("git", "-c", "core.deltaBaseCacheLimit=16m", "cat-file", "--batch")


class BlobReader:
    """Read objects through one long-lived `git cat-file --batch`, as git's own tools do.

    Object names go to git's standard input, never its arguments, so nothing in
    them can act as an option.  (GitPython walked every tree level in Python and
    cost 80 ms to import; this is several times faster over a long history.)
    git starts on the first read: a history that needs none spares the process.
    """

    def __init__(self, top: Path) -> None:
        self.top = top
        self.process: subprocess.Popen[bytes] | None = None

    def _object(self, name: str) -> tuple[str, str, bytes] | None:
        """(object id, type, content) of an object name such as `REV:PATH`, or None."""
        if self.process is None:
            self.process = subprocess.Popen([*CAT_FILE], cwd=self.top,
                                            stdin=subprocess.PIPE, stdout=subprocess.PIPE)
        assert self.process.stdin is not None and self.process.stdout is not None
        self.process.stdin.write(name.encode("utf-8", "surrogateescape") + b"\n")
        self.process.stdin.flush()
        return _batch_object(self.process.stdout)

    def read(self, rev: str, path: str) -> tuple[str, bytes] | None:
        """(blob id, bytes) of PATH at REV, or None where the file does not exist."""
        if "\n" in path:  # the batch protocol is line-based: ask git directly instead
            try:
                data = read_at(rev, path)
            except RefError:
                return None
            return f"{rev}:{path}", data
        found = self._object(f"{rev}:{path}")
        return (found[0], found[2]) if found and found[1] == "blob" else None

    def blob(self, object_id: str) -> bytes | None:
        """The content of a blob named by its id."""
        found = self._object(object_id)
        return found[2] if found and found[1] == "blob" else None

    def parent(self, rev: str) -> str | None:
        """The first parent of commit REV, or None for a root commit."""
        found = self._object(f"{rev}^{{commit}}")
        if found is None:
            return None
        for line in found[2].split(b"\n"):
            if not line:
                break  # end of the commit's header
            if line.startswith(b"parent "):
                return line[7:].decode()
        return None

    def close(self) -> None:
        if self.process is None:
            return
        if self.process.stdin:
            self.process.stdin.close()
        self.process.wait()


def _batch_object(out: IO[bytes]) -> tuple[str, str, bytes] | None:
    """The next answer of `git cat-file --batch`: (object id, type, content), or None if missing."""
    header = out.readline().split()
    if len(header) != 3 or header[-1] in (b"missing", b"ambiguous"):
        return None
    size = int(header[2])
    data = out.read(size + 1)[:size]  # content, then a newline
    return header[0].decode(), header[1].decode(), data


class BlobStream:
    """Blobs asked for ahead by id (`want`), then read in that order, from one `git cat-file
    --batch`: git inflates the next blobs while the caller works on this one, instead of
    a round trip per blob."""

    def __init__(self, top: Path) -> None:
        self.process = subprocess.Popen([*CAT_FILE], cwd=top,
                                        stdin=subprocess.PIPE, stdout=subprocess.PIPE)
        self.pending: deque[str] = deque()

    def want(self, object_ids: list[str]) -> None:
        assert self.process.stdin is not None
        self.process.stdin.write("".join(f"{name}\n" for name in object_ids).encode())
        self.process.stdin.flush()
        self.pending.extend(object_ids)

    def blob(self, object_id: str) -> bytes | None:
        """The content of blob OBJECT_ID (None: not a blob); those wanted before it are skipped."""
        assert self.process.stdout is not None
        while self.pending:
            found = _batch_object(self.process.stdout)
            if self.pending.popleft() == object_id:
                return found[2] if found and found[1] == "blob" else None
        raise ValueError(f"blob {object_id} was not wanted, or was already read")

    def close(self) -> None:
        assert self.process.stdin is not None and self.process.stdout is not None
        self.process.stdin.close()
        self.process.stdout.close()  # git stops at its next write if it is not done
        self.process.wait()


def read_ahead(changes: Iterable[Any], stream: BlobStream, window: int = 16) -> Iterator[Any]:
    """CHANGES (Commits or RawEntries), each one's blobs wanted from STREAM WINDOW earlier.

    Read each change's blobs, old then new, before the next change's.  The window keeps
    the names waiting at git's input far below a pipe's capacity, so writing them never
    blocks while git waits for its output to be read.
    """
    waiting: deque[Any] = deque()
    for change in changes:
        stream.want([blob for blob in dict.fromkeys((change.old_blob, change.new_blob))
                     if blob is not None])
        waiting.append(change)
        if len(waiting) > window:
            yield waiting.popleft()
    yield from waiting


@contextmanager
def blob_reader(start: Path | None = None, top: Path | None = None) -> Iterator[BlobReader]:
    """A BlobReader for the repository around START (or at TOP), always stopped afterwards."""
    reader = BlobReader(top or top_level(start))
    try:
        yield reader
    finally:
        reader.close()


@contextmanager
def blob_stream(top: Path) -> Iterator[BlobStream]:
    """A BlobStream in the repository at TOP, always stopped afterwards."""
    stream = BlobStream(top)
    try:
        yield stream
    finally:
        stream.close()


def changed_files(rev1: str, rev2: str | None, under: str) -> list[RawEntry]:
    """Files changed between REV1 and REV2 (None: the work tree), with their blobs (a file of
    the work tree has none: read it from disk)."""
    top = top_level()
    revs = [check_revision(rev1)] + ([check_revision(rev2)] if rev2 else [])
    out = git("diff", "--raw", "-z", "-M", "--no-abbrev", "--no-ext-diff", "--end-of-options",
              *revs, "--", repo_path(under, top), cwd=top)
    return [entry for _, entry in raw_output(out)]
