"""Document x Document -> PolicyDiff: provisions, metadata, then sections and blocks.

The structure follows spec diff-json, "Structure, as real document histories need it".
Sections pair by their own headings (sections.py).  The blocks of every section that
kept its place are aligned as one sequence, the whole document's: exactly first, then
alike blocks inside the gaps, so a heading inserted, removed or re-levelled moves
nothing.  A section that moved as a whole is aligned on its own.  What is left removed
and added is matched for moves (moves.py), which only distinctive text can make.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from typing import Any, Callable, Iterable

from .align import match_sequences, pair_similar
from .editorial import SUBSTANTIVE, classify, classify_ops
from .frozen import replace
from .model import (Block, BlockDiff, Document, Manifest, MetadataChange, PolicyDiff, Section,
                    SectionDiff, Side, TitleChange)
from .moves import exact_movers, find_moves
from .parse import HEADING_SEPARATOR
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
    sections = compare_sections(old.document, new.document, manifest, detail=False)
    return _diff(old, new, manifest, tuple(replace(s, blocks=()) for s in sections
                                           if s.status != "unchanged" or s.moved))


def _diff(old: Side, new: Side, manifest: Manifest | None,
          sections: tuple[SectionDiff, ...]) -> PolicyDiff:
    """SECTIONS with the provisions, metadata and title of the two sides."""
    a, b = old.document, new.document
    return PolicyDiff(
        old=old, new=new,
        provisions=compare_provisions(a.front.get("provisions"), b.front.get("provisions"),
                                      manifest),
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
    flows = _flows(a, b, pairs, moved)
    texts = _Texts(a, b)
    matches = [_flow_matches(texts, old, new, pairs if home is None else None)
               for old, new, home in flows]
    movers = exact_movers(*texts.leftovers(flows, matches), texts.old_counts, texts.new_counts)
    entries: dict[Home, list[BlockDiff]] = defaultdict(list)
    new_of = dict(pairs)
    for (old, new, home), found in zip(flows, matches):
        merged = _merge(a, b, old, new, found, movers, _may_pair(pairs))
        for where, diff in _homes(merged, new_of, home):
            entries[where].append(diff)
    crossed = _crossings(entries, pairs)
    moved_out = _apply_moves(entries, a, texts, detail)
    if detail:
        for where, diffs in entries.items():
            entries[where] = [_with_ops(d) for d in diffs]
    return tuple(_section_diffs(a, b, pairs, moved, entries, moved_out | crossed, manifest))


def _flows(a: Document, b: Document, pairs: list[tuple[int, int]],
           moved: set[tuple[int, int]]) -> list[tuple[list[Slot], list[Slot], Home | None]]:
    """The block sequences aligned one against the other.

    First the whole document's, without the sections that moved as a whole (their
    blocks keep their place inside them); then each of those, on its own.  A flow's
    home is None for the whole document (each block is listed where it stands).
    """
    moved_old = {i for i, _ in moved}
    moved_new = {j for _, j in moved}

    def slots(doc: Document, indexes: Iterable[int]) -> list[Slot]:
        return [(s, k) for s in indexes for k in range(len(doc.sections[s].blocks))]

    flows = [(slots(a, (i for i in range(len(a.sections)) if i not in moved_old)),
              slots(b, (j for j in range(len(b.sections)) if j not in moved_new)), None)]
    flows += [(slots(a, [i]), slots(b, [j]), ("new", j)) for i, j in sorted(moved)]
    return flows  # type: ignore[return-value]


def _flow_matches(texts: "_Texts", old: list[Slot], new: list[Slot],
                  pairs: list[tuple[int, int]] | None) -> list[tuple[int, int]]:
    """Monotonic pairs of equal blocks of two flows, as (old position, new position).

    A block stays in its own section when it can: each pair of sections that kept its
    place is aligned first (their pairs are in order, so these matches are too), and
    only the gaps between them are aligned across section boundaries.  Where several
    alignments are as long, this one keeps text in its section.
    """
    old_texts, new_texts = texts.old(old), texts.new(new)
    if pairs is None:
        return match_sequences(old_texts, new_texts)
    old_at = _starts(old)
    new_at = _starts(new)
    anchors: list[tuple[int, int]] = []
    for i, j in pairs:
        if i in old_at and j in new_at:
            (i0, i1), (j0, j1) = old_at[i], new_at[j]
            anchors += [(i0 + x, j0 + y)
                        for x, y in match_sequences(old_texts[i0:i1], new_texts[j0:j1])]
    if len(anchors) > 1 and not all(p < q for p, q in zip(anchors, anchors[1:])):
        anchors = []  # not in order (cannot happen for sections that kept their place)
    matches: list[tuple[int, int]] = []
    prev_i = prev_j = 0
    for i, j in anchors + [(len(old), len(new))]:
        if i > prev_i and j > prev_j:
            matches += [(prev_i + x, prev_j + y) for x, y in
                        match_sequences(old_texts[prev_i:i], new_texts[prev_j:j])]
        if i < len(old):
            matches.append((i, j))
        prev_i, prev_j = i + 1, j + 1
    return matches


def _starts(slots: list[Slot]) -> dict[int, tuple[int, int]]:
    """Each section's range of positions in a flow."""
    ranges: dict[int, tuple[int, int]] = {}
    for position, (section, _) in enumerate(slots):
        start = ranges.get(section, (position, position))[0]
        ranges[section] = (start, position + 1)
    return ranges


class _Texts:
    """Block texts by slot, and how often each text occurs in each whole document."""

    def __init__(self, a: Document, b: Document) -> None:
        self.a, self.b = a, b
        self.old_counts = Counter(blk.text for blk in a.blocks)
        self.new_counts = Counter(blk.text for blk in b.blocks)

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


def _may_pair(pairs: list[tuple[int, int]]) -> Callable[[int, int], bool | None]:
    """Whether a block of old section I may be the edited form of one in new section J:
    False within a pair of sections, True across a heading added or removed (the text
    kept its place and the heading is the change: it must then be more alike), None
    across two sections that are paired with others (that would be a move)."""
    new_of = dict(pairs)
    old_of = {j: i for i, j in pairs}

    def may_pair(i: int, j: int) -> bool | None:
        if new_of.get(i) == j:
            return False
        return True if i not in new_of or j not in old_of else None
    return may_pair


def _merge(a: Document, b: Document, old: list[Slot], new: list[Slot],
           matches: list[tuple[int, int]], movers: set[str],
           may_pair: Callable[[int, int], bool | None]) -> list[Merged]:
    """One flow's blocks in new order, removed ones where they stood: exact matches are
    unchanged, alike blocks in the gaps between them modified, the rest removed or added."""
    from rapidfuzz.distance import Indel

    def block_a(i: int) -> Block:
        return a.sections[old[i][0]].blocks[old[i][1]]

    def block_b(j: int) -> Block:
        return b.sections[new[j][0]].blocks[new[j][1]]

    def score(i: int, j: int) -> float:
        across = may_pair(old[i][0], new[j][0])
        if across is None:
            return 0.0
        value = Indel.normalized_similarity(block_a(i).text, block_b(j).text)
        return value if not across or value >= ACROSS_CUTOFF else 0.0

    out: list[Merged] = []
    prev_i = prev_j = 0
    for i, j in matches + [(len(old), len(new))]:
        olds = [k for k in range(prev_i, i) if block_a(k).text not in movers]
        news = [k for k in range(prev_j, j) if block_b(k).text not in movers]
        fuzzy = pair_similar(olds, news, score, BLOCK_CUTOFF) if olds and news else []
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
    return [(status, o, n) for status, o, n in out]


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
            if new_slot is None or old_slot is None or here is None:
                continue
            source = old_slot[0]
            if source != here and source in new_of:
                crossed[here] += 1
                crossed[source] += 1
    return crossed


def _apply_moves(entries: dict[Home, list[Any]], a: Document, texts: _Texts,
                 detail: bool) -> dict[int, int]:
    """Turn each removed block that reappears added elsewhere into one moved block at its
    new place; the others become their BlockDiffs.  Returns, per old section index, how
    many of its blocks moved out."""
    removed = [((where, pos), texts.old([m[1]])[0]) for where in sorted(entries, key=_by_old)
               for pos, m in enumerate(entries[where]) if m[0] == "removed"]
    added = [((where, pos), texts.new([m[2]])[0]) for where in sorted(entries)
             for pos, m in enumerate(entries[where]) if m[0] == "added"]
    moves = find_moves(removed, added, texts.old_counts, texts.new_counts)
    moved_out: dict[int, int] = defaultdict(int)
    gone: set[tuple[Home, int]] = set()
    arrived: dict[tuple[Home, int], Slot] = {}
    for removed_key, added_key in moves:
        where, pos = removed_key  # type: ignore[misc]
        old_slot = entries[where][pos][1]
        gone.add(removed_key)  # type: ignore[arg-type]
        arrived[added_key] = old_slot  # type: ignore[index]
        moved_out[old_slot[0]] += 1
    for where in entries:
        entries[where] = [_block_diff(m, a, texts, arrived.get((where, pos)))
                          for pos, m in enumerate(entries[where]) if (where, pos) not in gone]
    return moved_out


def _by_old(home: Home) -> tuple[int, int]:
    """Removed sections' lists after the others: moves are sought in a stable order."""
    return (home[0] == "old", home[1])


def _block_diff(merged: Merged, a: Document, texts: _Texts, moved_from: Slot | None) -> BlockDiff:
    status, old_slot, new_slot = merged
    old = a.sections[old_slot[0]].blocks[old_slot[1]] if old_slot else None
    new = texts.b.sections[new_slot[0]].blocks[new_slot[1]] if new_slot else None
    if moved_from is not None:
        source = a.sections[moved_from[0]]
        return BlockDiff("moved", source.blocks[moved_from[1]], new, from_section=source.heading,
                         change_class=SUBSTANTIVE)
    if status == "unchanged":
        return BlockDiff("unchanged", old, new, (("equal", old.text, new.text),))  # type: ignore[union-attr]
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
                   moved_out: dict[int, int], manifest: Manifest | None) -> Iterable[SectionDiff]:
    old_of = {j: i for i, j in pairs}
    for side, index in _section_order(pairs, len(a.sections), len(b.sections)):
        old_index = old_of.get(index) if side == "new" else index
        old = a.sections[old_index] if old_index is not None else None
        new = b.sections[index] if side == "new" else None
        blocks = tuple(entries.get((side, index), ()))
        heading_change = heading_class(old, new) if old and new else None
        renamed = bool(old and new and own_heading(old) != own_heading(new))
        changed = heading_change is not None or moved_out.get(old_index, 0) > 0 \
            or any(blk.status != "unchanged" for blk in blocks)  # type: ignore[arg-type]
        status = "added" if old is None else "removed" if new is None \
            else "modified" if changed else "unchanged"
        yield SectionDiff(
            status=status, old=old, new=new, blocks=blocks, renamed=renamed,
            moved=(old_index, index) in moved if side == "new" else False,
            provision=_provision_for((new or old).heading, old, manifest),  # type: ignore[union-attr]
            rename_class=heading_change if renamed else None, heading_class=heading_change)


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
    names = {heading.split(HEADING_SEPARATOR)[0].casefold()}
    if old is not None:
        names.add(old.heading.split(HEADING_SEPARATOR)[0].casefold())
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


