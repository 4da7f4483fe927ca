"""Real git repositories for tests: the us-apl corpus committed, git isolated from the user's config.

Its fixtures, `bare_repo` and `repo`, are in conftest.py.
"""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

RECORDS = "policies/us-apl"
NEW = f"{RECORDS}/2026-01-01.md"


def git(top: Path, *args: str, check: bool = True) -> subprocess.CompletedProcess[str]:
    """Run real git in TOP, as a user would."""
    result = subprocess.run(["git", *args], cwd=top, capture_output=True, text=True,
                            encoding="utf-8", errors="surrogateescape")
    if check and result.returncode:
        raise AssertionError(f"git {' '.join(args)} failed: {result.stderr}")
    return result


def isolate_git(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """No user or system git config, no outer hook's index; pinned names and dates."""
    (tmp_path / "gitconfig").write_text("")
    for name in ("GIT_DIR", "GIT_WORK_TREE", "GIT_INDEX_FILE", "GIT_PREFIX", "PRE_COMMIT"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("GIT_CONFIG_GLOBAL", str(tmp_path / "gitconfig"))
    monkeypatch.setenv("GIT_CONFIG_NOSYSTEM", "1")
    for role in ("AUTHOR", "COMMITTER"):
        monkeypatch.setenv(f"GIT_{role}_NAME", "Policy Staff")
        monkeypatch.setenv(f"GIT_{role}_EMAIL", "staff@example.org")
        monkeypatch.setenv(f"GIT_{role}_DATE", "2026-01-02T03:04:05+00:00")


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} not in {path}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def new_version(top: Path, name: str = NEW, version: str = "2026-01-01") -> Path:
    """A valid next version: approval delegated one step further, one paragraph reworded."""
    path = top / name
    shutil.copy(path.parent / "2025-12-02.md", path)
    edit(path, "version: 2025-12-02", f"version: {version}")
    edit(path, "supersedes: 2022-06-21", "supersedes: 2025-12-02")
    edit(path, "approval_authority: Combatant commanders",
         "approval_authority: Commanders in combat zones")
    return path


def commit(top: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return git(top, "commit", "-q", *args, check=False)


def head_message(top: Path) -> str:
    return git(top, "log", "-1", "--format=%B").stdout.removesuffix("\n")  # log's own newline


def commit_count(top: Path) -> int:
    return int(git(top, "rev-list", "--count", "HEAD").stdout)
