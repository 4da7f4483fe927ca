"""Shared fixtures: a clean environment, an in-process CLI runner, small record builders, and
real git repositories holding the corpus (helpers for those in gitrepo.py)."""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Callable, NamedTuple

import pytest

import gitrepo
from policy_diff.cli import main
from policy_diff.hooks import install as hooks

TESTS = Path(__file__).resolve().parent  # test modules sit in folders below, as the package does
REPO = TESTS.parent
CORPUS = REPO / "policies"

# Variables that change where the store is found or how output looks: tests set what they need.
_ENV = ("POLICY_DIFF_STORE", "NO_COLOR", "FORCE_COLOR", "GIT_PAGER_IN_USE", "PAGER",
        "POLICY_DIFF_PAGER", "TERM")


@pytest.fixture(autouse=True)
def clean_env(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in _ENV:
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("COLUMNS", "100")  # rich's width when not on a terminal


class Result(NamedTuple):
    code: int
    out: str
    err: str


@pytest.fixture
def run(capsys: pytest.CaptureFixture[str]) -> Callable[..., Result]:
    """Run `policy-diff ARGS` in-process and capture what it printed."""

    def invoke(*args: str) -> Result:
        capsys.readouterr()
        code = main(list(args))
        captured = capsys.readouterr()
        return Result(code, captured.out, captured.err)

    return invoke


def record(policy: str = "demo", version: str = "v1", effective: str = "2020-01-01",
           extra: str = "", body: str = "# Demo\n\n## Scope\nAll staff.\n") -> str:
    """A valid record (without manifest-specific provisions); `extra` adds front matter lines."""
    return (f"---\npolicy: {policy}\nversion: {version}\ntitle: Demo policy\n"
            f"effective: {effective}\nstatus: in-force\n{extra}---\n{body}")


def write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def line_of(text: str, start: str, occurrence: int = 1) -> int:
    """The 1-based number of the line that starts with `start` (its n-th occurrence)."""
    hits = [n for n, line in enumerate(text.split("\n"), 1) if line.startswith(start)]
    return hits[occurrence - 1]


@pytest.fixture
def bare_repo(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A repository holding the us-apl corpus in its first commit, nothing installed."""
    gitrepo.isolate_git(tmp_path, monkeypatch)
    top = tmp_path / "repo"
    gitrepo.git(tmp_path, "init", "-q", "-b", "main", str(top))
    shutil.copytree(CORPUS / "us-apl", top / gitrepo.RECORDS)
    gitrepo.git(top, "add", "-A")
    gitrepo.git(top, "commit", "-q", "-m", "Import the corpus")
    monkeypatch.chdir(top)
    return top


@pytest.fixture
def repo(bare_repo: Path) -> Path:
    """The same repository with policy-diff's hooks and diff driver installed."""
    hooks.install(bare_repo)
    return bare_repo


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption("--update-goldens", action="store_true",
                     help="rewrite the golden files of tests/goldens from the current output")


@pytest.fixture
def golden(request: pytest.FixtureRequest) -> Callable[[str, Path], None]:
    """Check OUTPUT against the golden file at PATH; with --update-goldens, write it there
    first (then read the change in `git diff`: goldens are never edited by hand)."""
    def check(output: str, path: Path) -> None:
        if request.config.getoption("--update-goldens"):
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(output, encoding="utf-8")
        assert path.is_file(), f"no golden {path}; run pytest --update-goldens"
        assert output == path.read_text(encoding="utf-8")

    return check
