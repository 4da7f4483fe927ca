""".doc, .odt, .rtf: LibreOffice (an optional external program, never a library of ours)
converts them to .docx, which the Word reader then reads."""

from __future__ import annotations

import shutil
import subprocess
import tempfile
from pathlib import Path

from ..errors import RecordError, UsageError

TIMEOUT = 120  # seconds; LibreOffice takes about 1 s a file here


def soffice() -> str | None:
    return shutil.which("soffice") or shutil.which("libreoffice")


def to_docx(data: bytes, name: str) -> bytes:
    program = soffice()
    if program is None:
        raise UsageError(f"{name}: reading {Path(name).suffix or 'this'} files needs LibreOffice "
                         f"(the soffice command), which is not installed; save it as .docx")
    suffix = Path(name).suffix.lower() or ".doc"
    with tempfile.TemporaryDirectory(prefix="policy-diff-lo-") as folder:
        source = Path(folder) / f"input{suffix}"
        source.write_bytes(data)
        # A profile of its own: two runs sharing one fail at random with no output.
        command = [program, f"-env:UserInstallation=file://{folder}/profile", "--headless",
                   "--norestore", "--convert-to", "docx", "--outdir", folder, str(source)]
        try:
            subprocess.run(command, capture_output=True, timeout=TIMEOUT, check=False,
                           stdin=subprocess.DEVNULL)
        except subprocess.TimeoutExpired:
            raise RecordError(f"LibreOffice did not convert it within {TIMEOUT} s", name) from None
        result = Path(folder) / "input.docx"
        if not result.is_file():
            raise RecordError("LibreOffice could not convert it (encrypted, damaged, or not "
                              "a document)", name)
        return result.read_bytes()
