"""Hostile files in a repository: links, folders, FIFOs and devices where records or
`.gitattributes` should be.  Nothing a repository commits decides where policy-diff writes,
and nothing it commits makes policy-diff read outside the store or wait forever.

Commands run as real processes with a time limit, on real git repositories, so a hang is
a failure and not a stuck suite.
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from policy_diff.hooks import install as hooks
from policy_diff.errors import PolicyDiffError

from conftest import CORPUS
from gitrepo import RECORDS, git

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
def clone(bare_repo: Path) -> Path:
    """A repository holding the us-apl corpus in its first commit, nothing installed."""
    return bare_repo


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
    (["diff", "us-apl@first", "us-apl@latest"], 2),  # the latest cannot be read: it stops
    (["diff", FIFO, f"{RECORDS}/2025-12-02.md"], 2),
    (["show", "us-apl@2030"], 2),
    (["log", "us-apl"], 1),  # listed in its place, marked unreadable
    (["matrix", "us-apl"], 2),  # as for any unreadable version
    (["blame", "us-apl@2030-01-01"], 2),
    (["blame", FIFO], 2),
    (["validate"], 1),
    (["validate", FIFO], 1),
    (["new", "us-apl", "--version", "2031-01-01", "--from", "2030-01-01"], 2),
    (["new", "us-apl", "--version", "2031-01-01"], 2),  # never from an unreadable latest
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


# ------------------------------------------------------------------ hook files: ours or not


def test_a_hook_the_user_edited_is_kept_reported_and_replaced_only_with_force(
        clone: Path) -> None:
    hooks.install(clone)
    hook = clone / ".git/hooks/pre-commit"
    edited = hook.read_bytes() + b"echo my own check >&2\n"
    hook.write_bytes(edited)
    lines = hooks.install(clone)
    assert lines[0] == ("pre-commit: left alone: .git/hooks/pre-commit has our marker but other "
                        "lines (edited since install?); `hooks install --force` replaces it, "
                        "keeping it as pre-commit.legacy")
    assert hook.read_bytes() == edited
    assert hooks.status(clone)[0] == ("pre-commit: edited since install (kept as it is; `hooks "
                                      "install --force` replaces it, keeping it as "
                                      "pre-commit.legacy)")
    assert hooks.uninstall(clone)[0] == ("pre-commit: left alone: it has our marker but other "
                                         "lines (edited since install?); remove it by hand")
    assert hook.read_bytes() == edited
    hooks.install(clone)
    assert hooks.install(clone, force=True)[0] == (
        "pre-commit: installed at .git/hooks/pre-commit (the previous hook is kept as "
        "pre-commit.legacy and still runs first)")
    assert (clone / ".git/hooks/pre-commit.legacy").read_bytes() == edited
    assert hooks.is_ours(hook)


def test_a_foreign_hook_that_mentions_the_marker_is_never_replaced_or_deleted(
        clone: Path) -> None:
    foreign = f"#!/bin/sh\n# not {hooks.MARKER}, but our own\nexit 0\n".encode()
    hook = clone / ".git/hooks/pre-commit"
    hook.write_bytes(foreign)
    hooks.install(clone)
    assert hook.read_bytes() == foreign
    hooks.uninstall(clone)
    assert hook.read_bytes() == foreign
    assert not (clone / ".git/hooks/pre-commit.legacy").exists()


def test_our_hook_for_a_python_that_is_gone_is_ours_and_replaced(clone: Path) -> None:
    hook = clone / ".git/hooks/pre-commit"
    hook.write_text(hooks.hook_script("pre-commit", "/gone/venv/bin/python"))
    assert hooks.status(clone)[0] == ("pre-commit: broken (/gone/venv/bin/python is gone; "
                                      "reinstall) at .git/hooks/pre-commit")
    assert hooks.install(clone)[0] == "pre-commit: installed at .git/hooks/pre-commit"
    assert hook.read_text() == hooks.hook_script("pre-commit")
    assert not (clone / ".git/hooks/pre-commit.legacy").exists()


# ------------------------------------------------------------------ .gitattributes bytes


def test_a_tracked_gitattributes_is_never_deleted(clone: Path) -> None:
    hooks.install(clone)
    git(clone, "add", ".gitattributes")
    git(clone, "commit", "-q", "-m", "Attributes")
    lines = hooks.uninstall(clone)
    assert lines[-1] == ("`.gitattributes: removed `policies/**/*.md diff=policy` (the file is "
                         "tracked: commit this change)").lstrip("`")
    assert (clone / ".gitattributes").read_bytes() == b""
    assert git(clone, "status", "--porcelain").stdout == " M .gitattributes\n"
    assert hooks.install(clone)[-1] == (".gitattributes: added `policies/**/*.md diff=policy` "
                                        "(the file is tracked: commit this change)")
    assert git(clone, "status", "--porcelain").stdout == ""


@pytest.mark.parametrize("original", [b"", b"*.png binary", b"*.png binary\n",
                                      b"*.png binary\r\n*.md text", b"\xff\xfe odd\n\n"])
def test_gitattributes_round_trip_byte_for_byte(clone: Path, original: bytes) -> None:
    (clone / ".gitattributes").write_bytes(original)
    hooks.install(clone)
    added = (clone / ".gitattributes").read_bytes()
    assert added.startswith(original) and b"policies/**/*.md diff=policy" in added
    hooks.uninstall(clone)
    if original:
        assert (clone / ".gitattributes").read_bytes() == original
    else:
        assert not (clone / ".gitattributes").exists()  # untracked, and ours alone


# ------------------------------------------------------------------ checked before writing


def test_a_locked_git_config_is_refused_before_anything_is_written(clone: Path) -> None:
    (clone / ".git/config.lock").write_bytes(b"")  # another git process is at work
    before = snapshot(clone)
    with pytest.raises(PolicyDiffError, match=r"^\.git/config\.lock exists: another git "
                                              r"process is changing the configuration; "
                                              r"nothing was changed"):
        hooks.install(clone)
    assert snapshot(clone) == before


def test_hooks_folder_writable_but_git_config_not_refuses_before_writing(tmp_path: Path) -> None:
    """Run as another user (root writes anywhere): .git read-only, .git/hooks writable."""
    import tempfile

    if os.geteuid() != 0 or not shutil.which("setpriv"):
        pytest.skip("needs root and setpriv to run install as a user without rights on .git")
    probe = subprocess.run(["setpriv", "--reuid=65534", "--regid=65534", "--clear-groups",
                            sys.executable, "-c", "import policy_diff.hooks"],
                           cwd="/", capture_output=True, text=True, timeout=TIME_LIMIT)
    if probe.returncode != 0:  # a virtual environment in a folder only root may enter
        pytest.skip("the unprivileged user cannot import policy_diff from this Python: "
                    + probe.stderr.strip().splitlines()[-1])
    home = Path(tempfile.mkdtemp(prefix="policy-diff-perm-"))
    try:
        home.chmod(0o755)
        top = home / "repo"
        subprocess.run(["git", "init", "-q", str(top)], check=True)
        shutil.copytree(CORPUS / "us-apl", top / RECORDS)
        (home / "gitconfig").write_text("")
        subprocess.run(["chown", "-R", "65534:65534", str(home)], check=True)
        (top / ".git").chmod(0o555)
        before = snapshot(top)
        env = {"PATH": os.environ["PATH"], "HOME": str(home),
               "GIT_CONFIG_GLOBAL": str(home / "gitconfig"), "GIT_CONFIG_NOSYSTEM": "1"}
        result = subprocess.run(["setpriv", "--reuid=65534", "--regid=65534", "--clear-groups",
                                 sys.executable, "-m", "policy_diff", "hooks", "install"],
                                cwd=top, env=env, capture_output=True, text=True,
                                timeout=TIME_LIMIT)
        assert result.returncode == 2 and result.stdout == ""
        assert result.stderr == ("policy-diff: error: cannot write .git/config: Permission "
                                 "denied; nothing was changed\n")
        assert snapshot(top) == before
    finally:
        (home / "repo" / ".git").chmod(0o755)
        shutil.rmtree(home)


# ------------------------------------------------------------------ interruption


def slow_git(tmp_path: Path, when: str) -> tuple[dict[str, str], Path]:
    """PATH with a `git` that stops for 1 s before running a `git config` call matching WHEN."""
    folder = tmp_path / "slow-bin"
    folder.mkdir()
    reached = tmp_path / "reached"
    script = folder / "git"
    script.write_text(f'#!/bin/sh\ncase " $* " in *" --get "*) ;; *{when}*) : > "{reached}"; '
                      f'sleep 1;; esac\nexec {shutil.which("git")} "$@"\n')
    script.chmod(0o755)
    env = dict(os.environ, PATH=f"{folder}{os.pathsep}{os.environ['PATH']}")
    return env, reached


def interrupt(top: Path, args: list[str], env: dict[str, str], reached: Path,
              signum: int) -> subprocess.CompletedProcess[bytes]:
    """Run policy-diff ARGS; send SIGNUM once it is halfway (in the slow git call)."""
    process = subprocess.Popen([sys.executable, "-m", "policy_diff", *args], cwd=top, env=env,
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    deadline = time.monotonic() + TIME_LIMIT
    while not reached.exists():
        assert time.monotonic() < deadline and process.poll() is None, process.communicate()
        time.sleep(0.01)
    process.send_signal(signum)
    out, err = process.communicate(timeout=TIME_LIMIT)
    return subprocess.CompletedProcess(args, process.returncode, out, err)


def strays(top: Path) -> list[str]:
    return sorted(p.relative_to(top).as_posix() for p in top.rglob("*.tmp"))


SIGNALS = [signal.SIGINT, signal.SIGTERM, signal.SIGHUP]


@pytest.mark.parametrize("signum", SIGNALS, ids=lambda s: signal.Signals(s).name)
def test_install_interrupted_halfway_completes_and_leaves_no_stray_file(
        clone: Path, tmp_path: Path, signum: int) -> None:
    hook = clone / ".git/hooks/pre-commit"
    hook.write_bytes(b"#!/bin/sh\necho team-check\n")
    hook.chmod(0o755)
    env, reached = slow_git(tmp_path, "diff.policy.command")
    result = interrupt(clone, ["hooks", "install"], env, reached, signum)
    assert result.returncode == (130 if signum == signal.SIGINT else -signum), result
    assert (clone / ".git/hooks/pre-commit.legacy").read_bytes() == b"#!/bin/sh\necho team-check\n"
    status = hooks.status(clone)
    assert all(line.startswith(f"{name}: installed") for line, name in zip(status, hooks.HOOKS))
    assert status[-1] == ".gitattributes: has `policies/**/*.md diff=policy`"
    assert strays(clone) == []


@pytest.mark.parametrize("signum", SIGNALS, ids=lambda s: signal.Signals(s).name)
def test_uninstall_interrupted_halfway_completes(clone: Path, tmp_path: Path,
                                                 signum: int) -> None:
    hook = clone / ".git/hooks/pre-commit"
    hook.write_bytes(b"#!/bin/sh\necho team-check\n")
    hook.chmod(0o755)
    hooks.install(clone)
    env, reached = slow_git(tmp_path, "--unset")
    result = interrupt(clone, ["hooks", "uninstall"], env, reached, signum)
    assert result.returncode == (130 if signum == signal.SIGINT else -signum), result
    assert hook.read_bytes() == b"#!/bin/sh\necho team-check\n"
    assert sorted(p.name for p in (clone / ".git/hooks").iterdir()
                  if not p.name.endswith(".sample")) == ["pre-commit"]
    assert not (clone / ".gitattributes").exists()
    assert strays(clone) == []


def test_new_under_a_signal_at_any_moment_leaves_the_old_state_or_the_new(clone: Path) -> None:
    """SIGTERM sent at moments spread over a whole run: never a partial record or a temp file.
    (Each signal at the worst moment: the test after this one.)"""
    signum = signal.SIGTERM
    args = [sys.executable, "-m", "policy_diff", "new", "us-apl", "--version", "2031-01-01",
            "--effective", "2031-01-01"]
    target = clone / RECORDS / "2031-01-01.md"
    started = time.monotonic()
    subprocess.run(args, cwd=clone, check=True, capture_output=True)
    whole = time.monotonic() - started
    complete = target.read_bytes()
    outcomes = set()
    for step in range(12):
        target.unlink(missing_ok=True)
        process = subprocess.Popen(args, cwd=clone, stdout=subprocess.PIPE,
                                   stderr=subprocess.PIPE)
        time.sleep(whole * step / 6)  # from the start to well after the end
        process.send_signal(signum)
        process.communicate(timeout=TIME_LIMIT)
        assert not target.exists() or target.read_bytes() == complete
        outcomes.add(target.exists())
        assert strays(clone) == []
        assert git(clone, "status", "--porcelain", "--untracked-files=all").stdout in (
            "", f"?? {RECORDS}/2031-01-01.md\n")
    assert True in outcomes  # the late signals came after the write


@pytest.mark.parametrize("signum", SIGNALS, ids=lambda s: signal.Signals(s).name)
def test_new_signalled_in_the_middle_of_its_write_still_writes_the_whole_record(
        clone: Path, signum: int) -> None:
    """The signal is sent from inside the write (at its fsync), the worst moment there is."""
    code = ("import os, signal, sys\n"
            "real = os.fsync\n"
            f"def fsync(fd):\n    os.kill(os.getpid(), {int(signum)})\n    real(fd)\n"
            "os.fsync = fsync\n"
            "from policy_diff.cli import main\n"
            "sys.exit(main(['new', 'us-apl', '--version', '2031-01-01']))\n")
    result = subprocess.run([sys.executable, "-c", code], cwd=clone, capture_output=True,
                            timeout=TIME_LIMIT)
    assert result.returncode == (130 if signum == signal.SIGINT else -signum), result
    target = clone / RECORDS / "2031-01-01.md"
    assert target.read_text().startswith("---\n") and "status: draft" in target.read_text()
    assert strays(clone) == []


# ------------------------------------------------------------------ clear messages


def test_diff_of_standard_input_with_itself_is_a_usage_error(clone: Path) -> None:
    result = cli(clone, "diff", "-", "-", stdin=(clone / FIFO_SOURCE).read_bytes())
    assert (result.returncode, result.stdout) == (2, "")
    assert result.stderr == ("policy-diff: error: `-` (standard input) can be only one side of "
                             "a diff; give a file or a ref for the other\n")


FIFO_SOURCE = f"{RECORDS}/2025-12-02.md"


def test_a_bare_repository_is_named_as_such(clone: Path, tmp_path: Path) -> None:
    bare = tmp_path / "bare.git"
    git(tmp_path, "clone", "-q", "--bare", str(clone), str(bare))
    for args in (["hooks", "install"], ["hooks", "status"]):
        result = cli(bare, *args)
        assert result.returncode == 2 and result.stdout == ""
        assert result.stderr == (f"policy-diff: error: {bare} is a bare repository (no work "
                                 f"tree): this command needs a checkout; `policy-diff check "
                                 f"BASE..HEAD` runs in a bare repository\n")
    assert cli(bare, "check", "HEAD").returncode == 0


def test_a_repository_of_another_user_gets_gits_safe_directory_hint(tmp_path: Path) -> None:
    import tempfile

    if os.geteuid() != 0:
        pytest.skip("needs root to give the repository to another user")
    home = Path(tempfile.mkdtemp(prefix="policy-diff-owner-"))
    try:
        top = home / "repo"
        subprocess.run(["git", "init", "-q", str(top)], check=True)
        subprocess.run(["chown", "-R", "65534:65534", str(top)], check=True)
        env = {k: v for k, v in os.environ.items() if k != "GIT_CONFIG_GLOBAL"}
        env.update(GIT_CONFIG_GLOBAL=str(home / "gitconfig"), GIT_CONFIG_NOSYSTEM="1")
        (home / "gitconfig").write_text("")
        result = _decoded(subprocess.run([sys.executable, "-m", "policy_diff", "hooks",
                                          "status"], cwd=top, env=env, capture_output=True,
                                         timeout=TIME_LIMIT))
        assert result.returncode == 2 and result.stdout == ""
        assert result.stderr == (f"policy-diff: error: git refuses the repository at {top}: "
                                 f"another user owns it (\"dubious ownership\"); hint: if you "
                                 f"trust it, `git config --global --add safe.directory {top}`\n")
    finally:
        shutil.rmtree(home)


def test_new_never_writes_into_git_through_a_linked_store(clone: Path) -> None:
    inside = clone / ".git" / "policies"
    shutil.move(str(clone / "policies"), str(inside))
    (clone / "policies").symlink_to(".git/policies")
    before = snapshot(clone)
    result = cli(clone, "new", "us-apl", "--version", "2031-01-01")
    assert result.returncode == 2 and result.stdout == ""
    assert result.stderr.startswith("policy-diff: error: ") and \
        "2031-01-01.md leads into the .git folder" in result.stderr
    assert snapshot(clone) == before


def test_a_manifest_linked_out_of_the_store_is_never_read_from_the_work_tree(
        clone: Path) -> None:
    secret = clone.parent / "secret.yaml"
    secret.write_text((clone / RECORDS / "policy.yaml").read_text()
                      .replace("label: ", "label: SECRET ", 1))
    (clone / RECORDS / "policy.yaml").unlink()
    (clone / RECORDS / "policy.yaml").symlink_to(secret)
    edit_record = clone / RECORDS / "2025-12-02.md"
    edit_record.write_text(edit_record.read_text().replace("status: in-force",
                                                           "status: superseded"))
    for args in (["changes", "HEAD"], ["diff", f"{RECORDS}/2022-06-21.md",
                                       f"{RECORDS}/2025-12-02.md"]):
        result = cli(clone, *args)
        assert "SECRET" not in result.stdout + result.stderr
        assert result.returncode == 2 and result.stderr == (
            f"policy-diff: error: {RECORDS}/policy.yaml: is a symbolic link to outside the "
            f"store; refusing to follow it\n"), result


def test_uninstall_with_a_locked_git_config_changes_nothing(clone: Path) -> None:
    hooks.install(clone)
    (clone / ".git/config.lock").write_bytes(b"")
    before = snapshot(clone)
    with pytest.raises(PolicyDiffError, match=r"config\.lock exists"):
        hooks.uninstall(clone)
    assert snapshot(clone) == before


def test_even_a_sigkill_in_the_middle_of_a_write_leaves_nothing_for_git_add(
        clone: Path) -> None:
    """SIGKILL cannot be held: the temporary file is in .git, where `git add -A` never looks."""
    code = ("import os, signal, sys\n"
            "def fsync(fd):\n    os.kill(os.getpid(), signal.SIGKILL)\n"
            "os.fsync = fsync\n"
            "from policy_diff.cli import main\n"
            "sys.exit(main(['new', 'us-apl', '--version', '2031-01-01']))\n")
    result = subprocess.run([sys.executable, "-c", code], cwd=clone, capture_output=True,
                            timeout=TIME_LIMIT)
    assert result.returncode == -signal.SIGKILL
    assert not (clone / RECORDS / "2031-01-01.md").exists()
    assert strays(clone) == [p for p in strays(clone) if p.startswith(".git/")]
    git(clone, "add", "-A")
    assert git(clone, "status", "--porcelain").stdout == ""
