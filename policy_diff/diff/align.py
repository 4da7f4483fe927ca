"""Pair up items of two sequences, cheapest evidence first.

1. Exact matches by key: items unique on both sides anchor the alignment (as
   patience / histogram diff do), then an LCS fills each gap between anchors.
2. Fuzzy pairs only inside the gaps left between exact matches, each old item
   looking at a bounded window of new items: never all pairs over a document.
"""

from __future__ import annotations

import bisect
import re
from collections import Counter
from typing import Any, Callable, Hashable, Sequence, TypeVar

# An LCS over a gap costs len(a) * len(b) / 64 machine words; past this the gap
# is split by its own anchors only (still correct, possibly fewer matches).
_MAX_GAP_CELLS = 16_000_000
# A similarity of two texts by their LCS costs as much: past this product of lengths
# (two 7,000-character paragraphs, about a millisecond) the words are compared as bags.
_MAX_SCORE_CELLS = 50_000_000
_WORD = re.compile(r"\w+")


def similarity(a: str, b: str) -> float:
    """How alike two texts are, in [0, 1]: Indel's normalized similarity, or for long
    texts the same measure over their bags of word pairs (linear, never quadratic;
    pairs, not words, so that the same words in another order do not look alike).

    >>> similarity("will not use mines", "may use mines") > 0.5, similarity("a b " * 5000, "a b " * 5000)
    (True, 1.0)
    """
    if len(a) * len(b) <= _MAX_SCORE_CELLS:
        from rapidfuzz.distance import Indel  # rapidfuzz: 11 ms, only once texts are scored

        return Indel.normalized_similarity(a, b)
    pairs_a, pairs_b = _word_pairs(a), _word_pairs(b)
    total = sum(pairs_a.values()) + sum(pairs_b.values())
    return 2 * sum((pairs_a & pairs_b).values()) / total if total else float(a == b)


def _word_pairs(text: str) -> Counter[tuple[str, str]]:
    words = _WORD.findall(text)
    return Counter(zip(words, words[1:]))


def match_sequences(old: Sequence[Hashable], new: Sequence[Hashable]) -> list[tuple[int, int]]:
    """Monotonic (old index, new index) pairs of equal items.

    >>> match_sequences("abcxd", "abyd")
    [(0, 0), (1, 1), (4, 3)]
    """
    pairs: list[tuple[int, int]] = []
    _match_range(old, new, 0, len(old), 0, len(new), pairs)
    return pairs


def _match_range(old: Sequence[Hashable], new: Sequence[Hashable], i1: int, i2: int,
                 j1: int, j2: int, out: list[tuple[int, int]]) -> None:
    while i1 < i2 and j1 < j2 and old[i1] == new[j1]:  # common head
        out.append((i1, j1))
        i1, j1 = i1 + 1, j1 + 1
    tail: list[tuple[int, int]] = []
    while i1 < i2 and j1 < j2 and old[i2 - 1] == new[j2 - 1]:  # common tail
        i2, j2 = i2 - 1, j2 - 1
        tail.append((i2, j2))
    if i1 < i2 and j1 < j2:
        anchors = unique_anchors(old, new, i1, i2, j1, j2)
        if anchors:
            for ai, aj in anchors:
                _match_range(old, new, i1, ai, j1, aj, out)
                out.append((ai, aj))
                i1, j1 = ai + 1, aj + 1
            _match_range(old, new, i1, i2, j1, j2, out)
        elif (i2 - i1) * (j2 - j1) <= _MAX_GAP_CELLS:
            out.extend(_lcs_pairs(old, new, i1, i2, j1, j2))
    out.extend(reversed(tail))


def unique_anchors(old: Sequence[Hashable], new: Sequence[Hashable], i1: int, i2: int,
                    j1: int, j2: int) -> list[tuple[int, int]]:
    """Items occurring once on each side, kept where their order agrees (longest run)."""
    old_count = Counter(old[i1:i2])
    new_count = Counter(new[j1:j2])
    new_at = {new[j]: j for j in range(j1, j2) if new_count[new[j]] == 1}
    candidates = [(i, new_at[old[i]]) for i in range(i1, i2)
                  if old_count[old[i]] == 1 and old[i] in new_at]
    return longest_increasing(candidates)


Pair = TypeVar("Pair", bound=tuple[Any, Any])  # (old place, new place), each comparable


def longest_increasing(pairs: list[Pair]) -> list[Pair]:
    """Longest subsequence of pairs whose new indexes increase (patience sorting)."""
    tops: list[Any] = []
    top_index: list[int] = []
    previous = [-1] * len(pairs)
    for k, (_, j) in enumerate(pairs):
        pile = bisect.bisect_left(tops, j)
        if pile == len(tops):
            tops.append(j)
            top_index.append(k)
        else:
            tops[pile], top_index[pile] = j, k
        previous[k] = top_index[pile - 1] if pile else -1
    result = []
    k = top_index[-1] if top_index else -1
    while k != -1:
        result.append(pairs[k])
        k = previous[k]
    return result[::-1]


def _lcs_pairs(old: Sequence[Hashable], new: Sequence[Hashable], i1: int, i2: int,
               j1: int, j2: int) -> list[tuple[int, int]]:
    from rapidfuzz.distance import Indel  # rapidfuzz: 11 ms, only for a gap to align

    ids: dict[Hashable, int] = {}
    a = [ids.setdefault(x, len(ids)) for x in old[i1:i2]]
    b = [ids.setdefault(x, len(ids)) for x in new[j1:j2]]
    pairs = []
    for block in Indel.opcodes(a, b).as_matching_blocks():
        pairs += [(i1 + block.a + k, j1 + block.b + k) for k in range(block.size)]
    return pairs


def pair_similar(old: Sequence[int], new: Sequence[int], score: Callable[[int, int], float],
                 cutoff: float, window: int = 8) -> list[tuple[int, int]]:
    """Monotonic pairs of alike items within one gap, each old item seeing `window` new ones.

    `old` and `new` are item indexes; `score(i, j)` is a similarity in [0, 1].
    Greedy in order: each old item takes the best new item at or after the last
    one taken, if it scores at least `cutoff`.
    """
    pairs: list[tuple[int, int]] = []
    start = 0
    for i in old:
        best, best_at = cutoff, -1
        for k in range(start, min(len(new), start + window)):
            value = score(i, new[k])
            if value >= best and (best_at == -1 or value > best):
                best, best_at = value, k
        if best_at != -1:
            pairs.append((i, new[best_at]))
            start = best_at + 1
    return pairs
