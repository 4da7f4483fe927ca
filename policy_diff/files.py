"""Write files so that nothing the user wrote is lost: all or nothing, never over by accident."""

from __future__ import annotations

import os
from pathlib import Path

from .errors import UsageError


def write_file(target: Path, content: str | bytes, overwrite: bool = False,
               new_mode: int = 0o666) -> None:
    """Write via a hidden temporary file in the same folder, then move it into place.

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
    temporary = str(folder / f".{target.name}.{os.urandom(4).hex()}.tmp")
    try:
        # A new file gets NEW_MODE less the umask, as any new file (mkstemp's 0600 would
        # hide a report from the group); a replaced file keeps exactly its own mode.
        replaced = target.is_file()
        mode = target.stat().st_mode & 0o7777 if replaced else new_mode
        handle = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL, mode)
        if replaced:
            os.fchmod(handle, mode)
    except OSError as exc:  # a read-only or full file system, no permission
        raise UsageError(f"cannot write {target}: {exc.strerror or exc}") from None
    try:
        data = content.encode("utf-8") if isinstance(content, str) else content
        with os.fdopen(handle, "wb") as stream:
            stream.write(data)
            stream.flush()
            os.fsync(stream.fileno())
        if overwrite:
            os.replace(temporary, target)
        else:
            _link(temporary, target)
    except FileExistsError:
        raise UsageError(f"{target} already exists; nothing was written") from None
    except OSError as exc:
        raise UsageError(f"cannot write {target}: {exc.strerror or exc}; nothing was "
                         f"written") from None
    finally:
        if os.path.exists(temporary):
            os.unlink(temporary)


def _link(temporary: str, target: Path) -> None:
    """Put the file in place only if nothing is there; FileExistsError if something is."""
    try:
        os.link(temporary, target)
    except FileExistsError:
        raise
    except OSError:
        # No hard links here (some network and FUSE file systems): claim the name with
        # an exclusive create, which also fails if the target exists, then rename onto it.
        os.close(os.open(target, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o644))
        os.replace(temporary, target)
