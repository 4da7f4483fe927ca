"""The display plan: what every view of a PolicyDiff shows, decided once.

The terminal (inline and side by side), Markdown, HTML and the git driver draw
the same plan, so they agree on which sections, blocks, provisions and metadata
are shown, which unchanged blocks are elided between them, what
`--ignore-editorial` hides, the word-level changes of metadata values, and
where a long modified block is cut.  Nothing here diffs the documents again:
the only new word diff is of metadata values, which the engine does not make.

A block's pieces are its ops with two more tags the views draw: `cut`, a
stretch of unchanged words left out (drawn `…`), and `marker`, a list marker
that changed and nothing else (`- item` → `* item`), drawn as the side's own
marker and named in the row's note (`list marker - → *`).  Joining every
piece's old (or new) text still gives the block's old (or new) text.
"""

from __future__ import annotations

import re
from itertools import islice
from typing import Any, Iterable, Union

from ..frozen import frozen, replace
from ..model import BlockDiff, Op, PolicyDiff, ProvisionChange, SectionDiff
from ..diff.words import list_delta, listed, value_text
from ..diff.textdiff import word_ops
from ..parse.document import HEADING_SEPARATOR

CONTEXT_WORDS = 12  # unchanged words kept on each side of a change in a modified block
MIN_CUT = 6  # a cut must hide at least this many words: a shorter one saves nothing
EDITORIAL = "editorial"
LAYOUT_NOTE = "Layout changed: blank lines, line ends or a byte-order mark (editorial)."

# A list marker at the start of a line (after indentation or quote marks), followed by space.
_MARKER = re.compile(r"^[ \t>]*((?:[-*+]|\d{1,9}[.)]))(?=[ \t]|$)", re.MULTILINE)
_WORD = re.compile(r"\w+")


@frozen
class Row:
    """A block a view draws: as a change, or as context (unchanged, or a hidden editorial edit)."""

    block: BlockDiff
    change: bool
    pieces: tuple[Op, ...] = ()  # a modified or moved block drawn as a change: ops, cuts, markers
    note: str | None = None  # what the pieces do not say themselves: `list marker - → *`


@frozen
class Fold:
    """Unchanged blocks between rows that are not drawn (elided, or folded in the reports)."""

    blocks: tuple[BlockDiff, ...]


Item = Union[Row, Fold]


@frozen
class SectionPlan:
    section: SectionDiff
    changed: bool  # has a change to show; otherwise hidden (terminal) or folded (reports)
    heading: str  # the heading path shown: the new one, or the old one of a removed section
    old_heading: str | None  # the old path when the section was renamed, else None
    notes: tuple[str, ...]  # "new section", "section removed", "renamed", "level ### → ##", "moved"
    items: tuple[Item, ...]

    def rename_parts(self) -> tuple[str, str, str]:
        """A renamed section's heading as (parent path said once, old own heading, new own
        heading): `A › B › ` + `Old` → `New`; the whole paths when the parents differ too."""
        old_parent, _, old_own = (self.old_heading or "").rpartition(HEADING_SEPARATOR)
        new_parent, _, new_own = self.heading.rpartition(HEADING_SEPARATOR)
        if old_parent and old_parent == new_parent:
            return old_parent + HEADING_SEPARATOR, old_own, new_own
        return "", self.old_heading or "", self.heading


@frozen
class FieldPlan:
    """A changed metadata field (or the `# Title` line): a word redline, or list members."""

    field: str
    old: Any
    new: Any
    ops: tuple[Op, ...] | None  # None for two lists: then `gone` and `came`
    gone: tuple[Any, ...] = ()
    came: tuple[Any, ...] = ()


@frozen
class Plan:
    diff: PolicyDiff
    full: bool
    ignore_editorial: bool
    quiet: str | None  # "identical" or "the same but for editorial changes": nothing else shown
    provisions: tuple[ProvisionChange, ...]  # changes shown
    editorial_provisions: tuple[ProvisionChange, ...]  # changes hidden by --ignore-editorial
    unchanged_provisions: tuple[ProvisionChange, ...]
    metadata: tuple[FieldPlan, ...]
    sections: tuple[SectionPlan, ...]
    layout: bool = False  # say LAYOUT_NOTE: the texts differ only where no block or field is

    @property
    def labels(self) -> dict[str, str]:
        return {p.id: p.label for p in self.diff.provisions}


def make_plan(diff: PolicyDiff, context: int | None = 1, ignore_editorial: bool = False) -> Plan:
    """The plan for CONTEXT unchanged blocks around each change (None: every block, uncut)."""
    hide = ignore_editorial
    quiet = "identical" if diff.identical else \
        "the same but for editorial changes" if hide and not diff.substantive else None
    changed = [p for p in diff.provisions if listed(p)]  # a section check is never hidden
    editorial = [p for p in changed if hide and p.change_class == EDITORIAL and not p.section_check]
    return Plan(
        diff, context is None, hide, quiet,
        tuple(p for p in changed if p not in editorial), tuple(editorial),
        tuple(p for p in diff.provisions if not listed(p)),
        _metadata(diff, hide),
        tuple(_section(s, context, hide) for s in diff.sections),
        not hide and _layout_only(diff))


def _layout_only(diff: PolicyDiff) -> bool:
    """The texts differ, but in no block, heading or field: blank lines, line ends, a BOM."""
    return diff.layout_changed and replace(diff, layout_changed=False).identical


# Metadata -------------------------------------------------------------------------------------

def _metadata(diff: PolicyDiff, hide: bool) -> tuple[FieldPlan, ...]:
    rows = [(m.field, m.old, m.new) for m in diff.metadata]
    title = diff.title
    if title is not None and not _title_repeated(diff) and shows_title(diff, hide):
        rows.insert(0, ("# title", title.old, title.new))
    return tuple(field_plan(*row) for row in rows)


def _title_repeated(diff: PolicyDiff) -> bool:
    """The `# Title` line's change repeats the front matter's `title` change: said once."""
    title = diff.title
    return title is not None and any(m.field == "title" and (m.old, m.new) == (title.old, title.new)
                                     for m in diff.metadata)


def shows_title(diff: PolicyDiff, hide: bool) -> bool:
    """Whether the `# Title` line's change is shown: always when the front matter's `title`
    row repeats it (metadata is never editorial), else unless it is editorial and hidden."""
    title = diff.title
    return title is not None and (_title_repeated(diff)
                                  or not (hide and title.change_class == EDITORIAL))


def field_plan(field: str, old: Any, new: Any) -> FieldPlan:
    if isinstance(old, list) and isinstance(new, list):
        gone, came = list_delta(old, new)
        return FieldPlan(field, old, new, None, tuple(gone), tuple(came))
    if isinstance(old, str) and isinstance(new, str):
        return FieldPlan(field, old, new, tuple(word_ops(old, new)))
    return FieldPlan(field, old, new, (("replace", value_text(old), value_text(new)),))


# Sections -------------------------------------------------------------------------------------

def shows_change(block: BlockDiff, hide: bool) -> bool:
    return block.status != "unchanged" and not (hide and block.change_class == EDITORIAL)


def _section(section: SectionDiff, context: int | None, hide: bool) -> SectionPlan:
    if section.status == "unchanged" and not section.moved:  # most sections of a long record
        return _unchanged_plan(section)
    notes = section_notes(section, hide)
    changed = bool(notes) or any(shows_change(b, hide) for b in section.blocks) \
        or _blocks_left(section)
    if changed:
        heading_changed = any(note != "moved" for note in notes)
        items = block_items(section.blocks, context, hide, heading_changed)
    else:
        items = tuple(Row(b, False) for b in section.blocks)
    heading = section.new_heading if section.new is not None else section.old_heading
    return SectionPlan(section, changed, heading or "", section.old_heading if section.renamed
                       else None, notes, items)


# Plans of unchanged sections, per section diff: keyed by id, the entry holds the diff itself,
# so that id cannot be reused while the entry lives.
_PLANS: dict[int, tuple[SectionDiff, "SectionPlan"]] = {}


def _unchanged_plan(section: SectionDiff) -> SectionPlan:
    """An unchanged section's plan, the same whatever the options: drawn once per section
    diff (the diff shares one for a section that two versions share)."""
    found = _PLANS.get(id(section))
    if found is None:
        if len(_PLANS) >= 4096:
            _PLANS.clear()
        rows = tuple(Row(b, False) for b in section.blocks)
        plan = SectionPlan(section, False, section.new_heading or "", None, (), rows)
        found = _PLANS[id(section)] = (section, plan)
    return found[1]


def _blocks_left(section: SectionDiff) -> bool:
    """A modified section whose heading line and own blocks are unchanged: some moved out."""
    return section.status == "modified" and section.heading_class is None \
        and all(b.status == "unchanged" for b in section.blocks)


def section_notes(section: SectionDiff, hide: bool = False) -> tuple[str, ...]:
    """What happened to the heading, each said once: added, removed, renamed, re-levelled,
    otherwise edited, moved.  A renamed parent changes the path but is no rename here."""
    notes = []
    if section.status == "added":
        notes.append("new section" if _own_text(section, "added") else "heading added")
    elif section.status == "removed":
        if _own_text(section, "removed"):
            notes.append("section removed")
        else:  # its text stays, now under the heading before it
            # A removed section has its old side.
            notes.append("heading removed" if section.old.heading else "text now under headings")  # type: ignore[union-attr]
    heading_class = section.heading_class
    if section.renamed and not (hide and section.rename_class == EDITORIAL):
        notes.append("renamed")
    if section.old is not None and section.new is not None \
            and not (hide and heading_class == EDITORIAL):
        old, new = section.old.level, section.new.level
        if old != new:
            notes.append(f"level {'#' * old} → {'#' * new}")
        elif heading_class is not None and not section.renamed:
            notes.append(_heading_edit(section.old.source, section.new.source))
    if section.moved:
        notes.append("moved")
    return tuple(notes)


def _own_text(section: SectionDiff, status: str) -> bool:
    """Whether an added (removed) section brings (takes) text of its own, or only a heading
    over text that kept its place in the document."""
    side = section.new if status == "added" else section.old  # the side an added (removed) one has
    return not side.blocks or any(b.status == status for b in section.blocks)  # type: ignore[union-attr]


def _heading_edit(old: str, new: str) -> str:
    """Its spacing or underline changed, nothing else: show both lines when they are short."""
    if old == new or "\n" in old + new or max(len(old), len(new)) > 60:
        return "heading line edited"
    return f'heading line "{old}" → "{new}"'


def block_items(blocks: tuple[BlockDiff, ...], context: int | None, hide: bool = False,
                heading: bool = False) -> tuple[Item, ...]:
    """Every change and `context` unchanged blocks around it; the stretches between folded.
    A changed HEADING line counts as a change just before the first block, as in `git diff`."""
    if context is None:
        return tuple(_row(b, hide, cut=False) for b in blocks)
    changes = [i for i, b in enumerate(blocks) if shows_change(b, hide)] + ([-1] if heading else [])
    shown = {k for i in changes for k in range(i - context, i + context + 1)}
    items: list[Item] = []
    hidden: list[BlockDiff] = []
    for index, block in enumerate(blocks):
        if index in shown:
            if hidden:
                items.append(Fold(tuple(hidden)))
                hidden = []
            items.append(_row(block, hide, cut=True))
        else:
            hidden.append(block)
    if hidden:
        items.append(Fold(tuple(hidden)))
    return tuple(items)


def _row(block: BlockDiff, hide: bool, cut: bool) -> Row:
    if not shows_change(block, hide):
        return Row(block, False)
    if block.status not in ("modified", "moved"):
        return Row(block, True)
    pieces, note = _markers(block)
    edited = any(tag != "equal" for tag, _, _ in pieces)
    if cut and edited:
        pieces = cut_pieces(pieces)
    return Row(block, True, tuple(pieces), note)


# List markers ---------------------------------------------------------------------------------

def _markers(block: BlockDiff) -> tuple[list[Op], str | None]:
    """The ops with each change of a list marker alone tagged `marker`, and the note naming them."""
    ops = list(block.ops)
    if block.old is None or block.new is None or block.new.kind != "list_item":
        return ops, None  # elsewhere a `2.` or `-` that starts a line is text, not a marker
    old_marks = _marker_spans(block.old.text)
    new_marks = _marker_spans(block.new.text)
    if not old_marks or not new_marks:
        return ops, None
    pieces: list[Op] = []
    changes: list[str] = []
    at_old = at_new = 0
    old_next = new_next = 0  # the first marker span that does not end before the op: ops and
    for tag, old, new in ops:  # spans both run forward, so the walk is linear
        old_next = _skip(old_marks, old_next, at_old)
        new_next = _skip(new_marks, new_next, at_new)
        if tag == "replace":
            was = _within(old_marks, old_next, at_old, at_old + len(old))
            now = _within(new_marks, new_next, at_new, at_new + len(new))
            if was and now:
                tag = "marker"
                change = f"{was} → {now}"
                if change not in changes:
                    changes.append(change)
        pieces.append((tag, old, new))
        at_old += len(old)
        at_new += len(new)
    if not changes:
        return ops, None
    return pieces, f"list marker{'s' if len(changes) > 1 else ''} {', '.join(changes)}"


def _marker_spans(text: str) -> list[tuple[int, int, str]]:
    return [(m.start(1), m.end(1), m.group(1)) for m in _MARKER.finditer(text)]


def _skip(spans: list[tuple[int, int, str]], index: int, offset: int) -> int:
    while index < len(spans) and spans[index][1] <= offset:
        index += 1
    return index


def _within(spans: list[tuple[int, int, str]], index: int, start: int, end: int) -> str | None:
    """The marker whose span (the one at INDEX, if any) holds [start, end)."""
    if index < len(spans) and spans[index][0] <= start and end <= spans[index][1]:
        return spans[index][2]
    return None


# Cuts -----------------------------------------------------------------------------------------

def cut_pieces(pieces: Iterable[Op], keep: int = CONTEXT_WORDS) -> list[Op]:
    """Equal stretches longer than KEEP words on each side of a change, cut in the middle.

    >>> cut_pieces([("equal", "a b c d e f g h i", "a b c d e f g h i"), ("insert", "", " j")],
    ...            keep=2)
    [('cut', 'a b c d e f g ', 'a b c d e f g '), ('equal', 'h i', 'h i'), ('insert', '', ' j')]
    """
    pieces = list(pieces)
    out: list[Op] = []
    for index, (tag, old, new) in enumerate(pieces):
        if tag != "equal":
            out.append((tag, old, new))
            continue
        head = keep if index > 0 else 0  # words kept after the change before
        tail = keep if index < len(pieces) - 1 else 0  # and before the change after
        out += _cut(old, new, head, tail)
    return out


def _cut(old: str, new: str, head: int, tail: int) -> list[Op]:
    """One equal stretch: HEAD words kept at its start, TAIL at its end, the rest cut.
    Cuts fall between whitespace-separated words, so `"bots"` or `(SDN)` stay whole.
    Only the words near the cut are looked at: a stretch may be megabytes long."""
    count = _count(old)
    if (new != old and count != _count(new)) or count - head - tail < MIN_CUT:
        return [("equal", old, new)]
    old_from, old_to = _cut_span(old, head, tail)
    new_from, new_to = _cut_span(new, head, tail)
    if old_from >= old_to or new_from >= new_to:  # nothing left to hide on a side
        return [("equal", old, new)]
    pieces = [("equal", old[:old_from], new[:new_from]),
              ("cut", old[old_from:old_to], new[new_from:new_to]),
              ("equal", old[old_to:], new[new_to:])]
    return [p for p in pieces if p[1] or p[2]]


def _count(text: str) -> int:
    return len(_WORD.findall(text))


def last_word_starts(text: str, count: int) -> list[int]:
    """Where the last COUNT words of TEXT start (fewer if it has fewer), read from its end:
    the cut of a long equal stretch looks at the words near it, not at the whole stretch."""
    size = 8 * count + 16  # eight characters a word: most stretches need one look
    while True:
        start = max(len(text) - size, 0)
        # The window's first match may be the end of a word cut by the window: with more
        # than COUNT matches in it, that one is not among the last COUNT.
        found = [m.start() + start for m in _WORD.finditer(text[start:])]
        if len(found) > count or start == 0:
            return found[-count:] if count else []
        size *= 4


def _cut_span(text: str, head: int, tail: int) -> tuple[int, int]:
    """Where the cut starts and ends.  At a line break when the kept words reach one, or it
    is at most HEAD (TAIL) words further, so a multi-line block shows whole lines; else
    between whitespace-separated words (after the head's last word, its punctuation and the
    space after it; where the tail's first word and what sticks to it begin)."""
    start = 0
    if head:
        first = [m.span() for m in islice(_WORD.finditer(text), head + 1)]
        start = first[head - 1][1]
        line_end = text.find("\n", start, first[head][0] if head < len(first) else len(text))
        line_end = line_end if line_end >= 0 else text.find("\n", start)
        if line_end >= 0 and _words_in(text, start, line_end, head) <= head:
            start = line_end
        else:
            while start < len(text) and not text[start].isspace():
                start += 1
            while start < len(text) and text[start] in " \t":
                start += 1
    end = len(text)
    if tail:
        end = last_word_starts(text, tail)[0]
        line_start = text.rfind("\n", start, end) + 1  # 0: the block's first line
        if (line_start > start or not head) and _words_in(text, line_start, end, tail) <= tail:
            end = line_start
        else:
            while end > start and not text[end - 1].isspace():
                end -= 1
    return start, max(start, end)


def _words_in(text: str, start: int, end: int, most: int) -> int:
    """How many words begin in [start, end), counted up to one past MOST."""
    found = 0
    for match in _WORD.finditer(text, start, end):
        if match.start() == start and start and _WORD.match(text[start - 1]):
            continue  # the rest of a word that began before START
        found += 1
        if found > most:
            break
    return found


def cut_text(piece: str) -> str:
    """How a view draws a cut: `…`, on a line of its own where the hidden text begins or ends
    a line, else with the space that followed the hidden words."""
    lead = "\n" if piece.startswith("\n") else ""
    trail = "\n" if piece.endswith("\n") else " " if piece[-1:].isspace() else ""
    return lead + "…" + trail
