"""Word-level opcodes between two texts, cleaned up to read like a lawyer's redline.

Texts are split into word, punctuation and whitespace tokens (joining the tokens
gives the text back exactly).  Tokens are matched with rapidfuzz's LCS (Indel),
whitespace tokens all counting as alike so that re-wrapping does not break
equal runs; then tiny equal runs stranded between two changes are folded into
one replacement, as diff-match-patch's semantic clean-up does.
"""

from __future__ import annotations

import math
import re
from itertools import accumulate
from typing import Iterable, Sequence

from ..text.tokens import tokenize
from .align import match_sequences, unique_anchors

Op = tuple[str, str, str]  # (tag, old_text, new_text); tag: equal | replace | delete | insert

_WORD = re.compile(r"\w+")
# Indel's bit-parallel LCS costs len(a) * len(b) / 64 words of memory: past this
# product the texts are diffed line by line first, then word by word inside changes.
_MAX_CELLS = 4_000_000


def count_words(text: str) -> int:
    return len(_WORD.findall(text))


def word_ops(old: str, new: str) -> list[Op]:
    """Difflib-style opcodes over words; joined old/new texts rebuild both sides exactly.

    >>> word_ops("will not use mines", "may use mines")
    [('replace', 'will not', 'may'), ('equal', ' use mines', ' use mines')]
    """
    if old == new:
        return [("equal", old, new)] if old else []
    # Only the stretch between the common head and tail is tokenised: for a typical
    # edit that is a few words of a long paragraph.
    head = _boundary(old, new, _common_prefix(old, new))
    rest_old, rest_new = old[head:], new[head:]
    tail = len(rest_old) - _boundary(rest_old[::-1], rest_new[::-1],
                                     _common_prefix(rest_old[::-1], rest_new[::-1]))
    tail_new = len(rest_new) - (len(rest_old) - tail)
    middle = _middle_ops(rest_old[:tail], rest_new[:tail_new])
    ops = ([("equal", old[:head], new[:head])] if head else []) + middle
    if tail < len(rest_old):
        ops.append(("equal", rest_old[tail:], rest_new[tail_new:]))
    return _join_equal(ops)


def _middle_ops(old: str, new: str) -> list[Op]:
    a, b = tokenize(old), tokenize(new)
    spans = _trim_trailing_space(a, b, _cleanup(a, b, _match(_keys(a), _keys(b))))
    return [(tag, "".join(a[i1:i2]), "".join(b[j1:j2])) for tag, i1, i2, j1, j2 in spans]


def _boundary(old: str, new: str, at: int) -> int:
    """Step back from a common-prefix length to a place that splits no token on either side."""
    while at > 0 and (_same_run(old[at - 1], old[at:at + 1]) or _same_run(old[at - 1], new[at:at + 1])):
        at -= 1
    return at


def _same_run(left: str, right: str) -> bool:
    """Whether two neighbouring characters belong to one token (both word, or both space)."""
    if not right:
        return False
    return (left.isspace() and right.isspace()) or (_WORD.match(left) is not None
                                                    and _WORD.match(right) is not None)


def _join_equal(ops: list[Op]) -> list[Op]:
    out: list[Op] = []
    for op in ops:
        if out and op[0] == "equal" and out[-1][0] == "equal":
            out[-1] = ("equal", out[-1][1] + op[1], out[-1][2] + op[2])
        elif op[1] or op[2]:
            out.append(op)
    return out


def _keys(tokens: list[str]) -> list[str]:
    """What tokens are matched by, one per token: every run of whitespace is alike."""
    return [" " if token[0].isspace() else token for token in tokens]


def _common_prefix(a: Sequence[str], b: Sequence[str]) -> int:
    """Length of the common head, by binary search over C-level slice comparisons."""
    low, high = 0, min(len(a), len(b))
    while low < high:
        middle = (low + high + 1) // 2
        if a[:middle] == b[:middle]:
            low = middle
        else:
            high = middle - 1
    return low


def _match(a: list[str], b: list[str]) -> list[tuple[str, int, int, int, int]]:
    """Raw opcodes over token keys; common prefix and suffix are peeled off before the LCS."""
    prefix = _common_prefix(a, b)
    suffix = _common_prefix(a[:prefix - 1:-1] if prefix else a[::-1],
                            b[:prefix - 1:-1] if prefix else b[::-1])
    mid_a, mid_b = a[prefix:len(a) - suffix], b[prefix:len(b) - suffix]
    middle = [(t, i1 + prefix, i2 + prefix, j1 + prefix, j2 + prefix)
              for t, i1, i2, j1, j2 in _lcs_opcodes(mid_a, mid_b)]
    ops = []
    if prefix:
        ops.append(("equal", 0, prefix, 0, prefix))
    ops += middle
    if suffix:
        ops.append(("equal", len(a) - suffix, len(a), len(b) - suffix, len(b)))
    return _merge_adjacent(ops)


def _lcs_opcodes(a: Sequence[str], b: Sequence[str]) -> list[tuple[str, int, int, int, int]]:
    if not a or not b:
        if not a and not b:
            return []
        return [("insert" if not a else "delete", 0, len(a), 0, len(b))]
    if len(a) * len(b) > _MAX_CELLS:
        return _chunked_opcodes(a, b)
    return _indel_opcodes(a, b)


def _indel_opcodes(a: Sequence[str], b: Sequence[str]) -> list[tuple[str, int, int, int, int]]:
    from rapidfuzz.distance import Indel  # rapidfuzz: 11 ms, only once words are diffed

    ids: dict[str, int] = {}
    ia = [ids.setdefault(t, len(ids)) for t in a]
    ib = [ids.setdefault(t, len(ids)) for t in b]
    return [(op.tag, op.src_start, op.src_end, op.dest_start, op.dest_end)
            for op in Indel.opcodes(ia, ib)]


def _chunked_opcodes(a: Sequence[str], b: Sequence[str]) -> list[tuple[str, int, int, int, int]]:
    """Huge texts: align sentence-sized chunks first, then diff words inside changed chunks."""
    ca, cb = _chunks(a), _chunks(b)
    pairs = match_sequences([_chunk_key(a, c) for c in ca], [_chunk_key(b, c) for c in cb])
    ops: list[tuple[str, int, int, int, int]] = []
    prev_i = prev_j = 0
    for ci, cj in pairs + [(len(ca), len(cb))]:
        i1 = ca[prev_i][0] if prev_i < len(ca) else len(a)
        i2 = ca[ci][0] if ci < len(ca) else len(a)
        j1 = cb[prev_j][0] if prev_j < len(cb) else len(b)
        j2 = cb[cj][0] if cj < len(cb) else len(b)
        if i1 < i2 or j1 < j2:
            sub = _lcs_opcodes(a[i1:i2], b[j1:j2]) if (i2 - i1) * (j2 - j1) <= _MAX_CELLS \
                else _split_gap(a[i1:i2], b[j1:j2])
            ops += [(t, x1 + i1, x2 + i1, y1 + j1, y2 + j1) for t, x1, x2, y1, y2 in sub]
        if ci < len(ca):
            ops.append(("equal", ca[ci][0], ca[ci][1], cb[cj][0], cb[cj][1]))
        prev_i, prev_j = ci + 1, cj + 1
    return _merge_adjacent(ops)


def _split_gap(a: Sequence[str], b: Sequence[str]) -> list[tuple[str, int, int, int, int]]:
    """A stretch with no shared sentence too long for one LCS (prose without full stops):
    cut it at words that occur once on each side (patience diff's anchors), and what is
    still too long into windows at the same relative place on both sides."""
    ops: list[tuple[str, int, int, int, int]] = []
    i1 = j1 = 0
    for i2, j2 in [*unique_anchors(a, b, 0, len(a), 0, len(b)), (len(a), len(b))]:
        ops += [(t, x1 + i1, x2 + i1, y1 + j1, y2 + j1)
                for t, x1, x2, y1, y2 in _windowed(a[i1:i2], b[j1:j2])]
        if i2 < len(a):
            ops.append(("equal", i2, i2 + 1, j2, j2 + 1))
        i1, j1 = i2 + 1, j2 + 1
    return _merge_adjacent(ops)


def _windowed(a: Sequence[str], b: Sequence[str]) -> list[tuple[str, int, int, int, int]]:
    """LCS inside each of k window pairs, k just large enough for each to fit the budget:
    linear work; a shift longer than a window is shown as a larger change than needed."""
    windows = max(1, math.ceil(math.sqrt(len(a) * len(b) / _MAX_CELLS)))
    ops: list[tuple[str, int, int, int, int]] = []
    for k in range(windows):
        i1, i2 = len(a) * k // windows, len(a) * (k + 1) // windows
        j1, j2 = len(b) * k // windows, len(b) * (k + 1) // windows
        sub = _indel_opcodes(a[i1:i2], b[j1:j2]) if windows > 1 and i1 < i2 and j1 < j2 \
            else _lcs_opcodes(a[i1:i2], b[j1:j2])  # a window never goes back to chunking
        ops += [(t, x1 + i1, x2 + i1, y1 + j1, y2 + j1) for t, x1, x2, y1, y2 in sub]
    return _merge_adjacent(ops)


def _chunks(tokens: Sequence[str]) -> list[tuple[int, int]]:
    """Token ranges ending after a sentence end."""
    chunks, start = [], 0
    for i, token in enumerate(tokens):
        if token in (".", ";", "!", "?"):
            chunks.append((start, i + 1))
            start = i + 1
    if start < len(tokens):
        chunks.append((start, len(tokens)))
    return chunks


def _chunk_key(tokens: Sequence[str], chunk: tuple[int, int]) -> str:
    return "".join(tokens[chunk[0]:chunk[1]])


def _merge_adjacent(ops: list[tuple[str, int, int, int, int]]) -> list[tuple[str, int, int, int, int]]:
    """Join neighbouring ops of the same kind; a delete next to an insert becomes a replace."""
    out: list[tuple[str, int, int, int, int]] = []
    for tag, i1, i2, j1, j2 in ops:
        if i1 == i2 and j1 == j2:
            continue
        if out and (out[-1][0] != "equal") == (tag != "equal"):
            _, p1, _, q1, _ = out[-1]
            if tag != "equal":
                tag = "replace" if (p1 < i2 and q1 < j2) else ("delete" if q1 == j2 else "insert")
            out[-1] = (tag, p1, i2, q1, j2)
        else:
            out.append((tag, i1, i2, j1, j2))
    return out


def _cleanup(a: list[str], b: list[str],
             ops: list[tuple[str, int, int, int, int]]) -> list[tuple[str, int, int, int, int]]:
    """Fold short equal runs between changes into the changes (semantic clean-up).

    An equal run goes when it holds no word, or when it is no longer than the
    changes on both sides of it: "will [-not-] use [-any-]" reads better as
    one replaced clause than as confetti.  One pass with a stack: folding grows
    a change, which may make the equal run before it foldable too.  Lengths and word
    counts of token ranges come from running sums, so a change that grows by a
    thousand folds costs no more than one (the clean-up stays linear).
    """
    size = _RangeSizes(a, b)
    out: list[tuple[str, int, int, int, int]] = []
    for op in ops:
        out.append(op)
        while len(out) >= 3 and out[-1][0] != "equal" and out[-2][0] == "equal" \
                and out[-3][0] != "equal" and size.foldable(out[-3], out[-2], out[-1]):
            _, i1, _, j1, _ = out[-3]
            _, _, i2, _, j2 = out[-1]
            out[-3:] = [("replace", i1, i2, j1, j2)]
    return out


class _RangeSizes:
    """Characters and words in any range of the two token lists, in constant time."""

    def __init__(self, a: list[str], b: list[str]) -> None:
        self.chars_a, self.chars_b = _running(map(len, a)), _running(map(len, b))
        self.words_a = _running(map(bool, map(_WORD.match, a)))  # 1 per word token

    def foldable(self, before: tuple[str, int, int, int, int],
                 equal: tuple[str, int, int, int, int], after: tuple[str, int, int, int, int]) -> bool:
        _, i1, i2, _, _ = equal
        if self.words_a[i2] == self.words_a[i1]:  # no word in the run
            return True
        return self.chars_a[i2] - self.chars_a[i1] <= min(self.change(before), self.change(after))

    def change(self, op: tuple[str, int, int, int, int]) -> int:
        _, i1, i2, j1, j2 = op
        return max(self.chars_a[i2] - self.chars_a[i1], self.chars_b[j2] - self.chars_b[j1])


def _running(values: Iterable[int]) -> list[int]:
    return [0, *accumulate(values)]


def _trim_trailing_space(a: list[str], b: list[str],
                         ops: list[tuple[str, int, int, int, int]]) -> list[tuple[str, int, int, int, int]]:
    """End a replacement at a word, not at the space after it: `[-will not-] use`, not `[-will not -]use`."""
    out: list[tuple[str, int, int, int, int]] = []
    for tag, i1, i2, j1, j2 in ops:
        if out and out[-1][0] == "replace" and tag == "equal":
            _, p1, p2, q1, q2 = out[-1]
            if p2 - p1 > 1 and q2 - q1 > 1 and a[p2 - 1].isspace() and b[q2 - 1].isspace():
                out[-1] = ("replace", p1, p2 - 1, q1, q2 - 1)
                i1, j1 = i1 - 1, j1 - 1
        out.append((tag, i1, i2, j1, j2))
    return out
