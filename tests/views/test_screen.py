"""The terminal, decided in one place for every view (views/text/screen.py): colour, width, pager.

Each decision is checked as a user meets it: the command run as a process, its output on a
pipe or on a real pseudo-terminal of a given size, the environment set as a shell would.
"""

from __future__ import annotations

import fcntl
import os
import pty
import re
import struct
import subprocess
import sys
import termios
from pathlib import Path

import pytest

from conftest import REPO as ROOT
SGR = re.compile(r"\x1b\[[0-9;]*m")
COLOUR = re.compile(r"\x1b\[[0-9;]*3[1-6]m")  # a foreground colour of the theme
# Variables that steer the decisions: each test sets the ones it means.
STEERING = ("NO_COLOR", "FORCE_COLOR", "TTY_COMPATIBLE", "TTY_INTERACTIVE", "GIT_PAGER_IN_USE",
            "COLUMNS", "LINES", "PAGER", "POLICY_DIFF_PAGER", "POLICY_DIFF_STORE", "COLORTERM")
DIFF = ["diff", "us-apl@2022", "us-apl@2025"]
VIEWS = {"diff": DIFF, "diff -y": [*DIFF, "-y"], "history": ["history", "us-apl", "-n", "3"],
         "show": ["show", "us-apl@2025"], "matrix": ["matrix", "us-apl"]}


def environment(**values: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in STEERING}
    return {**env, "TERM": "xterm-256color", **values}


def piped(args: list[str], **env: str) -> str:
    """What the command prints into a pipe (never a terminal)."""
    result = subprocess.run([sys.executable, "-m", "policy_diff", *args], cwd=ROOT,
                            env=environment(**env), capture_output=True, text=True, check=False)
    assert result.returncode in (0, 1), result.stderr
    return result.stdout


def on_terminal(args: list[str], columns: int = 100, **env: str) -> str:
    """Run the command with stdin and stdout on a pty of COLUMNS x 20; what reached it."""
    controller, terminal = pty.openpty()
    fcntl.ioctl(terminal, termios.TIOCSWINSZ, struct.pack("HHHH", 20, columns, 0, 0))
    process = subprocess.Popen([sys.executable, "-m", "policy_diff", *args], cwd=ROOT,
                               stdin=terminal, stdout=terminal, stderr=terminal,
                               env=environment(**env))
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
    return b"".join(chunks).decode("utf-8", "replace").replace("\r\n", "\n")


def widest(text: str) -> int:
    """The widest line, but for those with a URL: `show` keeps a URL whole, past the width."""
    return max(len(SGR.sub("", line)) for line in text.splitlines() if "://" not in line)


# Colour ---------------------------------------------------------------------------------------

@pytest.mark.parametrize("view", VIEWS)
def test_no_color_turns_colour_off_on_a_terminal(view: str) -> None:
    out = on_terminal([*VIEWS[view], "--no-pager"], NO_COLOR="1")
    assert "\x1b[" not in out
    if view.startswith("diff"):
        assert "[-" in out and "{+" in out  # the changes are marked in the text instead


@pytest.mark.parametrize("view", VIEWS)
def test_a_terminal_gets_colour_and_a_pipe_none(view: str) -> None:
    assert COLOUR.search(on_terminal([*VIEWS[view], "--no-pager"]))
    assert "\x1b[" not in piped(VIEWS[view])


@pytest.mark.parametrize("view", VIEWS)
def test_force_color_colours_a_pipe_unless_color_never(view: str) -> None:
    assert COLOUR.search(piped(VIEWS[view], FORCE_COLOR="1"))
    assert "\x1b[" not in piped([*VIEWS[view], "--color", "never"], FORCE_COLOR="1")


@pytest.mark.parametrize("view", VIEWS)
def test_color_always_wins_over_no_color(view: str) -> None:
    out = piped([*VIEWS[view], "--color", "always"], NO_COLOR="1")
    assert COLOUR.search(out)
    if view.startswith("diff"):
        assert "{+" not in out  # styles, not markers


def test_color_never_wins_on_a_terminal() -> None:
    out = on_terminal([*DIFF, "--no-pager", "--color", "never"], FORCE_COLOR="1")
    assert "\x1b[" not in out and "{+" in out


def test_no_color_wins_over_force_color_when_not_told() -> None:
    assert "\x1b[" not in piped(DIFF, NO_COLOR="1", FORCE_COLOR="1")


def test_a_dumb_terminal_gets_no_colour_even_when_asked() -> None:
    out = on_terminal([*DIFF, "--no-pager", "--color", "always"], TERM="dumb")
    assert "\x1b[" not in out and "{+" in out


# Width ----------------------------------------------------------------------------------------

@pytest.mark.parametrize("view", VIEWS)
def test_width_follows_the_terminal(view: str) -> None:
    narrow = widest(on_terminal([*VIEWS[view], "--no-pager"], columns=60))
    wide = widest(on_terminal([*VIEWS[view], "--no-pager"], columns=140))
    assert 40 < narrow <= 60 and 100 < wide <= 140, (narrow, wide)  # neither 80 nor COLUMNS


@pytest.mark.parametrize("view", VIEWS)
def test_columns_wins_over_the_terminal_and_width_over_both(view: str) -> None:
    assert 55 < widest(on_terminal([*VIEWS[view], "--no-pager"], COLUMNS="70")) <= 70
    out = on_terminal([*VIEWS[view], "--no-pager", "--width", "50"], COLUMNS="70")
    assert 35 < widest(out) <= 50


def test_without_a_terminal_or_columns_the_width_is_80() -> None:
    assert 70 < widest(piped(DIFF)) <= 80
    assert 90 < widest(piped(DIFF, COLUMNS="100")) <= 100


# Pager ----------------------------------------------------------------------------------------

def test_interactive_output_goes_through_the_pager(tmp_path: Path) -> None:
    log = tmp_path / "paged.txt"
    for args in (DIFF, VIEWS["history"], VIEWS["show"]):
        screen = on_terminal(args, POLICY_DIFF_PAGER=f"cat > '{log}'")
        paged = log.read_text(encoding="utf-8")
        assert paged.strip() and paged.split("\n")[0] not in screen, args
        assert COLOUR.search(paged)  # the colour decided for the terminal reaches the pager


def test_no_pager_writes_to_the_terminal(tmp_path: Path) -> None:
    log = tmp_path / "paged.txt"
    screen = on_terminal([*DIFF, "--no-pager"], POLICY_DIFF_PAGER=f"cat > '{log}'")
    assert "Key provisions" in screen and not log.exists()


def test_piped_output_is_never_paged(tmp_path: Path) -> None:
    log = tmp_path / "paged.txt"
    for args in (DIFF, VIEWS["history"], VIEWS["show"]):
        assert piped(args, POLICY_DIFF_PAGER=f"cat > '{log}'").strip()
        assert not log.exists()
