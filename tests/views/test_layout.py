"""The terminal layout: rich's word wrap without rich, styles that never change the text."""

from __future__ import annotations

import re

from hypothesis import given, settings, strategies as st
from rich.console import Console
from rich.text import Text

from policy_diff.views.text.layout import Grid, SideBySide, Styled, cell_width, render

SGR = re.compile(r"\x1b\[[0-9;]*m")
# Words of ASCII, accented, wide (CJK) and combining characters, with runs of spaces.
WORD = st.text(st.sampled_from("abcdefghij-.,éø漢字한글\u0301"), min_size=1, max_size=30)
SPACES = st.sampled_from([" ", "  ", "\n", " \n ", "   "])
TEXT = st.lists(st.tuples(WORD, SPACES), max_size=25).map(
    lambda parts: "".join(w + s for w, s in parts))
ASCII_TEXT = st.lists(st.tuples(st.text("abcxyz-.", min_size=1, max_size=45), SPACES),
                      max_size=25).map(lambda parts: "".join(w + s for w, s in parts))


def rich_lines(text: str, width: int) -> list[str]:
    """How rich wraps the same text (fold overflow), trailing spaces dropped."""
    console = Console(width=width, color_system=None, highlight=False, markup=False)
    return [line.plain.rstrip(" ") for line in Text(text).wrap(console, width, overflow="fold")]


@settings(max_examples=300, deadline=None)
@given(TEXT | ASCII_TEXT, st.integers(min_value=2, max_value=40))  # rich drops wide ones at 1
def test_wraps_like_rich(text: str, width: int) -> None:
    assert render([Styled(text)], width, colour=False).split("\n")[:-1] == rich_lines(text, width)


@settings(max_examples=200, deadline=None)
@given(TEXT, TEXT, st.integers(min_value=16, max_value=60), st.booleans())  # 2+ columns a side
def test_styles_never_change_the_text_and_lines_fit(label: str, body: str, width: int,
                                                    side_by_side: bool) -> None:
    cell = Styled(body[: len(body) // 2], "pd.dim").append(body[len(body) // 2:], "pd.deleted")
    if side_by_side:
        part: Grid | SideBySide = SideBySide()
        part.add_row(Styled("-"), cell, Styled("+"), Styled(label, "pd.inserted"))
    else:
        part = Grid(["pd.label", ""], padding=2)
        part.add_row(Styled(label.replace("\n", " ")[:4]), cell)
    plain = render([part], width, colour=False)
    assert SGR.sub("", render([part], width, colour=True)) == plain
    assert all(cell_width(line) <= width for line in plain.split("\n"))


def test_a_long_word_is_folded_on_a_line_of_its_own() -> None:
    assert render([Styled("see " + "x" * 12)], 5, colour=False) == "see\nxxxxx\nxxxxx\nxx\n"


def test_wide_characters_take_two_columns() -> None:
    assert render([Styled("漢字漢字漢")], 4, colour=False) == "漢字\n漢字\n漢\n"


def test_grid_wraps_the_last_column_under_itself() -> None:
    grid = Grid(["pd.label", ""], padding=2)
    grid.add_row("Scope", Styled("Korean Peninsula → Worldwide"))
    assert render([grid], 20, colour=False) == "Scope  Korean\n       Peninsula →\n       Worldwide\n"


def test_colour_is_sgr_of_the_theme_styles_combined() -> None:
    text = Styled("a", "pd.title").append("b", "pd.status")
    assert render([text], 10, colour=True) == "\x1b[1ma\x1b[0m\x1b[1;36mb\x1b[0m\n"


def word_by_word_breaks(text: str, width: int) -> list[int]:
    """The line breaks of ASCII TEXT as rich's divide_line finds them, a word at a time
    (what layout's `_ascii_breaks` did before it took a line at a time)."""
    breaks: list[int] = []
    offset = 0
    for match in re.finditer(r"\s*\S+(\s*)", text):
        start, end = match.span()
        size = match.start(1) - start
        if width - offset >= size:
            offset += end - start
        elif size > width:
            if start:
                breaks.append(start)
            folds = range(start + width, end, width)
            breaks += folds
            offset = end - (folds[-1] if folds else start)
        elif offset and start:
            breaks.append(start)
            offset = end - start
    return breaks


@settings(max_examples=1000, deadline=None)
@given(st.lists(st.sampled_from(["a", "bb", "cccccccc", "x" * 23, " ", "   ", "\t", " " * 9]),
                max_size=40).map("".join), st.integers(min_value=1, max_value=30))
def test_a_line_at_a_time_breaks_where_a_word_at_a_time_does(text: str, width: int) -> None:
    from policy_diff.views.text.layout import _ascii_breaks

    assert _ascii_breaks(text, width) == word_by_word_breaks(text, width)
