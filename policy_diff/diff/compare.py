"""Document x Document -> PolicyDiff: provisions, metadata, then sections and blocks.

The structure follows spec diff-json, "Structure, as real document histories need it".
Sections pair by their own headings (sections.py).  The blocks of every section that
kept its place are aligned as one sequence, the whole document's: exactly first, then
alike blocks inside the gaps, so a heading inserted, removed or re-levelled moves
nothing.  A section that moved as a whole is aligned on its own.  What is left removed
and added is matched for moves (moves.py), which only distinctive text can make.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections import Counter, defaultdict
from functools import cached_property, lru_cache
from typing import Any, Callable, Iterable

from .align import longest_increasing, match_sequences, pair_similar, similarity
from .editorial import SUBSTANTIVE, classify, classify_ops
from ..frozen import replace
from ..model import (Block, BlockDiff, Document, Manifest, MetadataChange, PolicyDiff, Section,
                    SectionDiff, Side, TitleChange)
from .moves import exact_movers, find_moves
from ..parse.document import HEADING_SEPARATOR
from .provisions import compare_provisions
from .sections import heading_class, moved_sections, own_heading, pair_sections
from .textdiff import word_ops

BLOCK_CUTOFF = 0.5      # a modified block keeps at least half its characters (Indel ratio)
ACROSS_CUTOFF = 0.6     # and more when a heading added or removed stands between its sides


def compare(old: Side, new: Side, manifest: Manifest | None = None) -> PolicyDiff:
    """The whole comparison, computed once."""
    return _diff(old, new, manifest, compare_sections(old.document, new.document, manifest))


def compare_outline(old: Side, new: Side, manifest: Manifest | None = None) -> PolicyDiff:
    """The comparison without its block-level detail, at a fraction of the cost.

    Provisions, metadata and title as `compare` finds them; of the sections, only those
    that changed or moved, with their status and no blocks.  That is all a one-line
    summary reads (a history summarises every commit, and shows diffs only when asked).
    """
    a, b = old.document, new.document
    changed = _paired_changes(a, b, manifest)
    if changed is None:
        changed = tuple(replace(s, blocks=()) for s in compare_sections(a, b, manifest, False)
                        if s.status != "unchanged" or s.moved)
    return _diff(old, new, manifest, changed)


def _paired_changes(a: Document, b: Document,
                    manifest: Manifest | None) -> tuple[SectionDiff, ...] | None:
    """The changed sections when every section is paired with the one at its place and each
    that differs has alike neighbours (most commits of a history): each such one is modified,
    since nothing can cross an alike section and a difference is a change.  None otherwise."""
    if len(a.sections) != len(b.sections):
        return None
    pairs = pair_sections(a.sections, b.sections)
    if any(i != j for i, j in pairs) or len(pairs) != len(a.sections):
        return None
    differ = [i for i in range(len(a.sections)) if _differs(a.sections[i], b.sections[i])]
    if any(j - i == 1 for i, j in zip(differ, differ[1:])):
        return None  # neighbours that both differ: text may cross between them
    out = []
    for i in differ:
        x, y = a.sections[i], b.sections[i]
        heading_change = heading_class(x, y)
        renamed = own_heading(x) != own_heading(y)
        out.append(SectionDiff("modified", x, y, (), renamed=renamed,
                               provision=_provision_for(y.heading, x, manifest),
                               rename_class=heading_change if renamed else None,
                               heading_class=heading_change))
    return tuple(out)


def _diff(old: Side, new: Side, manifest: Manifest | None,
          sections: tuple[SectionDiff, ...]) -> PolicyDiff:
    """SECTIONS with the provisions, metadata and title of the two sides."""
    a, b = old.document, new.document
    return PolicyDiff(
        old=old, new=new,
        provisions=compare_provisions(a.front.get("provisions"), b.front.get("provisions"),
                                      manifest, sections),
        metadata=compare_metadata(a.front, b.front),
        sections=sections, title=_title_change(a, b),
        layout_changed=a.source_digest != b.source_digest)


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

Slot = tuple[int, int]  # (section index, block index) on one side
Home = tuple[str, int]  # where a block diff is listed: ("new", new section) or ("old", removed one)


def compare_sections(a: Document, b: Document, manifest: Manifest | None,
                     detail: bool = True) -> tuple[SectionDiff, ...]:
    """Every section of both documents, in the new one's order, with its blocks' fates.

    Without `detail`, modified and moved blocks carry no word ops (a summary needs none).
    """
    pairs = pair_sections(a.sections, b.sections)
    moved = moved_sections(pairs)
    settled = _settled(a, b, pairs, moved)
    flows = _flows(a, b, pairs, moved, settled)
    texts = _Texts(a, b)
    new_of = dict(pairs)
    matches = [_exact_matches(texts, old, new, new_of) for old, new, _ in flows]
    removed, added = texts.leftovers(flows, matches)
    left = set(removed) & set(added)  # texts that may have moved unchanged: often none
    movers = exact_movers(left, texts.old_counts, texts.new_counts) if left else set()
    entries: dict[Home, list[Merged]] = defaultdict(list)
    kept: list[tuple[Slot, Slot]] = [((i, -1), (j, -1)) for i, j in settled.items()]
    for (old, new, home), found in zip(flows, matches):
        merged = _merge(a, b, old, new, found, movers, pairs)
        if home is None:  # a stretch of the document between settled sections
            kept += [(o, n) for status, o, n in merged if status in _KEPT]  # type: ignore[misc]
        for where, diff in _homes(merged, new_of, home):
            entries[where].append(diff)
    order = _DocumentOrder(sorted(kept), {i for i, _ in moved}, {j for _, j in moved})
    moved_out = _apply_moves(entries, a, texts, order)
    changed_by = Counter(moved_out) + Counter(_crossings(entries, pairs))
    diffs = {where: [_block_diff(m, a, b) for m in merged] for where, merged in entries.items()}
    if detail:
        diffs = {where: [_with_ops(d) for d in blocks] for where, blocks in diffs.items()}
    return tuple(_section_diffs(a, b, pairs, moved, diffs, changed_by, manifest, settled, detail))


def _settled(a: Document, b: Document, pairs: list[tuple[int, int]],
             moved: set[tuple[int, int]]) -> dict[int, int]:
    """Pairs of sections (old index -> new index) alike and in place.

    Nothing moves into or out of them, and nothing crosses them unmoved, so they are
    settled before any alignment and cut the document into stretches aligned apart: a long
    history, whose versions share most sections, costs per change, not per section.
    """
    return {i: j for i, j in pairs if (i, j) not in moved and _same(a.sections[i], b.sections[j])}


def _differs(x: Section, y: Section) -> bool:
    """Whether the heading line or the block texts differ (what makes a section modified)."""
    if _same(x, y):
        return False
    return heading_class(x, y) is not None \
        or [blk.text for blk in x.blocks] != [blk.text for blk in y.blocks]


def _same(x: Section, y: Section) -> bool:
    return x is y or x == y  # the parser reuses unchanged sections: mostly the same object


def _flows(a: Document, b: Document, pairs: list[tuple[int, int]], moved: set[tuple[int, int]],
           settled: dict[int, int]) -> list[tuple[list[Slot], list[Slot], Home | None]]:
    """The block sequences aligned one against the other.

    First the document's, in stretches between the settled sections, without the sections
    that moved as a whole (their blocks keep their place inside them); then each section
    that moved, on its own.  A stretch's home is None (each block is listed where it
    stands); a moved section's is itself.
    """
    moved_old = {i for i, _ in moved} | set(settled)
    moved_new = {j for _, j in moved} | set(settled.values())

    def slots(doc: Document, indexes: Iterable[int]) -> list[Slot]:
        return [(s, k) for s in indexes for k in range(len(doc.sections[s].blocks))]

    flows: list[tuple[list[Slot], list[Slot], Home | None]] = []
    prev_i = prev_j = -1
    for i, j in [*sorted(settled.items()), (len(a.sections), len(b.sections))]:
        old = slots(a, (k for k in range(prev_i + 1, i) if k not in moved_old))
        new = slots(b, (k for k in range(prev_j + 1, j) if k not in moved_new))
        if old or new:
            flows.append((old, new, None))
        prev_i, prev_j = i, j
    flows += [(slots(a, [i]), slots(b, [j]), ("new", j)) for i, j in sorted(moved)]
    return flows


def _exact_matches(texts: "_Texts", old: list[Slot], new: list[Slot],
                   new_of: dict[int, int]) -> list[tuple[int, int]]:
    """Monotonic pairs of equal blocks of two flows, as (old position, new position)."""
    old_texts, new_texts = texts.old(old), texts.new(new)

    def match(olds: list[int], news: list[int]) -> list[tuple[int, int]]:
        found = match_sequences([old_texts[p] for p in olds], [new_texts[q] for q in news])
        return [(olds[x], news[y]) for x, y in found]

    return _layered(list(range(len(old))), list(range(len(new))), old, new, new_of, match, match)


def _layered(olds: list[int], news: list[int], old: list[Slot], new: list[Slot],
             new_of: dict[int, int], within: "Pairer", across: "Pairer") -> list[tuple[int, int]]:
    """Monotonic pairs of flow positions: each pair of sections first, then the rest.

    A block stays in its own section when it can: each pair of sections that kept its
    place is paired first (`within`; sections that kept their place are in order, so
    these pairs are too), and only the gaps between those pairs are paired across
    section boundaries (`across`).  Where several alignments are as long, this one keeps
    text in its section.
    """
    old_runs, new_runs = _runs(olds, old), _runs(news, new)
    anchors: list[tuple[int, int]] = []
    for section, positions in old_runs.items():
        partner = new_of.get(section)
        if partner in new_runs:
            anchors += within(positions, new_runs[partner])
    if any(p[0] >= q[0] or p[1] >= q[1] for p, q in zip(anchors, anchors[1:])):
        anchors = []  # not in order (cannot happen for sections that kept their place)
    pairs: list[tuple[int, int]] = []
    prev_i = prev_j = -1
    for i, j in anchors + [(_END, _END)]:
        gap_old = olds[bisect_right(olds, prev_i):bisect_left(olds, i)]
        gap_new = news[bisect_right(news, prev_j):bisect_left(news, j)]
        if gap_old and gap_new:
            pairs += across(gap_old, gap_new)
        if i != _END:
            pairs.append((i, j))
        prev_i, prev_j = i, j
    return pairs


_END = 1 << 62  # past every position


def _runs(positions: list[int], slots: list[Slot]) -> dict[int, list[int]]:
    """Positions grouped by their section, sections in document order."""
    runs: dict[int, list[int]] = {}
    for position in positions:
        runs.setdefault(slots[position][0], []).append(position)
    return runs


class _Texts:
    """Block texts by slot, and how often each text occurs in each whole document."""

    def __init__(self, a: Document, b: Document) -> None:
        self.a, self.b = a, b

    @cached_property
    def old_counts(self) -> Counter[str]:  # only when something may have moved
        return Counter(blk.text for section in self.a.sections for blk in section.blocks)

    @cached_property
    def new_counts(self) -> Counter[str]:
        return Counter(blk.text for section in self.b.sections for blk in section.blocks)

    def old(self, slots: list[Slot]) -> list[str]:
        return [self.a.sections[s].blocks[k].text for s, k in slots]

    def new(self, slots: list[Slot]) -> list[str]:
        return [self.b.sections[s].blocks[k].text for s, k in slots]

    def leftovers(self, flows: list[Any], matches: list[list[tuple[int, int]]]
                  ) -> tuple[list[str], list[str]]:
        """The texts no exact match took, on each side."""
        removed: list[str] = []
        added: list[str] = []
        for (old, new, _), found in zip(flows, matches):
            kept_old = {i for i, _ in found}
            kept_new = {j for _, j in found}
            removed += [t for i, t in enumerate(self.old(old)) if i not in kept_old]
            added += [t for j, t in enumerate(self.new(new)) if j not in kept_new]
        return removed, added


Merged = tuple[str, "Slot | None", "Slot | None"]  # (status, old slot, new slot)
Pairer = Callable[[list[int], list[int]], list[tuple[int, int]]]  # monotonic pairs of positions


def _merge(a: Document, b: Document, old: list[Slot], new: list[Slot],
           matches: list[tuple[int, int]], movers: set[str],
           pairs: list[tuple[int, int]]) -> list[Merged]:
    """One flow's blocks in new order, removed ones where they stood: exact matches are
    unchanged, alike blocks in the gaps between them modified, the rest removed or added.

    Alike blocks pair within a pair of sections first.  Across sections only where a
    heading added or removed stands between them (the text kept its place; the heading
    is the change), and then they must be more alike.  Across two sections that are
    paired with others, never: that would be a move.
    """
    new_of = dict(pairs)
    old_of = {j: i for i, j in pairs}

    def score(i: int, j: int) -> float:
        return similarity(_text(a, old[i]), _text(b, new[j]))

    def across_score(i: int, j: int) -> float:
        if old[i][0] in new_of and new[j][0] in old_of:
            return 0.0
        value = score(i, j)
        return value if value >= ACROSS_CUTOFF else 0.0

    def within(olds: list[int], news: list[int]) -> list[tuple[int, int]]:
        return pair_similar(olds, news, score, BLOCK_CUTOFF)

    def across(olds: list[int], news: list[int]) -> list[tuple[int, int]]:
        return pair_similar(olds, news, across_score, BLOCK_CUTOFF)

    out: list[Merged] = []
    prev_i = prev_j = 0
    for i, j in matches + [(len(old), len(new))]:
        olds = [k for k in range(prev_i, i) if _text(a, old[k]) not in movers]
        news = [k for k in range(prev_j, j) if _text(b, new[k]) not in movers]
        fuzzy = _layered(olds, news, old, new, new_of, within, across) if olds and news else []
        gi, gj = prev_i, prev_j
        for pi, pj in fuzzy + [(i, j)]:
            out += [("removed", old[k], None) for k in range(gi, pi)]
            out += [("added", None, new[k]) for k in range(gj, pj)]
            if (pi, pj) != (i, j):
                out.append(("modified", old[pi], new[pj]))
            gi, gj = pi + 1, pj + 1
        if i < len(old):
            out.append(("unchanged", old[i], new[j]))
        prev_i, prev_j = i + 1, j + 1
    return out


def _text(doc: Document, slot: Slot) -> str:
    return doc.sections[slot[0]].blocks[slot[1]].text


_KEPT = ("unchanged", "modified")  # statuses of blocks that are on both sides, in order


def _homes(merged: list[Merged], new_of: dict[int, int],
           home: Home | None) -> Iterable[tuple[Home, Merged]]:
    """Where each block diff of a flow is listed.

    A block that is on the new side stands in its new section.  A removed one stands
    where it stood among its neighbours: in its old section's partner when that lies
    between the sections of the blocks before and after it, in its own section when
    that section is gone too, else with the block before it (as `git diff` shows a
    deleted line under the nearest heading above it).
    """
    if home is not None:
        return ((home, m) for m in merged)
    after: list[int | None] = [None] * len(merged)  # the new section of the next kept block
    following = None
    for index in range(len(merged) - 1, -1, -1):
        after[index] = following
        if merged[index][0] in _KEPT:
            following = merged[index][2][0]  # type: ignore[index]
    placed: list[tuple[Home, Merged]] = []
    before = None
    for index, entry in enumerate(merged):
        if entry[2] is not None:
            if entry[0] in _KEPT:
                before = entry[2][0]
            placed.append((("new", entry[2][0]), entry))
            continue
        section = entry[1][0]  # type: ignore[index]
        partner = new_of.get(section)
        low = -1 if before is None else before
        high = len(merged) + (1 << 30) if after[index] is None else after[index]
        if partner is not None and low <= partner <= high:  # type: ignore[operator]
            placed.append((("new", partner), entry))
        elif partner is None:
            placed.append((("old", section), entry))
        else:
            nearest = before if before is not None else after[index]
            placed.append((("new", nearest), entry))  # type: ignore[arg-type]
    return placed


def _crossings(entries: dict[Home, list[Merged]], pairs: list[tuple[int, int]]) -> dict[int, int]:
    """Paired sections whose boundary moved: text that kept its order but now stands under
    another paired heading (a heading moved within the text).  Text that came from, or went
    to, a section whose heading was added or removed is that heading's change alone.

    Returns, per old section index, the number of blocks that crossed into or out of it.
    """
    new_of = dict(pairs)
    old_of = {j: i for i, j in pairs}
    crossed: dict[int, int] = defaultdict(int)
    for (side, index), merged in entries.items():
        here = old_of.get(index) if side == "new" else None
        for status, old_slot, new_slot in merged:
            if status == "moved" or new_slot is None or old_slot is None or here is None:
                continue
            source = old_slot[0]
            if source != here and source in new_of:
                crossed[here] += 1
                crossed[source] += 1
    return crossed


class _DocumentOrder:
    """The order the document's alignment keeps: a block removed at one place and added at
    another where both fit between the same kept neighbours has not moved.  Places are
    slots, (section, block), which sort in document order; a settled section counts as kept."""

    def __init__(self, kept: list[tuple[Slot, Slot]], moved_old: set[int],
                 moved_new: set[int]) -> None:
        self.kept_old = [(-1, -1)] + [o for o, _ in kept] + [(_END, 0)]
        self.kept_new = [(-1, -1)] + [n for _, n in kept] + [(_END, 0)]
        self.moved_old, self.moved_new = moved_old, moved_new

    def in_place(self, moves: list[tuple[Slot, Slot]]) -> set[tuple[Slot, Slot]]:
        """The moves that keep the document's order (a longest run of them per gap)."""
        by_gap: dict[int, list[tuple[Slot, Slot]]] = defaultdict(list)
        for old_slot, new_slot in moves:
            if old_slot[0] in self.moved_old or new_slot[0] in self.moved_new:
                continue  # in a section that moved as a whole
            gap = bisect_left(self.kept_old, old_slot)
            if self.kept_new[gap - 1] < new_slot < self.kept_new[gap]:
                by_gap[gap].append((old_slot, new_slot))
        settled = set()
        for candidates in by_gap.values():
            settled.update(longest_increasing(sorted(candidates)))
        return settled


def _apply_moves(entries: dict[Home, list[Any]], a: Document, texts: _Texts,
                 order: _DocumentOrder) -> dict[int, int]:
    """Turn each removed block that reappears added elsewhere into one moved block at its
    new place (or, where it kept the document's order, an unchanged or modified one);
    the others become their BlockDiffs.  Returns, per old section index, how many of its
    blocks moved out."""
    removed = [((where, pos), texts.old([m[1]])[0]) for where in sorted(entries, key=_by_old)
               for pos, m in enumerate(entries[where]) if m[0] == "removed"]
    added = [((where, pos), texts.new([m[2]])[0]) for where in sorted(entries)
             for pos, m in enumerate(entries[where]) if m[0] == "added"]
    moves = find_moves(removed, added, texts.old_counts, texts.new_counts) \
        if removed and added else []
    slots = [(entries[r[0]][r[1]][1], entries[d[0]][d[1]][2]) for r, d in moves]
    in_place = order.in_place(slots)
    moved_out: dict[int, int] = defaultdict(int)
    gone: set[tuple[Home, int]] = set()
    for (removed_key, (where, pos)), (old_slot, new_slot) in zip(moves, slots):
        gone.add(removed_key)
        if (old_slot, new_slot) in in_place:
            same = texts.old([old_slot]) == texts.new([new_slot])
            entries[where][pos] = ("unchanged" if same else "modified", old_slot, new_slot)
        else:
            entries[where][pos] = ("moved", old_slot, new_slot)
            moved_out[old_slot[0]] += 1
    for where in entries:
        entries[where] = [m for pos, m in enumerate(entries[where]) if (where, pos) not in gone]
    return moved_out


def _by_old(home: Home) -> tuple[int, int]:
    """Removed sections' lists after the others: moves are sought in a stable order."""
    return (home[0] == "old", home[1])


def _block_diff(merged: Merged, a: Document, b: Document) -> BlockDiff:
    status, old_slot, new_slot = merged
    old = a.sections[old_slot[0]].blocks[old_slot[1]] if old_slot else None
    new = b.sections[new_slot[0]].blocks[new_slot[1]] if new_slot else None
    if status == "moved":
        return BlockDiff("moved", old, new, from_section=a.sections[old_slot[0]].heading,  # type: ignore[index]
                         change_class=SUBSTANTIVE)
    if status == "unchanged":
        return _unchanged(old, new)  # type: ignore[arg-type]
    if status == "modified":
        return BlockDiff("modified", old, new)
    return BlockDiff(status, old, new, change_class=SUBSTANTIVE)


def _with_ops(diff: BlockDiff) -> BlockDiff:
    """A modified or moved block with its word ops and their classes."""
    if diff.status not in ("modified", "moved"):
        return diff
    return changed_block(diff.status, diff.old, diff.new, diff.from_section)  # type: ignore[arg-type]


def _section_diffs(a: Document, b: Document, pairs: list[tuple[int, int]],
                   moved: set[tuple[int, int]], entries: dict[Home, list[BlockDiff]],
                   changed_by: Counter[int], manifest: Manifest | None, settled: dict[int, int],
                   detail: bool) -> Iterable[SectionDiff]:
    old_of = {j: i for i, j in pairs}
    for side, index in _section_order(pairs, len(a.sections), len(b.sections)):
        old_index = old_of.get(index) if side == "new" else index
        old = a.sections[old_index] if old_index is not None else None
        new = b.sections[index] if side == "new" else None
        if old_index in settled:  # alike, in place: nothing else to learn
            yield _unchanged_section(old, new, manifest, detail)  # type: ignore[arg-type]
            continue
        blocks = tuple(entries.get((side, index), ()))
        heading_change = heading_class(old, new) if old and new else None
        renamed = bool(old and new and own_heading(old) != own_heading(new))
        changed = heading_change is not None \
            or (old_index is not None and changed_by[old_index] > 0) \
            or any(blk.status != "unchanged" for blk in blocks)
        status = "added" if old is None else "removed" if new is None \
            else "modified" if changed else "unchanged"
        yield SectionDiff(
            status=status, old=old, new=new, blocks=blocks, renamed=renamed,
            moved=(old_index, index) in moved if side == "new" else False,
            provision=_provision_for((new or old).heading, old, manifest),  # type: ignore[union-attr]
            rename_class=heading_change if renamed else None, heading_class=heading_change)


# Sections that two documents share as one object (the parser reuses unchanged ones) -> their
# blocks' diffs, built once: a long history then costs per change, not per section.  Keyed by
# id, the entry holds the section itself, so that id cannot be reused while the entry lives.
_SHARED: dict[int, tuple[Section, tuple[BlockDiff, ...]]] = {}
_SHARED_MAX = 4096


def _unchanged_section(old: Section, new: Section, manifest: Manifest | None,
                       detail: bool) -> SectionDiff:
    """The diff of a section alike on both sides; one object per shared section (a history
    compares the same section with itself in most of its versions)."""
    key = (id(old), id(manifest), detail)
    found = _SHARED_SECTIONS.get(key) if old is new else None
    if found is None:
        blocks = _unchanged_blocks(old, new) if detail else ()
        diff = SectionDiff("unchanged", old, new, blocks,
                           provision=_provision_for(new.heading, old, manifest))
        if old is not new:
            return diff
        if len(_SHARED_SECTIONS) >= _SHARED_MAX:
            _SHARED_SECTIONS.clear()
        found = _SHARED_SECTIONS[key] = (old, manifest, diff)
    return found[2]


_SHARED_SECTIONS: dict[tuple[int, int, bool], tuple[Section, Manifest | None, SectionDiff]] = {}


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


def _provision_for(heading: str, old: Section | None, manifest: Manifest | None) -> str | None:
    """The key provision whose section this is (or is a subsection of)."""
    if manifest is None:
        return None
    return _provision_named(heading.split(HEADING_SEPARATOR)[0].casefold(),
                            old.heading.split(HEADING_SEPARATOR)[0].casefold() if old else "",
                            manifest)


@lru_cache(maxsize=1024)
def _provision_named(new_top: str, old_top: str, manifest: Manifest) -> str | None:
    names = {new_top, old_top} - {""} if old_top else {new_top}
    return next((p.id for p in manifest.provisions
                 if p.section and p.section.casefold() in names), None)


# ---------------------------------------------------------------- blocks


def changed_block(status: str, old: Block, new: Block, from_section: str | None = None) -> BlockDiff:
    """A modified or moved block with its word ops and their editorial/substantive classes.

    A move is substantive in itself: order carries meaning in a policy.
    """
    ops = tuple(word_ops(old.text, new.text))
    change_class = SUBSTANTIVE if status == "moved" else classify(old.text, new.text)
    return BlockDiff(status, old, new, ops, from_section, change_class, classify_ops(ops))


