"""A history summarises each commit from compare_outline; it must say what compare says."""

from __future__ import annotations

from hypothesis import given, settings

from policy_diff.diff.compare import compare, compare_outline
from policy_diff.model import Side
from policy_diff.parse.document import parse
from policy_diff.diff.summary import one_line_summary

from strategies import documents, edited, render


def sides(old_text: str, new_text: str) -> tuple[Side, Side]:
    return (Side("old.md", "old.md", None, None, parse(old_text, "old.md")),
            Side("new.md", "new.md", None, None, parse(new_text, "new.md")))


def check(old_text: str, new_text: str) -> None:
    old, new = sides(old_text, new_text)
    full, outline = compare(old, new), compare_outline(old, new)
    changed = [(s.status, s.moved, s.renamed, s.old_heading, s.new_heading)
               for s in full.sections if s.status != "unchanged" or s.moved]
    assert sorted(changed, key=repr) == sorted(
        [(s.status, s.moved, s.renamed, s.old_heading, s.new_heading) for s in outline.sections],
        key=repr)
    assert outline.identical == full.identical
    assert one_line_summary(outline) == one_line_summary(full)


@settings(max_examples=150, deadline=None)
@given(edited())
def test_outline_finds_the_sections_compare_finds_changed(pair) -> None:  # type: ignore
    a, b = pair
    check(render(a, "status: draft\n"), render(b, "status: final\n"))


@settings(max_examples=100, deadline=None)
@given(documents, documents)
def test_outline_of_any_two_documents(a, b) -> None:  # type: ignore[no-untyped-def]
    check(render(a), render(b))


def test_outline_of_a_renamed_parent_says_what_compare_says() -> None:
    """The outline's shortcut (sections paired in place) must not call a child changed whose
    path changed with its parent's name but whose own heading line and text did not."""
    old = "## Part\n\nIntro.\n\n### Child\n\nText.\n\n## Other\n\nMore.\n"
    check(old, old.replace("## Part", "## Part renamed"))
    check(old, old.replace("Text.", "Text changed."))
    check(old, old.replace("Intro.", "Intro changed.").replace("More.", "More changed."))
