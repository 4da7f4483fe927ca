"""The git diff driver: git's own `git diff` / `git log -p` on real repositories, and its arguments."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import CORPUS
from policy_diff import gitdriver
from policy_diff.hooks import install as hooks

RECORD = "policies/us-apl/2022-06-21.md"


def git(top: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(["git", *args], cwd=top, capture_output=True, text=True,
                          encoding="utf-8", check=False)


@pytest.fixture
def repo(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Two records and the manifest committed, the diff driver installed."""
    (tmp_path / "gitconfig").write_text("")
    for name in ("GIT_DIR", "GIT_WORK_TREE", "GIT_INDEX_FILE", "GIT_EXTERNAL_DIFF"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("GIT_CONFIG_GLOBAL", str(tmp_path / "gitconfig"))
    monkeypatch.setenv("GIT_CONFIG_NOSYSTEM", "1")
    monkeypatch.setenv("GIT_PAGER", "cat")
    for role in ("AUTHOR", "COMMITTER"):
        monkeypatch.setenv(f"GIT_{role}_NAME", "Policy Staff")
        monkeypatch.setenv(f"GIT_{role}_EMAIL", "staff@example.org")
        monkeypatch.setenv(f"GIT_{role}_DATE", "2026-01-02T03:04:05+00:00")
    top = tmp_path / "repo"
    git(tmp_path, "init", "-q", "-b", "main", str(top))
    for name in ("policy.yaml", "2020-01-31.md", "2022-06-21.md"):
        (top / "policies/us-apl").mkdir(parents=True, exist_ok=True)
        shutil.copy(CORPUS / "us-apl" / name, top / "policies/us-apl" / name)
    hooks.install(top)
    (top / ".git/hooks/pre-commit").unlink()  # these tests are about the driver, not the guard
    git(top, "add", "-A")
    assert git(top, "commit", "-q", "-m", "Import").returncode == 0
    monkeypatch.chdir(top)
    return top


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def broaden(top: Path) -> None:
    edit(top / RECORD, "    - Korean Peninsula\n", "    - Korean Peninsula\n    - Europe\n")


def test_git_diff_shows_the_policy_diff(repo: Path) -> None:
    broaden(repo)
    result = git(repo, "diff")
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith(f"diff --policy a/{RECORD} b/{RECORD}\n")
    assert "Key provisions" in result.stdout
    assert "Geographic scope  BROADENED  Korean Peninsula → Korean Peninsula; Europe" \
        in result.stdout
    assert "\x1b[" not in result.stdout  # piped, no pager: plain
    assert git(repo, "diff", "--exit-code").returncode == 1  # git still says "differs"


def test_git_log_patch_with_ext_diff(repo: Path) -> None:
    broaden(repo)
    assert git(repo, "commit", "-q", "-a", "-m", "Broaden").returncode == 0
    result = git(repo, "log", "-p", "--ext-diff", "-1")
    assert result.returncode == 0
    assert "Broaden" in result.stdout and "BROADENED" in result.stdout
    assert "diff --git" not in git(repo, "show", "--ext-diff", "HEAD").stdout


def test_new_and_deleted_records(repo: Path) -> None:
    git(repo, "rm", "-q", "policies/us-apl/2020-01-31.md")
    result = git(repo, "diff", "--cached")
    assert result.returncode == 0
    assert "diff --policy a/policies/us-apl/2020-01-31.md" in result.stdout
    assert "--- policies/us-apl/2020-01-31.md" in result.stdout
    assert "+++ /dev/null" in result.stdout


def test_a_new_version_is_compared_with_the_version_it_supersedes(repo: Path) -> None:
    """As its commit summary is: a new version against its predecessor, not against nothing."""
    shutil.copy(CORPUS / "us-apl" / "2025-12-02.md", repo / "policies/us-apl/2025-12-02.md")
    git(repo, "add", "-A")
    assert git(repo, "commit", "-q", "-m", "2025").returncode == 0
    out = git(repo, "show", "--ext-diff", "HEAD").stdout
    assert "diff --policy a/policies/us-apl/2025-12-02.md b/policies/us-apl/2025-12-02.md" in out
    assert ("policy-diff: new version, compared with policies/us-apl/2022-06-21.md, the version "
            "it supersedes") in out
    assert "BROADENED" in out and "Korean Peninsula → Worldwide" in out


def test_colour_under_git_pager_unless_no_color(repo: Path,
                                               monkeypatch: pytest.MonkeyPatch) -> None:
    broaden(repo)
    monkeypatch.setenv("GIT_PAGER_IN_USE", "true")  # what git sets for a paged run
    assert "\x1b[" in git(repo, "diff").stdout
    monkeypatch.setenv("NO_COLOR", "1")
    assert "\x1b[" not in git(repo, "diff").stdout


def test_coloured_deleted_and_inserted_words_keep_apart(repo: Path,
                                                        monkeypatch: pytest.MonkeyPatch) -> None:
    edit(repo / RECORD, "outside narrow exceptions", "outside broad exceptions")
    monkeypatch.setenv("GIT_PAGER_IN_USE", "true")
    monkeypatch.setenv("COLUMNS", "300")
    out = git(repo, "diff").stdout
    assert "\x1b[" in out
    text = re.sub(r"\x1b\[[0-9;]*m", "", out)
    assert "outside narrow broad exceptions" in text and "narrowbroad" not in text


def test_width_follows_columns(repo: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    broaden(repo)
    monkeypatch.setenv("COLUMNS", "40")
    lines = git(repo, "diff").stdout.split("\n")[1:]
    assert max(map(len, lines)) <= 40


def test_rename_passes_nine_arguments(repo: Path) -> None:
    git(repo, "mv", RECORD, "policies/us-apl/renamed.md")
    result = git(repo, "diff", "--cached", "-M")
    assert result.returncode == 0
    assert result.stdout.startswith(f"diff --policy a/{RECORD} b/policies/us-apl/renamed.md\n"
                                    f"similarity index 100%\nrename from {RECORD}\n")


def test_broken_record_falls_back_to_a_plain_diff(repo: Path) -> None:
    path = repo / RECORD
    path.write_text("---\npolicy: us-apl\nstatus: in-force\n", encoding="utf-8")
    result = git(repo, "diff")
    assert result.returncode == 0, result.stderr
    lines = result.stdout.split("\n")
    assert lines[1] == (f"policy-diff: error: {RECORD}:1: front matter opened here is never "
                        f"closed (no `---` line after it); showing a plain diff")
    assert lines[2:4] == [f"--- a/{RECORD}", f"+++ b/{RECORD}"]
    assert "-version: 2022-06-21" in lines


def test_plain_diff_shows_control_characters_and_missing_newline() -> None:
    out = gitdriver.plain_diff("p.md", "p.md", b"a\n", b"b\x1b[31m", "x", "y")
    assert out.endswith("+b\\x1b[31m\n\\ No newline at end of file\n")


@pytest.mark.parametrize("args, expected", [
    (["policies/a b.md"], "* Unmerged path policies/a b.md\n"),
    (["a", "b"], "policy-diff: error: git passed 2 arguments to the diff driver; "
                 "expected 7, 9 or 1\n"),
    (["p.md", "/nonexistent/x", ".", ".", "/dev/null", ".", "."],
     "diff --policy a/p.md b/p.md\npolicy-diff: error: cannot read /nonexistent/x: "
     "No such file or directory\n"),
])
def test_odd_calls_exit_zero(args: list[str], expected: str,
                             capsys: pytest.CaptureFixture[str]) -> None:
    assert gitdriver.main(args) == 0
    assert capsys.readouterr().out == expected


def test_process_exits_zero_for_one_nine_and_broken_inputs(tmp_path: Path) -> None:
    broken = tmp_path / "broken.md"
    broken.write_text("---\nversion: [\n---\n", encoding="utf-8")
    good = str(CORPUS / "us-apl/2022-06-21.md")
    calls = {"* Unmerged path x.md\n": ["x.md"],
             "diff --policy a/a.md b/b.md\nsimilarity index 50%\nrename from a.md\n"
             "rename to b.md\npolicy-diff: error: b.md:2: invalid YAML":
                 ["a.md", good, ".", ".", str(broken), ".", ".", "b.md",
                  "similarity index 50%\nrename from a.md\nrename to b.md\n"]}
    for start, args in calls.items():
        result = subprocess.run([sys.executable, "-m", "policy_diff.gitdriver", *args],
                                capture_output=True, text=True, check=False)
        assert (result.returncode, result.stderr) == (0, "")
        assert result.stdout.startswith(start)


def test_driver_imports_no_cli_framework() -> None:
    record = str(CORPUS / "us-apl/2022-06-21.md")
    result = subprocess.run([sys.executable, "-X", "importtime", "-m", "policy_diff.gitdriver",
                             "a.md", record, ".", ".", record, ".", "."],
                            capture_output=True, text=True, check=False)
    modules = {row.split("|")[-1].strip() for row in result.stderr.splitlines() if "|" in row}
    assert "policy_diff.diff.compare" in modules  # (the diff really ran)
    assert not {"typer", "click", "pydantic", "git"} & modules
