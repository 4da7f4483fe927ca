"""The plain-prose fast path finds exactly the blocks markdown-it finds."""

from __future__ import annotations

from hypothesis import given, settings, strategies as st

import importlib

from policy_diff.parse.prose import heading_of

parse_module = importlib.import_module("policy_diff.parse.document")

FRAGMENTS = ["Plain words here.", "More text", "# Title", "## Scope", "### Sub ##", "#hashtag",
             "## ###", "##", "- item", "* item", "1. first", "2) second", "> quote", "```",
             "~~~", "```python", "    indented", "\tTabbed", "  two spaces", "| a | b |",
             "|---|---|", "a | b", "--|--", "===", "---", "***", "<div>", "<!-- c", "-->",
             "<script>", "</script>", "[ref]: http://x", "3.5 million", "12. item", "12.3 Clause text", "7)", "Text with # inside",
             "\x0cform feed", "Setext", "  - nested", "1996 text", ": colon", "_under_", " \t1", "- a", "- b", "1. one", "2) two", "- - -", "* * *", "-\ttab",
             "- ```", "  cont", "+ plus", "- [x] done", "- > q", "10. ten"]

lines = st.lists(st.one_of(st.sampled_from(FRAGMENTS), st.just("")), max_size=40)


def markdown_it_only(body: list[str]):  # type: ignore[no-untyped-def]
    return parse_module._markdown_events(body)


def trimmed(events, body):  # type: ignore[no-untyped-def]
    """Events as blocks see them: a block's trailing blank lines are not part of its text."""
    out = []
    for start, end, kind, heading in events:
        while end > start + 1 and not body[end - 1].strip(" \t"):
            end -= 1
        out.append((start, end, kind, heading))
    return out


@settings(max_examples=400, deadline=None)
@given(lines)
def test_fast_path_equals_markdown_it(body: list[str]) -> None:
    assert trimmed(parse_module._body_events(body), body) == \
        trimmed(markdown_it_only(body), body)


@given(st.text(alphabet="# \tab", max_size=12))
def test_atx_heading_text_matches_markdown_it(tail: str) -> None:
    line = "##" + tail
    events = markdown_it_only([line])
    if events and events[0][2] == "heading":
        assert heading_of(line) == events[0][3]
