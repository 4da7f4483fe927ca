"""The plain-prose fast path finds exactly the blocks markdown-it finds."""

from __future__ import annotations

from hypothesis import example, given, settings, strategies as st

from policy_diff.parse.prose import heading_of

from blockevents import markdown_it_only, parse_module, trimmed
from strategies import markdown_lines

lines = markdown_lines(st.just(""), max_size=40)


@settings(max_examples=400, deadline=None)
@given(lines)
@example(['<div>', '```', '', '```', '', 'Plain words here.'])  # a fence in HTML
def test_fast_path_equals_markdown_it(body: list[str]) -> None:
    assert trimmed(parse_module._body_events(body), body) == \
        trimmed(markdown_it_only(body), body)


@given(st.text(alphabet="# \tab", max_size=12))
def test_atx_heading_text_matches_markdown_it(tail: str) -> None:
    line = "##" + tail
    events = markdown_it_only([line])
    if events and events[0][2] == "heading":
        assert heading_of(line) == events[0][3]
