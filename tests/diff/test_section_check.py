"""A key provision and the body section that spells it out should change together; where one
changed and the other did not, every view flags it and `validate` warns."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from conftest import CORPUS

NOTE = "section reworded; recorded value unchanged — check"


def checks(run, old: str, new: str, *args: str) -> dict[str, str | None]:  # type: ignore[no-untyped-def]
    data = json.loads(run("diff", old, new, "--format", "json", *args).out)
    return {p["id"]: p["section_check"] for p in data["provisions"]}


def test_a_section_reworded_under_an_unchanged_value_is_flagged_everywhere(run) -> None:  # type: ignore[no-untyped-def]
    pair = ("us-apl@2004-02-27", "us-apl@2014-06-27")
    assert checks(run, *pair)["geographic_scope"] == "section_changed"
    term = " ".join(run("diff", *pair, "--color", "never").out.split())
    assert f"Geographic scope unchanged Worldwide {NOTE}" in term
    assert "Unchanged: Geographic scope" not in term
    assert f"| Geographic scope | unchanged | Worldwide — {NOTE} |" in run(
        "diff", *pair, "--format", "markdown").out
    assert NOTE in run("diff", *pair, "--format", "html").out
    assert all(v is None for v in checks(run, "us-apl@2022-06-21", "us-apl@2025-12-02").values())


@pytest.fixture
def store(tmp_path: Path) -> Path:
    root = tmp_path / "policies"
    shutil.copytree(CORPUS / "us-apl", root / "us-apl")
    return root


def test_a_value_changed_under_an_unchanged_section_is_flagged(run, store: Path) -> None:  # type: ignore[no-untyped-def]
    path = store / "us-apl" / "2025-12-02.md"
    new = path.with_name("2026-01-01.md")
    new.write_text(path.read_text().replace("version: 2025-12-02", "version: 2026-01-01")
                   .replace("effective: 2025-12-02", "effective: 2026-01-01")
                   .replace("supersedes: 2022-06-21", "supersedes: 2025-12-02")
                   .replace("approval_authority: Combatant commanders",
                            "approval_authority: Commanders in combat zones"))
    found = checks(run, "us-apl@2025-12-02", "us-apl@2026-01-01", "--store", str(store))
    assert found["approval_authority"] == "value_changed"
    term = " ".join(run("diff", "us-apl@2025-12-02", "us-apl@2026-01-01", "--store", str(store),
                        "--color", "never").out.split())
    assert "value changed; section text unchanged — check" in term
    result = run("validate", str(new))
    line = next(n for n, row in enumerate(new.read_text().split("\n"), 1)
                if row.startswith("  approval_authority:"))
    assert result.code == 0
    assert (f"2026-01-01.md:{line}: warning: provision 'approval_authority', since 2025-12-02: "
            "value changed; section text unchanged — check") in result.out


def test_validate_warns_on_the_corpus_record_whose_section_changed_alone(run) -> None:  # type: ignore[no-untyped-def]
    result = run("validate", str(CORPUS / "us-apl" / "2014-06-27.md"))
    assert result.code == 0 and f"since 2004-02-27: {NOTE}" in result.out
