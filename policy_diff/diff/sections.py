"""Which section of the old document is which section of the new one.

A section is its own heading (spec diff-json, "Structure, as real document histories need
it"): its path (`Part › Chapter › Section`) is only context, so a renamed parent or a
re-levelled heading does not make its children new sections.  Pairs are found in order
of evidence, strongest first:

1. namesakes: an own heading that occurs exactly once on each side;
2. repeated own headings with the same whole path, k-th with k-th;
3. repeated own headings under parents that are themselves a pair;
4. whatever is left, by content (a renamed section keeps most of its text); the
   preamble, which has no heading, pairs only with the preamble.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from typing import Sequence

from .align import longest_increasing, similarity
from .editorial import classify_heading
from ..model import Section
from ..parse.document import HEADING_SEPARATOR

RENAME_CUTOFF = 0.5  # a renamed section keeps at least half its content
Pair = tuple[int, int]  # (old section index, new section index)


def own_heading(section: Section) -> str:
    """The section's own heading text, without its parents' (`A › B` -> `B`)."""
    return section.heading.rsplit(HEADING_SEPARATOR, 1)[-1]


def heading_class(old: Section, new: Section) -> str | None:
    """How the heading line itself changed: None (byte for byte the same), or its class.

    A new level or new spacing is editorial; a new own text is classed as its words are
    (numbering alone is editorial).  A parent's rename is the parent's, not this one's.
    """
    if old.source == new.source and old.level == new.level and own_heading(old) == own_heading(new):
        return None
    return classify_heading(own_heading(old), own_heading(new))


def pair_sections(old: Sequence[Section], new: Sequence[Section]) -> list[Pair]:
    """Pairs of (old index, new index), sorted by old index."""
    if len(old) == len(new) and all(x.heading == y.heading for x, y in zip(old, new)):
        return [(i, i) for i in range(len(old))]  # what the rules give: most versions of a history
    own_old = [own_heading(s) for s in old]
    own_new = [own_heading(s) for s in new]
    pairing = _Pairing()
    _pair_namesakes(own_old, own_new, pairing)
    _pair_same_paths(old, new, own_old, own_new, pairing)
    _pair_under_paired_parents(old, new, own_old, own_new, pairing)
    # The preamble has no heading to rename: text that gained a heading is that heading added.
    rest_old = [i for i in range(len(old)) if i not in pairing.new_of and old[i].level]
    rest_new = [j for j in range(len(new)) if j not in pairing.old_of and new[j].level]
    for i, j in _pair_by_content(old, new, rest_old, rest_new):
        pairing.link(i, j)
    return sorted(pairing.new_of.items())


def moved_sections(pairs: list[Pair]) -> set[Pair]:
    """Paired sections outside the longest run that kept its order."""
    return set(pairs) - set(longest_increasing(sorted(pairs)))


class _Pairing:
    """The pairs found so far, both ways."""

    def __init__(self) -> None:
        self.new_of: dict[int, int] = {}
        self.old_of: dict[int, int] = {}

    def link(self, i: int, j: int) -> None:
        self.new_of[i], self.old_of[j] = j, i


def _pair_namesakes(own_old: list[str], own_new: list[str], pairing: _Pairing) -> None:
    count_old, count_new = Counter(own_old), Counter(own_new)
    where_new = {h: j for j, h in enumerate(own_new) if count_new[h] == 1}
    for i, h in enumerate(own_old):
        if count_old[h] == 1 and h in where_new:
            pairing.link(i, where_new[h])


def _pair_same_paths(old: Sequence[Section], new: Sequence[Section], own_old: list[str],
                     own_new: list[str], pairing: _Pairing) -> None:
    waiting: dict[str, list[int]] = defaultdict(list)
    for j, section in enumerate(new):
        if j not in pairing.old_of:
            waiting[section.heading].append(j)
    for i, section in enumerate(old):
        if i not in pairing.new_of and waiting.get(section.heading):
            pairing.link(i, waiting[section.heading].pop(0))


def _pair_under_paired_parents(old: Sequence[Section], new: Sequence[Section], own_old: list[str],
                               own_new: list[str], pairing: _Pairing) -> None:
    """Repeated headings (`Details`, `Allgemeine Vorschriften`) follow their parents' pairs.

    In document order, so that a pair made here serves as the parent of the next level.
    """
    parent_old, parent_new = _parents(old), _parents(new)
    waiting: dict[tuple[str, int | None], list[int]] = defaultdict(list)
    for j in range(len(new)):
        if j not in pairing.old_of:
            waiting[(own_new[j], parent_new[j])].append(j)
    for i in range(len(old)):
        if i in pairing.new_of:
            continue
        parent = parent_old[i]
        new_parent = None if parent is None else pairing.new_of.get(parent, -1)
        candidates = waiting.get((own_old[i], new_parent))
        if candidates:
            pairing.link(i, candidates.pop(0))


def _parents(sections: Sequence[Section]) -> list[int | None]:
    """Each section's nearest enclosing heading (None at the top; the preamble has none)."""
    parents: list[int | None] = []
    stack: list[int] = []
    for index, section in enumerate(sections):
        if section.level == 0:  # the preamble, before any heading
            parents.append(None)
            continue
        while stack and sections[stack[-1]].level >= section.level:
            stack.pop()
        parents.append(stack[-1] if stack else None)
        stack.append(index)
    return parents


def _pair_by_content(old: Sequence[Section], new: Sequence[Section], rest_old: list[int],
                     rest_new: list[int]) -> list[Pair]:
    """Best-first pairs of sections whose content is recognisably the same."""
    new_by_block: dict[str, set[int]] = defaultdict(set)
    for j in rest_new:
        for block in new[j].blocks:
            new_by_block[block.text].add(j)
    candidates = []
    for rank, i in enumerate(rest_old):
        # Sections sharing a block, plus those at about the same rank among the unpaired.
        near = set(rest_new[max(0, rank - 3):rank + 4])
        # A block shared by many sections ("- None.") says nothing about which one this is,
        # and would make every pair a candidate.
        shared = Counter(j for block in old[i].blocks
                         for j in _rare(new_by_block.get(block.text, set())))
        near.update(j for j, _ in shared.most_common(16))  # bounded: never all pairs
        for j in near:
            score = section_similarity(old[i], new[j])
            if score >= RENAME_CUTOFF:
                candidates.append((score, -i, -j))
    pairs, used_old, used_new = [], set(), set()
    for _, i, j in sorted(candidates, reverse=True):
        if -i not in used_old and -j not in used_new:
            pairs.append((-i, -j))
            used_old.add(-i)
            used_new.add(-j)
    return pairs


def _rare(sections: set[int], most: int = 8) -> set[int]:
    return sections if len(sections) <= most else set()


def section_similarity(a: Section, b: Section) -> float:
    # rapidfuzz is imported where it is used: a history's summaries seldom need it,
    # and it costs 7 ms of start-up.
    from rapidfuzz import fuzz, utils

    if not a.blocks or not b.blocks:
        if a.blocks or b.blocks:
            return 0.0
        return fuzz.token_sort_ratio(a.heading, b.heading, processor=utils.default_process) / 100
    return similarity("\n".join(blk.text for blk in a.blocks),
                      "\n".join(blk.text for blk in b.blocks))

