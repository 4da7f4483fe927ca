"""Lines that cannot interrupt a paragraph: the fast path reads them as markdown-it does.

An ordered item not numbered 1, or a tag opening no HTML block of types 1-6 (`<name of
author>`, an autolink), on a wrapped line continues the paragraph; at the start of a block
it would be a list or HTML, which markdown-it is left to read.
"""

from __future__ import annotations

from hypothesis import example, given, settings, strategies as st

from policy_diff.parse import prose

from blockevents import markdown_it_only, parse_module, trimmed
from strategies import markdown_lines

CONTINUATIONS = ["<name of author>", "<year>", "<https://fsf.org/>", "<div>", "</DIV>", "<p>",
                 "<p class=x>", "<pre>", "</pre>", "<script>", "<ſcript>", "<!-- c", "<?x",
                 "<!X", "<h1>", "<h7>", "<tr/>", "<td >", "  <name>", "<a href='x'>", "<",
                 "<details\x0b>", "177. Amended", "2) two", "01. one", "1) one", "10. ten",
                 "3.", "4)\tx", "1.", "  7. indented", "123456789. x", "1234567890. x"]
lines = markdown_lines(st.sampled_from(CONTINUATIONS), st.just("Plain words here."), max_size=30)


@settings(max_examples=500, deadline=None)
@given(lines)
@example(["Text", "<name of author>", "more"])
@example(["Text", "177. Amended", "<div>"])
@example(["Text", "01. one"])
@example(["<year>", "text"])
@example(["2) two", "text"])
def test_fast_path_reads_continuation_lines_as_markdown_it_does(body: list[str]) -> None:
    assert trimmed(parse_module._body_events(body), body) == \
        trimmed(markdown_it_only(body), body)


def test_block_tags_are_markdown_its() -> None:
    from markdown_it.common.html_blocks import block_names

    assert prose._BLOCK_TAGS.split("|") == ["script", "pre", "style", "textarea", *block_names]


def test_a_wrapped_paragraph_stays_on_the_fast_path() -> None:
    body = ["3.3 Copyright (C) 2007 <https://fsf.org/> Amended in version",
            "177. Amended in version 233.", "<name of author>"]
    assert prose.segments("\n".join(body)) == [(0, 3, [(0, 3, "paragraph", prose.NO_HEADING)])]
