"""`policy-diff diff` as a user runs it: exit codes, refs, formats, colour, safety."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import REPO as ROOT


@pytest.fixture(autouse=True)
def in_repo(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(ROOT)


def test_2022_to_2025_shows_the_key_changes_first_and_exits_1(run) -> None:  # type: ignore[no-untyped-def]
    result = run("diff", "us-apl@2022-06-21", "us-apl@2025-12-02", "--color", "never",
                 "--width", "100")
    assert result.code == 1 and result.err == ""
    lines = result.out.splitlines()
    provisions = lines.index("Key provisions")
    first_section = next(i for i, line in enumerate(lines) if line.startswith("## "))
    assert provisions < first_section
    scope = next(line for line in lines if line.startswith("Geographic scope"))
    assert "BROADENED" in scope and "Korean Peninsula → Worldwide" in scope
    assert any(line.startswith("Stockpile destruction") and "reworded" in line for line in lines)
    words = " ".join(result.out[:result.out.index("Metadata")].split())
    assert "Approval authority stated delegated 1 step since 2020-01-31: Secretary of Defense " \
           "→ Combatant commanders; not stated in 2022-06-21" in words
    for label in ("Production and acquisition", "Transfer and export"):
        assert f"{label} no longer stated was: The United States will not" in words
    assert "(not stated) →" not in words and " removed " not in words


def test_a_version_compared_with_itself_is_identical_and_exits_0(run) -> None:  # type: ignore[no-untyped-def]
    result = run("diff", "us-apl@2022", "us-apl@2022-06-21", "--color", "never")
    assert result.code == 0
    assert "identical" in result.out
    data = json.loads(run("diff", "us-apl@2022", "us-apl@2022", "--format", "json").out)
    assert data["identical"] is True


def test_one_ref_compares_with_the_version_it_supersedes(run) -> None:  # type: ignore[no-untyped-def]
    data = json.loads(run("diff", "us-apl@2025", "--format", "json").out)
    assert (data["old"]["version"], data["new"]["version"]) == ("2022-06-21", "2025-12-02")


def test_one_ref_without_supersedes_takes_the_version_before(run, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    for version, day in (("a", "01"), ("b", "02")):
        folder = tmp_path / "demo"
        folder.mkdir(exist_ok=True)
        (folder / f"{version}.md").write_text(
            f"---\npolicy: demo\nversion: {version}\ntitle: T\neffective: 2020-01-{day}\n"
            f"status: draft\n---\n## S\nText {version}.\n", encoding="utf-8")
    data = json.loads(run("diff", "demo@b", "--store", str(tmp_path), "--format", "json").out)
    assert (data["old"]["version"], data["new"]["version"]) == ("a", "b")
    result = run("diff", "demo@a", "--store", str(tmp_path))
    assert result.code == 2 and "first version" in result.err and result.out == ""


def test_unknown_ref_is_exit_2_with_nothing_on_stdout(run) -> None:  # type: ignore[no-untyped-def]
    result = run("diff", "us-apl@1999", "us-apl@2022", "--format", "json")
    assert (result.code, result.out) == (2, "")
    assert result.err.startswith("policy-diff: error: ") and "1998-05-15" in result.err
    assert result.err.count("\n") == 1


def test_stdin_and_plain_documents(run, monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    import io

    old = tmp_path / "old.txt"
    old.write_text("Plain text.\n\nSecond paragraph.\n", encoding="utf-8")
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(b"Plain text.\n\nSecond paragraph, edited.\n")))
    data = json.loads(run("diff", str(old), "-", "--format", "json").out)
    statuses = [b["status"] for s in data["sections"] for b in s["blocks"]]
    assert statuses == ["unchanged", "modified"]


def test_context_and_full_control_what_is_shown(run) -> None:  # type: ignore[no-untyped-def]
    args = ["diff", "us-apl@2014-09-23", "us-apl@2022-06-21", "--color", "never", "--width", "100"]
    none = run(*args, "--context", "0").out
    more = run(*args, "--context", "3").out
    full = run(*args, "--full").out
    assert len(none) < len(more) < len(full)
    assert "unchanged block" in none and "unchanged block" not in full


def test_without_colour_changes_are_marked_in_text(run) -> None:  # type: ignore[no-untyped-def]
    out = run("diff", "us-apl@2022", "us-apl@2025", "--color", "never").out
    assert "[-" in out and "{+" in out and "\x1b" not in out


def test_no_color_env_still_marks_changes(run, monkeypatch: pytest.MonkeyPatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setenv("NO_COLOR", "1")
    monkeypatch.setenv("FORCE_COLOR", "1")
    out = run("diff", "us-apl@2022", "us-apl@2025").out
    assert "[-" in out and "{+" in out and "\x1b[3" not in out


def test_colour_always_uses_styles_not_markers(run, monkeypatch: pytest.MonkeyPatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setenv("TERM", "xterm-256color")
    out = run("diff", "us-apl@2022", "us-apl@2025", "--color", "always").out
    assert "\x1b[" in out and "{+" not in out


def test_record_text_cannot_act_on_the_terminal(run, tmp_path: Path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setenv("TERM", "xterm-256color")
    old = tmp_path / "a.md"
    new = tmp_path / "b.md"
    old.write_text("## S\nSafe text.\n", encoding="utf-8")
    new.write_text("## S [bold]x[/bold]\nSafe \x1b]0;owned\x07text \x1b[2J\u202e.\n", encoding="utf-8")
    for extra in ([], ["--side-by-side"]):
        out = run("diff", str(old), str(new), "--color", "always", *extra).out
        assert "\x1b]0;" not in out and "\x1b[2J" not in out and "\u202e" not in out
        assert "[bold]x[/bold]" in out and "\\x1b]0;owned" in out


def test_width_is_respected_without_colour(run) -> None:  # type: ignore[no-untyped-def]
    out = run("diff", "us-apl@2022", "us-apl@2025", "--color", "never", "--width", "80").out
    assert max(len(line) for line in out.splitlines()) <= 80


def test_module_entry_point_runs_as_a_process() -> None:
    env = {k: v for k, v in os.environ.items() if k != "POLICY_DIFF_STORE"}
    result = subprocess.run([sys.executable, "-m", "policy_diff", "diff", "us-apl@2025",
                             "--format", "json"], capture_output=True, text=True, cwd=ROOT,
                            env=env, check=False)
    assert result.returncode == 1, result.stderr
    assert json.loads(result.stdout)["new"]["version"] == "2025-12-02"


def test_plain_documents_compare_front_matter_of_any_shape(run, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    old, new, bare = tmp_path / "a.md", tmp_path / "b.md", tmp_path / "c.md"
    old.write_text("---\n- a\n- b\n---\nText\n", encoding="utf-8")
    new.write_text("---\n- a\n- c\n---\nText\n", encoding="utf-8")
    bare.write_text("---\nText after a thematic break\n", encoding="utf-8")
    data = json.loads(run("diff", str(old), str(new), "--format", "json").out)
    assert data["metadata"] == [{"field": "front matter", "old": ["a", "b"], "new": ["a", "c"]}]
    result = run("diff", str(bare), str(bare))
    assert result.code == 0
    assert run("show", str(old)).code == 2  # a record must have mapping front matter


def test_reports_are_written_with_o_and_never_over_a_file(run, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    report = tmp_path / "redline.html"
    result = run("diff", "us-apl@2022", "us-apl@2025", "--format", "html", "-o", str(report))
    assert (result.code, result.out) == (1, "")
    assert report.read_text(encoding="utf-8").startswith("<!DOCTYPE html>")
    report.write_text("mine", encoding="utf-8")
    again = run("diff", "us-apl@2022", "us-apl@2025", "--format", "html", "-o", str(report))
    assert again.code == 2 and "already exists" in again.err
    assert report.read_text(encoding="utf-8") == "mine"
    forced = run("diff", "us-apl@2022", "us-apl@2025", "--format", "markdown", "-o", str(report),
                 "--force")
    assert forced.code == 1 and "Geographic scope" in report.read_text(encoding="utf-8")
    assert run("diff", "us-apl@2022", "us-apl@2025", "-o", str(report)).code == 2  # term view


def test_help_for_diff_names_its_options(run) -> None:  # type: ignore[no-untyped-def]
    result = run("diff", "--help")
    assert result.code == 0 and "--side-by-side" in result.out and "--ignore-editorial" in result.out


def test_usage_errors_are_one_line(run) -> None:  # type: ignore[no-untyped-def]
    result = run("diff", "us-apl@2025", "--context", "-3")
    assert (result.code, result.out) == (2, "")
    assert result.err.startswith("policy-diff: error: ") and result.err.count("\n") == 1
