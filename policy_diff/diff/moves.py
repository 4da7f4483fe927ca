"""Which removed block reappears as an added one elsewhere: a move.

What is left here has already lost its place in the alignment of the whole document,
so a block that kept its order never comes this far.  Only text that identifies a
place moves (spec diff-json, "Short or repeated text does not move"): a text that
occurs more than once on a side, or is too short (`- Yes`, a stock sentence), stays
removed and added.  An edited move must be longer still: in a short sentence the
words that changed are the ones that said which sentence it was ("The
`approval_authority` provision is left out" is not "The `transfer_export` ...").
"""

from __future__ import annotations

from collections import Counter, defaultdict
from typing import Hashable, Sequence, TypeVar

from .textdiff import count_words

MOVE_MIN_CHARS = 20         # shorter blocks never move,
MOVE_MIN_WORDS = 10         # nor blocks of fewer words: list items such as "- security
                            # purposes" recur in every policy, and where a document is
                            # rewritten they are shown removed and added, not moved
EDITED_MOVE_MIN_WORDS = 12  # a moved-and-edited block has at least this many words...
MOVE_CUTOFF = 0.6           # ...and is more alike than this (Indel ratio)
MAX_FUZZY_MOVES = 250_000   # removed x added pairs; beyond it only exact moves are sought
MAX_FUZZY_WORDS = 200_000_000  # and the machine words their LCS scores would cost

K = TypeVar("K", bound=Hashable)  # where a block is, as the caller names it
Item = tuple[K, str]  # (where the block is, its text)


def find_moves(removed: Sequence[Item[K]], added: Sequence[Item[K]], old_counts: Counter[str],
               new_counts: Counter[str]) -> list[tuple[K, K]]:
    """Pairs (removed key, added key): exact moves first, then edited ones.

    `old_counts` / `new_counts` count every block text of each whole document.
    """
    def unique(text: str) -> bool:
        return old_counts[text] <= 1 and new_counts[text] <= 1

    removed = [item for item in removed if unique(item[1]) and identifies_a_place(item[1])]
    added = [item for item in added if unique(item[1]) and identifies_a_place(item[1])]
    matches = _exact(removed, added)
    taken = {r for r, _ in matches} | {a for _, a in matches}
    rest_removed = [item for item in removed if item[0] not in taken
                    and count_words(item[1]) >= EDITED_MOVE_MIN_WORDS]
    rest_added = [item for item in added if item[0] not in taken
                  and count_words(item[1]) >= EDITED_MOVE_MIN_WORDS]
    if _affordable(rest_removed, rest_added):
        matches += _edited(rest_removed, rest_added)
    return matches


def identifies_a_place(text: str) -> bool:
    """Whether a text is long enough to say where it stood."""
    return len(text) >= MOVE_MIN_CHARS and count_words(text) >= MOVE_MIN_WORDS


def exact_movers(left: set[str], old_counts: Counter[str], new_counts: Counter[str]) -> set[str]:
    """Of the texts left unmatched on both sides, those that will move unchanged: kept out
    of fuzzy pairing in the gaps."""
    return {text for text in left if old_counts[text] == 1 and new_counts[text] == 1
            and identifies_a_place(text)}


def _exact(removed: list[Item[K]], added: list[Item[K]]) -> list[tuple[K, K]]:
    waiting: dict[str, list[K]] = defaultdict(list)
    for key, text in removed:
        waiting[text].append(key)
    matches = []
    for key, text in added:
        if waiting.get(text):
            matches.append((waiting[text].pop(0), key))
    return matches


def _affordable(removed: Sequence[Item[Hashable]], added: Sequence[Item[Hashable]]) -> bool:
    """Whether scoring every leftover pair stays bounded: by pairs, and by characters compared.

    Each score is a bit-parallel LCS costing about len(a) * len(b) / 64 machine words.
    """
    if len(removed) * len(added) > MAX_FUZZY_MOVES:
        return False
    removed_chars = sum(len(text) for _, text in removed)
    added_chars = sum(len(text) for _, text in added)
    return removed_chars * added_chars // 64 <= MAX_FUZZY_WORDS


def _edited(removed: list[Item[K]], added: list[Item[K]]) -> list[tuple[K, K]]:
    if not removed or not added:
        return []
    from rapidfuzz import fuzz, process  # 11 ms: only for removed and added blocks

    choices = {k: text for k, (_, text) in enumerate(removed)}
    matches = []
    for key, text in added:
        if not choices:
            break
        best = process.extractOne(text, choices, scorer=fuzz.ratio,
                                  score_cutoff=MOVE_CUTOFF * 100)
        if best is not None:
            matches.append((removed[best[2]][0], key))
            del choices[best[2]]
    return matches
