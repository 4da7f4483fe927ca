"""Silence is not removal (record-format §3): every view says `stated` / `no longer stated`.

The 2025 record does not state the production and transfer rules (its sources do not say);
it does not lift them.  Approval authority, unstated in 2022, is stated again in 2025: the
views lead with its change since 2020, the last version that stated it.
"""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import pytest

from conftest import CORPUS
from gitrepo import commit, git, head_message, isolate_git

PAIR = ("us-apl@2022-06-21", "us-apl@2025-12-02")
LEAD = "delegated 1 step since 2020-01-31"
SILENT = ("Production and acquisition", "Transfer and export")


def words(text: str) -> str:
    """The text with tags and runs of white space (wrapping) reduced to single spaces."""
    return " ".join(re.sub(r"<[^>]+>", " ", text).split())


@pytest.mark.parametrize("args", [[], ["--side-by-side"], ["--full"]])
def test_terminal_views_say_no_longer_stated_and_lead_with_the_change_since(run, args) -> None:  # type: ignore[no-untyped-def]
    result = run("diff", *PAIR, "--color", "never", "--width", "100", *args)
    text = words(result.out)
    assert result.code == 1
    assert f"Approval authority stated {LEAD}: Secretary of Defense → Combatant commanders; " \
           "not stated in 2022-06-21" in text
    for label in SILENT:
        assert f"{label} no longer stated was: The United States will not" in text
    assert "(not stated) →" not in text
    assert not re.search(r"(Production and acquisition|Transfer and export) removed", text)


@pytest.mark.parametrize("fmt", ["markdown", "html"])
def test_reports_use_the_same_words(run, fmt: str) -> None:  # type: ignore[no-untyped-def]
    text = words(run("diff", *PAIR, "--format", fmt).out)
    assert f"{LEAD}:" in text and "not stated in 2022-06-21" in text
    for label in SILENT:
        assert re.search(rf"{label} \| no longer stated \| was:|{label} no longer stated was:",
                         text), label
    assert "added" not in text.split("Metadata")[0].lower().split("key provisions")[-1]


def test_json_names_silence_and_the_last_statement(run) -> None:  # type: ignore[no-untyped-def]
    data = json.loads(run("diff", *PAIR, "--format", "json").out)
    assert data["format"] == "policy-diff/2"
    changes = {p["id"]: p for p in data["provisions"]}
    assert {changes[i]["change"] for i in ("production_acquisition", "transfer_export")} == \
        {"unstated"}
    assert changes["approval_authority"]["change"] == "stated"
    assert changes["approval_authority"]["last_stated"]["version"] == "2020-01-31"
    assert all(p["change"] not in ("added", "removed") for p in data["provisions"])


def test_log_and_matrix_use_the_same_words(run) -> None:  # type: ignore[no-untyped-def]
    log = words(run("log", "us-apl", "--color", "never", "--width", "200").out)
    assert f"approval authority {LEAD}" in log
    assert "production and acquisition no longer stated" in log
    assert " removed" not in log and " added" not in log
    matrix = json.loads(run("matrix", "us-apl", "--format", "json").out)
    production = next(p for p in matrix["provisions"] if p["id"] == "production_acquisition")
    assert production["cells"][-1]["change"] == "unstated"


def test_a_provision_stated_again_unchanged_says_so(tmp_path: Path, run) -> None:  # type: ignore[no-untyped-def]
    store = tmp_path / "policies"
    shutil.copytree(CORPUS / "us-apl", store / "us-apl")
    path = store / "us-apl" / "2025-12-02.md"
    path.write_text(path.read_text().replace("approval_authority: Combatant commanders",
                                             "approval_authority: Secretary of Defense"))
    text = words(run("diff", *PAIR, "--store", str(store), "--color", "never").out)
    assert "Approval authority stated stated again as in 2020-01-31: Secretary of Defense; " \
           "not stated in 2022-06-21" in text


@pytest.fixture
def history_repo(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The corpus up to 2022 in one commit, the 2025 version in a second one."""
    isolate_git(tmp_path, monkeypatch)
    top = tmp_path / "repo"
    git(tmp_path, "init", "-q", "-b", "main", str(top))
    shutil.copytree(CORPUS / "us-apl", top / "policies/us-apl")
    latest = top / "policies/us-apl/2025-12-02.md"
    text = latest.read_text()
    latest.unlink()
    git(top, "add", "-A")
    git(top, "commit", "-q", "-m", "Import")
    latest.write_text(text)
    monkeypatch.chdir(top)
    return top


def test_history_changes_and_commit_summaries_use_the_same_words(history_repo: Path, run) -> None:  # type: ignore[no-untyped-def]
    from policy_diff.hooks import install as hooks

    hooks.install(history_repo)
    git(history_repo, "add", "-A")
    assert commit(history_repo, "-m", "The 2025 memo").returncode == 0
    message = head_message(history_repo)
    assert "production and acquisition no longer stated" in message
    assert "removed" not in message and "added" not in message
    history = words(run("history", "us-apl", "--color", "never", "-n", "1").out)
    assert "transfer and export no longer stated" in history and "removed" not in history
    changes = words(run("changes", "HEAD~1", "HEAD", "--color", "never").out)
    assert "transfer and export no longer stated" in changes and "removed" not in changes


def test_the_word_redline_summary_uses_the_same_words(run, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    pytest.importorskip("docx")
    out = tmp_path / "r.docx"
    result = run("diff", *PAIR, "--format", "docx", "-o", str(out))
    assert result.code == 1
    import zipfile

    xml = zipfile.ZipFile(out).read("word/document.xml").decode("utf-8")
    text = " ".join(re.sub(r"<[^>]+>", " ", xml).split())
    assert f"{LEAD} (then: Secretary of Defense); not stated in 2022-06-21" in text
    assert "no longer stated" in text and " removed " not in text and " added " not in text
