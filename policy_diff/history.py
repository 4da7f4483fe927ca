"""Everything that talks to git: revisions, blobs, the index, history, config.

This is the only module that runs git.  User input never
reaches git as an option: revisions are checked and come after
`--end-of-options`, paths after `--`; no shell is used; every Repo is closed.
"""

from __future__ import annotations

import subprocess
from contextlib import contextmanager
from .frozen import frozen
from pathlib import Path, PurePosixPath
from typing import Iterator

from .errors import PolicyDiffError, RefError


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


def git(*args: str, cwd: Path | None = None, input: bytes | None = None,
        check: bool = True) -> bytes:
    """Run git with list arguments (never a shell) and return its standard output."""
    try:
        result = subprocess.run(["git", *args], cwd=cwd, input=input, capture_output=True,
                                check=False)
    except FileNotFoundError:
        raise GitError("git is not installed (needed for revisions, history and hooks)") from None
    if check and result.returncode != 0:
        message = result.stderr.decode("utf-8", "replace").strip().splitlines()
        raise GitError(f"git {args[0]}: {message[-1] if message else 'failed'}")
    return result.stdout


def top_level(start: Path | None = None) -> Path:
    out = git("rev-parse", "--show-toplevel", cwd=start, check=False).decode().strip()
    if not out:
        raise GitError(f"not in a git repository: {start or Path.cwd()}")
    return Path(out)


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
                 follow: bool = True, rev: str = "HEAD") -> list[Commit]:
    """Commits up to REV that changed PATH (a file, or a folder without --follow), newest first."""
    top = top_level()
    inside = repo_path(path, top)
    args = ["log", "-M", "--format=%x00%H%x1f%an%x1f%ae%x1f%aI%x1f%s", "--raw", "--no-abbrev",
            "-z"]
    if follow:
        args.append("--follow")
    if limit is not None:
        args.append(f"--max-count={int(limit)}")
    if since:
        if since.startswith("-"):
            raise RefError(f"--since {since!r} looks like an option; refusing it")
        args.append(f"--since={since}")
    start = "HEAD" if rev == "HEAD" else check_revision(rev)
    out = git(*args, "--end-of-options", start, "--", inside, cwd=top)
    return _parse_log(out)


def _parse_log(out: bytes) -> list[Commit]:
    """Read `git log -z --raw` whose headers start with NUL: paths may hold any character.

    The stream is: NUL header NUL, then entries `\n:MODE MODE OLD NEW STATUS NUL path NUL
    [path NUL]`, with an empty field (two NULs) before the next header.
    """
    chunks = out.decode("utf-8", "surrogateescape").split("\x00")
    commits: list[Commit] = []
    header: list[str] = []
    index = 0
    while index < len(chunks):
        if chunks[index] == "":
            if index + 1 < len(chunks) and chunks[index + 1]:
                header = chunks[index + 1].split("\x1f", 4)
            index += 2
            continue
        _, _, old_blob, new_blob, status = chunks[index].split()
        status = status[:1]
        sha, author, email, date, subject = header
        if status in ("R", "C"):
            old_path, path, step = chunks[index + 1], chunks[index + 2], 3
        else:
            old_path = None if status == "A" else chunks[index + 1]
            path, step = chunks[index + 1], 2
        commits.append(Commit(sha, author, email, date, subject, path, old_path, status,
                              _blob(old_blob), _blob(new_blob)))
        index += step
    return commits


def _blob(object_id: str) -> str | None:
    return None if object_id.strip("0") == "" else object_id


class BlobReader:
    """Read objects through one long-lived `git cat-file --batch`, as git's own tools do.

    Object names go to git's standard input, never its arguments, so nothing in
    them can act as an option.  (GitPython walked every tree level in Python and
    cost 80 ms to import; this is several times faster over a long history.)
    """

    def __init__(self, top: Path) -> None:
        self.top = top
        self.process = subprocess.Popen(["git", "cat-file", "--batch"], cwd=top,
                                        stdin=subprocess.PIPE, stdout=subprocess.PIPE)

    def _object(self, name: str) -> tuple[str, str, bytes] | None:
        """(object id, type, content) of an object name such as `REV:PATH`, or None."""
        assert self.process.stdin is not None and self.process.stdout is not None
        self.process.stdin.write(name.encode("utf-8", "surrogateescape") + b"\n")
        self.process.stdin.flush()
        header = self.process.stdout.readline().split()
        if len(header) != 3 or header[-1] in (b"missing", b"ambiguous"):
            return None
        size = int(header[2])
        data = self.process.stdout.read(size + 1)[:size]  # content, then a newline
        return header[0].decode(), header[1].decode(), data

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
        if self.process.stdin:
            self.process.stdin.close()
        self.process.wait()


@contextmanager
def blob_reader(start: Path | None = None) -> Iterator[BlobReader]:
    """A BlobReader for the repository around START, always stopped afterwards."""
    reader = BlobReader(top_level(start))
    try:
        yield reader
    finally:
        reader.close()


def changed_files(rev1: str, rev2: str | None,
                  under: str) -> list[tuple[str, str | None, str | None]]:
    """(status, old path, new path) of files changed between REV1 and REV2 (None: work tree)."""
    top = top_level()
    revs = [check_revision(rev1)] + ([check_revision(rev2)] if rev2 else [])
    out = git("diff", "--name-status", "-z", "-M", "--no-ext-diff", "--end-of-options", *revs,
              "--", repo_path(under, top), cwd=top)
    chunks = out.decode("utf-8", "surrogateescape").split("\x00")
    result = []
    index = 0
    while index < len(chunks) and chunks[index]:
        status = chunks[index][:1]
        if status in ("R", "C"):
            result.append((status, chunks[index + 1], chunks[index + 2]))
            index += 3
        else:
            path = chunks[index + 1]
            result.append((status, None if status == "A" else path, None if status == "D" else path))
            index += 2
    return result
