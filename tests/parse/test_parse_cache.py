"""The parser reuses the pieces versions share: a warm parse equals a fresh, uncut one.

parse() cuts a body before headings that nothing can reach across and keeps each piece's
sections; these tests hold the result, line numbers included, to a parse with cold caches
that reads the whole body as one piece (the way it was parsed before pieces).
"""

from __future__ import annotations

import importlib
from typing import Any
from unittest import mock

from hypothesis import HealthCheck, given, settings, strategies as st

from policy_diff.errors import PolicyDiffError
from policy_diff.parse.document import parse

from strategies import markdown_line

parse_module = importlib.import_module("policy_diff.parse.document")

HEADINGS = ["# Title", "## Scope", "## Scope", "### Detail", "## Terms ##", "#", "####### x",
            "#\tTabbed", "  ## indented", "## <div>", "## ```"]
# HTML blocks that only their end marker closes (they run on over blank lines and headings),
# and lines that only look like them (a tag name that is not one of those, a tag mid-line).
HTML = ["<pre>", "<PRE class=x", "  <script", "<style>", "<textarea", "<!-- c", "<?php", "<!DOCTYPE",
        "<![CDATA[", "> <pre>", "- <!--", "</pre>", "-->", "?>", "]]>", "<program> text", "<p>",
        "<preface>", "a <pre> b", "<Style", "<scriptx>"]
FRONT = ["", "---\npolicy: x\nversion: '1'\n---", "---\nkey: value\n...", "---\nopen: never"]
line = markdown_line(st.sampled_from(HEADINGS), st.sampled_from(HTML), st.just(""), st.just(""),
                     st.just("   "))


@st.composite
def edited(draw):  # type: ignore[no-untyped-def]
    """A document as lines, and a copy with lines inserted, deleted and replaced."""
    front = draw(st.sampled_from(FRONT))
    lines = draw(st.lists(line, max_size=40))
    new = list(lines)
    for _ in range(draw(st.integers(1, 4))):
        action = draw(st.sampled_from(["insert", "delete", "replace"]))
        at = draw(st.integers(0, len(new)))
        if action == "insert":
            new.insert(at, draw(line))
        elif new and at < len(new):
            if action == "delete":
                del new[at]
            else:
                new[at] = draw(line)
    head = [front] if front else []
    return "\n".join(head + lines), "\n".join(head + new)


def shape(text: str) -> Any:
    """Everything a parse gives, line numbers included (Document equality leaves them out)."""
    try:
        doc = parse(text, "x.md")
    except PolicyDiffError as exc:
        return type(exc).__name__, str(exc)
    return (doc.path, dict(doc.front), doc.has_front_matter, doc.title, doc.title_line,
            [(s.heading, s.level, s.line, [(b.kind, b.text, b.line) for b in s.blocks])
             for s in doc.sections])


def clear_caches() -> None:
    parse_module.clear_caches()


def fresh_shape(text: str) -> Any:
    """A parse with cold caches, of the body as one piece."""
    clear_caches()
    with mock.patch.object(parse_module, "_pieces", lambda body: [(0, body)]):
        result = shape(text)
    clear_caches()
    return result


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(edited())
def test_a_parse_reusing_pieces_equals_a_fresh_one(pair) -> None:  # type: ignore
    old, new = pair
    expected_old, expected_new = fresh_shape(old), fresh_shape(new)
    assert shape(old) == expected_old
    assert shape(new) == expected_new  # with the old version's pieces in the caches
    assert shape(old) == expected_old  # and back


def test_a_section_unchanged_at_the_same_place_is_the_same_object() -> None:
    body = "# T\n\n## One\n\nFirst.\n\n## Two\n\nSecond.\n\n## Three\n\nThird.\n"
    a = parse(body)
    b = parse(body.replace("Second.", "Second, amended."))
    c = parse(body.replace("Second.", "Second,\nover two lines."))
    assert a.sections[0] is b.sections[0] and a.sections[2] is b.sections[2]
    assert a.sections[1] is not b.sections[1]
    # A longer section moves the ones after it: same content, new line numbers.
    assert c.sections[2] == a.sections[2] and c.sections[2].line == a.sections[2].line + 1


def test_nothing_is_cut_after_a_fence_that_could_hold_a_heading() -> None:
    text = "# T\n\n## A\n\n```\n\n## not a heading\n```\n\n## B\n\nText.\n"
    assert [s.heading for s in parse(text).sections] == ["A", "B"]
    assert shape(text) == fresh_shape(text)


def test_nothing_is_cut_after_an_html_block_that_could_hold_a_heading() -> None:
    for opener in ("<pre>", "<!-- note", "<?x", "<Script type=x>"):
        text = f"# T\n\n## A\n\n{opener}\n\n## not a heading\n\n## B\n\nText.\n"
        assert shape(text) == fresh_shape(text), opener


def test_a_tag_that_runs_only_to_a_blank_line_still_lets_the_body_be_cut() -> None:
    """`<program>`, `<p>` or `<preface>` end at a blank line: what follows parses apart, and
    an edit there leaves the sections before it the same objects."""
    body = "# T\n\n## A\n\nCopyright <year> <program>.\n\n<p>\n\n## B\n\nText.\n\n## C\n\nEnd.\n"
    assert len(parse_module._pieces(body)) == 4
    a, b = parse(body), parse(body.replace("End.", "The end."))
    assert a.sections[0] is b.sections[0] and a.sections[1] is b.sections[1]
