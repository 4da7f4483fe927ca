"""The `policy-diff` process ends without freeing what it built (process.end): its exit code,
its output and its exit handlers must be those of a process that ends the usual way."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from conftest import CORPUS

OLD, NEW = str(CORPUS / "us-apl" / "2014-09-23.md"), str(CORPUS / "us-apl" / "2022-06-21.md")
# Output buffered as a user's shell has it (this environment may turn buffering off).
BUFFERED = {k: v for k, v in os.environ.items() if k != "PYTHONUNBUFFERED"}


def command(*args: str, before: str = "") -> list[str]:
    """`policy-diff ARGS` as its console script runs it (cli.run), with the code BEFORE first."""
    code = f"import os, sys\n{before}\nfrom policy_diff.cli import run\n"
    code += "sys.argv[0] = 'policy-diff'\nrun()"
    return [sys.executable, "-c", code, *args]


def policy_diff(*args: str, before: str = "") -> subprocess.CompletedProcess[bytes]:
    return subprocess.run(command(*args, before=before), capture_output=True, timeout=120,
                          env=BUFFERED)


def test_exit_codes_and_output_are_those_of_the_command() -> None:
    same, differ = policy_diff("diff", OLD, OLD), policy_diff("diff", "--format", "json", OLD, NEW)
    missing = policy_diff("diff", OLD, "no-such-file.md")
    assert (same.returncode, differ.returncode, missing.returncode) == (0, 1, 2)
    assert differ.stdout.startswith(b"{\n") and differ.stdout.endswith(b"\n}\n")
    assert missing.stderr.startswith(b"policy-diff: error: ") and missing.stdout == b""


def test_output_not_yet_flushed_is_written_before_the_end(tmp_path: Path) -> None:
    """Everything reaches a file (fully buffered, unlike a terminal): the last byte included."""
    target = tmp_path / "out.json"
    with target.open("wb") as handle:
        subprocess.run(command("diff", "--format", "json", OLD, NEW), stdout=handle, timeout=120,
                       env=BUFFERED)
    written = target.read_bytes()
    assert written == policy_diff("diff", "--format", "json", OLD, NEW).stdout
    assert written.endswith(b"\n}\n")


def test_exit_handlers_still_run() -> None:
    """A pool's or a temporary folder's clean-up is registered with atexit: it must run."""
    before = "import atexit\natexit.register(lambda: print('handler ran', file=sys.stderr))"
    result = policy_diff("diff", OLD, NEW, "--format", "json", before=before)
    assert result.returncode == 1 and b"handler ran" in result.stderr


def test_a_reader_that_goes_away_ends_it_quietly(tmp_path: Path) -> None:
    """`| head`: exit 141 as git, and nothing on stderr, when the pipe breaks while it writes."""
    old, new = tmp_path / "old.md", tmp_path / "new.md"
    old.write_text("".join(f"Paragraph {n} says one thing.\n\n" for n in range(20_000)))
    new.write_text("".join(f"Paragraph {n} says another.\n\n" for n in range(20_000)))
    process = subprocess.Popen(command("diff", "--format", "json", str(old), str(new)),
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=BUFFERED)
    assert process.stdout is not None and process.stderr is not None
    assert process.stdout.read(10) == b'{\n  "forma'
    process.stdout.close()
    error = process.stderr.read()
    assert process.wait(timeout=120) == 141
    assert error == b""


def test_a_reader_gone_before_the_last_flush_ends_it_quietly(tmp_path: Path) -> None:
    """Output small enough to wait in the buffer (JSON: written without a flush) meets the
    closed pipe only when the process ends: still exit 141, no traceback."""
    old, new = tmp_path / "old.md", tmp_path / "new.md"
    old.write_text("One.\n")
    new.write_text("Two.\n")
    wait = "os.read(0, 1)"  # it starts once the reader has gone
    process = subprocess.Popen(command("diff", "--format", "json", str(old), str(new), before=wait),
                               stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                               stderr=subprocess.PIPE, env=BUFFERED)
    assert process.stdin is not None and process.stdout is not None and process.stderr is not None
    process.stdout.close()
    process.stdin.write(b"x")
    process.stdin.close()
    error = process.stderr.read()
    assert process.wait(timeout=120) == 141
    assert error == b""


def test_a_thread_still_running_is_waited_for() -> None:
    """A library's thread left running gets the usual exit, which lets it finish."""
    before = ("import threading, time\n"
              "threading.Thread(target=lambda: (time.sleep(0.5), print('thread done')),"
              " daemon=False).start()")
    result = policy_diff("diff", OLD, OLD, before=before)
    assert result.returncode == 0 and b"thread done" in result.stdout
