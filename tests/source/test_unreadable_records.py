"""A store record that cannot be read (record-format §4) stops store commands with its
`path:line` error, or is listed in its place marked unreadable (exit 1); never reordered,
never compared as a plain document."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from conftest import CORPUS

LATEST = "2025-12-02.md"


@pytest.fixture
def store(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    root = tmp_path / "policies"
    shutil.copytree(CORPUS / "us-apl", root / "us-apl")
    monkeypatch.chdir(tmp_path)  # paths in messages are shown relative to here
    return root


def break_record(store: Path, name: str, how: str) -> Path:
    """Mistype the closing fence, put a YAML error on line 3, or drop `effective`."""
    path = store / "us-apl" / name
    lines = path.read_text().split("\n")
    if how == "fence":
        lines[lines.index("---", 1)] = "--"
    elif how == "yaml":
        lines[2] = lines[2].replace(":", "", 1)  # `version 2025-12-02`: a key without ':'
    elif how == "no date":
        lines = [line for line in lines if not line.startswith("effective:")]
    path.write_text("\n".join(lines))
    return path


def log_versions(out: str) -> list[str]:
    return [line.split()[0] for line in out.splitlines() if line[:2] in ("19", "20")]


@pytest.mark.parametrize("how", ["fence", "yaml"])
def test_diff_of_an_unreadable_latest_record_stops_with_its_error(run, store: Path, how: str) -> None:  # type: ignore[no-untyped-def]
    break_record(store, LATEST, how)
    for args in (["diff", "us-apl@2022", "us-apl@2025"], ["diff", "us-apl"],
                 ["matrix", "us-apl"], ["blame", "us-apl"]):
        result = run(*args, "--store", str(store))
        assert result.code == 2 and result.out == "", (args, result)
        assert result.err.startswith(f"policy-diff: error: policies/us-apl/{LATEST}:"), result.err


@pytest.mark.parametrize("how", ["fence", "yaml", "no date"])
def test_log_lists_an_unreadable_record_in_its_place_and_exits_1(run, store: Path, how: str) -> None:  # type: ignore[no-untyped-def]
    break_record(store, "2014-09-23.md", how)
    result = run("log", "us-apl", "--store", str(store), "--color", "never", "--width", "200")
    assert result.code == 1
    assert log_versions(result.out) == ["2025-12-02", "2022-06-21", "2020-01-31", "2014-09-23",
                                        "2014-06-27", "2004-02-27", "1998-05-15", "1996-05-16"]
    row = next(line for line in result.out.splitlines() if line.startswith("2014-09-23"))
    assert row.split()[1] == "unreadable"  # in the status's place: it has no effective date
    assert "unreadable: policies/us-apl/2014-09-23.md:" in " ".join(result.out.split())
    lines = result.out.splitlines()
    after = lines[next(i for i, line in enumerate(lines) if line.startswith("2020-01-31")) + 1]
    assert "the version before cannot be read" in after  # its change, under it


def test_log_of_an_unreadable_latest_lists_it_first(run, store: Path) -> None:  # type: ignore[no-untyped-def]
    break_record(store, LATEST, "fence")
    result = run("log", "us-apl", "--store", str(store), "--color", "never", "--width", "200")
    assert result.code == 1 and log_versions(result.out)[0] == "2025-12-02"
    assert "(first version)" in result.out.splitlines()[-1]  # 1996, not the broken one


def test_new_refuses_to_start_from_an_unreadable_latest(run, store: Path) -> None:  # type: ignore[no-untyped-def]
    break_record(store, LATEST, "yaml")
    for extra in ([], ["--from", "2022-06-21"]):
        result = run("new", "us-apl", "--version", "2026-01-01", "--store", str(store), *extra)
        assert result.code == 2 and f"{LATEST}:" in result.err and "cannot be read" in result.err
    assert not (store / "us-apl" / "2026-01-01.md").exists()


def test_a_record_that_supersedes_itself_is_never_compared_with_itself(run, store: Path) -> None:  # type: ignore[no-untyped-def]
    path = store / "us-apl" / LATEST
    path.write_text(path.read_text().replace("supersedes: 2022-06-21", "supersedes: 2025-12-02"))
    result = run("diff", "us-apl@2025", "--store", str(store))
    assert result.code == 2 and "not an earlier version" in result.err
    checked = run("validate", str(store))
    assert checked.code == 1 and "supersedes itself ('2025-12-02')" in checked.out


def test_a_plain_markdown_file_in_a_policy_folder_is_unreadable_not_a_version(run, store: Path) -> None:  # type: ignore[no-untyped-def]
    (store / "us-apl" / "2030-notes.md").write_text("# Notes\n\nNot a record.\n")
    result = run("log", "us-apl", "--store", str(store), "--color", "never", "--width", "200")
    assert result.code == 1 and log_versions(result.out)[0] == "2030-notes"
    assert "no front matter" in result.out
    assert run("diff", "us-apl", "--store", str(store)).code == 2
