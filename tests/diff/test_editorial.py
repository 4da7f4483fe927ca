"""Editorial versus substantive changes: spacing, punctuation, case and numbering are editorial."""

from __future__ import annotations

import json
import textwrap
from pathlib import Path

import pytest
from hypothesis import given, settings, strategies as st

from policy_diff.diff.editorial import classify, classify_heading

from conftest import REPO as ROOT

RECORD = ROOT / "policies" / "us-apl" / "2022-06-21.md"


@pytest.mark.parametrize("old,new", [
    ("The United States will not use APL.", "The United States\nwill not  use APL."),
    ("Destroy stocks, except for Korea.", "Destroy stocks except for Korea;"),
    ("The President may authorize use.", "the president may AUTHORIZE use."),
    ("1. Keep records.", "2. Keep records."),
    ("(a) Keep records.", "(b) Keep records."),
    ("- Keep **all** records.", "* Keep all records"),
])
def test_editorial_changes(old: str, new: str) -> None:
    assert classify(old, new) == "editorial"


@pytest.mark.parametrize("old,new", [
    ("Keep records 30 days.", "Keep records 60 days."),
    ("30 days after notice.", "60 days after notice."),
    ("A person may apply.", "person may apply."),
    ("will not use", "will use"),
])
def test_substantive_changes(old: str, new: str) -> None:
    assert classify(old, new) == "substantive"


def rewrapped_copy(tmp_path: Path) -> Path:
    """The 2022 record with every paragraph re-wrapped and some punctuation and case changed."""
    front, body = RECORD.read_text(encoding="utf-8").split("\n---\n", 1)
    paragraphs = []
    for paragraph in body.split("\n\n"):
        text = paragraph.strip("\n")
        paragraphs.append(paragraph if text.startswith(("#", "-", "|")) else textwrap.fill(text, 50))
    copy = front + "\n---\n" + "\n\n".join(paragraphs)
    copy = copy.replace("Korean Peninsula.", "Korean peninsula;", 1).replace(", and", " and", 1)
    path = tmp_path / "copy.md"
    path.write_text(copy, encoding="utf-8")
    return path


def test_a_rewrapped_repunctuated_copy_is_editorial_only(run, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    copy = rewrapped_copy(tmp_path)
    data = json.loads(run("diff", str(RECORD), str(copy), "--format", "json").out)
    changed = [b for s in data["sections"] for b in s["blocks"] if b["status"] != "unchanged"]
    assert changed and all(b["change_class"] == "editorial" for b in changed)
    assert all(c in (None, "editorial") for b in changed for c in b["op_classes"])
    assert all(len(b["op_classes"]) == len(b["ops"]) for b in changed)
    assert data["substantive"] is False and data["identical"] is False
    assert run("diff", str(RECORD), str(copy)).code == 1
    quiet = run("diff", str(RECORD), str(copy), "--ignore-editorial", "--color", "never")
    assert quiet.code == 0 and "editorial" in quiet.out


def test_ignore_editorial_still_shows_and_fails_on_a_real_change(run, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    copy = rewrapped_copy(tmp_path)
    copy.write_text(copy.read_text().replace("will not use APL", "may use APL"), encoding="utf-8")
    result = run("diff", str(RECORD), str(copy), "--ignore-editorial", "--color", "never")
    assert result.code == 1
    assert "{+may+}" in result.out.replace("\n", " ")
    assert "\n= " not in result.out  # editorial blocks are not shown as changes
    full = run("diff", str(RECORD), str(copy), "--color", "never").out
    assert "\n= " in full and "changes: 1 substantive" in " ".join(full.split())


def test_section_renumbering_is_an_editorial_rename(run, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    old, new = tmp_path / "a.md", tmp_path / "b.md"
    old.write_text("## 1. Scope\nAll staff.\n\n## 2. Retention\nKeep records.\n", encoding="utf-8")
    new.write_text("## 1. Scope\nAll staff.\n\n## 3. Retention\nKeep records.\n", encoding="utf-8")
    data = json.loads(run("diff", str(old), str(new), "--format", "json").out)
    renamed = [s for s in data["sections"] if s["renamed"]]
    assert [(s["old_heading"], s["rename_class"]) for s in renamed] == [("2. Retention", "editorial")]
    assert run("diff", str(old), str(new), "--ignore-editorial").code == 0


@pytest.mark.parametrize("old,new", [
    ("Article 5 Scope", "Article 6 Scope"), ("§ 5 Rücktritt", "§ 6 Rücktritt"),
    ("Section 3 Fees", "Section 4 Fees"), ("A.2 Data", "A.3 Data"), ("IV. Remedies", "V. Remedies"),
    ("2.1 Scope", "3.1 Scope"), ("Titel 3 – Verteilungsverfahren", "Titel 4 – Verteilungsverfahren"),
    ("Part II Chapter 3: Fees", "Part III Chapter 1: Fees"),
])
def test_numbering_alone_in_headings_is_editorial(old: str, new: str) -> None:
    assert classify_heading(old, new) == "editorial"


@pytest.mark.parametrize("old,new", [
    ("2025 Budget", "2026 Budget"), ("Civil Procedure", "Mild Procedure"),
    ("Article 5 Scope", "Article 5 Remedies"),
])
def test_headings_that_say_something_else_are_substantive(old: str, new: str) -> None:
    assert classify_heading(old, new) == "substantive"


def test_a_rewrap_that_starts_a_line_with_a_number_is_editorial() -> None:
    old = "The review ends in\n2025. The United States will decide then."
    new = "The review ends in 2025.\nThe United States will decide then."
    assert classify(old, new) == classify(new, old) == "editorial"


@pytest.mark.parametrize("old,new", [
    (" ### Scope\n\nText.\n", "### Scope\n\nText.\n"),   # a heading that lost its leading space
    ("## Scope\n\nText.\n\nMore.\n", "## Scope\n\nText.\n\n\nMore.\n"),  # a blank line between blocks
    ("## Scope\n\nText.\n", "## Scope\r\n\r\nText.\r\n"),  # line ends
])
def test_any_byte_difference_is_an_editorial_difference(tmp_path: Path, old: str, new: str,
                                                        run) -> None:  # type: ignore[no-untyped-def]
    a, b = tmp_path / "a.md", tmp_path / "b.md"
    a.write_bytes(old.encode()), b.write_bytes(new.encode())
    result = run("diff", str(a), str(b), "--format", "json")
    data = json.loads(result.out)
    assert (result.code, data["identical"], data["substantive"]) == (1, False, False)
    assert run("diff", str(a), str(b), "--ignore-editorial").code == 0


@settings(max_examples=500, deadline=None)
@given(st.text(max_size=60), st.text(alphabet=st.characters(max_codepoint=127), max_size=60))
def test_punctuation_is_set_aside_as_the_regular_expression_does(any_text: str, ascii_text: str) -> None:
    """The ASCII table (str.translate) and the regular expression give the same text."""
    from policy_diff.diff.editorial import _PUNCTUATION, without_punctuation

    for text in (any_text, ascii_text, ascii_text + any_text):
        assert without_punctuation(text) == _PUNCTUATION.sub(" ", text)
