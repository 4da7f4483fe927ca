"""Summaries name what matters (status changes); Markdown reports notify no one and
link nowhere on their own."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from conftest import CORPUS, write


@pytest.mark.parametrize("old, new, word", [
    ("draft", "in-force", "published"), ("in-force", "superseded", "superseded"),
    ("in-force", "rescinded", "rescinded"), ("in-force", "draft", "back to draft")])
def test_a_status_change_is_named_not_metadata_only(run, tmp_path: Path, old, new, word) -> None:  # type: ignore[no-untyped-def]
    text = (CORPUS / "us-apl" / "2025-12-02.md").read_text()
    a = write(tmp_path / "a" / "2025-12-02.md", text.replace("status: in-force", f"status: {old}"))
    b = write(tmp_path / "b" / "2025-12-02.md", text.replace("status: in-force", f"status: {new}"))
    report = run("diff", str(a), str(b), "--format", "markdown").out
    assert f"<strong>{word}</strong>" in report and "metadata only" not in report


def test_markdown_reports_neutralise_mentions_and_bare_links(run, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    old = write(tmp_path / "old.md", "---\nowner: legal\n---\n## Scope\n\nAll staff.\n")
    new = write(tmp_path / "new.md", "---\nowner: '@legal-team'\n---\n## Scope @ops\n\n"
                "All staff; ask @security or see https://evil.example/x and www.evil.example, "
                "mail boss@evil.example.\n")
    report = run("diff", str(old), str(new), "--format", "markdown").out
    assert not re.search(r"@\w", report), re.findall(r".{20}@\w.{10}", report)
    assert not re.search(r"\w://|www\.", report)
    assert "@<!-- -->security" in report and "https<!-- -->://evil.example/x" in report
