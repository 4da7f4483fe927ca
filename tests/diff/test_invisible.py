"""Invisible and look-alike edits are shown and count as substantive; so do edits of numbers'
signs, percent and currency marks, hyphenated terms and quotation marks around a term."""

from __future__ import annotations

import json
import sys
import unicodedata
from pathlib import Path

import pytest

from policy_diff.diff.editorial import classify
from policy_diff.text.unicode import HIDDEN

from conftest import write

PARAGRAPH = "The United States will not use anti-personnel landmines outside the Korean Peninsula."


@pytest.mark.parametrize("old,new", [
    ("Keep records for -40 days.", "Keep records for 40 days."),
    ("A fee of 10% applies.", "A fee of 10 applies."),
    ("A fee of $100 applies.", "A fee of 100 applies."),
    ("A fee of 100 € applies.", "A fee of 100 applies."),
    ("This is non-binding.", "This is non binding."),
    ('The "Korean Peninsula" only.', "The Korean Peninsula only."),
    ("the Korean Peninsula", "the Korean\ufe00 Peninsula"),           # variation selector
    ("the Korean Peninsula", "the Korean\U000e0100 Peninsula"),       # variation selector supplement
    ("the Korean Peninsula", "the Korean\u3164 Peninsula"),           # Hangul filler
    ("the Korean Peninsula", "the Korean\u0600 Peninsula"),           # Arabic number sign
    ("the Korean Peninsula", "the Korean\u200b Peninsula"),           # zero-width space
    ("the Korean Peninsula", "the Korean\u00a0Peninsula"),            # no-break space
    ("the Korean Peninsula", "the Korean\u3000Peninsula"),            # ideographic space
    ("the Korean Peninsula", "the Kore\u0430n Peninsula"),            # Cyrillic а
])
def test_meaning_and_invisible_changes_are_substantive(old: str, new: str) -> None:
    assert classify(old, new) == "substantive"


@pytest.mark.parametrize("old,new", [
    ('The "Korean Peninsula" only.', "The \u201cKorean Peninsula\u201d only."),  # quote style
    ("Keep records for -40 days.", "Keep records for \u221240 days."),  # minus sign
    ("It is non-binding here.", "It is non-\nbinding here."),  # wrapped after the hyphen
    ("A fee of 10 % applies.", "A fee of 10% applies."),
    ("The Peninsula's end.", "The Peninsula\u2019s end."),  # apostrophe
])
def test_typography_stays_editorial(old: str, new: str) -> None:
    assert classify(old, new) == "editorial"


def test_every_format_character_and_unusual_space_is_hidden() -> None:
    missing = [f"U+{cp:04X}" for cp in range(sys.maxunicode + 1)
               if unicodedata.category(chr(cp)) in ("Cf", "Zs") and cp != 0x20
               and not HIDDEN.match(chr(cp))]
    assert missing == []


@pytest.fixture
def pair(tmp_path: Path):  # type: ignore[no-untyped-def]
    def make(new_paragraph: str) -> tuple[str, str]:
        old = write(tmp_path / "old.md", f"## Scope\n\n{PARAGRAPH}\n")
        new = write(tmp_path / "new.md", f"## Scope\n\n{new_paragraph}\n")
        return str(old), str(new)
    return make


@pytest.mark.parametrize("inserted, shown, note", [
    ("Korean\ufe00", "{+⟨U+FE00⟩+}", "⟨invisible: U+FE00 VARIATION SELECTOR-1⟩"),
    ("Korean\u3164", "{+Korean⟨U+3164⟩+}", "⟨invisible: U+3164 HANGUL FILLER⟩"),
    ("Korean\u0600", "{+⟨U+0600⟩+}", "⟨invisible: U+0600 ARABIC NUMBER SIGN⟩"),
    ("Kore\u0430n", "[-Korean-]{+Kore\u0430n+}", "⟨look-alike: U+0430 CYRILLIC SMALL LETTER A⟩"),
])
def test_an_invisible_or_look_alike_edit_is_shown_and_not_editorial(
        run, pair, inserted: str, shown: str, note: str) -> None:  # type: ignore[no-untyped-def]
    old, new = pair(PARAGRAPH.replace("Korean", inserted))
    inserted_part = shown[shown.index("{+"):]
    result = run("diff", old, new, "--color", "never")
    assert result.code == 1
    assert f"{shown} {note}" in " ".join(result.out.split())
    side_by_side = run("diff", old, new, "--color", "never", "--side-by-side", "--width", "200")
    assert inserted_part in side_by_side.out  # each side alone: the new one with its insertion
    assert run("diff", old, new, "--ignore-editorial").code == 1
    for fmt in ("markdown", "html"):
        out = run("diff", old, new, "--format", fmt).out
        assert f"<ins>{inserted_part[2:-2]}</ins>" in out and note in out
    data = json.loads(run("diff", old, new, "--format", "json").out)
    block = data["sections"][0]["blocks"][0]
    assert block["new"] == PARAGRAPH.replace("Korean", inserted)  # JSON stays exact
    assert block["change_class"] == "substantive"


@pytest.mark.parametrize("space", ["\u00a0", "\u2002", "\u3000"])
def test_an_unusual_space_is_marked(run, pair, space: str) -> None:  # type: ignore[no-untyped-def]
    old, new = pair(PARAGRAPH.replace("Korean Peninsula", f"Korean{space}Peninsula"))
    result = run("diff", old, new, "--color", "never")
    assert f"[- -]{{+⟨U+{ord(space):04X}⟩+}}" in result.out
    assert f"⟨unusual space: U+{ord(space):04X} {unicodedata.name(space)}⟩" in result.out
    assert run("diff", old, new, "--ignore-editorial").code == 1


@pytest.mark.parametrize("old_value, new_value", [
    ("-40", "40"), ("10%", "10"), ("$100", "100"), ("non-binding", "non binding"),
    ('"landmines"', "landmines")])
def test_meaning_changes_are_not_hidden_by_ignore_editorial(run, pair, old_value, new_value) -> None:  # type: ignore[no-untyped-def]
    old, new = pair(PARAGRAPH)
    Path(old).write_text(f"## Scope\n\nA fee of {old_value} applies to landmines.\n")
    Path(new).write_text(f"## Scope\n\nA fee of {new_value} applies to landmines.\n")
    assert run("diff", old, new, "--ignore-editorial").code == 1


def test_a_set_provision_member_with_an_invisible_character_is_shown(run, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    old = write(tmp_path / "old.md", "---\nprovisions:\n  scope: [Korean Peninsula]\n---\n")
    new = write(tmp_path / "new.md", "---\nprovisions:\n  scope: [Korean Peninsula\ufe01]\n---\n")
    out = " ".join(run("diff", str(old), str(new), "--color", "never").out.split())
    assert "Korean Peninsula → Korean Peninsula⟨U+FE01⟩" in out
    assert "⟨invisible: U+FE01 VARIATION SELECTOR-2⟩" in out
