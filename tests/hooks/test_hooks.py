"""The git hooks and their installer, on real repositories with real `git commit` runs."""

from __future__ import annotations

import re
import stat
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from policy_diff.hooks import run as hookrun, install as hooks
from policy_diff.errors import PolicyDiffError

from conftest import REPO
from gitrepo import NEW, RECORDS, commit, commit_count, edit, git, head_message, new_version

FOREIGN_HOOK = b"#!/bin/sh\n# team hook \xc3\xa9\nexit 0\n"


# ------------------------------------------------------------------ pre-commit


def test_invalid_staged_record_blocks_the_commit_with_a_located_message(repo: Path) -> None:
    path = new_version(repo)
    edit(path, "status: in-force", "status: published")
    git(repo, "add", NEW)
    result = commit(repo, "-m", "Add 2026")
    assert result.returncode == 1
    assert f"{NEW}:6: status 'published' is not one of" in result.stderr
    assert "commit refused" in result.stderr
    assert commit_count(repo) == 1


@pytest.mark.parametrize("record, status", [("2025-12-02", "in-force"),
                                            ("2022-06-21", "superseded")])
def test_edit_to_published_provisions_is_refused_with_the_hint(repo: Path, record: str,
                                                               status: str) -> None:
    path = repo / RECORDS / f"{record}.md"
    edit(path, "stockpile_destruction: \"Destroy", "stockpile_destruction: \"Keep or destroy")
    result = commit(repo, "-a", "-m", "Reword")
    assert result.returncode == 1
    line = next(n for n, row in enumerate(path.read_text().split("\n"), 1)
                if row.startswith("  stockpile_destruction:"))  # the provision that changed
    assert (f"{RECORDS}/{record}.md:{line}: published version (status {status}) is immutable: "
            f"its provisions changed; create a new version instead (policy-diff new us-apl "
            f"--version") in result.stderr


def test_edit_to_a_published_body_is_refused_at_the_changed_line(repo: Path) -> None:
    path = repo / RECORDS / "2022-06-21.md"
    edit(path, "will not use APL outside the Korean Peninsula.", "will not use APL anywhere.")
    line = next(n for n, row in enumerate(path.read_text().split("\n"), 1)
                if "will not use APL anywhere." in row)
    assert line != 59  # the section's heading, where it pointed before
    result = commit(repo, "-a", "-m", "Reword")
    assert f"{RECORDS}/2022-06-21.md:{line}: published version (status superseded) is " \
           f"immutable: its body changed" in result.stderr
    assert result.returncode == 1


def test_status_only_change_and_a_draft_edit_pass(repo: Path) -> None:
    path = new_version(repo)
    edit(path, "status: in-force", "status: draft")
    edit(repo / RECORDS / "2025-12-02.md", "status: in-force", "status: superseded")
    assert commit(repo, "-a", "-m", "Supersede").returncode == 0
    git(repo, "add", NEW)
    assert commit(repo, "-m", "Draft").returncode == 0
    edit(path, "approval_authority: Commanders in combat zones",
         "approval_authority: Secretary of Defense")
    result = commit(repo, "-a", "-m", "Redraft")
    assert result.returncode == 0  # nothing refused; the value moved without its section:
    assert result.stderr.splitlines() == [  # a warning to check, not an error
        f"{NEW}:13: warning: provision 'approval_authority', since 2025-12-02: value changed; "
        "section text unchanged — check"]


def test_commit_all_judges_the_working_tree_and_plain_commit_the_index(repo: Path) -> None:
    path = new_version(repo)
    git(repo, "add", NEW)
    edit(path, "status: in-force", "status: bogus")  # staged copy good, working tree broken
    result = commit(repo, "-a", "-m", "Add 2026")
    assert result.returncode == 1 and f"{NEW}:6: status 'bogus'" in result.stderr
    git(repo, "add", NEW)  # now the index is broken...
    edit(path, "status: bogus", "status: in-force")  # ...and the working tree good
    result = commit(repo, "-m", "Add 2026")
    assert result.returncode == 1 and f"{NEW}:6: status 'bogus'" in result.stderr
    assert commit_count(repo) == 1


def test_partial_staging_checks_only_what_is_committed(repo: Path) -> None:
    new_version(repo)
    broken = repo / RECORDS / "2026-02-01.md"
    broken.write_text("---\npolicy: us-apl\n", encoding="utf-8")  # never closed
    git(repo, "add", NEW)
    assert commit(repo, "-m", "Add 2026").returncode == 0  # the broken file is not staged
    git(repo, "add", f"{RECORDS}/2026-02-01.md")
    edit(repo / RECORDS / "2025-12-02.md", "status: in-force", "status: superseded")
    # `git commit PATH` commits only PATH, through a temporary index (GIT_INDEX_FILE)
    assert commit(repo, "-m", "Supersede", "--", f"{RECORDS}/2025-12-02.md").returncode == 0
    result = commit(repo, "-m", "Add the broken one")
    assert result.returncode == 1
    assert f"{RECORDS}/2026-02-01.md:1: front matter opened here is never closed" in result.stderr


def test_supersedes_must_name_a_version_in_the_commit(repo: Path) -> None:
    path = new_version(repo)
    edit(path, "supersedes: 2025-12-02", "supersedes: 2025-12-03")
    git(repo, "add", NEW)
    result = commit(repo, "-m", "Add 2026")
    assert f"{NEW}:8: supersedes '2025-12-03', but {RECORDS}/2025-12-03.md is not in the " \
           f"commit" in result.stderr


def test_staged_manifest_is_validated(repo: Path) -> None:
    edit(repo / RECORDS / "policy.yaml", "kind: set", "kind: bag")
    result = commit(repo, "-a", "-m", "Manifest")
    assert result.returncode == 1
    assert f"{RECORDS}/policy.yaml:6: provision 'geographic_scope': kind 'bag'" in result.stderr


@pytest.mark.parametrize("name", ["-draft.md", "new\nline.md", "é version.md"])
def test_odd_file_names_in_the_store_are_read_from_the_index(repo: Path, name: str) -> None:
    path = repo / RECORDS / name
    path.write_text(new_version(repo).read_text(encoding="utf-8"), encoding="utf-8")
    (repo / NEW).unlink()
    git(repo, "add", "--", str(path))
    result = commit(repo, "-m", "Odd name")
    shown = name.replace("\n", "\\n")
    stem = name[:-3].replace("\n", "\\n")
    assert f"{RECORDS}/{shown}:3: version '2026-01-01' does not match the file name " \
           f"'{stem}'" in result.stderr
    assert result.returncode == 1


def test_a_store_path_with_space_and_accent_works_end_to_end(
        bare_repo: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    store = "my pólicies"
    git(bare_repo, "mv", "policies", store)
    git(bare_repo, "commit", "-q", "-m", "Move the store")
    monkeypatch.setenv("POLICY_DIFF_STORE", store)
    assert hooks.install(bare_repo)[-1] == f'.gitattributes: added `"{store}/**/*.md" ' \
        f'diff=policy` (the file is not tracked: commit it, or git diff shows plain diffs in ' \
        f'other clones)'
    new_version(bare_repo, f"{store}/us-apl/2026-01-01.md")
    git(bare_repo, "add", "-A")
    assert commit(bare_repo, "-m", "Add 2026").returncode == 0
    assert "- us-apl@2026-01-01: new version, against 2025-12-02; approval authority delegated 1 step" in head_message(bare_repo)
    shown = git(bare_repo, "log", "-p", "--ext-diff", "-1", "--", store).stdout
    assert "Key provisions" in shown


# ------------------------------------------------------------------ prepare-commit-msg


def test_new_version_commits_and_its_message_gains_the_summary(repo: Path) -> None:
    new_version(repo)
    git(repo, "add", NEW)
    assert commit(repo, "-m", "Add the 2026 policy").returncode == 0
    message = head_message(repo)
    assert message.startswith("Add the 2026 policy\n\nPolicy changes:\n")
    assert "- us-apl@2026-01-01: new version, against 2025-12-02; approval authority delegated 1 step" in message
    assert commit(repo, "--amend", "--no-edit").returncode == 0
    assert head_message(repo) == message  # amend: not added twice


def test_modified_record_summary_and_user_trailers(repo: Path) -> None:
    edit(repo / RECORDS / "2025-12-02.md", "status: in-force", "status: superseded")
    result = commit(repo, "-a", "-s", "-m", "Supersede the 2025 memo")
    assert result.returncode == 0
    assert head_message(repo) == ("Supersede the 2025 memo\n\nPolicy changes:\n"
                                  "- us-apl@2025-12-02: superseded\n\n"
                                  "Signed-off-by: Policy Staff <staff@example.org>\n")


def test_editor_sees_the_summary_below_a_free_subject_line(repo: Path,
                                                           monkeypatch: pytest.MonkeyPatch) -> None:
    new_version(repo)
    git(repo, "add", NEW)
    monkeypatch.setenv("GIT_EDITOR", "sed -i '1s/^/Typed in the editor/'")
    assert commit(repo).returncode == 0
    message = head_message(repo)
    assert message.startswith("Typed in the editor\n\nPolicy changes:\n- us-apl@2026-01-01: ")


def test_no_summary_without_record_changes(repo: Path) -> None:
    (repo / "README.md").write_text("notes\n")
    git(repo, "add", "README.md")
    assert commit(repo, "-m", "Notes").returncode == 0
    assert head_message(repo) == "Notes\n"


@pytest.mark.parametrize("message, expected", [
    ("Fix\n", "Fix\n\nPolicy changes:\n- e\n"),
    ("\n# Please enter\n#\n", "\n\nPolicy changes:\n- e\n\n# Please enter\n#\n"),
    ("Fix\n\nBody.\n# c\n# ------------------------ >8 ------------------------\n+x\n",
     "Fix\n\nBody.\n\nPolicy changes:\n- e\n\n# c\n"
     "# ------------------------ >8 ------------------------\n+x\n"),
    ("Fix\n\nPolicy changes:\n- mine\n", "Fix\n\nPolicy changes:\n- mine\n"),
])
def test_add_summary_keeps_the_users_text(message: str, expected: str) -> None:
    assert hookrun.add_summary(message, ["- e"]) == expected


# ------------------------------------------------------------------ install / uninstall


def test_install_is_idempotent(repo: Path) -> None:
    scripts = {name: (repo / ".git/hooks" / name).read_bytes() for name in hooks.HOOKS}
    again = hooks.install(repo)
    assert all("already" in line for line in again)
    assert {name: (repo / ".git/hooks" / name).read_bytes() for name in hooks.HOOKS} == scripts
    assert not list((repo / ".git/hooks").glob("*.legacy"))
    assert (repo / ".gitattributes").read_text() == "policies/**/*.md diff=policy\n"


def test_foreign_hook_runs_first_and_uninstall_restores_everything(bare_repo: Path) -> None:
    top = bare_repo
    foreign = top / ".git/hooks/pre-commit"
    foreign.write_bytes(b"#!/bin/sh\necho team-check >&2\nexit 3\n")
    foreign.chmod(0o751)
    (top / ".gitattributes").write_bytes(b"*.png binary\n*.md text")  # no final newline
    hooks.install(top)
    assert (top / ".git/hooks/pre-commit.legacy").read_bytes().startswith(b"#!/bin/sh\necho")
    assert (top / ".gitattributes").read_bytes() == \
        b"*.png binary\n*.md text\npolicies/**/*.md diff=policy"  # as it was: no final newline
    result = commit(top, "--allow-empty", "-m", "x")
    assert result.returncode == 1 and "team-check" in result.stderr

    lines = hooks.uninstall(top)
    assert foreign.read_bytes() == b"#!/bin/sh\necho team-check >&2\nexit 3\n"
    assert stat.S_IMODE(foreign.stat().st_mode) == 0o751
    assert not (top / ".git/hooks/pre-commit.legacy").exists()
    assert not (top / ".git/hooks/prepare-commit-msg").exists()
    assert git(top, "config", "--get", "diff.policy.command", check=False).returncode == 1
    assert "policy" not in (top / ".git/config").read_text()
    assert (top / ".gitattributes").read_bytes() == b"*.png binary\n*.md text"
    assert lines[0] == "pre-commit: removed; restored the previous hook from pre-commit.legacy"


def test_uninstall_removes_a_gitattributes_it_created(repo: Path) -> None:
    hooks.uninstall(repo)
    assert not (repo / ".gitattributes").exists()
    assert hooks.status(repo)[:2] == ["pre-commit: not installed",
                                      "prepare-commit-msg: not installed"]


def test_install_refuses_when_core_hooks_path_is_set(bare_repo: Path) -> None:
    git(bare_repo, "config", "core.hooksPath", ".githooks")
    with pytest.raises(PolicyDiffError, match=r"core\.hooksPath.*hint: `git config --unset-all"):
        hooks.install(bare_repo)
    assert not (bare_repo / ".git/hooks/pre-commit").exists()
    assert not (bare_repo / ".gitattributes").exists()
    assert git(bare_repo, "config", "--get", "diff.policy.command", check=False).returncode == 1


def test_install_refuses_to_overwrite_an_existing_legacy_hook(bare_repo: Path) -> None:
    for name in ("pre-commit", "pre-commit.legacy"):
        (bare_repo / ".git/hooks" / name).write_bytes(FOREIGN_HOOK)
    with pytest.raises(PolicyDiffError, match="refusing to overwrite"):
        hooks.install(bare_repo)
    assert (bare_repo / ".git/hooks/pre-commit").read_bytes() == FOREIGN_HOOK


def test_install_refuses_a_foreign_driver_command(bare_repo: Path) -> None:
    git(bare_repo, "config", "diff.policy.command", "other-tool")
    with pytest.raises(PolicyDiffError, match="already set to 'other-tool'"):
        hooks.install(bare_repo)
    assert not (bare_repo / ".git/hooks/pre-commit").exists()


def test_status_reports_the_installation(repo: Path) -> None:
    lines = hooks.status(repo)
    assert lines[0] == "pre-commit: installed at .git/hooks/pre-commit"
    assert lines[4].startswith("diff driver: diff.policy.command = ")
    assert lines[5] == ".gitattributes: has `policies/**/*.md diff=policy`"


def test_hook_script_and_driver_quote_the_interpreter_path(
        monkeypatch: pytest.MonkeyPatch) -> None:
    odd = "/opt/py env/it's $HOME/python"
    monkeypatch.setattr(sys, "executable", odd)
    script = hooks.hook_script("pre-commit")
    assert hooks.MARKER in script
    python = re.search(r"^PYTHON=(.*)$", script, re.MULTILINE).group(1)  # type: ignore[union-attr]
    shell = subprocess.run(["sh", "-c", f"PYTHON={python}; printf %s \"$PYTHON\""],
                           capture_output=True, text=True)
    assert shell.stdout == odd
    words = subprocess.run(["sh", "-c", f"printf '%s|' {hooks.driver_command()}"],
                           capture_output=True, text=True)
    assert words.stdout == f"{odd}|-P|-m|policy_diff.gitdriver|"


def test_hook_runtime_imports_no_cli_framework(repo: Path) -> None:
    result = subprocess.run([sys.executable, "-X", "importtime", "-m",
                             "policy_diff.hooks", "pre-commit"], cwd=repo, capture_output=True,
                            text=True)
    assert result.returncode == 0
    modules = {row.split("|")[-1].strip() for row in result.stderr.splitlines() if "|" in row}
    assert "policy_diff.rules.schema" in modules  # (the check really ran)
    assert not {"typer", "click", "pydantic", "git"} & modules


# ------------------------------------------------------------------ pre-commit framework


def test_pre_commit_hooks_yaml_runs_validate_on_store_files(run) -> None:  # type: ignore[no-untyped-def]
    hook = yaml.safe_load((REPO / ".pre-commit-hooks.yaml").read_text())[0]
    assert hook["id"] == "policy-validate" and hook["language"] == "python"
    assert hook["entry"] == "policy-diff validate" and hook["pass_filenames"] is True
    assert hook["stages"] == ["pre-commit", "pre-merge-commit", "manual"]
    files = re.compile(hook["files"])
    tracked = [p.relative_to(REPO).as_posix() for p in (REPO / "policies").rglob("*") if p.is_file()]
    assert tracked and all(files.search(p) for p in tracked)
    assert not files.search("README.md") and not files.search("tests/policies/x.md")
    result = run(*hook["entry"].split()[1:], *[str(REPO / p) for p in tracked])
    assert result.code == 0, result.out


def test_summaries_name_publishing_rescinding_and_renames(repo: Path) -> None:
    path = new_version(repo)
    edit(path, "status: in-force", "status: draft")
    git(repo, "add", NEW)
    assert commit(repo, "-m", "Draft").returncode == 0
    edit(path, "status: draft", "status: in-force")
    assert commit(repo, "-a", "-m", "Publish").returncode == 0
    assert "- us-apl@2026-01-01: published\n" in head_message(repo) + "\n"
    edit(path, "status: in-force", "status: rescinded")  # in force -> rescinded: forward
    assert commit(repo, "-a", "-m", "Rescind").returncode == 0
    assert "- us-apl@2026-01-01: rescinded" in head_message(repo)
    git(repo, "mv", f"{RECORDS}/1996-05-16.md", f"{RECORDS}/1996-05-17.md")
    edit(repo / RECORDS / "1996-05-17.md", "version: 1996-05-16", "version: 1996-05-17")
    git(repo, "add", "-A")
    assert commit(repo, "--no-verify", "-m", "Rename").returncode == 0
    assert f"renamed from {RECORDS}/1996-05-16.md" in head_message(repo)


def test_pre_commit_warns_when_a_provision_and_its_section_disagree(repo: Path) -> None:
    new_version(repo)  # approval authority delegated further; its section left as it was
    git(repo, "add", NEW)
    result = commit(repo, "-m", "Add 2026")
    assert result.returncode == 0  # a warning, not a refusal
    assert (f"{NEW}:13: warning: provision 'approval_authority', since 2025-12-02: value "
            "changed; section text unchanged — check") in result.stderr
