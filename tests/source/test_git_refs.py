"""Versions through git on real repositories: REV:PATH refs, diff PATH, history, changes."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pytest

from conftest import REPO

CORPUS = REPO / "policies" / "us-apl"


def git(repo: Path, *args: str) -> str:
    return subprocess.run(["git", *args], cwd=repo, check=True, capture_output=True,
                          text=True).stdout


@pytest.fixture
def repo(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A repository whose history adds three versions, edits one, and renames one."""
    for name, value in (("GIT_AUTHOR_NAME", "Ann Author"), ("GIT_AUTHOR_EMAIL", "ann@example.org"),
                        ("GIT_COMMITTER_NAME", "Ann Author"),
                        ("GIT_COMMITTER_EMAIL", "ann@example.org")):
        monkeypatch.setenv(name, value)
    root = tmp_path / "repo"
    folder = root / "policies" / "us-apl"
    folder.mkdir(parents=True)
    git(root, "init", "-q", "-b", "main")
    shutil.copy(CORPUS / "policy.yaml", folder)
    for day, version in enumerate(("2020-01-31", "2022-06-21"), 1):
        monkeypatch.setenv("GIT_AUTHOR_DATE", f"2024-01-0{day}T12:00:00+00:00")
        monkeypatch.setenv("GIT_COMMITTER_DATE", f"2024-01-0{day}T12:00:00+00:00")
        shutil.copy(CORPUS / f"{version}.md", folder)
        git(root, "add", "-A")
        git(root, "commit", "-qm", f"Add {version}")
    record = folder / "2022-06-21.md"
    record.write_text(record.read_text().replace("Korean Peninsula]", "Korean Peninsula, Europe]")
                      .replace("  - Korean Peninsula\n", "  - Korean Peninsula\n    - Europe\n"),
                      encoding="utf-8")
    for name in ("GIT_AUTHOR_DATE", "GIT_COMMITTER_DATE"):
        monkeypatch.setenv(name, "2024-01-05T12:00:00+00:00")
    git(root, "commit", "-qam", "Widen scope")
    git(root, "mv", "policies/us-apl/2022-06-21.md", "policies/us-apl/2022-06-21-final.md")
    git(root, "commit", "-qm", "Rename the 2022 record")
    monkeypatch.chdir(root)
    return root


def test_rev_path_refs_compare_versions_from_history(run, repo: Path) -> None:  # type: ignore[no-untyped-def]
    result = run("diff", "HEAD~2:policies/us-apl/2022-06-21.md",
                 "HEAD~1:policies/us-apl/2022-06-21.md", "--format", "json")
    data = json.loads(result.out)
    scope = next(p for p in data["provisions"] if p["id"] == "geographic_scope")
    assert (result.code, scope["change"], scope["added"]) == (1, "broadened", ["Europe"])


def test_one_path_compares_head_with_the_working_tree_and_staged_with_the_index(run, repo: Path) -> None:  # type: ignore[no-untyped-def]
    path = "policies/us-apl/2020-01-31.md"
    assert run("diff", path).code == 0
    text = (repo / path).read_text()
    (repo / path).write_text(text.replace("approval_authority: Secretary of Defense",
                                          "approval_authority: President"), encoding="utf-8")
    data = json.loads(run("diff", path, "--format", "json").out)
    authority = next(p for p in data["provisions"] if p["id"] == "approval_authority")
    assert (authority["change"], authority["steps"]) == ("centralized", 1)
    assert run("diff", "--staged", path).code == 0  # nothing staged yet
    git(repo, "add", path)
    assert run("diff", "--staged", path).code == 1


def test_option_like_revisions_are_refused_and_write_nothing(run, repo: Path, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    target = tmp_path / "x"
    for ref in (f"--output={target}:policies/us-apl/2020-01-31.md", "-o:x.md"):
        result = run("diff", "--", ref, "policies/us-apl/2020-01-31.md")
        assert result.code == 2 and "looks like an option" in result.err and result.out == ""
    result = run("history", "policies/us-apl/2020-01-31.md", "--since", f"--output={target}")
    assert result.code == 2
    assert not target.exists()


def test_unknown_revision_is_a_clear_error(run, repo: Path) -> None:  # type: ignore[no-untyped-def]
    result = run("diff", "nosuchrev:policies/us-apl/2020-01-31.md", "policies/us-apl/2020-01-31.md")
    assert result.code == 2 and "unknown revision 'nosuchrev'" in result.err


def test_history_follows_renames_newest_first_with_summaries(run, repo: Path) -> None:  # type: ignore[no-untyped-def]
    rows = json.loads(run("history", "policies/us-apl/2022-06-21-final.md", "--format", "json").out)
    assert [r["subject"] for r in rows] == ["Rename the 2022 record", "Widen scope", "Add 2022-06-21"]
    assert rows[0]["status"] == "renamed" and rows[0]["old_path"] == "policies/us-apl/2022-06-21.md"
    assert "geographic scope broadened" in rows[1]["summary"]
    assert rows[2]["summary"].startswith("new version, against 2020-01-31: geographic scope narrowed")
    assert rows[1]["author"] == "Ann Author" and rows[1]["date"].startswith("2024-01-05")


def test_history_limit_since_patch_and_policy(run, repo: Path) -> None:  # type: ignore[no-untyped-def]
    path = "policies/us-apl/2022-06-21-final.md"
    assert len(json.loads(run("history", path, "-n", "1", "--format", "json").out)) == 1
    recent = json.loads(run("history", path, "--since", "2024-01-04", "--format", "json").out)
    assert [r["subject"] for r in recent] == ["Rename the 2022 record", "Widen scope"]
    patched = json.loads(run("history", path, "--patch", "--format", "json").out)
    assert patched[1]["diff"]["format"] == "policy-diff/2"
    text = run("history", path, "--patch", "--color", "never").out
    assert "Widen scope" in text and "BROADENED" in text
    whole = json.loads(run("history", "us-apl", "--format", "json").out)
    assert {r["path"] for r in whole} >= {"policies/us-apl/2020-01-31.md",
                                          "policies/us-apl/2022-06-21-final.md"}


def test_changes_between_revisions_and_the_working_tree(run, repo: Path) -> None:  # type: ignore[no-untyped-def]
    rows = json.loads(run("changes", "HEAD~3", "HEAD", "--format", "json").out)
    assert [(r["status"], r["path"]) for r in rows] == [
        ("added", "policies/us-apl/2022-06-21-final.md")]
    rows = json.loads(run("changes", "HEAD~2", "HEAD", "--format", "json").out)
    assert [(r["status"], r["old_path"]) for r in rows] == [("renamed", "policies/us-apl/2022-06-21.md")]
    assert "geographic_scope: broadened" in rows[0]["provisions"]
    (repo / "policies/us-apl/2020-01-31.md").unlink()
    rows = json.loads(run("changes", "HEAD", "--format", "json").out)
    assert [(r["status"], r["summary"]) for r in rows] == [("removed", "record removed")]
    markdown = run("changes", "HEAD~2", "HEAD", "--format", "markdown").out
    assert "| renamed |" in markdown and "geographic scope broadened" in markdown


def test_history_usage_errors_are_one_line_and_help_comes_from_the_cli(run) -> None:  # type: ignore[no-untyped-def]
    result = run("history", "policies/us-apl", "--limit", "0")
    assert (result.code, result.out) == (2, "")
    assert result.err.startswith("policy-diff: error: ") and result.err.count("\n") == 1
    assert "policy-diff history --help" in result.err
    helped = run("history", "--help")
    assert helped.code == 0 and "--patch" in helped.out and "--since" in helped.out
