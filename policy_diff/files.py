"""Write files so that nothing the user wrote is lost: all or nothing, never over by accident."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

from .errors import UsageError


def write_file(target: Path, text: str, overwrite: bool = False) -> None:
    """Write via a hidden temporary file in the same folder, then move it into place.

    Without `overwrite` the final step is a hard link, which fails if the target
    exists (even if it appeared a moment ago); with it, an atomic rename.
    """
    folder = target.parent if str(target.parent) else Path(".")
    if not folder.is_dir():
        raise UsageError(f"cannot write {target}: no folder {folder}")
    if target.exists() and not overwrite:
        raise UsageError(f"{target} already exists; nothing was written (--force replaces it)")
    handle, temporary = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=folder)
    try:
        with os.fdopen(handle, "w", encoding="utf-8", newline="") as stream:
            stream.write(text)
            stream.flush()
            os.fsync(stream.fileno())
        if overwrite:
            os.replace(temporary, target)
        else:
            os.link(temporary, target)
    except FileExistsError:
        raise UsageError(f"{target} already exists; nothing was written") from None
    finally:
        if os.path.exists(temporary):
            os.unlink(temporary)
