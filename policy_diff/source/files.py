"""Read and write files safely: never a wait on a pipe, nothing the user wrote ever lost.

Reads take regular files only (a FIFO would block forever, a device never end); writes are
all or nothing, never over by accident, and never through a link or into `.git` when what
the repository holds could choose the place (`guard_target`).
"""

from __future__ import annotations

import errno
import os
import stat
from contextlib import contextmanager
from pathlib import Path
from typing import Any, BinaryIO, Iterator

from ..errors import RecordError, UsageError
from ..limits import MAX_BYTES, check_limit, limit


def kind_of(mode: int) -> str:
    """What a file that is not a regular one is, in words."""
    if stat.S_ISLNK(mode):
        return "a symbolic link"
    if stat.S_ISDIR(mode):
        return "a folder"
    if stat.S_ISFIFO(mode):
        return "a named pipe (FIFO)"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "a device"
    if stat.S_ISSOCK(mode):
        return "a socket"
    return "not a regular file"


def open_regular(path: Path, label: str | None = None) -> BinaryIO:
    """Open a regular file for reading (links followed); anything else is a located error.

    The type is checked before opening (opening a device can act: a tape rewinds) and again
    on the open file, which O_NONBLOCK keeps from waiting for a FIFO's writer meanwhile.
    """
    where = label or str(path)
    try:
        mode = os.stat(path).st_mode
        if not stat.S_ISREG(mode):
            raise RecordError(f"cannot read: it is {kind_of(mode)}, not a regular file",
                              where)
        handle = os.open(path, os.O_RDONLY | os.O_NONBLOCK | os.O_NOCTTY | os.O_CLOEXEC)
    except OSError as exc:  # a missing file, no permission, a symlink loop
        raise RecordError(f"cannot read: {exc.strerror or exc}", where) from None
    mode = os.fstat(handle).st_mode
    if not stat.S_ISREG(mode):  # swapped in between the two looks
        os.close(handle)
        raise RecordError(f"cannot read: it is {kind_of(mode)}, not a regular file", where)
    os.set_blocking(handle, True)
    return os.fdopen(handle, "rb")


def guard_target(target: Path, top: Path | None) -> None:
    """Refuse to write or delete TARGET unless it is a regular file (or absent) of the work tree.

    Names inside a repository come with its content: a committed `.gitattributes` that links
    to `.git/hooks/post-checkout` would make an appended line a command.  So TARGET itself
    must not be a link, a folder or a device, and its real place must be inside TOP (when
    given: the work tree) and outside every `.git` folder.  (The hooks folder is git's own
    answer, not content: hooks are checked where they are written.)
    """
    shown = _shown(target, top)
    try:
        mode: int | None = os.lstat(target).st_mode
    except FileNotFoundError:
        mode = None
    except OSError as exc:
        raise UsageError(f"cannot write {shown}: {exc.strerror or exc}") from None
    link = mode is not None and stat.S_ISLNK(mode)
    real = target.resolve() if link else target.parent.resolve() / target.name
    place = _out_of_bounds(real, top)
    if link:
        leads = f"leading {place} " if place else ""
        raise UsageError(f"{shown} is a symbolic link {leads}(to {real}); refusing to write "
                         f"through it or replace it")
    if mode is not None and not stat.S_ISREG(mode):
        raise UsageError(f"{shown} is {kind_of(mode)}, not a regular file; refusing to write "
                         f"or remove it")
    if place:
        raise UsageError(f"{shown} leads {place} (to {real}); refusing to write there")


def _out_of_bounds(real: Path, top: Path | None) -> str | None:
    """Why writing at REAL would leave the work tree, else None."""
    inside = real.parts
    if top is not None:
        root = top.resolve()
        if real != root and root not in real.parents:
            return "outside the repository"
        inside = real.relative_to(root).parts
    return "into the .git folder" if ".git" in inside else None


def _shown(path: Path, top: Path | None) -> str:
    if top is None:
        return str(path)
    try:
        return path.relative_to(top).as_posix()
    except ValueError:
        return str(path)


@contextmanager
def deferred_signals() -> Iterator[None]:
    """Hold SIGINT, SIGTERM and SIGHUP until the block is done: it completes or never starts.

    A signal that arrives meanwhile is delivered at the end (the process then stops as it
    would have), so a write is never half done and a temporary file never left behind.
    """
    import signal  # 1 ms that reading records, the common case, does without

    try:
        held = signal.pthread_sigmask(signal.SIG_BLOCK,
                                      (signal.SIGINT, signal.SIGTERM, signal.SIGHUP))
    except (AttributeError, ValueError, OSError):  # no signal masks here, or not the main thread
        yield
        return
    try:
        yield
    finally:
        signal.pthread_sigmask(signal.SIG_SETMASK, held)


def probe_writable(folder: Path, shown: str) -> None:
    """Refuse now, not halfway, when no file can be created in FOLDER (root ignores modes)."""
    probe = folder / f".policy-diff-probe.{os.urandom(4).hex()}.tmp"
    try:
        os.close(os.open(probe, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600))
        os.unlink(probe)
    except OSError as exc:
        raise UsageError(f"cannot write in {shown}: {exc.strerror or exc}; nothing was "
                         f"changed") from None


def write_file(target: Path, content: str | bytes, overwrite: bool = False,
               new_mode: int = 0o666) -> None:
    """Write atomically (see _write_file), with SIGINT, SIGTERM and SIGHUP held meanwhile:
    an interruption leaves the old file or the new one, never a temporary file."""
    with deferred_signals():
        _write_file(target, content, overwrite, new_mode)


def _write_file(target: Path, content: str | bytes, overwrite: bool, new_mode: int) -> None:
    """Write via a hidden temporary file (in the repository's .git folder when there is one on
    the same file system, else in the target's folder), then move it into place.

    Without `overwrite` the final step is a hard link, which fails if the target
    exists (even if it appeared a moment ago); with it, an atomic rename.  Only a
    regular file is ever replaced: a folder, a device or a pipe is refused even
    with `overwrite` (as root, a rename onto /dev/stdout would replace the device).
    """
    folder = target.parent if str(target.parent) else Path(".")
    if not folder.is_dir():
        raise UsageError(f"cannot write {target}: no folder {folder}")
    if target.exists() and not overwrite:
        raise UsageError(f"{target} already exists; nothing was written (--force replaces it)")
    if target.exists() and not target.is_file():
        raise UsageError(f"{target} is not a regular file; nothing was written")
    data = content.encode("utf-8") if isinstance(content, str) else content
    # A new file gets NEW_MODE less the umask, as any new file (mkstemp's 0600 would
    # hide a report from the group); a replaced file keeps exactly its own mode.
    replaced = target.is_file()
    try:
        mode = target.stat().st_mode & 0o7777 if replaced else new_mode
    except OSError as exc:
        raise UsageError(f"cannot write {target}: {exc.strerror or exc}") from None
    places = _temporary_folders(folder)
    for place in places:
        try:
            _write_via(place / f".{target.name}.{os.urandom(4).hex()}.tmp", target, data, mode,
                       replaced, overwrite)
            return
        except OSError as exc:  # the .git folder refused (read-only, another mount): the next
            if place == places[-1]:
                raise UsageError(f"cannot write {target}: {exc.strerror or exc}; nothing was "
                                 f"written") from None


def _write_via(temporary: Path, target: Path, data: bytes, mode: int, replaced: bool,
               overwrite: bool) -> None:
    """Write DATA to TEMPORARY, then put it at TARGET; the temporary file never stays."""
    handle = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL, mode)
    try:
        with os.fdopen(handle, "wb") as stream:
            if replaced:
                os.fchmod(stream.fileno(), mode)
            stream.write(data)
            stream.flush()
            os.fsync(stream.fileno())
        if overwrite:
            os.replace(temporary, target)
        else:
            _link(str(temporary), target)
    except FileExistsError:
        raise UsageError(f"{target} already exists; nothing was written") from None
    finally:
        if os.path.lexists(temporary):
            os.unlink(temporary)


def _temporary_folders(folder: Path) -> list[Path]:
    """Where the temporary copy may go, best first: the .git folder of the work tree FOLDER is
    in (same file system), where even a SIGKILL leaves it out of `git add -A`; then FOLDER."""
    try:
        device = os.stat(folder).st_dev
        for place in [folder, *folder.resolve().parents]:
            git_dir = place / ".git"
            if os.path.lexists(git_dir):
                same = git_dir.is_dir() and os.stat(git_dir).st_dev == device
                return [git_dir, folder] if same and git_dir != folder else [folder]
    except OSError:
        pass
    return [folder]


def _link(temporary: str, target: Path) -> None:
    """Put the file in place only if nothing is there; FileExistsError if something is."""
    try:
        os.link(temporary, target)
    except FileExistsError:
        raise
    except OSError as exc:
        if exc.errno == errno.EXDEV:  # another mount: the caller writes beside the target
            raise
        # No hard links here (some network and FUSE file systems): claim the name with
        # an exclusive create, which also fails if the target exists, then rename onto it.
        os.close(os.open(target, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o644))
        os.replace(temporary, target)


def read_text(path: Path, label: str | None = None) -> str:
    """Read a file as UTF-8; a decoding error names the line it is on."""
    with open_regular(path, label) as handle:  # a FIFO or device is an error, never a wait
        try:
            data = read_limited(handle)
        except OSError as exc:  # an I/O error: the machine's problem, not a bug
            raise RecordError(f"cannot read: {exc.strerror or exc}", label or str(path)) from None
    return decode(data, label or str(path))


def read_limited(handle: Any) -> bytes:
    """Read a stream, but no more than one byte past the size limit (a 5 GB file, /dev/zero)."""
    allowed = limit(MAX_BYTES)
    return handle.read() if allowed is None else handle.read(allowed + 1)


_UTF16_32 = {b"\xff\xfe\x00\x00": "UTF-32", b"\x00\x00\xfe\xff": "UTF-32",
             b"\xff\xfe": "UTF-16", b"\xfe\xff": "UTF-16"}  # byte order marks, longest first


def decode(data: bytes, label: str) -> str:
    """UTF-8 text of a record within the size limit (files, standard input, git blobs).

    A NUL byte is refused as git does: no text file holds one, while UTF-16 text (even
    without a byte order mark) and binary files do, and would otherwise "decode".
    """
    check_limit(MAX_BYTES, len(data), "bytes", label, exact=False)
    encoding = next((name for bom, name in _UTF16_32.items() if data.startswith(bom)), None)
    if encoding:
        raise RecordError(f"is {encoding} (it starts with a byte order mark); records are "
                          f"UTF-8", label, 1)
    nul = data.find(b"\x00")
    if nul != -1:
        raise RecordError("holds a NUL byte: not a text file (binary, or UTF-16?); records "
                          "are UTF-8", label, data.count(b"\n", 0, nul) + 1)
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise RecordError(f"not valid UTF-8 (byte {data[exc.start]:#04x})", label, line) from None


def display_path(path: Path) -> str:
    """A path as the user would type it: relative to here when it is below here."""
    return str(relative_path(path))


def relative_path(path: Path) -> Path:
    try:
        return path.resolve().relative_to(Path.cwd().resolve())
    except ValueError:
        return path


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
