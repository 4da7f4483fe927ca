"""The guard: published records stay as published, whatever path a change takes.

Real repositories and real git commands: commits, `--no-verify`, merges, cherry-picks,
removals and renames, pushes to a bare remote, and `policy-diff check` over ranges.
"""

from __future__ import annotations

import re
import subprocess
import sys
import time
from pathlib import Path

import pytest

from policy_diff.hooks import install as hooks

from gitrepo import NEW, RECORDS, commit, commit_count, edit, git, new_version

PUBLISHED = f"{RECORDS}/2022-06-21.md"  # status: superseded
IN_FORCE = f"{RECORDS}/2025-12-02.md"
OLD_TEXT = "will not use APL outside the Korean Peninsula."
NEW_TEXT = "will not use APL anywhere."


def head(top: Path) -> str:
    return git(top, "rev-parse", "HEAD").stdout.strip()


def check(top: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "policy_diff", "check", *args], cwd=top,
                          capture_output=True, text=True)


def unchecked_edit(top: Path, message: str = "Reword, skipping the hooks") -> str:
    """A published record's body edited in a commit made with --no-verify; its id."""
    edit(top / PUBLISHED, OLD_TEXT, NEW_TEXT)
    assert commit(top, "-a", "--no-verify", "-m", message).returncode == 0
    return head(top)


def refused_edit(text: str, prefix: str = "", since: str = "") -> bool:
    """TEXT holds the located refusal of the body edit (at whichever line the hook points to)."""
    return re.search(rf"{re.escape(prefix + PUBLISHED)}:\d+: published version \(status "
                     rf"superseded\) is immutable: its body changed{re.escape(since)}; create a "
                     rf"new version instead \(policy-diff new us-apl --version NEW_VERSION\)",
                     text) is not None


# ------------------------------------------------------------------ status


@pytest.mark.parametrize("record, before, after", [(PUBLISHED, "superseded", "draft"),
                                                   (IN_FORCE, "in-force", "draft"),
                                                   (PUBLISHED, "superseded", "in-force"),
                                                   (PUBLISHED, "superseded", "rescinded")])
def test_a_status_only_moves_forward(repo: Path, record: str, before: str, after: str) -> None:
    edit(repo / record, f"status: {before}", f"status: {after}")
    result = commit(repo, "-a", "-m", "Status back")
    assert result.returncode == 1
    assert f"{record}:6: status moved back from {before} (before) to {after}: a status only " \
           f"moves forward" in result.stderr
    assert commit_count(repo) == 1


def test_the_two_commit_bypass_is_refused_at_its_second_commit(repo: Path) -> None:
    """superseded -> draft (skipping the hook), then edit and flip back: judged on the net."""
    edit(repo / PUBLISHED, "status: superseded", "status: draft")
    assert commit(repo, "-a", "--no-verify", "-m", "Draft again").returncode == 0
    edit(repo / PUBLISHED, OLD_TEXT, NEW_TEXT)
    edit(repo / PUBLISHED, "status: draft", "status: superseded")
    result = commit(repo, "-a", "-m", "Reword")
    assert result.returncode == 1
    assert refused_edit(result.stderr), result.stderr


def test_without_the_hooks_record_the_last_published_state_is_still_found(repo: Path) -> None:
    """The hook's note of the last commit it checked gone: the record's history is read."""
    published = head(repo)
    edit(repo / PUBLISHED, "status: superseded", "status: draft")
    assert commit(repo, "-a", "--no-verify", "-m", "Draft again").returncode == 0
    (repo / ".git/policy-diff-checked").unlink()
    edit(repo / PUBLISHED, OLD_TEXT, NEW_TEXT)
    result = commit(repo, "-a", "-m", "Reword the draft")
    assert result.returncode == 1
    assert refused_edit(result.stderr, since=f" since it was published (at {published[:12]})")
    assert f"{PUBLISHED}:6: status moved back from superseded (at {published[:12]}) to " \
           f"draft" in result.stderr


# ------------------------------------------------------------------ removal and renames


def test_a_published_record_is_never_removed(repo: Path) -> None:
    git(repo, "rm", "-q", PUBLISHED)
    result = commit(repo, "-m", "Remove")
    assert result.returncode == 1
    assert f"{PUBLISHED}: published version (status superseded) cannot be removed: published " \
           f"versions stay in the store\n" in result.stderr
    git(repo, "reset", "-q", "--hard")
    git(repo, "rm", "-q", IN_FORCE)
    assert f"{IN_FORCE}: published version (status in-force) cannot be removed: published " \
           f"versions stay in the store; set its status to superseded or rescinded instead\n" \
        in commit(repo, "-m", "Remove").stderr


def test_a_published_record_is_never_renamed(repo: Path) -> None:
    git(repo, "mv", PUBLISHED, f"{RECORDS}/2022-06-22.md")
    result = commit(repo, "-m", "Rename")
    assert result.returncode == 1
    assert f"{RECORDS}/2022-06-22.md: published version (status superseded) cannot be renamed " \
           f"(from {PUBLISHED})" in result.stderr


def test_a_draft_may_be_removed_and_renamed(repo: Path) -> None:
    path = new_version(repo)
    edit(path, "status: in-force", "status: draft")
    git(repo, "add", NEW)
    assert commit(repo, "-m", "Draft").returncode == 0
    git(repo, "mv", NEW, f"{RECORDS}/2026-02-01.md")
    edit(repo / RECORDS / "2026-02-01.md", "version: 2026-01-01", "version: 2026-02-01")
    assert commit(repo, "-a", "-m", "Rename the draft").returncode == 0
    git(repo, "rm", "-q", f"{RECORDS}/2026-02-01.md")
    result = commit(repo, "-m", "Drop the draft")
    assert (result.returncode, result.stderr) == (0, "")


# ------------------------------------------------------------------ merges, cherry-picks


def test_a_clean_merge_of_an_edit_is_refused_by_pre_merge_commit(repo: Path) -> None:
    git(repo, "switch", "-q", "-c", "side")
    unchecked_edit(repo)
    git(repo, "switch", "-q", "main")
    before = head(repo)
    result = git(repo, "merge", "--no-ff", "-m", "Merge side", "side", check=False)
    assert result.returncode != 0
    assert refused_edit(result.stderr), result.stderr
    assert head(repo) == before


def test_a_cherry_picked_edit_is_refused_at_the_next_commit_and_at_push(
        repo: Path, tmp_path: Path) -> None:
    remote = tmp_path / "remote.git"
    git(tmp_path, "init", "-q", "--bare", str(remote))
    git(repo, "remote", "add", "origin", str(remote))
    assert git(repo, "push", "-q", "origin", "main", check=False).returncode == 0
    git(repo, "switch", "-q", "-c", "side")
    picked = unchecked_edit(repo)
    git(repo, "switch", "-q", "main")
    assert git(repo, "cherry-pick", picked, check=False).returncode == 0  # git runs no hook
    (repo / "README.md").write_text("notes\n")
    git(repo, "add", "README.md")
    result = commit(repo, "-m", "Notes")
    assert result.returncode == 1
    assert refused_edit(result.stderr), result.stderr
    assert "the commits since were made without it (a cherry-pick, a rebase, --no-verify)" \
        in result.stderr
    pushed = git(repo, "push", "origin", "main", check=False)
    assert pushed.returncode != 0
    assert refused_edit(pushed.stderr, f"{picked[:12]}:"), pushed.stderr
    assert "push refused" in pushed.stderr
    assert git(remote, "rev-parse", "main").stdout.strip() != head(repo)


def test_conflict_markers_left_in_a_record_are_refused(repo: Path) -> None:
    path = new_version(repo)
    edit(path, "status: in-force", "status: draft")
    git(repo, "add", NEW)
    assert commit(repo, "-m", "Draft").returncode == 0
    git(repo, "switch", "-q", "-c", "side")
    edit(path, "Commanders in combat zones", "President")
    assert commit(repo, "-a", "-m", "Side wording").returncode == 0
    git(repo, "switch", "-q", "main")
    edit(path, "Commanders in combat zones", "Secretary of Defense")
    assert commit(repo, "-a", "-m", "Main wording").returncode == 0
    assert git(repo, "merge", "side", check=False).returncode != 0  # a conflict
    text = path.read_text()
    assert "<<<<<<< HEAD" in text
    line = next(n for n, row in enumerate(text.split("\n"), 1) if row.startswith("<<<<<<<"))
    git(repo, "add", NEW)
    result = commit(repo, "--no-edit")
    assert result.returncode == 1
    assert f"{NEW}:{line}: unresolved merge conflict: `<<<<<<<` marker line (3 marker lines " \
           f"in all); resolve the conflict and remove the markers" in result.stderr
    validated = subprocess.run([sys.executable, "-m", "policy_diff", "validate", NEW], cwd=repo,
                               capture_output=True, text=True)
    assert validated.returncode == 1 and "unresolved merge conflict" in validated.stdout


# ------------------------------------------------------------------ policy-diff check


def test_check_rejects_the_history_that_skipped_the_hooks(repo: Path) -> None:
    base = head(repo)
    bad = unchecked_edit(repo)
    edit(repo / IN_FORCE, "status: in-force", "status: draft")
    assert commit(repo, "-a", "--no-verify", "-m", "Back to draft").returncode == 0
    git(repo, "rm", "-q", f"{RECORDS}/2020-01-31.md")
    assert commit(repo, "--no-verify", "-m", "Remove").returncode == 0
    result = check(repo, f"{base}..HEAD")
    assert result.returncode == 1
    rows = result.stdout.splitlines()
    assert refused_edit(rows[0], f"{bad[:12]}:") and rows[0].startswith(bad[:12])
    assert rows[1].endswith(f":{IN_FORCE}:6: status moved back from in-force (before) to "
                            f"draft: a status only moves forward (in-force may become "
                            f"superseded or rescinded)")
    assert rows[2].endswith(f":{RECORDS}/2020-01-31.md: published version (status superseded) "
                            f"cannot be removed: published versions stay in the store")
    assert len(rows) == 3
    assert result.stderr == "checked 3 commit(s), 3 of them changing policy records: 3 error(s)\n"


def test_check_passes_a_good_range_and_the_whole_history(repo: Path) -> None:
    base = head(repo)
    new_version(repo)
    edit(repo / IN_FORCE, "status: in-force", "status: superseded")
    git(repo, "add", "-A")
    assert commit(repo, "-m", "2026").returncode == 0
    for spec in (f"{base}..HEAD", "HEAD", f"{'0' * 40}..HEAD"):
        result = check(repo, spec)
        assert result.returncode == 0, result.stderr
        # Provisions whose value and section disagree (the new version; 2014-06-27): warnings only.
        assert all(": warning: " in row for row in result.stdout.splitlines())
    assert check(repo, "HEAD").stderr == "checked 2 commit(s), 2 of them changing policy " \
                                         "records: 2 warning(s)\n"


def test_check_runs_in_a_bare_repository_as_a_pre_receive_hook(repo: Path,
                                                                 tmp_path: Path) -> None:
    server = tmp_path / "server.git"
    git(tmp_path, "clone", "-q", "--bare", str(repo), str(server))
    receive = server / "hooks/pre-receive"
    receive.write_text(f"#!/bin/sh\nwhile read old new ref; do\n"
                       f"  case $new in *[!0]*) {sys.executable} -m policy_diff check "
                       f"\"$old..$new\" || exit 1;; esac\ndone\n")
    receive.chmod(0o755)
    git(repo, "remote", "add", "server", str(server))
    unchecked_edit(repo)
    result = git(repo, "push", "--no-verify", "server", "main", check=False)  # pre-push skipped
    assert result.returncode != 0
    assert refused_edit(result.stderr), result.stderr
    git(repo, "switch", "-q", "-c", "fresh", "HEAD~1")
    (repo / "README.md").write_text("notes\n")
    git(repo, "add", "README.md")
    assert commit(repo, "-m", "Notes").returncode == 0
    assert git(repo, "push", "-q", "server", "fresh", check=False).returncode == 0  # new branch


@pytest.mark.parametrize("args, message", [
    ([], "check needs a range: BASE..HEAD"),
    (["--upload-pack=x"], "No such option: --upload-pack (see 'policy-diff check --help')"),
    (["-x..HEAD"], "No such option: -x (see 'policy-diff check --help')"),
    (["--", "-x..HEAD"], "revision '-x' looks like an option"),
    (["HEAD...main"], "a symmetric ... range is not a history to check"),
    (["nothing..HEAD"], "unknown revision 'nothing'"),
])
def test_check_refuses_what_is_not_a_range(repo: Path, args: list[str], message: str) -> None:
    result = check(repo, *args)
    assert result.returncode == 2 and result.stdout == ""
    assert result.stderr.startswith("policy-diff: error: ") and message in result.stderr


# ------------------------------------------------------------------ at scale


def test_an_initial_commit_of_3000_records_takes_seconds(tmp_path: Path,
                                                         monkeypatch: pytest.MonkeyPatch) -> None:
    from gitrepo import isolate_git

    isolate_git(tmp_path, monkeypatch)
    top = tmp_path / "big"
    git(tmp_path, "init", "-q", "-b", "main", str(top))
    for p in range(30):
        folder = top / "policies" / f"p{p:02d}"
        folder.mkdir(parents=True)
        (folder / "policy.yaml").write_text(f"policy: p{p:02d}\ntitle: P\nprovisions: {{}}\n")
        for v in range(100):
            (folder / f"v{v:03d}.md").write_text(
                f"---\npolicy: p{p:02d}\nversion: v{v:03d}\ntitle: P\neffective: 2020-01-01\n"
                f"status: in-force\n" + (f"supersedes: v{v - 1:03d}\n" if v else "")
                + f"---\n# P\n\n## Scope\nAll staff {v}.\n")
    hooks.install(top)
    git(top, "add", "-A")
    started = time.monotonic()
    result = commit(top, "-m", "Import 3,000 records")
    elapsed = time.monotonic() - started
    assert (result.returncode, result.stderr) == (0, "")
    assert elapsed < 15, elapsed  # 2 s here; a git process per record took 40 s
    from gitrepo import head_message

    message = head_message(top).split("\n")
    assert len([row for row in message if row.startswith("- p")]) == 50
    assert message[-2] == "- and 2,949 more staged record(s), not summarised here"
    started = time.monotonic()
    assert check(top, "HEAD").returncode == 0
    assert time.monotonic() - started < 15


def test_the_pre_commit_frameworks_pre_push_hook_checks_its_range(
        repo: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import yaml

    from conftest import REPO

    hook = yaml.safe_load((REPO / ".pre-commit-hooks.yaml").read_text())[1]
    assert (hook["id"], hook["entry"], hook["stages"]) == ("policy-check", "policy-diff check",
                                                           ["pre-push"])
    assert hook["pass_filenames"] is False and hook["always_run"] is True
    base = head(repo)
    unchecked_edit(repo)
    monkeypatch.setenv("PRE_COMMIT_FROM_REF", base)
    monkeypatch.setenv("PRE_COMMIT_TO_REF", head(repo))
    result = check(repo, *hook["entry"].split()[2:])
    assert result.returncode == 1 and refused_edit(result.stdout, f"{head(repo)[:12]}:")


def test_fixing_what_came_in_without_the_hook_lets_the_next_commit_through(repo: Path) -> None:
    git(repo, "switch", "-q", "-c", "side")
    picked = unchecked_edit(repo)
    git(repo, "switch", "-q", "main")
    git(repo, "cherry-pick", picked)
    edit(repo / PUBLISHED, NEW_TEXT, OLD_TEXT)  # the published text back
    result = commit(repo, "-a", "-m", "Restore the published text")
    assert (result.returncode, result.stderr) == (0, "")
    edit(repo / IN_FORCE, "status: in-force", "status: superseded")
    assert commit(repo, "-a", "-m", "Supersede").returncode == 0


def test_the_last_checked_commit_on_another_branch_is_not_a_base(repo: Path) -> None:
    """Published on main by a checked commit; a branch from before it commits freely."""
    path = new_version(repo)
    edit(path, "status: in-force", "status: draft")
    git(repo, "add", NEW)
    assert commit(repo, "-m", "Draft").returncode == 0
    git(repo, "branch", "side")
    edit(path, "status: draft", "status: in-force")
    assert commit(repo, "-a", "-m", "In force").returncode == 0
    git(repo, "switch", "-q", "side")  # the draft is still a draft here
    edit(path, "Commanders in combat zones", "President")
    result = commit(repo, "-a", "-m", "Redraft on the side")
    assert result.returncode == 0 and "error" not in result.stderr, result.stderr


def test_check_judges_a_merge_on_what_it_brings_in(repo: Path) -> None:
    base = head(repo)
    git(repo, "switch", "-q", "-c", "side")
    side = unchecked_edit(repo)
    git(repo, "switch", "-q", "main")
    (repo / "README.md").write_text("notes\n")
    git(repo, "add", "README.md")
    assert commit(repo, "-m", "Notes").returncode == 0
    git(repo, "merge", "--no-verify", "--no-ff", "-q", "-m", "Merge side", "side")
    merge = head(repo)
    result = check(repo, f"{base}..HEAD")
    rows = result.stdout.splitlines()
    assert result.returncode == 1 and len(rows) == 2, result
    assert refused_edit(rows[0], f"{side[:12]}:") and refused_edit(rows[1], f"{merge[:12]}:")
    assert result.stderr == "checked 3 commit(s), 2 of them changing policy records: 2 error(s)\n"
