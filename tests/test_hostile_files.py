"""Hostile files in a repository: links, folders, FIFOs and devices where records or
`.gitattributes` should be.  Nothing a repository commits decides where policy-diff writes,
and nothing it commits makes policy-diff read outside the store or wait forever.

Commands run as real processes with a time limit, on real git repositories, so a hang is
a failure and not a stuck suite.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest

from policy_diff import hooks
from policy_diff.errors import PolicyDiffError

from test_hooks import CORPUS, RECORDS, git, isolate_git

TIME_LIMIT = 20  # seconds: every command here answers in well under one


def cli(top: Path, *args: str, stdin: bytes = b"") -> subprocess.CompletedProcess[str]:
    """`policy-diff ARGS` as a process in TOP; a hang fails the test after TIME_LIMIT."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("POLICY_DIFF_")}
    env["COLUMNS"] = "400"  # one line per row, for the messages looked for
    return _decoded(subprocess.run([sys.executable, "-m", "policy_diff", *args], cwd=top,
                                   input=stdin, capture_output=True, timeout=TIME_LIMIT,
                                   env=env))


def _decoded(result: subprocess.CompletedProcess[bytes]) -> subprocess.CompletedProcess[str]:
    return subprocess.CompletedProcess(result.args, result.returncode,
                                       result.stdout.decode("utf-8", "replace"),
                                       result.stderr.decode("utf-8", "replace"))


@pytest.fixture
def clone(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A repository holding the us-apl corpus in its first commit, nothing installed."""
    isolate_git(tmp_path, monkeypatch)
    top = tmp_path / "repo"
    git(tmp_path, "init", "-q", "-b", "main", str(top))
    shutil.copytree(CORPUS / "us-apl", top / RECORDS)
    git(top, "add", "-A")
    git(top, "commit", "-q", "-m", "Import the corpus")
    monkeypatch.chdir(top)
    return top


def snapshot(top: Path) -> dict[str, bytes]:
    """Every file of the repository, .git included, by content (links by their target)."""
    found = {}
    for path in sorted(top.rglob("*")):
        key = path.relative_to(top).as_posix()
        if path.is_symlink():
            found[key] = b"-> " + os.fsencode(os.readlink(path))
        elif path.is_file():
            found[key] = path.read_bytes()
    return found


# ------------------------------------------------------------------ .gitattributes


POST_CHECKOUT = b"#!/bin/sh\n# installed by git-lfs\ngit lfs post-checkout \"$@\"\n"


@pytest.mark.parametrize("target", [".git/hooks/post-checkout", ".git/config", ".git/index",
                                    "../outside"])
def test_a_committed_gitattributes_link_is_never_written_through(clone: Path,
                                                                 target: str) -> None:
    """A clone's `.gitattributes -> .git/hooks/post-checkout` would make our line a command."""
    hook = clone / ".git/hooks/post-checkout"
    hook.write_bytes(POST_CHECKOUT)
    hook.chmod(0o755)
    (clone.parent / "outside").write_bytes(b"keep\n")
    (clone / ".gitattributes").symlink_to(target)
    before = snapshot(clone)
    with pytest.raises(PolicyDiffError) as caught:
        hooks.install(clone)
    reason = "outside the repository" if target.startswith("..") else "into the .git folder"
    assert str(caught.value).startswith(f".gitattributes is a symbolic link leading {reason}")
    assert snapshot(clone) == before  # refused before anything was written
    assert (clone.parent / "outside").read_bytes() == b"keep\n"
    result = cli(clone, "hooks", "install")
    assert result.returncode == 2 and result.stdout == ""
    assert "refusing to write through it or replace it" in result.stderr
    assert git(clone, "status", "--porcelain").stdout == "?? .gitattributes\n"


def test_a_gitattributes_link_inside_the_work_tree_is_refused_too(clone: Path) -> None:
    (clone / "attributes").write_bytes(b"*.png binary\n")
    (clone / ".gitattributes").symlink_to("attributes")
    with pytest.raises(PolicyDiffError, match=r"^\.gitattributes is a symbolic link \(to "):
        hooks.install(clone)
    assert (clone / "attributes").read_bytes() == b"*.png binary\n"


def test_a_gitattributes_folder_is_refused_before_anything_and_uninstall_still_works(
        clone: Path) -> None:
    (clone / ".gitattributes").mkdir()
    before = snapshot(clone)
    with pytest.raises(PolicyDiffError, match=r"^\.gitattributes is a folder, not a regular "
                                              r"file; refusing to write or remove it"):
        hooks.install(clone)
    assert snapshot(clone) == before
    (clone / ".gitattributes").rmdir()
    hooks.install(clone)
    (clone / ".gitattributes").unlink()
    (clone / ".gitattributes").mkdir()  # a checkout put a folder there since
    lines = hooks.uninstall(clone)
    assert lines[-1] == (".gitattributes: left alone: .gitattributes is a folder, not a regular "
                         "file; refusing to write or remove it")
    assert not any((clone / ".git/hooks" / name).exists() for name in hooks.HOOKS)
    assert (clone / ".gitattributes").is_dir()


# ------------------------------------------------------------------ reads: links and FIFOs


def test_changes_against_the_work_tree_never_follows_a_link_out_of_the_store(
        clone: Path) -> None:
    outside = clone.parent / "secret.md"
    outside.write_text((clone / RECORDS / "2025-12-02.md").read_text()
                       .replace("stockpile_destruction:", "secret_provision_id: x\n"
                                                          "  stockpile_destruction:"))
    (clone / RECORDS / "2030-01-01.md").symlink_to(outside)
    git(clone, "add", "-A")
    git(clone, "commit", "-q", "-m", "A link")
    result = cli(clone, "changes", "HEAD~1")
    assert result.returncode == 2 and result.stdout == ""
    assert "secret_provision_id" not in result.stdout + result.stderr
    assert result.stderr == (f"policy-diff: error: {RECORDS}/2030-01-01.md: is a symbolic link "
                             f"to outside the store; refusing to follow it\n")


@pytest.mark.parametrize("target", ["fifo", "/dev/stdin", "/dev/zero"])
def test_changes_against_the_work_tree_never_waits_on_a_fifo_or_device(clone: Path,
                                                                       target: str) -> None:
    link = clone / RECORDS / "2030-01-01.md"
    if target == "fifo":
        os.mkfifo(clone / RECORDS / "pipe")
        link.symlink_to("pipe")
    else:
        link.symlink_to(target)
    git(clone, "add", f"{RECORDS}/2030-01-01.md")
    git(clone, "commit", "-q", "-m", "A link")
    started = time.monotonic()
    # standard input is a pipe that never ends: /dev/stdin must not be read
    process = subprocess.Popen([sys.executable, "-m", "policy_diff", "changes", "HEAD~1"],
                               cwd=clone, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                               stderr=subprocess.PIPE)
    out, err = process.communicate(timeout=TIME_LIMIT) if target != "/dev/stdin" else \
        _without_closing_stdin(process)
    assert time.monotonic() - started < TIME_LIMIT
    assert process.returncode == 2 and out == b""
    kind = "a named pipe (FIFO)" if target == "fifo" else "a device"
    if target == "fifo":
        assert err.decode() == (f"policy-diff: error: {RECORDS}/2030-01-01.md: cannot read: it "
                                f"is {kind}, not a regular file\n")
    else:
        assert err.decode() == (f"policy-diff: error: {RECORDS}/2030-01-01.md: is a symbolic "
                                f"link to outside the store; refusing to follow it\n")


def _without_closing_stdin(process: subprocess.Popen[bytes]) -> tuple[bytes, bytes]:
    try:
        process.wait(timeout=TIME_LIMIT)
    finally:
        assert process.stdin is not None
        process.stdin.close()
    assert process.stdout is not None and process.stderr is not None
    return process.stdout.read(), process.stderr.read()


FIFO = f"{RECORDS}/2030-01-01.md"
COMMANDS = [
    (["diff", "us-apl@2030-01-01", "us-apl@first"], 2),
    (["diff", "us-apl@first", "us-apl@latest"], 1),
    (["diff", FIFO, f"{RECORDS}/2025-12-02.md"], 2),
    (["show", "us-apl@2030"], 2),
    (["log", "us-apl"], 0),
    (["matrix", "us-apl"], 2),  # as for any unreadable version
    (["blame", "us-apl@2030-01-01"], 2),
    (["blame", FIFO], 2),
    (["validate"], 1),
    (["validate", FIFO], 1),
    (["new", "us-apl", "--version", "2031-01-01", "--from", "2030-01-01"], 2),
    (["new", "us-apl", "--version", "2031-01-01"], 0),
]


@pytest.mark.parametrize("command, code", COMMANDS, ids=[" ".join(c[:2]) for c, _ in COMMANDS])
def test_a_fifo_named_like_a_version_is_a_located_error_never_a_wait(
        clone: Path, command: list[str], code: int) -> None:
    os.mkfifo(clone / FIFO)
    result = cli(clone, *command)
    assert "Traceback" not in result.stderr
    assert result.returncode == code, result
    message = f"{FIFO}: cannot read: it is a named pipe (FIFO), not a regular file"
    if code == 2:
        assert result.stdout == "" and result.stderr.startswith("policy-diff: error: ")
        assert message in result.stderr
    elif command[0] == "validate":
        assert message in result.stdout
    elif command[0] == "log":
        assert "cannot read: it is a named pipe (FIFO)" in result.stdout
