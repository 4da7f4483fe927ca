"""`policy-diff new`: the next version written safely, never over anything."""

from __future__ import annotations

import os
import shutil
import sys
from pathlib import Path

import pytest

from policy_diff.source import files, newversion
from policy_diff.rules.schema import validate_paths
from policy_diff.source.store import Store

from conftest import CORPUS


@pytest.fixture
def store(tmp_path: Path) -> Path:
    root = tmp_path / "policies"
    shutil.copytree(CORPUS, root)
    return root


def test_new_copies_the_latest_and_sets_its_identity(run, store: Path) -> None:  # type: ignore[no-untyped-def]
    result = run("new", "us-apl", "--version", "2026-03-01", "--effective", "2026-03-01",
                 "--store", str(store))
    assert result.code == 0 and "2026-03-01.md" in result.out
    created = Store(store).versions("us-apl")[-1]
    assert (created.version, created.status, created.supersedes, created.effective) == \
        ("2026-03-01", "draft", "2025-12-02", "2026-03-01")
    # No problem at all in the new record; the corpus's own warnings are not its business.
    assert [p for p in validate_paths([], store)
            if p.severity == "error" or "2026-03-01" in p.path] == []
    diff = run("diff", "us-apl@2026-03-01", "--store", str(store), "--format", "json")
    assert '"change": "unchanged"' in diff.out and '"status": "modified"' not in diff.out


def test_new_from_an_older_version(run, store: Path) -> None:  # type: ignore[no-untyped-def]
    assert run("new", "us-apl", "--version", "2014-09-24-draft", "--from", "2014-09-23",
               "--effective", "2014-09-24", "--store", str(store)).code == 0
    text = (store / "us-apl" / "2014-09-24-draft.md").read_text(encoding="utf-8")
    assert "supersedes: 2014-09-23" in text and "status: draft" in text
    body = (store / "us-apl" / "2014-09-23.md").read_text(encoding="utf-8").split("\n---\n", 1)[1]
    assert text.endswith(body)


def test_new_refuses_to_overwrite(run, store: Path) -> None:  # type: ignore[no-untyped-def]
    target = store / "us-apl" / "2025-12-02.md"
    before = target.read_bytes()
    result = run("new", "us-apl", "--version", "2025-12-02", "--store", str(store))
    assert result.code == 2 and "already exists" in result.err and result.out == ""
    assert target.read_bytes() == before


@pytest.mark.parametrize("name", ["../escape", "-rf", "latest", ".hidden", "a/b", "x y"])
def test_new_refuses_names_that_leave_the_store_or_mislead(run, store: Path, name: str) -> None:  # type: ignore[no-untyped-def]
    before = sorted(p.name for p in store.rglob("*"))
    result = run("new", "us-apl", f"--version={name}", "--store", str(store))
    assert result.code == 2 and result.out == ""
    assert sorted(p.name for p in store.rglob("*")) == before


def test_an_interrupted_write_leaves_the_store_valid(store: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    def interrupted(source: str, target: str) -> None:
        raise KeyboardInterrupt

    monkeypatch.setattr(files.os, "link", interrupted)
    with pytest.raises(KeyboardInterrupt):
        newversion.new_version(Store(store), "us-apl", "2026-03-01", effective="2026-03-01")
    assert sorted(p.name for p in (store / "us-apl").iterdir()) == \
        sorted(p.name for p in (CORPUS / "us-apl").iterdir())
    assert [p for p in validate_paths([], store) if p.severity == "error"] == []


def test_a_file_appearing_during_the_write_is_not_overwritten(store: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    target = store / "us-apl" / "2026-03-01.md"
    real_link = os.link

    def racing(source: str, destination: str) -> None:
        Path(destination).write_text("theirs", encoding="utf-8")
        real_link(source, destination)

    monkeypatch.setattr(files.os, "link", racing)
    with pytest.raises(newversion.UsageError):
        newversion.new_version(Store(store), "us-apl", "2026-03-01", effective="2026-03-01")
    assert target.read_text(encoding="utf-8") == "theirs"


def test_edit_opens_the_editor_on_the_new_file(run, store: Path, tmp_path: Path,
                                               monkeypatch: pytest.MonkeyPatch) -> None:
    editor = tmp_path / "editor.py"
    editor.write_text("import sys\nopen(sys.argv[1], 'a').write('\\nEdited.\\n')\n", encoding="utf-8")
    monkeypatch.setenv("VISUAL", f"{sys.executable} {editor}")
    assert run("new", "us-apl", "--version", "v9", "--edit", "--store", str(store)).code == 0
    assert (store / "us-apl" / "v9.md").read_text(encoding="utf-8").endswith("Edited.\n")


def test_new_writes_a_clean_draft_and_says_what_is_next(run, store: Path) -> None:  # type: ignore[no-untyped-def]
    result = run("new", "us-apl", "--version", "2026-03-01", "--store", str(store))
    assert result.code == 0
    text = (store / "us-apl" / "2026-03-01.md").read_text(encoding="utf-8")
    assert "effective: 2026-03-01\n" in text  # from the version's name, not today
    assert "effective 2026-03-01, read from the version's name" in result.out
    assert "title: Interim DoD Landmine Policy (March 2026)\n" in text
    assert "\n# Interim DoD Landmine Policy (March 2026)\n" in text and "December 2025)" not in text
    assert '# Fill in: what this version changes' in text and 'summary: ""\n' in text
    assert "# Fill in: the sources" in text and "sources: []\n" in text
    assert "Hegseth reverses" not in text.split("\n---\n")[0]  # the base's sources are not its
    assert "policy-diff validate" in result.out and "policy-diff diff us-apl@2026-03-01" in result.out
    assert [p for p in validate_paths([], store) if p.severity == "error"] == []


def test_new_without_a_date_in_its_name_takes_today_and_says_so(run, store: Path) -> None:  # type: ignore[no-untyped-def]
    import datetime

    today = datetime.date.today().isoformat()
    result = run("new", "us-apl", "--version", "interim-2", "--store", str(store))
    assert result.code == 0 and f"effective {today}: today" in result.out
    assert f"effective: {today}\n" in (store / "us-apl" / "interim-2.md").read_text("utf-8")


def test_a_title_without_the_base_date_is_marked_for_the_author(run, store: Path) -> None:  # type: ignore[no-untyped-def]
    base = store / "us-apl" / "2025-12-02.md"
    base.write_text(base.read_text("utf-8").replace("(December 2025)", "(interim)"), "utf-8")
    result = run("new", "us-apl", "--version", "2026-03-01", "--store", str(store))
    text = (store / "us-apl" / "2026-03-01.md").read_text(encoding="utf-8")
    assert "# Check: the title and the `# heading` are copied from 2025-12-02" in text
    assert "title: Interim DoD Landmine Policy (interim)" in text
    assert "update them" in result.out
    assert [p for p in validate_paths([], store) if p.severity == "error"] == []
