"""Hostile input, hooks: a foreign hook that is a link, an odd .gitattributes, a link out of
the repository; the installer keeps each as it was. The classes and what the tool does with
each are tabled in docs/hostile-input.md.
"""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

import pytest

from policy_diff.hooks import install as hooks
from policy_diff.errors import PolicyDiffError

from conftest import CORPUS


@pytest.fixture
def git_repo(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    import shutil

    (tmp_path / "gitconfig").write_text("")
    monkeypatch.setenv("GIT_CONFIG_GLOBAL", str(tmp_path / "gitconfig"))
    monkeypatch.setenv("GIT_CONFIG_NOSYSTEM", "1")
    for name in ("GIT_DIR", "GIT_WORK_TREE", "GIT_INDEX_FILE"):
        monkeypatch.delenv(name, raising=False)
    top = tmp_path / "repo"
    subprocess.run(["git", "init", "-q", str(top)], check=True)
    shutil.copytree(CORPUS, top / "policies")
    monkeypatch.chdir(top)
    return top


def test_hooks_round_trip_a_foreign_hook_that_is_a_symlink(git_repo: Path) -> None:
    shared = git_repo.parent / "shared-hook"
    shared.write_bytes(b"#!/bin/sh\n# shared \xff\xfe not UTF-8\nexit 0\n")
    shared.chmod(0o755)
    hook = git_repo / ".git/hooks/pre-commit"
    hook.symlink_to(shared)
    hooks.install(git_repo)
    assert shared.read_bytes().startswith(b"#!/bin/sh\n# shared")  # the target untouched
    hooks.uninstall(git_repo)
    assert hook.is_symlink() and os.readlink(hook) == str(shared)
    assert shared.read_bytes() == b"#!/bin/sh\n# shared \xff\xfe not UTF-8\nexit 0\n"


def test_hooks_round_trip_a_gitattributes_with_crlf_and_odd_bytes(git_repo: Path) -> None:
    original = b"*.png binary\r\n# caf\xe9 latin-1\r\n*.md text"
    (git_repo / ".gitattributes").write_bytes(original)
    hooks.install(git_repo)
    assert (git_repo / ".gitattributes").read_bytes().startswith(original + b"\r\n")
    hooks.uninstall(git_repo)
    assert (git_repo / ".gitattributes").read_bytes() == original  # no newline added


def test_hooks_never_write_through_a_gitattributes_link_out_of_the_repo(git_repo: Path) -> None:
    victim = git_repo.parent / "bashrc"
    victim.write_bytes(b"export PATH=~/bin:$PATH\n")
    (git_repo / ".gitattributes").symlink_to(victim)
    with pytest.raises(PolicyDiffError, match="outside the repository"):
        hooks.install(git_repo)
    assert victim.read_bytes() == b"export PATH=~/bin:$PATH\n"
    assert not (git_repo / ".git/hooks/pre-commit").exists()  # refused before anything
