"""The diff's own fast paths for long texts, held equal to the plain definitions they replace.

A paragraph rewritten whole used to cost time quadratic in its length (18 s for 1 MB): the
similarity of two blocks was an LCS of any length, and the word diff's clean-up joined a
growing change again at every fold.  `bench/hostile.py` measures the time; these tests hold
the faster code to what it replaced.
"""

from __future__ import annotations

from hypothesis import given, settings, strategies as st
from rapidfuzz.distance import Indel

from policy_diff.diff import align, textdiff

tokens = st.lists(st.sampled_from(["a", "bb", " ", ".", "ccc", "\n", ",", "dd"]), max_size=40)


@given(st.text(max_size=200), st.text(max_size=200))
def test_similarity_of_short_texts_is_indel(a: str, b: str) -> None:
    assert align.similarity(a, b) == Indel.normalized_similarity(a, b)


def test_similarity_of_long_texts_counts_word_pairs_and_order() -> None:
    words = [f"w{n}" for n in range(3000)]
    text = " ".join(words)
    assert align.similarity(text, text) == 1.0
    assert align.similarity(text, " ".join(reversed(words))) == 0.0  # same words, no pair kept
    half = " ".join(words[:1500] + [f"x{n}" for n in range(1500)])
    assert 0.45 < align.similarity(text, half) < 0.55


@settings(max_examples=200)
@given(tokens, tokens, st.data())
def test_range_sizes_equal_joined_lengths(a: list[str], b: list[str], data) -> None:  # type: ignore[no-untyped-def]
    size = textdiff._RangeSizes(a, b)
    i1 = data.draw(st.integers(0, len(a)))
    i2 = data.draw(st.integers(i1, len(a)))
    j1 = data.draw(st.integers(0, len(b)))
    j2 = data.draw(st.integers(j1, len(b)))
    op = ("replace", i1, i2, j1, j2)
    assert size.change(op) == max(len("".join(a[i1:i2])), len("".join(b[j1:j2])))
    run = "".join(a[i1:i2])
    before = ("replace", 0, i1, 0, j1)
    after = ("replace", i2, len(a), j2, len(b))
    joined = not textdiff._WORD.search(run) or len(run) <= min(size.change(before), size.change(after))
    assert size.foldable(before, ("equal", i1, i2, j1, j2), after) == joined


def test_a_long_rewritten_paragraph_is_one_replacement_of_its_words() -> None:
    """Linear now; and what it shows is still complete: the ops rebuild both sides."""
    old = " ".join(f"w{n % 997}" for n in range(0, 60_000, 7))
    new = " ".join(f"w{n % 991}" for n in range(0, 60_000, 5))
    ops = textdiff.word_ops(old, new)
    assert "".join(o[1] for o in ops) == old and "".join(o[2] for o in ops) == new
