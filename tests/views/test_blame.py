"""Blame: each block's origin among the store's versions or a file's commits; a provision's
wordings.  Refresh the goldens with
`python -m pytest tests/views/test_blame.py --update-goldens`."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path
from typing import Callable

import pytest

from conftest import CORPUS, TESTS, record, write
from policy_diff.diff.blame import BlockOrigin, blame, blame_provision
from policy_diff.errors import UsageError
from policy_diff.views.blame import (blame_json, blame_view, provision_history_json,
                                      provision_history_view)
from policy_diff.views.text.screen import make_console, render_text

GOLDENS = TESTS / "goldens" / "blame"
REF = "us-apl@2022-06-21"


def plain(renderable: object, width: int = 80) -> str:
    return render_text(make_console("never", width), renderable)  # type: ignore[arg-type]


def origin_of(origins: list[BlockOrigin], start: str) -> BlockOrigin:
    return next(o for o in origins if o.block.text.startswith(start))


# Goldens -------------------------------------------------------------------------------------

RENDERERS: dict[str, Callable[[], str]] = {
    "blame-plain-80.txt": lambda: plain(blame_view(REF, blame(REF, CORPUS))),
    "blame.json": lambda: blame_json(REF, blame(REF, CORPUS)),
    "provision-plain-80.txt": lambda: plain(provision_history_view(
        blame_provision(CORPUS, "us-apl", "approval_authority"))),
    "provision.json": lambda: provision_history_json(
        blame_provision(CORPUS, "us-apl", "stockpile_destruction")),
}


@pytest.mark.parametrize("name", RENDERERS)
def test_blame_matches_golden(name: str, golden: Callable[[str, Path], None]) -> None:
    golden(RENDERERS[name](), GOLDENS / name)


# The store -----------------------------------------------------------------------------------

def test_a_paragraph_shared_with_september_2014_is_traced_there_and_marked_restored() -> None:
    origins = blame(REF, CORPUS)
    shared = origin_of(origins, "The United States will not use APL outside the Korean")
    assert (shared.origin.id, shared.origin.date) == ("2014-09-23", "2014-09-23")
    assert shared.origin.title == "U.S. Anti-Personnel Landmine Policy Outside the Korean Peninsula "\
        "(September 2014)"  # the version by its title, not a source's headline
    assert shared.restored is not None and shared.restored.id == "2022-06-21"  # 2020 lacks it
    assert shared.section == "Geographic Scope"


def test_a_new_paragraph_is_attributed_to_the_version_itself() -> None:
    origins = blame(REF, CORPUS)
    new = origin_of(origins, "AP reported a U.S. stockpile of about 3 million APL.")
    assert (new.origin.kind, new.origin.id, new.restored) == ("version", "2022-06-21", None)
    assert new.block.line == 77
    assert len(origins) == sum(len(s.blocks) for s in _parsed(REF).sections)


def _parsed(ref: str):  # type: ignore[no-untyped-def]
    from policy_diff.source.refs import load_side

    return load_side(ref, CORPUS).document


def test_the_first_version_owns_all_its_blocks() -> None:
    origins = blame("us-apl@first", CORPUS)
    assert {o.origin.id for o in origins} == {"1996-05-16"}


def demo(tmp_path: Path, bodies: dict[str, tuple[str, str]]) -> Path:
    """A demo store: version -> (supersedes, body)."""
    for number, (version, (supersedes, body)) in enumerate(bodies.items(), 1):
        extra = f"supersedes: {supersedes}\n" if supersedes else ""
        write(tmp_path / "policies" / "demo" / f"{version}.md",
              record(version=version, effective=f"2020-01-0{number}", extra=extra, body=body))
    return tmp_path / "policies"


def test_moved_text_keeps_its_origin_and_the_walk_follows_supersedes(tmp_path: Path) -> None:
    store = demo(tmp_path, {
        "a": ("", "## One\nKept.\n\nMoved.\n"),
        "b": ("a", "## One\nKept.\n\nOnly in b.\n"),  # a sibling draft, not in c's chain
        "c": ("a", "## One\nKept.\n\nOnly in b.\n\n## Two\nMoved.\n"),
    })
    origins = blame("demo@c", store)
    assert [(o.block.text, o.origin.id, o.section) for o in origins] == [
        ("Kept.", "a", "One"), ("Only in b.", "c", "One"), ("Moved.", "a", "Two")]


def test_without_supersedes_the_walk_takes_the_version_before(tmp_path: Path) -> None:
    store = demo(tmp_path, {"a": ("", "Old.\n"), "b": ("", "Old.\n\nMid.\n"),
                            "c": ("gone", "Old.\n\nMid.\n\nNew.\n")})
    origins = blame("demo@c", store)
    assert [o.origin.id for o in origins] == ["a", "b", "c"]


def test_standard_input_has_no_past() -> None:
    with pytest.raises(UsageError, match="POLICY@VERSION"):
        blame("-", CORPUS)


def test_record_text_is_sanitized_in_the_terminal(tmp_path: Path) -> None:
    store = demo(tmp_path, {"a": ("", "## S\nA \x1b]0;owned\x07 title.\n")})
    text = plain(blame_view("demo@a", blame("demo@a", store)))
    assert "\x1b" not in text and "\\x1b]0;owned\\x07" in text


# Git -----------------------------------------------------------------------------------------

def git(repo: Path, *args: str) -> str:
    return subprocess.run(["git", *args], cwd=repo, check=True, capture_output=True,
                          text=True).stdout


@pytest.fixture
def repo(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A record added, edited, renamed, then edited again, one pinned commit at a time."""
    for name in ("AUTHOR", "COMMITTER"):
        monkeypatch.setenv(f"GIT_{name}_NAME", "Ann Author")
        monkeypatch.setenv(f"GIT_{name}_EMAIL", "ann@example.org")
    root = tmp_path / "repo"
    root.mkdir()
    git(root, "init", "-q", "-b", "main")
    monkeypatch.chdir(root)
    path = root / "policies" / "demo" / "draft.md"
    steps = [("Add the rule", "## Scope\nAll staff.\n\nOn site.\n"),
             ("Widen the rule", "## Scope\nAll staff and visitors.\n\nOn site.\n\nAt all times.\n"),
             ("Rename the record", None),
             ("Move a sentence", "## Scope\nAll staff and visitors.\n\n## When\nAt all times.\n\n"
                                 "On site.\n")]
    for day, (subject, body) in enumerate(steps, 1):
        for name in ("AUTHOR", "COMMITTER"):
            monkeypatch.setenv(f"GIT_{name}_DATE", f"2024-03-0{day}T09:00:00+00:00")
        if body is None:
            git(root, "mv", str(path.relative_to(root)), "policies/demo/v1.md")
            path = root / "policies" / "demo" / "v1.md"
        else:
            write(path, record(body=body))
        git(root, "add", "-A")
        git(root, "commit", "-qm", subject)
    return root


def test_git_blame_follows_the_rename_and_names_each_commit(repo: Path) -> None:
    origins = blame("policies/demo/v1.md", None)
    found = {o.block.text: (o.origin.title, o.origin.date, o.origin.author) for o in origins}
    assert found == {"All staff and visitors.": ("Widen the rule", "2024-03-02", "Ann Author"),
                     "At all times.": ("Widen the rule", "2024-03-02", "Ann Author"),
                     "On site.": ("Add the rule", "2024-03-01", "Ann Author")}
    first = origin_of(origins, "On site.").origin
    assert first.kind == "commit" and first.label == first.id[:8] == git(
        repo, "rev-list", "--max-parents=0", "HEAD").strip()[:8]


def test_rev_path_blames_the_file_as_it_was(repo: Path) -> None:
    before_rename = blame("HEAD~2:policies/demo/draft.md", None)
    assert [(o.block.text, o.origin.title) for o in before_rename] == [
        ("All staff and visitors.", "Widen the rule"), ("On site.", "Add the rule"),
        ("At all times.", "Widen the rule")]
    first = blame("HEAD~3:policies/demo/draft.md", None)
    assert {o.origin.title for o in first} == {"Add the rule"}


def test_uncommitted_text_is_named_so(repo: Path) -> None:
    path = repo / "policies" / "demo" / "v1.md"
    path.write_text(path.read_text().replace("At all times.", "During opening hours."))
    origins = blame("policies/demo/v1.md", None)
    assert origin_of(origins, "During opening hours.").origin.kind == "uncommitted"
    assert origin_of(origins, "On site.").origin.title == "Add the rule"
    text = plain(blame_view("policies/demo/v1.md", origins))
    assert "uncommitted" in text and "Ann Author: Add the rule" in text


def test_git_blame_json_names_commits_in_full(repo: Path) -> None:
    data = json.loads(blame_json("v1", blame("policies/demo/v1.md", None)))
    moved = next(b for b in data["blocks"] if b["text"] == "On site.")
    assert moved["section"] == "When" and len(moved["origin"]["id"]) == 40
    assert moved["origin"]["author"] == "Ann Author" and moved["restored"] is None


def test_a_file_outside_git_is_pointed_to_the_store(tmp_path: Path,
                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    path = write(tmp_path / "alone" / "v1.md", record())
    monkeypatch.chdir(tmp_path / "alone")
    monkeypatch.setenv("GIT_CEILING_DIRECTORIES", str(tmp_path))
    from policy_diff.source.git import GitError

    with pytest.raises(GitError, match="name it POLICY@VERSION"):
        blame(str(path.name), None)


# One provision -------------------------------------------------------------------------------

def test_provision_history_groups_versions_by_wording() -> None:
    history = blame_provision(CORPUS, "us-apl", "stockpile_destruction")
    by_versions = {tuple(c.version for c in w.versions): w.value for w in history.wordings}
    assert by_versions[("2014-09-23", "2022-06-21")].startswith("Destroy anti-personnel")
    assert by_versions[("2020-01-31",)] is None
    assert len(history.wordings) == 7 and history.spec.label == "Stockpile destruction"
    authority = blame_provision(CORPUS, "us-apl", "approval_authority")
    assert [w.value for w in authority.wordings] == [None, "President", "Secretary of Defense",
                                                     "Combatant commanders"]


def test_provision_history_treats_a_reordered_set_as_the_same_wording(tmp_path: Path) -> None:
    for number, scope in enumerate(("[A, B]", "[B, A]", "[B]"), 1):
        write(tmp_path / "policies" / "demo" / f"v{number}.md",
              record(version=f"v{number}", effective=f"2020-01-0{number}",
                     extra=f"provisions:\n  scope: {scope}\n"))
    history = blame_provision(tmp_path / "policies", "demo", "scope")
    assert [[c.version for c in w.versions] for w in history.wordings] == [["v1", "v2"], ["v3"]]


# The command -----------------------------------------------------------------------------------

def test_blame_command_prints_origins_and_provision_histories(run) -> None:  # type: ignore[no-untyped-def]
    result = run("blame", REF, "--store", str(CORPUS), "--format", "json")
    assert (result.code, result.out) == (0, (GOLDENS / "blame.json").read_text(encoding="utf-8"))
    result = run("blame", "us-apl", "--store", str(CORPUS), "--provision", "approval_authority",
                 "--no-pager", "--color", "never", "--width", "80")
    assert result.out == (GOLDENS / "provision-plain-80.txt").read_text(encoding="utf-8")


def test_blame_command_refuses_what_has_no_past(run, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    assert run("blame", "-").code == 2
    path = write(tmp_path / "x.md", record())
    result = run("blame", str(path), "--provision", "scope", "--store", str(CORPUS))
    assert (result.code, result.out) == (2, "")
    assert "--provision takes POLICY or POLICY@VERSION" in result.err
