"""Text -> Document (record-format §1, §2, §6): sections, blocks and their source lines."""

from __future__ import annotations

import re

import pytest
from hypothesis import HealthCheck, given, settings, strategies as st

from conftest import CORPUS, line_of
from policy_diff.errors import PolicyDiffError
from policy_diff.model import Document
from policy_diff.parse.document import HEADING_SEPARATOR, parse

FRONT = "---\npolicy: demo\nversion: v1\n---\n"

BODY = """\
# The Title

Preamble paragraph
over two lines.

## Scope

A paragraph.

- first item
  - nested under first

  still the first item
- second item

1. ordered one
2. ordered two

| Place | Allowed |
|---|---|
| Korea | yes |
| Elsewhere | no |

> a quote
> on two lines

```
## not a heading
code
```

    indented code

<div>
html
</div>

***

[ref]: https://example.org "a link definition"

### Exceptions

Exception text.

#### Deeper

Deep text.

## Second
Text right under the heading.
"""


@pytest.fixture(scope="module")
def doc() -> Document:
    return parse(FRONT + BODY, "r.md")


def blocks_of(doc: Document, heading: str) -> list:
    return next(s for s in doc.sections if s.heading == heading).blocks


def test_title_is_not_a_section(doc):
    assert doc.title == "The Title"
    assert doc.title_line == line_of(FRONT + BODY, "# The Title")
    assert "The Title" not in [s.heading for s in doc.sections]


def test_text_before_the_first_section_is_the_preamble(doc):
    preamble = doc.sections[0]
    assert preamble.heading == ""
    assert [b.text for b in preamble.blocks] == ["Preamble paragraph\nover two lines."]


def test_sections_and_subsections_are_named_by_heading_path(doc):
    sep = HEADING_SEPARATOR
    assert [s.heading for s in doc.sections] == [
        "", "Scope", f"Scope{sep}Exceptions", f"Scope{sep}Exceptions{sep}Deeper", "Second"]
    assert [s.level for s in doc.sections[1:]] == [2, 3, 4, 2]


def test_section_lines_count_from_the_top_of_the_file(doc):
    text = FRONT + BODY
    lines = {s.heading.split(HEADING_SEPARATOR)[-1]: s.line for s in doc.sections[1:]}
    assert lines == {"Scope": line_of(text, "## Scope"), "Exceptions": line_of(text, "### Exc"),
                     "Deeper": line_of(text, "#### Deeper"), "Second": line_of(text, "## Second")}


def test_block_kinds_in_order(doc):
    assert [b.kind for b in blocks_of(doc, "Scope")] == [
        "paragraph", "list_item", "list_item", "list_item", "list_item",
        "table_row", "table_row", "table_row", "quote", "code", "code", "html", "rule",
        "definition"]


def test_each_block_keeps_its_source_text_and_line(doc):
    source = (FRONT + BODY).split("\n")
    for block in doc.blocks:
        text_lines = block.text.split("\n")
        assert source[block.line - 1: block.line - 1 + len(text_lines)] == text_lines


def test_a_top_level_list_item_carries_its_nested_content(doc):
    first = blocks_of(doc, "Scope")[1]
    assert first.text.startswith("- first item")
    assert "nested under first" in first.text and "still the first item" in first.text
    assert not first.text.endswith("\n")


def test_table_rows_are_blocks_and_the_header_carries_the_rule(doc):
    rows = [b for b in blocks_of(doc, "Scope") if b.kind == "table_row"]
    assert [r.text.split("\n") for r in rows] == [
        ["| Place | Allowed |", "|---|---|"], ["| Korea | yes |"], ["| Elsewhere | no |"]]


def test_a_heading_inside_a_code_fence_is_code(doc):
    fence = next(b for b in doc.blocks if b.kind == "code")
    assert "## not a heading" in fence.text
    assert all("not a heading" not in s.heading for s in doc.sections)


def test_link_definitions_are_kept_as_definition_blocks(doc):
    definition = next(b for b in doc.blocks if b.kind == "definition")
    assert definition.text.startswith("[ref]: https://example.org")


def test_a_block_right_under_a_heading_has_the_next_line(doc):
    (block,) = blocks_of(doc, "Second")
    assert block.line == next(s.line for s in doc.sections if s.heading == "Second") + 1


def test_setext_headings_are_sections():
    doc = parse("Title\n=====\n\nScope\n-----\nText.\n")
    assert doc.title == "Title" and doc.title_line == 1
    assert [(s.heading, s.line) for s in doc.sections] == [("Scope", 4)]
    assert doc.sections[0].blocks[0].line == 6


def test_a_quoted_heading_is_quote_text_not_a_section():
    doc = parse("## Real\n\n> ## Quoted\n> text\n")
    assert [s.heading for s in doc.sections] == ["Real"]
    assert doc.blocks[0].kind == "quote"


def test_a_later_level_one_heading_is_not_the_title():
    doc = parse("Intro.\n\n# Late\n\nText.\n")
    assert doc.title is None
    assert [s.heading for s in doc.sections] == ["", "Late"]


def test_an_empty_section_is_kept():
    doc = parse("## Empty\n## Full\nText.\n")
    assert [(s.heading, len(s.blocks)) for s in doc.sections] == [("Empty", 0), ("Full", 1)]


@pytest.mark.parametrize("transform", [
    pytest.param(lambda t: t.replace("\n", "\r\n"), id="crlf"),
    pytest.param(lambda t: t.replace("\n", "\r"), id="cr"),
    pytest.param(lambda t: "\ufeff" + t, id="bom"),
    pytest.param(lambda t: t.rstrip("\n"), id="no-final-newline"),
    pytest.param(lambda t: "\ufeff" + t.replace("\n", "\r\n").rstrip("\r\n"), id="all-three"),
])
def test_line_ends_bom_and_final_newline_do_not_change_the_document(doc, transform):
    other = parse(transform(FRONT + BODY), "r.md")
    assert other == doc
    assert [b.line for b in other.blocks] == [b.line for b in doc.blocks]
    assert [s.line for s in other.sections] == [s.line for s in doc.sections]
    assert all("\r" not in b.text and "\ufeff" not in b.text for b in other.blocks)


def test_markdown_without_front_matter_is_a_document():
    doc = parse("# Memo\n\n## Scope\nAll staff.\n", "memo.md")
    assert not doc.has_front_matter and doc.front == {}
    assert doc.title == "Memo"
    assert doc.sections[0].blocks[0].line == 4


def test_plain_text_is_a_document_of_paragraphs():
    doc = parse("First paragraph.\n\nSecond\nparagraph.\n", "notes.txt")
    assert doc.title is None
    assert [(b.kind, b.line) for b in doc.blocks] == [("paragraph", 1), ("paragraph", 3)]


@pytest.mark.parametrize("text", ["", "\n", "\ufeff", "   \n\n"])
def test_empty_text_is_an_empty_document(text):
    doc = parse(text)
    assert doc.sections == () and doc.title is None


def test_front_matter_may_close_with_dots_and_trailing_spaces():
    doc = parse("---  \npolicy: a\n...\nText.\n")
    assert doc.front == {"policy": "a"}
    assert doc.blocks[0].line == 4


def test_a_rule_later_in_the_body_is_not_front_matter():
    doc = parse("Text.\n\n---\n\nMore.\n")
    assert not doc.has_front_matter
    assert [b.kind for b in doc.blocks] == ["paragraph", "rule", "paragraph"]


@pytest.mark.parametrize("path", sorted(CORPUS.glob("*/*.md")), ids=lambda p: p.name)
def test_every_corpus_record_parses_with_title_and_sections(path):
    doc = parse(path.read_text(encoding="utf-8"), str(path))
    assert doc.has_front_matter and doc.front["version"] == path.stem
    assert doc.title and len(doc.sections) > 1


# Properties ---------------------------------------------------------------------------------

FRAGMENTS = ["---\n", "...\n", "## ", "# ", "### ", "```\n", "~~~\n", "    ", "- ", "* ", "1. ",
             "> ", "| a | b |\n", "|---|---|\n", "| 1 | 2 |\n", ":", "\n", "\n\n", "\r\n", "\r",
             "\ufeff", "key: value\n", "policy: x\n", "a: [", "no", "&a ", "*a", "<div>\n",
             "[x]: http://x\n", "===\n", "text ", "  ", "\t", "Title\n", "\x1b[31m", "\x00"]

LINE_STARTS = ["", "", "## ", "# ", "### ", "- ", "  - ", "1. ", "> ", "    ", "```", "~~~",
               "---", "===", "| ", "|---|---|", "<div>", "</div>", "[x]: http://x", "\t",
               "key: value", "\ufeff"]
LINE_TEXTS = ["", "a", "text here", " | a | b |", ":", "no", "`code`", "*em*", "[x]"]

markdownish = st.lists(st.one_of(st.sampled_from(FRAGMENTS), st.text(max_size=5)),
                       max_size=40).map("".join)
line = st.tuples(st.sampled_from(LINE_STARTS),
                 st.one_of(st.sampled_from(LINE_TEXTS), st.text(max_size=6))).map("".join)
WHOLE_LINES = ["| a | b |", "|---|---|", "| 1 | 2 |", "```", "---", "Setext", "[x]: http://x"]
markdown_lines = st.tuples(st.lists(st.one_of(st.just(""), line, st.sampled_from(WHOLE_LINES)),
                                    max_size=30),
                           st.sampled_from(["\n", "\r\n"])).map(lambda t: t[1].join(t[0]))
front_then_markdownish = st.tuples(
    st.lists(st.sampled_from(["key: value\n", "n: 1.10\n", "list:\n  - a\n", "b: no\n"]),
             max_size=4),
    st.one_of(markdownish, markdown_lines)).map(
        lambda parts: "---\n" + "".join(parts[0]) + "---\n" + parts[1])

any_text = st.one_of(st.text(), markdownish, markdown_lines, front_then_markdownish)
body_text = st.one_of(markdownish, markdown_lines, front_then_markdownish)

SETTINGS = settings(max_examples=300, deadline=None,
                    suppress_health_check=[HealthCheck.too_slow])


@SETTINGS
@given(any_text)
def test_parse_returns_a_document_or_raises_a_policy_diff_error(text):
    try:
        doc = parse(text, "x.md")
    except PolicyDiffError:
        return
    assert isinstance(doc, Document)


_FENCE = re.compile(r"(?:---|\.\.\.)[ \t]*")
_SETEXT_UNDERLINE = re.compile(r" {0,3}(?:=+|-+)[ \t]*")


def _body_start(lines: list[str], doc: Document) -> int:
    """Index of the first body line: after the closing fence when there is front matter."""
    if not doc.has_front_matter:
        return 0
    return next(i for i in range(1, len(lines)) if _FENCE.fullmatch(lines[i])) + 1


@SETTINGS
@given(body_text)
def test_every_body_line_is_in_exactly_one_block_or_a_heading(text):
    try:
        doc = parse(text, "x.md")
    except PolicyDiffError:
        return
    lines = text.removeprefix("\ufeff").replace("\r\n", "\n").replace("\r", "\n").split("\n")
    owner: dict[int, int] = {}
    for number, block in enumerate(doc.blocks):
        block_lines = block.text.split("\n")
        assert lines[block.line - 1: block.line - 1 + len(block_lines)] == block_lines
        for index in range(block.line - 1, block.line - 1 + len(block_lines)):
            assert index not in owner, f"line {index + 1} is in two blocks"
            owner[index] = number
    heading_starts = {s.line - 1 for s in doc.sections if s.line is not None}
    if doc.title_line is not None:
        heading_starts.add(doc.title_line - 1)
    loose = [i for i in range(_body_start(lines, doc), len(lines))
             if lines[i].strip(" \t") and i not in owner]
    # What no block holds must be a heading: one ATX line, or setext text plus its underline.
    runs: list[list[int]] = []
    for index in loose:
        if runs and runs[-1][-1] == index - 1 and index not in heading_starts:
            runs[-1].append(index)
        else:
            runs.append([index])
    for run in runs:
        assert run[0] in heading_starts, f"line {run[0] + 1} is in no block: {lines[run[0]]!r}"
        if len(run) > 1:
            assert _SETEXT_UNDERLINE.fullmatch(lines[run[-1]])


@SETTINGS
@given(body_text)
def test_blocks_and_sections_are_in_source_order(text):
    try:
        doc = parse(text, "x.md")
    except PolicyDiffError:
        return
    block_lines = [b.line for b in doc.blocks]
    assert block_lines == sorted(block_lines)
    section_lines = [s.line for s in doc.sections if s.line is not None]
    assert section_lines == sorted(section_lines)


@pytest.mark.parametrize("char", ["\x0b", "\x0c", "\x1c", "\x1f", "\x85"])
def test_a_line_of_a_control_character_is_text_not_blank(char):
    # Python's str.strip() calls these whitespace; Markdown does not, so they must not vanish.
    doc = parse(f"Before.\n\n{char}\n")
    assert [b.text for b in doc.blocks] == ["Before.", char]
