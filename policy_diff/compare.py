"""Document x Document -> PolicyDiff: provisions, metadata, then sections and blocks.

Sections pair by identical heading first, then (for the rest) by content, which
makes a renamed section one section; blocks pair exactly, then fuzzily inside
the gaps; what is left removed is matched against what is left added, anywhere
in the document, to find moved blocks.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from typing import Any

from .align import longest_increasing, match_sequences, pair_similar
from .model import (Block, BlockDiff, Document, Manifest, MetadataChange, PolicyDiff, Section,
                    SectionDiff, Side, TitleChange)
from .parse import HEADING_SEPARATOR
from .provisions import compare_provisions
from .editorial import SUBSTANTIVE, classify, classify_ops
from .textdiff import word_ops

BLOCK_CUTOFF = 0.5      # a modified block keeps at least half its characters (Indel ratio)
MOVE_CUTOFF = 0.6       # a moved-and-edited block must be more alike than that
MOVE_MIN_CHARS = 20     # shorter blocks move only when unchanged: "- Yes" is everywhere
RENAME_CUTOFF = 0.5     # a renamed section keeps at least half its content
MAX_FUZZY_MOVES = 250_000  # removed x added pairs; beyond it only exact moves are sought
MAX_FUZZY_WORDS = 200_000_000  # and the machine words their LCS scores would cost


def compare(old: Side, new: Side, manifest: Manifest | None = None) -> PolicyDiff:
    """The whole comparison, computed once."""
    return _diff(old, new, manifest, compare_sections(old.document, new.document, manifest))


def compare_outline(old: Side, new: Side, manifest: Manifest | None = None) -> PolicyDiff:
    """The comparison without its block-level detail, at a fraction of the cost.

    Provisions, metadata and title as `compare` finds them; of the sections, only those
    that changed or moved, with their status and no blocks.  That is all a one-line
    summary reads (a history summarises every commit, and shows diffs only when asked).
    """
    return _diff(old, new, manifest, _changed_sections(old.document, new.document))


def _diff(old: Side, new: Side, manifest: Manifest | None,
          sections: tuple[SectionDiff, ...]) -> PolicyDiff:
    """SECTIONS with the provisions, metadata and title of the two sides."""
    a, b = old.document, new.document
    return PolicyDiff(
        old=old, new=new,
        provisions=compare_provisions(a.front.get("provisions"), b.front.get("provisions"),
                                      manifest, sections),
        metadata=compare_metadata(a.front, b.front),
        sections=sections, title=_title_change(a, b))


def compare_metadata(old: dict[str, Any], new: dict[str, Any]) -> tuple[MetadataChange, ...]:
    """Changed front matter keys other than provisions; a missing side is None."""
    keys = [k for k in dict.fromkeys([*old, *new]) if k != "provisions"]
    return tuple(MetadataChange(k, old.get(k), new.get(k)) for k in keys
                 if _plain(old.get(k)) != _plain(new.get(k)))


def _plain(value: Any) -> Any:
    """Compare YAML values as data (a LocatedDict equals the dict it spells)."""
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_plain(v) for v in value]
    return value


def _title_change(a: Document, b: Document) -> TitleChange | None:
    if a.title == b.title:
        return None
    return TitleChange(a.title, b.title, a.title_line, b.title_line,
                       classify(a.title or "", b.title or ""))


# ---------------------------------------------------------------- sections


def compare_sections(a: Document, b: Document, manifest: Manifest | None) -> tuple[SectionDiff, ...]:
    pairs = _pair_sections(a.sections, b.sections)
    moved = _moved_sections(pairs)
    paired_old = {i for i, _ in pairs}
    paired_new = {j: i for i, j in pairs}
    # Most pairs keep every block (successive versions share most sections, often as the
    # same objects): those are settled at once, and no later step looks inside them.
    same = {(i, j) for i, j in pairs if a.sections[i].blocks == b.sections[j].blocks}
    exact = {(i, j): match_sequences([blk.text for blk in a.sections[i].blocks],
                                     [blk.text for blk in b.sections[j].blocks])
             for i, j in pairs if (i, j) not in same}
    lone_old = [i for i in range(len(a.sections)) if i not in paired_old]
    lone_new = [j for j in range(len(b.sections)) if j not in paired_new]
    moving = _exact_movers(a, b, exact, lone_old, lone_new)
    entries: dict[tuple[str, int], list[BlockDiff]] = {}
    for i, j in exact:
        entries[("new", j)] = _align_blocks(a.sections[i], b.sections[j], exact[(i, j)], moving)
    for j in lone_new:
        entries[("new", j)] = [BlockDiff("added", None, blk, change_class=SUBSTANTIVE)
                               for blk in b.sections[j].blocks]
    for i in lone_old:
        entries[("old", i)] = [BlockDiff("removed", blk, None, change_class=SUBSTANTIVE)
                               for blk in a.sections[i].blocks]
    old_index_of = {("new", j): i for i, j in pairs} | {("old", i): i for i in lone_old}
    moved_out = _find_moves(entries, old_index_of, a.sections)
    result = []
    for key in _section_order(pairs, len(a.sections), len(b.sections)):
        side, index = key
        old_index = paired_new.get(index) if side == "new" else index
        old_section = a.sections[old_index] if old_index is not None else None
        new_section = b.sections[index] if side == "new" else None
        kept = side == "new" and (old_index, index) in same
        blocks = _unchanged_blocks(old_section, new_section) if kept \
            else tuple(entries[key])  # type: ignore[arg-type]
        status = _section_status(old_section, new_section, () if kept else blocks,
                                 moved_out.get(old_index, 0))
        heading = (new_section or old_section).heading  # type: ignore[union-attr]
        renamed = bool(old_section and new_section and old_section.heading != new_section.heading)
        result.append(SectionDiff(
            status=status, old=old_section, new=new_section, blocks=blocks, renamed=renamed,
            rename_class=classify(old_section.heading, new_section.heading)  # type: ignore[union-attr]
            if renamed else None,
            moved=side == "new" and old_index is not None and (old_index, index) in moved,
            provision=_provision_for(heading, old_section, manifest)))
    return tuple(result)


def _changed_sections(a: Document, b: Document) -> tuple[SectionDiff, ...]:
    """The sections compare_sections finds changed or moved, with the same status and no blocks.

    A paired section is modified there exactly when its heading or its sequence of block
    texts differs: equal texts all match exactly, and any text left unmatched becomes a
    block that is not unchanged (or a block moved out, which also counts).
    """
    pairs = _pair_sections(a.sections, b.sections)
    moved = _moved_sections(pairs)
    out = []
    for i, j in pairs:
        old, new = a.sections[i], b.sections[j]
        renamed = old.heading != new.heading
        changed = renamed or (old.blocks != new.blocks and  # equal blocks: equal texts
                              [blk.text for blk in old.blocks] != [blk.text for blk in new.blocks])
        if changed or (i, j) in moved:
            out.append(SectionDiff("modified" if changed else "unchanged", old, new, (),
                                   renamed=renamed, moved=(i, j) in moved))
    paired_old = {i for i, _ in pairs}
    paired_new = {j for _, j in pairs}
    out += [SectionDiff("added", None, section, ()) for j, section in enumerate(b.sections)
            if j not in paired_new]
    out += [SectionDiff("removed", section, None, ()) for i, section in enumerate(a.sections)
            if i not in paired_old]
    return tuple(out)


def _pair_sections(old: tuple[Section, ...], new: tuple[Section, ...]) -> list[tuple[int, int]]:
    """Identical headings first (k-th repeat with k-th repeat), then renames by content."""
    by_heading: dict[str, list[int]] = defaultdict(list)
    for j, section in enumerate(new):
        by_heading[section.heading].append(j)
    pairs = []
    for i, section in enumerate(old):
        if by_heading.get(section.heading):
            pairs.append((i, by_heading[section.heading].pop(0)))
    taken_old = {i for i, _ in pairs}
    taken_new = {j for _, j in pairs}
    rest_old = [i for i in range(len(old)) if i not in taken_old]
    rest_new = [j for j in range(len(new)) if j not in taken_new]
    pairs += _pair_renamed(old, new, rest_old, rest_new)
    return sorted(pairs)


def _pair_renamed(old: tuple[Section, ...], new: tuple[Section, ...], rest_old: list[int],
                  rest_new: list[int]) -> list[tuple[int, int]]:
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
                         for j in _rare(new_by_block.get(block.text, ())))
        near.update(j for j, _ in shared.most_common(16))  # bounded: never all pairs
        for j in near:
            score = _section_similarity(old[i], new[j])
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


def _section_similarity(a: Section, b: Section) -> float:
    # rapidfuzz is imported where it is used (here and below): a history's summaries
    # seldom need it, and it costs 7 ms of start-up.
    from rapidfuzz import fuzz, utils
    from rapidfuzz.distance import Indel

    if not a.blocks or not b.blocks:
        if a.blocks or b.blocks:
            return 0.0
        return fuzz.token_sort_ratio(a.heading, b.heading, processor=utils.default_process) / 100
    text_a = "\n".join(blk.text for blk in a.blocks)
    text_b = "\n".join(blk.text for blk in b.blocks)
    if len(text_a) * len(text_b) > 400_000_000:  # huge sections: compare their block sets
        shared = len({blk.text for blk in a.blocks} & {blk.text for blk in b.blocks})
        return shared / max(len(a.blocks), len(b.blocks))
    return Indel.normalized_similarity(text_a, text_b)


def _moved_sections(pairs: list[tuple[int, int]]) -> set[tuple[int, int]]:
    """Paired sections outside the longest run that kept its order."""
    return set(pairs) - set(longest_increasing(sorted(pairs)))


def _section_order(pairs: list[tuple[int, int]], old_len: int,
                   new_len: int) -> list[tuple[str, int]]:
    """New sections in order; each removed one just after its old predecessor's new place."""
    new_of_old = dict(pairs)
    after: dict[int, list[int]] = defaultdict(list)  # new index (-1: top) -> removed old indexes
    anchor = -1
    for i in range(old_len):
        if i in new_of_old:
            anchor = new_of_old[i]
        else:
            after[anchor].append(i)
    order: list[tuple[str, int]] = [("old", i) for i in after[-1]]
    for j in range(new_len):
        order.append(("new", j))
        order += [("old", i) for i in after[j]]
    return order


def _section_status(old: Section | None, new: Section | None, blocks: tuple[BlockDiff, ...],
                    moved_out: int) -> str:
    if old is None:
        return "added"
    if new is None:
        return "removed"
    if old.heading != new.heading or moved_out or any(b.status != "unchanged" for b in blocks):
        return "modified"
    return "unchanged"


def _provision_for(heading: str, old: Section | None, manifest: Manifest | None) -> str | None:
    """The key provision whose section this is (or is a subsection of)."""
    if manifest is None:
        return None
    names = {heading.split(HEADING_SEPARATOR)[0].casefold()}
    if old is not None:
        names.add(old.heading.split(HEADING_SEPARATOR)[0].casefold())
    return next((p.id for p in manifest.provisions
                 if p.section and p.section.casefold() in names), None)


# ---------------------------------------------------------------- blocks


def _exact_movers(a: Document, b: Document, exact: dict[tuple[int, int], list[tuple[int, int]]],
                  lone_old: list[int], lone_new: list[int]) -> set[str]:
    """Texts left unmatched on both sides: blocks that moved unchanged, kept out of fuzzy pairing."""
    old_left = {blk.text for i in lone_old for blk in a.sections[i].blocks}
    new_left = {blk.text for j in lone_new for blk in b.sections[j].blocks}
    for (i, j), matches in exact.items():
        kept_old = {k for k, _ in matches}
        kept_new = {k for _, k in matches}
        old_left.update(blk.text for k, blk in enumerate(a.sections[i].blocks) if k not in kept_old)
        new_left.update(blk.text for k, blk in enumerate(b.sections[j].blocks) if k not in kept_new)
    return old_left & new_left


# Sections that two documents share as one object (the parser reuses unchanged ones) -> their
# blocks' diffs, built once: a long history then costs per change, not per section.  Keyed by
# id, the entry holds the section itself, so that id cannot be reused while the entry lives.
_SHARED: dict[int, tuple[Section, tuple[BlockDiff, ...]]] = {}
_SHARED_MAX = 4096


def _unchanged_blocks(old: Section, new: Section) -> tuple[BlockDiff, ...]:
    """The diffs of two sections with equal blocks: every block unchanged."""
    if old is not new:
        return tuple(_unchanged(x, y) for x, y in zip(old.blocks, new.blocks))
    found = _SHARED.get(id(old))
    if found is None:
        if len(_SHARED) >= _SHARED_MAX:
            _SHARED.clear()
        found = _SHARED[id(old)] = (old, tuple(_unchanged(x, x) for x in old.blocks))
    return found[1]


def _unchanged(old: Block, new: Block) -> BlockDiff:
    return BlockDiff("unchanged", old, new, (("equal", old.text, new.text),))


def _align_blocks(old: Section, new: Section, exact: list[tuple[int, int]],
                  moving: set[str]) -> list[BlockDiff]:
    """Blocks of a paired section in new order; removed ones stand where they stood."""
    a, b = old.blocks, new.blocks
    out: list[BlockDiff] = []
    prev_i = prev_j = 0
    for i, j in exact + [(len(a), len(b))]:
        if i > prev_i or j > prev_j:
            out += _fill_gap(a, b, range(prev_i, i), range(prev_j, j), moving)
        if i < len(a):
            out.append(_unchanged(a[i], b[j]))
        prev_i, prev_j = i + 1, j + 1
    return out


def _fill_gap(a: tuple[Block, ...], b: tuple[Block, ...], gap_old: range, gap_new: range,
              moving: set[str]) -> list[BlockDiff]:
    """Between two exact matches: alike blocks are modified, the rest removed or added."""
    from rapidfuzz.distance import Indel

    def score(i: int, j: int) -> float:
        return Indel.normalized_similarity(a[i].text, b[j].text)

    olds = [i for i in gap_old if a[i].text not in moving]
    news = [j for j in gap_new if b[j].text not in moving]
    fuzzy = pair_similar(olds, news, score, BLOCK_CUTOFF) if olds and news else []
    out: list[BlockDiff] = []
    i, j = gap_old.start, gap_new.start
    for pi, pj in fuzzy + [(gap_old.stop, gap_new.stop)]:
        out += [BlockDiff("removed", a[k], None, change_class=SUBSTANTIVE) for k in range(i, pi)]
        out += [BlockDiff("added", None, b[k], change_class=SUBSTANTIVE) for k in range(j, pj)]
        if pi < gap_old.stop:
            out.append(changed_block("modified", a[pi], b[pj]))
        i, j = pi + 1, pj + 1
    return out


def changed_block(status: str, old: Block, new: Block, from_section: str | None = None) -> BlockDiff:
    """A modified or moved block with its word ops and their editorial/substantive classes.

    A move is substantive in itself: order carries meaning in a policy.
    """
    ops = tuple(word_ops(old.text, new.text))
    change_class = SUBSTANTIVE if status == "moved" else classify(old.text, new.text)
    return BlockDiff(status, old, new, ops, from_section, change_class, classify_ops(ops))


# ---------------------------------------------------------------- moves


Slot = tuple[tuple[str, int], int]  # (section key, position in its block list)


def _find_moves(entries: dict[tuple[str, int], list[BlockDiff]],
                old_index_of: dict[tuple[str, int], int],
                old_sections: tuple[Section, ...]) -> dict[int, int]:
    """Make each removed block that reappears added elsewhere one moved block at its new place.

    Returns, per old section index, how many of its blocks moved out.
    """
    removed = [(key, pos) for key in sorted(entries, key=_old_order(old_index_of))
               for pos, e in enumerate(entries[key]) if e.status == "removed"]
    added = [(key, pos) for key in sorted(k for k in entries if k[0] == "new")
             for pos, e in enumerate(entries[key]) if e.status == "added"]
    matches = _exact_moves(entries, removed, added)
    taken = {r for r, _ in matches}
    placed = {a for _, a in matches}
    rest_removed = [r for r in removed if r not in taken]
    rest_added = [a for a in added if a not in placed]
    if _fuzzy_affordable(entries, rest_removed, rest_added):
        matches += _fuzzy_moves(entries, rest_removed, rest_added)
    moved_out: dict[int, int] = defaultdict(int)
    for (rkey, rpos), (akey, apos) in matches:
        gone, arrived = entries[rkey][rpos], entries[akey][apos]
        assert gone.old is not None and arrived.new is not None
        old_index = old_index_of[rkey]
        entries[akey][apos] = changed_block("moved", gone.old, arrived.new,
                                            old_sections[old_index].heading)
        entries[rkey][rpos] = _GONE
        moved_out[old_index] += 1
    for key in entries:
        entries[key] = [e for e in entries[key] if e is not _GONE]
    return moved_out


_GONE = BlockDiff("gone", None, None)  # placeholder for a removed block that became a move


def _old_order(old_index_of: dict[tuple[str, int], int]):  # type: ignore[no-untyped-def]
    return lambda key: old_index_of.get(key, 1 << 60)


def _fuzzy_affordable(entries: dict[tuple[str, int], list[BlockDiff]], removed: list[Slot],
                      added: list[Slot]) -> bool:
    """Whether scoring every leftover pair stays bounded: by pairs, and by characters compared.

    Each score is a bit-parallel LCS costing about len(a) * len(b) / 64 machine words.
    """
    if len(removed) * len(added) > MAX_FUZZY_MOVES:
        return False
    removed_chars = sum(len(entries[k][p].old.text) for k, p in removed)  # type: ignore[union-attr]
    added_chars = sum(len(entries[k][p].new.text) for k, p in added)  # type: ignore[union-attr]
    return removed_chars * added_chars // 64 <= MAX_FUZZY_WORDS


def _exact_moves(entries: dict[tuple[str, int], list[BlockDiff]], removed: list[Slot],
                 added: list[Slot]) -> list[tuple[Slot, Slot]]:
    by_text: dict[str, list[Slot]] = defaultdict(list)
    for slot in removed:
        by_text[entries[slot[0]][slot[1]].old.text].append(slot)  # type: ignore[union-attr]
    matches = []
    for slot in added:
        waiting = by_text.get(entries[slot[0]][slot[1]].new.text)  # type: ignore[union-attr]
        if waiting:
            matches.append((waiting.pop(0), slot))
    return matches


def _fuzzy_moves(entries: dict[tuple[str, int], list[BlockDiff]], removed: list[Slot],
                 added: list[Slot]) -> list[tuple[Slot, Slot]]:
    from rapidfuzz import fuzz, process

    choices = {k: entries[s[0]][s[1]].old.text for k, s in enumerate(removed)}  # type: ignore[union-attr]
    choices = {k: text for k, text in choices.items() if len(text) >= MOVE_MIN_CHARS}
    matches = []
    for slot in added:
        text = entries[slot[0]][slot[1]].new.text  # type: ignore[union-attr]
        if len(text) < MOVE_MIN_CHARS or not choices:
            continue
        best = process.extractOne(text, choices, scorer=fuzz.ratio,
                                  score_cutoff=MOVE_CUTOFF * 100)
        if best is not None:
            matches.append((removed[best[2]], slot))
            del choices[best[2]]
    return matches
