"""The pager, on a real pseudo-terminal: used like git's when interactive, never when piped."""

from __future__ import annotations

import os
import pty
import subprocess
import sys
from pathlib import Path

from conftest import REPO as ROOT


def run_on_terminal(args: list[str], pager_log: Path) -> str:
    """Run policy-diff with stdin and stdout on a pty; return what reached the terminal."""
    controller, terminal = pty.openpty()
    env = {**os.environ, "POLICY_DIFF_PAGER": f"cat > '{pager_log}'", "TERM": "xterm",
           "COLUMNS": "100", "LINES": "20"}
    env.pop("POLICY_DIFF_STORE", None)
    process = subprocess.Popen([sys.executable, "-m", "policy_diff", *args], cwd=ROOT,
                               stdin=terminal, stdout=terminal, stderr=terminal, env=env)
    os.close(terminal)
    chunks = []
    while True:
        try:
            data = os.read(controller, 65536)
        except OSError:  # the terminal closed: the process is done
            break
        if not data:
            break
        chunks.append(data)
    process.wait(timeout=60)
    os.close(controller)
    return b"".join(chunks).decode("utf-8", "replace")


def test_interactive_output_goes_through_the_pager(tmp_path: Path) -> None:
    log = tmp_path / "paged.txt"
    screen = run_on_terminal(["diff", "us-apl@2022", "us-apl@2025"], log)
    assert "Key provisions" in log.read_text(encoding="utf-8")
    assert "Key provisions" not in screen


def test_no_pager_writes_to_the_terminal(tmp_path: Path) -> None:
    log = tmp_path / "paged.txt"
    screen = run_on_terminal(["diff", "us-apl@2022", "us-apl@2025", "--no-pager"], log)
    assert "Key provisions" in screen and not log.exists()


def test_piped_output_is_never_paged(tmp_path: Path) -> None:
    env = {**os.environ, "POLICY_DIFF_PAGER": f"cat > '{tmp_path / 'paged.txt'}'"}
    env.pop("POLICY_DIFF_STORE", None)
    result = subprocess.run([sys.executable, "-m", "policy_diff", "diff", "us-apl@2025"],
                            cwd=ROOT, env=env, capture_output=True, text=True, check=False)
    assert "Key provisions" in result.stdout and not (tmp_path / "paged.txt").exists()
    assert "\x1b[" not in result.stdout  # plain text when piped
