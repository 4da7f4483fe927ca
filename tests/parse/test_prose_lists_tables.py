"""Lists with nested items and tables on the prose fast path: read as markdown-it reads them.

The fast path takes a run of list items at the margin with the lines indented under
them, and a run of `|` lines that is a table, without markdown-it (rule books are full
of both); anything it is not sure of goes to markdown-it.  These properties hold the
two readings equal on lines made to sit near every edge of those rules.
"""

from __future__ import annotations

from hypothesis import example, given, settings
from hypothesis import strategies as st

from blockevents import markdown_it_only, parse_module, trimmed
from strategies import MARKDOWN_LINES as FRAGMENTS

ITEMS = ["- item", "* star", "+ plus", "1. one", "2) two", "10. ten", "-   wide", "-    four",
         "-     code", "-\ttab", "1.  two spaces", "- ", "  - nested", "   - three",
         "    - four", "  1. nested", "   2) nested", "  cont", "    more", "      deep",
         "        eight", "         nine", " - one space", "  > q", "  ```", "  ~~~", "  | a |",
         "- - - - x", "- > > > x", "- > > x", "  - > > x", "    - - x", "- ```", "- # h",
         "  # h", "lazy text", "---", "* * *", "  ---", "  ===", "\t- tab", "  \tx", "  <div>",
         "  <!-- c", "- <!-- c", "-->", "  [ref]: http://x", "- [ref]: http://x", "  \x0c"]
TABLE = ["| a | b |", "|---|---|", "|:--|--:|", "| x |", "|---|", "| a \\| b |", "| a | b",
         "|---|---| ", "| --- | --- |", "|", "||", "|-|-|", "| c | d | e |", "| a |\x0c",
         "|\\|", "|  |", "| x \\|", "|-- |", "| :-: |", "|---|---|---|", "|- -|", "|:|",
         "| a | b |\t", "|\t---\t|", "| ` |", "| - |", "| # |", "|> q |"]

lines = st.lists(st.one_of(st.sampled_from(ITEMS), st.sampled_from(TABLE),
                           st.sampled_from(FRAGMENTS), st.just("")), max_size=30)


@st.composite
def tables(draw: st.DrawFn) -> list[str]:
    """A table of N columns: header, delimiter, rows of any width; sometimes broken."""
    columns = draw(st.integers(1, 4))
    cell = st.sampled_from(["a", "b c", "", " ", "x\\|y", "`", "-", ":"])
    header = "|" + "|".join(draw(cell) for _ in range(columns)) + draw(st.sampled_from(["|", "", " |"]))
    aligns = [draw(st.sampled_from(["---", ":--", "--:", ":-:", "-", " --- ", ""]))
              for _ in range(draw(st.sampled_from([columns, columns, columns + 1, max(columns - 1, 1)])))]
    delimiter = "|" + "|".join(aligns) + draw(st.sampled_from(["|", "", "| "]))
    rows = ["|" + "|".join(draw(cell) for _ in range(draw(st.integers(0, 5)))) + "|"
            for _ in range(draw(st.integers(0, 4)))]
    return [header, delimiter, *rows]


@st.composite
def lists(draw: st.DrawFn) -> list[str]:
    """Items at the margin, each with lines indented under it by 0 to 9 spaces."""
    out = []
    for _ in range(draw(st.integers(1, 5))):
        out.append(draw(st.sampled_from(["- ", "* ", "1. ", "2) ", "-  ", "-    ", "10. "]))
                   + draw(st.sampled_from(["item", "- x", "> q", "```", "a"])))
        for _ in range(draw(st.integers(0, 3))):
            out.append(" " * draw(st.integers(0, 9))
                       + draw(st.sampled_from(["- sub", "text", "1. sub", "> q", "```", "| a |"])))
    return out


documents = st.lists(st.one_of(tables(), lists(), st.lists(st.sampled_from(FRAGMENTS), max_size=3),
                               st.just([""])), max_size=6).map(lambda parts: sum(parts, []))


def same_reading(body: list[str]) -> None:
    assert trimmed(parse_module._body_events(body), body) == \
        trimmed(markdown_it_only(body), body)


@settings(max_examples=500, deadline=None)
@given(lines)
@example(["- a", "  - b", "- c", "", "para"])
@example(["- " * 25 + "x", "- b", "", "para"])
@example(["| a | b |", "|---|---|", "| x | y |", "", "- a", "  - b"])
@example(["- item", "  ```", "- item", "```", "- item", "", "- item"])
def test_lines_near_the_rules_read_as_markdown_it_reads_them(body: list[str]) -> None:
    same_reading(body)


@settings(max_examples=500, deadline=None)
@given(documents)
def test_lists_and_tables_read_as_markdown_it_reads_them(body: list[str]) -> None:
    same_reading(body)


def test_rule_book_lists_and_tables_take_the_fast_path() -> None:
    from policy_diff.parse import prose

    body = ["- One", "- Two", "  - Two, nested", "- Three", "", "| Term | Meaning |", "|---|---|",
            "| a b | c d e |", "| f | g |"]
    assert all(events is not None for _, _, events in prose.segments("\n".join(body)))
    same_reading(body)


def test_past_markdown_its_nesting_limit_the_rest_is_one_block_as_markdown_it_reads_it() -> None:
    """markdown-it stops reading at 20 levels: the deep item runs to the end of the text,
    headings after it included; so does the parse, which reads the body in pieces."""
    body = ["Intro.", "", "- " * 25 + "x", "- b", "", "## Later", "", "text"]
    assert [e[:3] for e in markdown_it_only(body)] == [(0, 1, "paragraph"), (2, 8, "list_item")]
    document = parse_module.parse("\n".join(body), "deep.md", lenient=True)
    assert [(s.heading, [b.line for b in s.blocks]) for s in document.sections] == [("", [1, 3])]
