"""Golden files for every rendered format, one folder per scenario (tests/goldens/<scenario>/).

Refresh them with `python -m pytest tests/views/test_goldens.py --update-goldens`, then read the
changed files in `git diff` before committing them.
"""

from __future__ import annotations

from pathlib import Path
from typing import Callable

import pytest

from policy_diff.cli import main
from conftest import REPO, TESTS

ROOT = REPO
GOLDENS = TESTS / "goldens"
SCENARIOS = sorted(p.name for p in GOLDENS.iterdir() if (p / "refs").is_file())
FORMATS = {
    "inline-plain-80.txt": ["--color", "never", "--width", "80"],
    "inline-plain-120.txt": ["--color", "never", "--width", "120"],
    "inline-color-100.ansi": ["--color", "always", "--width", "100"],
    "side-by-side-plain-120.txt": ["--side-by-side", "--color", "never", "--width", "120"],
    "side-by-side-color-80.ansi": ["--side-by-side", "--color", "always", "--width", "80"],
    "full-plain-100.txt": ["--full", "--color", "never", "--width", "100"],
    "diff.json": ["--format", "json"],
}


def refs(scenario: str) -> list[str]:
    lines = (GOLDENS / scenario / "refs").read_text(encoding="utf-8").split()
    return [f"tests/goldens/{line}" if (GOLDENS / line).is_file() else line for line in lines]


@pytest.fixture
def fixed_terminal(monkeypatch: pytest.MonkeyPatch) -> None:
    """The same colour system and width on every machine."""
    for name in ("NO_COLOR", "FORCE_COLOR", "COLORTERM", "COLUMNS", "GIT_PAGER_IN_USE",
                 "TTY_COMPATIBLE", "POLICY_DIFF_STORE"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("TERM", "xterm-256color")
    monkeypatch.chdir(ROOT)


@pytest.mark.parametrize("output", FORMATS)
@pytest.mark.parametrize("scenario", SCENARIOS)
def test_rendered_output_matches_golden(scenario: str, output: str, fixed_terminal: None,
                                        capsys: pytest.CaptureFixture[str],
                                        golden: Callable[[str, Path], None]) -> None:
    code = main(["diff", *refs(scenario), "--no-pager", *FORMATS[output]])
    captured = capsys.readouterr()
    assert (code, captured.err) == (1, "")
    golden(captured.out, GOLDENS / scenario / output)
